// The scripts core offers: every talk track of the script folders (the ones shipped with the
// app, then the centre's own; a later folder's script replaces an earlier one with the same
// id), reloaded when a file changes. A file that breaks keeps its last good version on offer,
// so a half-saved edit never takes a script away from agents mid-shift; its problems are
// reported (log, listScripts) until it is fixed.
import { existsSync, watch, type FSWatcher } from 'node:fs';
import type { Logger } from '../log';
import { loadScriptFolder } from './load-script';
import { formatProblem, type ScriptProblem } from './script-errors';
import type { Script } from './script-format';
import type { DispositionsFor } from './validate-script';

export interface ScriptLibraryOptions {
  /** Folders in order; a missing folder is skipped (the centre's may not exist yet). */
  folders: readonly string[];
  log: Logger;
  /** Reload when a file in a folder changes (default true). */
  watch?: boolean;
  /** Quiet time after the last change before reloading (editors write in bursts). */
  debounceMs?: number;
  dispositions?: DispositionsFor;
  /** After each reload that changed what is on offer or the problems. */
  onChange?: (library: ScriptLibrary) => void;
}

export interface ScriptLibrary {
  /** On offer now, by id. */
  all(): readonly Script[];
  get(id: string): Script | undefined;
  /** A version still held by a live session (scripts are replaced, not edited). */
  version(id: string, version: number): Script | undefined;
  problems(): readonly ScriptProblem[];
  /** Reads the folders again now (also what the watcher calls). */
  reload(): void;
  close(): void;
}

interface Source {
  file: string;
  /** The folder's index in ScriptLibraryOptions.folders. */
  place: number;
}

export function createScriptLibrary(opts: ScriptLibraryOptions): ScriptLibrary {
  const { log } = opts;
  let current = new Map<string, Script>();
  let problems: ScriptProblem[] = [];
  // Every version handed out, so a session started on v1 still walks v1 after v2 loads.
  const versions = new Map<string, Script>();
  const watchers: FSWatcher[] = [];
  let timer: NodeJS.Timeout | null = null;
  let closed = false;
  /** Where each script on offer came from: its file and the folder's place in the list. */
  let sources = new Map<string, Source>();

  function read(): {
    scripts: Map<string, Script>;
    sources: Map<string, Source>;
    problems: ScriptProblem[];
  } {
    const scripts = new Map<string, Script>();
    const from = new Map<string, Source>();
    const found: ScriptProblem[] = [];
    for (const [place, folder] of opts.folders.entries()) {
      if (!existsSync(folder)) continue;
      try {
        const loaded = loadScriptFolder(folder, { dispositions: opts.dispositions });
        found.push(...loaded.problems);
        for (const s of loaded.scripts) scripts.set(s.id, s);
        for (const [id, file] of loaded.files) from.set(id, { file, place });
      } catch (err) {
        found.push({
          file: folder,
          line: null,
          stepId: null,
          code: 'yaml',
          message: `cannot read the folder (${(err as Error).message})`,
        });
      }
    }
    return { scripts, sources: from, problems: found };
  }

  function reload(quiet = false): void {
    if (closed) return;
    const next = read();
    // A script whose file now fails keeps its last good version — also over a script with
    // the same id from an earlier folder (the centre's broken edit must not bring back the
    // shipped text). A deleted file takes its script away.
    const failed = new Set(next.problems.map((p) => p.file));
    for (const [id, old] of current) {
      const was = sources.get(id);
      if (was === undefined || !failed.has(was.file)) continue;
      const now = next.sources.get(id);
      if (now === undefined || now.place < was.place) {
        next.scripts.set(id, old);
        next.sources.set(id, was);
      }
    }
    const changed =
      next.scripts.size !== current.size ||
      [...next.scripts].some(([id, s]) => !same(current.get(id), s)) ||
      formatAll(next.problems) !== formatAll(problems);
    for (const [id, s] of next.scripts) {
      const key = `${id}@${s.version}`;
      // Same content as before: keep the object sessions already hold.
      const held = versions.get(key);
      if (held && same(held, s)) next.scripts.set(id, held);
      else versions.set(key, s);
    }
    current = next.scripts;
    sources = next.sources;
    problems = next.problems;
    if (changed) {
      // Logged when they change, and not all of a broken folder's.
      for (const p of problems.slice(0, 20)) {
        log.warn('talk-track problem', { problem: formatProblem(p) });
      }
      log.info('talk tracks loaded', { scripts: current.size, problems: problems.length });
    }
    if (changed && !quiet) opts.onChange?.(library);
  }

  function schedule(): void {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      try {
        reload();
      } catch (err) {
        log.error('talk-track reload failed', { err });
      }
    }, opts.debounceMs ?? 300);
    timer.unref?.();
  }

  const library: ScriptLibrary = {
    all: () => [...current.values()],
    get: (id) => current.get(id),
    version: (id, version) => versions.get(`${id}@${version}`),
    problems: () => problems,
    reload: () => reload(),
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      for (const w of watchers.splice(0)) w.close();
    },
  };

  reload(true);
  if (opts.watch ?? true) {
    for (const folder of opts.folders) {
      if (!existsSync(folder)) continue;
      try {
        const w = watch(folder, { persistent: false }, (_event, name) => {
          if (name === null || /\.ya?ml$/i.test(String(name))) schedule();
        });
        w.on('error', (err) => log.warn('cannot watch the script folder', { folder, err }));
        watchers.push(w);
      } catch (err) {
        log.warn('cannot watch the script folder', { folder, err });
      }
    }
  }
  return library;
}

function same(a: Script | undefined, b: Script): boolean {
  return a !== undefined && JSON.stringify(a) === JSON.stringify(b);
}

function formatAll(problems: readonly ScriptProblem[]): string {
  return problems.map(formatProblem).join('\n');
}
