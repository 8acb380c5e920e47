// Every talk track shipped in assets/scripts loads and passes every check of the validator.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScriptFolder } from '../../../../main/core/scripts/load-script';
import { formatProblem } from '../../../../main/core/scripts/script-errors';
import { repoRoot } from '../../../infra/app';

describe('shipped sample scripts', () => {
  it('all validate, in Japanese and English', () => {
    const { scripts, problems } = loadScriptFolder(join(repoRoot, 'assets/scripts'));
    expect(problems.map(formatProblem)).toEqual([]);
    expect(scripts.length).toBeGreaterThanOrEqual(7);
    for (const s of scripts) expect([...s.languages].sort()).toEqual(['en', 'ja']);
  });
});
