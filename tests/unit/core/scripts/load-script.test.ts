import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { loadScript, loadScriptFolder } from '../../../../main/core/scripts/load-script';
import { formatProblem } from '../../../../main/core/scripts/script-errors';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const fixtures = join(root, 'tests/fixtures/scripts');

/** Loads a fixture and prints its problems as the CLI does (the file relative to fixtures). */
function problemsOf(name: string): string[] {
  const file = join(fixtures, name);
  const { script, problems } = loadScript(readFileSync(file, 'utf8'), name);
  if (problems.length > 0) expect(script).toBeNull();
  return problems.map((p) => `${p.code} ${formatProblem(p)}`);
}

/** A small valid script to break inline (line numbers: see the comments). */
const BASE = `id: inline
version: 1
title: { en: Inline }
languages: [en]
match: { direction: inbound }
start: a
steps:
  - id: a
    say: { en: Hi }
    next: b
  - id: b
    say: { en: Bye }
    end: { disposition: done }
`;
const inline = (text: string): string[] =>
  loadScript(text, 'x.yaml').problems.map((p) => `${p.code} ${formatProblem(p)}`);

describe('loadScript: one fixture per problem, with its line and step', () => {
  it('loads a valid script with defaults filled in', () => {
    const { script, problems } = loadScript(
      readFileSync(join(fixtures, 'good.yaml'), 'utf8'),
      'good.yaml',
    );
    expect(problems).toEqual([]);
    expect(script?.id).toBe('size-order');
    expect(script?.steps[1]?.mandatory).toBe(false);
    expect(script?.objections).toHaveLength(1);
  });

  it.each([
    ['yaml', ['yaml bad/yaml.yaml:8: invalid YAML: Map keys must be unique (column 1)']],
    [
      'schema',
      [
        "schema bad/schema.yaml:11: step 'a': unknown key 'nxet' (did you mean 'next'?)",
        "schema bad/schema.yaml:14: step 'b': question.type: 'chioce' is not one of 'choice', 'yes_no', 'text', 'number', 'date', 'nps' (did you mean 'choice'?)",
      ],
    ],
    [
      'duplicate-id',
      [
        "duplicate_id bad/duplicate-id.yaml:12: step 'a': id 'a' is already used by the step on line 9",
        "duplicate_id bad/duplicate-id.yaml:19: objection 'b': id is already used by the step on line 15",
      ],
    ],
    [
      'unknown-target',
      [
        "unknown_target bad/unknown-target.yaml:12: step 'ask-size': next → 'confrim' is not a step (did you mean 'confirm'?)",
        "unreachable bad/unknown-target.yaml:13: step 'confirm': unreachable: no path from start 'ask-size' leads here",
      ],
    ],
    [
      'unreachable',
      [
        "unreachable bad/unreachable.yaml:12: step 'orphan': unreachable: no path from start 'a' leads here",
      ],
    ],
    [
      'no-way-out',
      [
        "no_way_out bad/no-way-out.yaml:18: step 'b': loop with no way out: no end step can be reached from 'b', 'c'",
      ],
    ],
    [
      'unknown-variable',
      [
        "unknown_variable bad/unknown-variable.yaml:10: step 'a': say.en: unknown variable {{customer.nmae}} (did you mean {{customer.name}}?)",
        "unknown_variable bad/unknown-variable.yaml:13: step 'b': say.en: '{{' at column 5 of the text is never closed with '}}'",
      ],
    ],
    [
      'missing-translation',
      ["missing_translation bad/missing-translation.yaml:10: step 'a': say has no 'en' text"],
    ],
    [
      'mandatory-without-confirm',
      [
        "mandatory_without_confirm bad/mandatory-without-confirm.yaml:10: step 'a': mandatory step has no confirm text (what the agent confirms before moving on)",
      ],
    ],
    [
      'bad-condition',
      [
        "bad_condition bad/bad-condition.yaml:14: step 'check': branch[0].when: 'answers.a' — 'a' is a say step, not an ask step",
      ],
    ],
  ])('%s', (name, expected) => {
    expect(problemsOf(`bad/${name}.yaml`)).toEqual(expected);
  });
});

describe('loadScript: schema problems', () => {
  it('names a missing key at the step it belongs to', () => {
    expect(inline(BASE.replace('    next: b\n', ''))).toEqual([
      "schema x.yaml:8: step 'a': missing 'next'",
    ]);
  });

  it('says which keys belong to the kind of step it is', () => {
    expect(
      inline(
        BASE.replace(
          '    end: { disposition: done }',
          '    end: { disposition: done }\n    next: a',
        ),
      ),
    ).toEqual([
      "schema x.yaml:14: step 'b': 'next' does not belong in an end step (its keys: id, mandatory, confirm, say, end)",
    ]);
  });

  it('names an unknown language, a bad id and a value of the wrong type', () => {
    expect(
      inline(
        BASE.replace('say: { en: Hi }', 'say: { en: Hi, fr: Salut }')
          .replace('- id: b', '- id: B')
          .replace('next: b', 'next: B')
          .replace('version: 1', 'version: one'),
      ),
    ).toEqual([
      "schema x.yaml:2: version: expected number, got 'one'",
      "schema x.yaml:9: step 'a': say: unknown language 'fr' (languages: ja, en)",
      "schema x.yaml:10: step 'a': next: step ids are lower-case letters, digits, _ and -",
      "schema x.yaml:11: step 'B': id: step ids are lower-case letters, digits, _ and -",
    ]);
  });

  it('names a step without an id by its index, and an item that is no step', () => {
    expect(inline(BASE.replace('  - id: a\n    say', '  - say').concat('  - just text\n'))).toEqual(
      [
        "schema x.yaml:8: steps[0]: missing 'id'",
        'schema x.yaml:13: steps[2]: a step is a mapping (id, then say / ask + question / branch + otherwise / end)',
      ],
    );
  });

  it('points at a bad enum value in the match, with a did-you-mean', () => {
    expect(inline(BASE.replace('direction: inbound', 'direction: inbund'))).toEqual([
      "schema x.yaml:5: match.direction: 'inbund' is not one of 'inbound', 'outbound' (did you mean 'inbound'?)",
    ]);
  });

  it('names a bad objection by its id', () => {
    expect(
      inline(`${BASE}objections:\n  - id: busy\n    label: { en: Busy }\n    sya: { en: Quick }\n`),
    ).toEqual(["schema x.yaml:17: objection 'busy': unknown key 'sya' (did you mean 'say'?)"]);
  });

  it('refuses an empty file and a file that is not a mapping', () => {
    expect(inline('')).toEqual([
      'schema x.yaml: the file is empty (a script is a mapping: id, version, title, languages, match, start, steps)',
    ]);
    expect(inline('- a\n- b\n')).toEqual([
      'schema x.yaml:1: a script is a mapping (id, version, title, languages, match, start, steps), not a list or a value',
    ]);
  });

  it('reports a YAML syntax error on its line', () => {
    expect(inline(BASE.replace('say: { en: Bye }', 'say: { en: Bye'))).toEqual([
      expect.stringMatching(/^yaml x\.yaml:1[23]: invalid YAML: /),
    ]);
  });
});

describe('loadScriptFolder', () => {
  let dir: string | null = null;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = null;
  });

  it('loads the good scripts, leaves out the bad, and refuses a script id used twice', () => {
    dir = mkdtempSync(join(tmpdir(), 'scripts-'));
    writeFileSync(join(dir, 'a.yaml'), BASE);
    writeFileSync(join(dir, 'b.yml'), BASE);
    writeFileSync(join(dir, 'c.yaml'), BASE.replace('next: b', 'next: c'));
    writeFileSync(join(dir, 'notes.txt'), 'not a script');
    const { scripts, problems } = loadScriptFolder(dir);
    expect(scripts.map((s) => s.id)).toEqual(['inline']);
    expect(problems.map(formatProblem)).toEqual([
      `${join(dir, 'b.yml')}:1: script id 'inline' is already used by ${join(dir, 'a.yaml')}`,
      `${join(dir, 'c.yaml')}:10: step 'a': next → 'c' is not a step`,
      `${join(dir, 'c.yaml')}:11: step 'b': unreachable: no path from start 'a' leads here`,
    ]);
  });
});

describe('tools/check-scripts.ts', () => {
  const run = promisify(execFile);
  const tsx = join(root, 'node_modules/.bin/tsx');

  it('prints each problem and exits 1 on a folder with a bad file', async () => {
    const failure = await run(tsx, ['tools/check-scripts.ts', 'tests/fixtures/scripts/folder'], {
      cwd: root,
    }).then(
      () => null,
      (e: { code: number; stdout: string }) => e,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stdout.split('\n')).toEqual([
      "tests/fixtures/scripts/folder/bad.yml:11: step 'a': next → 'b' is not a step",
      "tests/fixtures/scripts/folder/bad.yml:12: step 'bye': unreachable: no path from start 'a' leads here",
      "tests/fixtures/scripts/folder/bad.yml:14: step 'bye': disposition 'done' is not a code of the campaigns 'requested', 'renewal', 'delivery_delay', 'nps', 'reactivation', 'dm_follow_up'",
      '3 problems; 1 script OK',
      '',
    ]);
  }, 30_000);

  it('exits 0 on a folder of good scripts', async () => {
    dir = mkdtempSync(join(tmpdir(), 'scripts-'));
    writeFileSync(join(dir, 'good.yaml'), readFileSync(join(fixtures, 'good.yaml')));
    const { stdout } = await run(tsx, ['tools/check-scripts.ts', dir], { cwd: root });
    expect(stdout).toBe('1 script OK\n');
  }, 30_000);

  let dir: string | null = null;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = null;
  });
});
