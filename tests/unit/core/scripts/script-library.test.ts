// The script library on real folders: order of folders, problems, a broken file keeping its
// last good version, deletions, change notices, old versions kept for live sessions, the
// file watcher, and end steps checked against the campaigns' disposition codes.
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../../../main/core/log';
import { formatProblem } from '../../../../main/core/scripts/script-errors';
import {
  createScriptLibrary,
  type ScriptLibrary,
  type ScriptLibraryOptions,
} from '../../../../main/core/scripts/script-library';

let root: string;
let shipped: string;
let centre: string;
let libraries: ScriptLibrary[];
let logged: { level: string; msg: string; fields?: Record<string, unknown> }[];

const log: Logger = {
  debug: () => {},
  info: (msg, fields) => logged.push({ level: 'info', msg, fields }),
  warn: (msg, fields) => logged.push({ level: 'warn', msg, fields }),
  error: (msg, fields) => logged.push({ level: 'error', msg, fields }),
};

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'agent-scripts-'));
  shipped = join(root, 'shipped');
  centre = join(root, 'centre');
  mkdirSync(shipped);
  libraries = [];
  logged = [];
});
afterEach(() => {
  for (const l of libraries.splice(0)) l.close();
  rmSync(root, { recursive: true, force: true });
});

function open(over: Partial<ScriptLibraryOptions> = {}): {
  library: ScriptLibrary;
  changes: ScriptLibrary[];
} {
  const changes: ScriptLibrary[] = [];
  const library = createScriptLibrary({
    folders: [shipped, centre],
    log,
    watch: false,
    onChange: (l) => changes.push(l),
    ...over,
  });
  libraries.push(library);
  return { library, changes };
}

/** A valid script file: greet → bye (line 11: the end's disposition). */
function yaml(
  id: string,
  o: { version?: number; title?: string; disposition?: string; direction?: string } = {},
): string {
  return `id: ${id}
version: ${o.version ?? 1}
title: { en: ${o.title ?? id} }
languages: [en]
match: { direction: ${o.direction ?? 'inbound'} }
start: greet
steps:
  - id: greet
    say: { en: Hello }
    next: bye
  - id: bye
    say: { en: Bye }
    end: { disposition: ${o.disposition ?? 'completed'} }
`;
}

/** A file that is valid YAML but whose next names no step (line 10). */
const BROKEN = (id: string): string => yaml(id).replace('next: bye', 'next: nowhere');

const write = (folder: string, name: string, text: string): void => {
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, name), text);
};
const titles = (l: ScriptLibrary): Record<string, string | undefined> =>
  Object.fromEntries(l.all().map((s) => [s.id, s.title.en]));

describe('loading the folders', () => {
  it('loads every script of the folders, by id', () => {
    write(shipped, 'a.yaml', yaml('alpha'));
    write(shipped, 'b.yml', yaml('beta', { direction: 'outbound' }));
    write(shipped, 'notes.txt', 'not a script');
    const { library } = open();
    expect(titles(library)).toEqual({ alpha: 'alpha', beta: 'beta' });
    expect(library.get('beta')?.match.direction).toBe('outbound');
    expect(library.get('gamma')).toBeUndefined();
    expect(library.problems()).toEqual([]);
    expect(logged).toContainEqual({
      level: 'info',
      msg: 'talk tracks loaded',
      fields: { scripts: 2, problems: 0 },
    });
  });

  it('lets a later folder’s script replace an earlier one with the same id', () => {
    write(shipped, 'alpha.yaml', yaml('alpha', { title: Shipped }));
    write(shipped, 'beta.yaml', yaml('beta', { title: Shipped }));
    write(centre, 'my-alpha.yaml', yaml('alpha', { title: Centre, version: 1 }));
    const { library } = open();
    expect(titles(library)).toEqual({ alpha: Centre, beta: Shipped });
    expect(library.all()).toHaveLength(2);
  });

  it('skips a folder that does not exist (the centre’s may not exist yet)', () => {
    write(shipped, 'alpha.yaml', yaml('alpha'));
    const { library } = open({ folders: [join(root, 'missing'), shipped, centre] });
    expect(titles(library)).toEqual({ alpha: 'alpha' });
    expect(library.problems()).toEqual([]);
  });

  it('reports a file’s problems (and logs them) and offers the scripts that load', () => {
    write(shipped, 'alpha.yaml', yaml('alpha'));
    write(shipped, 'broken.yaml', BROKEN('broken'));
    const { library } = open();
    expect(titles(library)).toEqual({ alpha: 'alpha' });
    const file = join(shipped, 'broken.yaml');
    expect(library.problems()).toEqual([
      {
        file,
        line: 10,
        stepId: 'greet',
        code: 'unknown_target',
        message: "next → 'nowhere' is not a step",
      },
      {
        file,
        line: 11,
        stepId: 'bye',
        code: 'unreachable',
        message: "unreachable: no path from start 'greet' leads here",
      },
    ]);
    expect(logged.filter((l) => l.level === 'warn')).toEqual(
      library.problems().map((p) => ({
        level: 'warn',
        msg: 'talk-track problem',
        fields: { problem: formatProblem(p) },
      })),
    );
  });
});

const Shipped = 'Shipped';
const Centre = 'Centre';

describe('reloading', () => {
  it('keeps a broken file’s last good version on offer while its problem is listed', () => {
    write(centre, 'alpha.yaml', yaml('alpha', { title: 'Good' }));
    const { library, changes } = open();
    const good = library.get('alpha');
    write(centre, 'alpha.yaml', BROKEN('alpha'));
    library.reload();
    expect(library.get('alpha')).toBe(good);
    expect(library.all()).toEqual([good]);
    expect(library.problems().map((p) => [p.file, p.code])).toEqual([
      [join(centre, 'alpha.yaml'), 'unknown_target'],
      [join(centre, 'alpha.yaml'), 'unreachable'],
    ]);
    expect(changes).toHaveLength(1); // the problems changed

    // Fixed: the new text is on offer and the problems are gone.
    write(centre, 'alpha.yaml', yaml('alpha', { title: 'Fixed' }));
    library.reload();
    expect(titles(library)).toEqual({ alpha: 'Fixed' });
    expect(library.problems()).toEqual([]);
    expect(changes).toHaveLength(2);
  });

  it('keeps the centre’s last good version, not the shipped one, when the centre’s file breaks', () => {
    write(shipped, 'alpha.yaml', yaml('alpha', { title: Shipped }));
    write(centre, 'alpha.yaml', yaml('alpha', { title: Centre }));
    const { library } = open();
    expect(titles(library)).toEqual({ alpha: Centre });
    write(centre, 'alpha.yaml', BROKEN('alpha'));
    library.reload();
    // A half-saved edit must not swap the centre's script for the shipped one mid-shift.
    expect(titles(library)).toEqual({ alpha: Centre });
    expect(library.problems()).toHaveLength(2);
  });

  it('takes a deleted file’s script away, even when the file had broken before', () => {
    write(shipped, 'alpha.yaml', yaml('alpha'));
    write(shipped, 'beta.yaml', yaml('beta'));
    const { library, changes } = open();
    unlinkSync(join(shipped, 'alpha.yaml'));
    library.reload();
    expect(titles(library)).toEqual({ beta: 'beta' });
    expect(library.get('alpha')).toBeUndefined();
    expect(changes).toHaveLength(1);

    write(shipped, 'beta.yaml', BROKEN('beta'));
    library.reload();
    expect(titles(library)).toEqual({ beta: 'beta' }); // kept while broken
    unlinkSync(join(shipped, 'beta.yaml'));
    library.reload();
    expect(library.all()).toEqual([]);
    expect(library.problems()).toEqual([]);
    expect(changes).toHaveLength(3);
  });

  it('a deleted centre file brings the shipped script with that id back', () => {
    write(shipped, 'alpha.yaml', yaml('alpha', { title: Shipped }));
    write(centre, 'alpha.yaml', yaml('alpha', { title: Centre }));
    const { library } = open();
    unlinkSync(join(centre, 'alpha.yaml'));
    library.reload();
    expect(titles(library)).toEqual({ alpha: Shipped });
  });

  it('calls onChange only after a reload that changed something', () => {
    write(shipped, 'alpha.yaml', yaml('alpha'));
    const { library, changes } = open();
    expect(changes).toEqual([]); // not on the first load
    library.reload();
    expect(changes).toEqual([]); // nothing changed
    // Rewriting the same text changes nothing either.
    write(shipped, 'alpha.yaml', yaml('alpha'));
    library.reload();
    expect(changes).toEqual([]);

    write(shipped, 'beta.yaml', yaml('beta'));
    library.reload();
    expect(changes).toEqual([library]);
    write(shipped, 'alpha.yaml', yaml('alpha', { title: 'Renamed' }));
    library.reload();
    expect(changes).toHaveLength(2);
    library.reload();
    expect(changes).toHaveLength(2);
  });

  it('keeps the same script object while its text is unchanged (sessions hold it)', () => {
    write(shipped, 'alpha.yaml', yaml('alpha'));
    const { library } = open();
    const first = library.get('alpha');
    write(shipped, 'beta.yaml', yaml('beta'));
    library.reload();
    expect(library.get('alpha')).toBe(first);
    expect(library.version('alpha', 1)).toBe(first);
  });

  it('keeps old versions reachable after a new version loads', () => {
    write(shipped, 'alpha.yaml', yaml('alpha', { title: 'One' }));
    const { library } = open();
    const v1 = library.get('alpha')!;
    write(shipped, 'alpha.yaml', yaml('alpha', { title: 'Two', version: 2 }));
    library.reload();
    const v2 = library.get('alpha')!;
    expect(v2.version).toBe(2);
    expect(v2.title.en).toBe('Two');
    expect(library.all()).toEqual([v2]);
    expect(library.version('alpha', 1)).toBe(v1);
    expect(library.version('alpha', 1)?.title.en).toBe('One');
    expect(library.version('alpha', 2)).toBe(v2);
    expect(library.version('alpha', 3)).toBeUndefined();
    expect(library.version('beta', 1)).toBeUndefined();
    // Even after the file is gone.
    unlinkSync(join(shipped, 'alpha.yaml'));
    library.reload();
    expect(library.get('alpha')).toBeUndefined();
    expect(library.version('alpha', 2)).toBe(v2);
  });

  it('does nothing once closed', () => {
    write(shipped, 'alpha.yaml', yaml('alpha'));
    const { library, changes } = open();
    library.close();
    write(shipped, 'beta.yaml', yaml('beta'));
    library.reload();
    expect(titles(library)).toEqual({ alpha: 'alpha' });
    expect(changes).toEqual([]);
  });
});

describe('the watcher', () => {
  /** Resolves with the library on its next onChange, or rejects after `ms`. */
  function nextChange(ms = 10_000): { opts: Partial<ScriptLibraryOptions>; wait: Promise<void> } {
    let resolve!: () => void;
    const wait = new Promise<void>((res, rej) => {
      resolve = res;
      setTimeout(() => rej(new Error('no onChange within the time')), ms).unref();
    });
    return { opts: { onChange: () => resolve() }, wait };
  }

  it('reloads when a script file is written into a folder', async () => {
    write(shipped, 'alpha.yaml', yaml('alpha'));
    const next = nextChange();
    const { library } = open({ watch: true, debounceMs: 20, ...next.opts });
    write(shipped, 'beta.yaml', yaml('beta'));
    await next.wait;
    expect(titles(library)).toEqual({ alpha: 'alpha', beta: 'beta' });
  }, 15_000);

  it('stops watching once closed', async () => {
    write(shipped, 'alpha.yaml', yaml('alpha'));
    const changes: ScriptLibrary[] = [];
    const { library } = open({ watch: true, debounceMs: 20, onChange: (l) => changes.push(l) });
    library.close();
    write(shipped, 'beta.yaml', yaml('beta'));
    await new Promise((r) => setTimeout(r, 400));
    expect(changes).toEqual([]);
    expect(titles(library)).toEqual({ alpha: 'alpha' });
  });
});

describe('disposition codes', () => {
  const dispositions: ScriptLibraryOptions['dispositions'] = (kind) =>
    kind === 'requested' ? new Set(['completed', 'ordered']) : new Set(['completed']);

  it('flags an end step whose code the call’s campaigns lack, and leaves the script out', () => {
    write(shipped, 'good.yaml', yaml('good', { disposition: 'ordered' }));
    write(shipped, 'bad.yaml', yaml('bad', { disposition: 'done' }));
    write(shipped, 'out.yaml', yaml('out', { disposition: 'ordered', direction: 'outbound' }));
    const { library } = open({ dispositions });
    expect(Object.keys(titles(library))).toEqual(['good']);
    expect(library.problems()).toEqual([
      {
        file: join(shipped, 'bad.yaml'),
        line: 13,
        stepId: 'bye',
        code: 'unknown_disposition',
        message: "disposition 'done' is not a code of the campaign 'requested'",
      },
      {
        file: join(shipped, 'out.yaml'),
        line: 13,
        stepId: 'bye',
        code: 'unknown_disposition',
        message:
          "disposition 'ordered' is not a code of the campaigns 'renewal', 'delivery_delay', 'nps', 'reactivation', 'dm_follow_up'",
      },
    ]);
  });
});
