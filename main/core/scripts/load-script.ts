// Loads talk-track files: YAML (every node knows its line), then the zod format
// (script-format.ts), then the graph rules (validate-script.ts). Every problem names the file,
// the line and the step (by its id), so an author can fix the file from the message alone.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { z } from 'zod';
import { Condition, Objection, Script, ScriptMatch, ScriptLanguage, Step } from './script-format';
import { didYouMean, sortProblems, type ScriptProblem } from './script-errors';
import {
  pathText,
  validateScript,
  type Locate,
  type Path,
  type ValidateOptions,
} from './validate-script';

/** Bounds on what a folder may make core read and report. */
export const MAX_FILES = 200;
export const MAX_FILE_BYTES = 256 * 1024;
export const MAX_PROBLEMS_PER_FILE = 50;

export interface LoadedScript {
  /** The script (defaults filled in), or null when the file has any problem. */
  script: Script | null;
  problems: ScriptProblem[];
}

/** Parses and checks one script file's text; `file` is only used in the problems. */
export function loadScript(text: string, file: string, opts: ValidateOptions = {}): LoadedScript {
  const { script, problems } = load(text, file, opts);
  return { script, problems };
}

function load(
  text: string,
  file: string,
  opts: ValidateOptions,
): LoadedScript & { locate: Locate } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true });
  const lineAt = (offset: number): number => lineCounter.linePos(offset).line;
  const locate: Locate = (path) => locateIn(doc, path, lineAt);
  const done = (problems: Omit<ScriptProblem, 'file'>[], script: Script | null = null) => {
    const all = sortProblems(problems.map((p) => ({ ...p, file })));
    return { script: all.length === 0 ? script : null, problems: all, locate };
  };

  if (doc.errors.length > 0) {
    return done(
      doc.errors.map((e) => ({
        line: e.linePos?.[0].line ?? null,
        stepId: null,
        code: 'yaml' as const,
        message: `invalid YAML: ${yamlMessage(e.message, e.linePos?.[0].col)}`,
      })),
    );
  }
  const raw: unknown = doc.toJS();
  if (!isObject(raw)) {
    return done([
      {
        line: doc.contents ? lineAt(doc.contents.range?.[0] ?? 0) : null,
        stepId: null,
        code: 'schema',
        message:
          raw === null || raw === undefined
            ? 'the file is empty (a script is a mapping: id, version, title, languages, match, start, steps)'
            : 'a script is a mapping (id, version, title, languages, match, start, steps), not a list or a value',
      },
    ]);
  }
  const parsed = Script.safeParse(raw);
  if (!parsed.success) return done(schemaProblems(parsed.error.issues, raw, locate));
  const problems = validateScript(parsed.data, locate, opts);
  return done(problems, parsed.data);
}

/**
 * Loads every *.yaml / *.yml of a folder; a file with any problem is left out. `files` says
 * which file each script came from (by script id).
 */
export function loadScriptFolder(
  dir: string,
  opts: ValidateOptions = {},
): { scripts: Script[]; problems: ScriptProblem[]; files: Map<string, string> } {
  const all = readdirSync(dir)
    .filter((name) => /\.ya?ml$/i.test(name))
    .sort();
  const scripts: Script[] = [];
  const problems: ScriptProblem[] = [];
  const byId = new Map<string, string>();
  const at = (file: string, message: string): ScriptProblem => ({
    file,
    line: null,
    stepId: null,
    code: 'limit',
    message,
  });
  // Read on core's thread: a stray export or a folder of thousands must not stall the phone.
  if (all.length > MAX_FILES) {
    problems.push(at(dir, `${all.length} script files; only the first ${MAX_FILES} are read`));
  }
  for (const name of all.slice(0, MAX_FILES)) {
    const file = join(dir, name);
    const size = statSync(file).size;
    if (size > MAX_FILE_BYTES) {
      problems.push(
        at(
          file,
          `the file is ${Math.ceil(size / 1024)} KB; a script may be at most ${MAX_FILE_BYTES / 1024} KB`,
        ),
      );
      continue;
    }
    const loaded = load(readFileSync(file, 'utf8'), file, opts);
    problems.push(...loaded.problems.slice(0, MAX_PROBLEMS_PER_FILE));
    if (loaded.problems.length > MAX_PROBLEMS_PER_FILE) {
      problems.push(
        at(
          file,
          `…and ${loaded.problems.length - MAX_PROBLEMS_PER_FILE} more problems in this file`,
        ),
      );
    }
    if (loaded.script === null) continue;
    const first = byId.get(loaded.script.id);
    if (first !== undefined) {
      problems.push({
        file,
        line: loaded.locate(['id']),
        stepId: null,
        code: 'duplicate_id',
        message: `script id '${loaded.script.id}' is already used by ${first}`,
      });
      continue;
    }
    byId.set(loaded.script.id, file);
    scripts.push(loaded.script);
  }
  return { scripts, problems, files: byId };
}

// --- lines --------------------------------------------------------------------------------------

/**
 * The line of the node at `path` (of a map entry: its key's line). When the path goes further
 * than the document (a missing key), the line of the deepest node that exists.
 */
function locateIn(
  doc: ReturnType<typeof parseDocument>,
  path: Path,
  lineAt: (offset: number) => number,
): number | null {
  let node: unknown = doc.contents;
  let line: number | null = rangeLine(node, lineAt);
  for (const seg of path) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      line = rangeLine(pair.key, lineAt) ?? rangeLine(pair.value, lineAt) ?? line;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item: unknown = node.items[seg];
      if (item === undefined) break;
      line = rangeLine(item, lineAt) ?? line;
      node = item;
    } else {
      break;
    }
  }
  return line;
}

function rangeLine(node: unknown, lineAt: (offset: number) => number): number | null {
  const range = (node as Node | null | undefined)?.range;
  return range ? lineAt(range[0]) : null;
}

/** "Map keys must be unique at line 2, column 1:\n\n…" → "Map keys must be unique (column 1)". */
function yamlMessage(message: string, col: number | undefined): string {
  const head = message.split(/ at line \d+, column \d+/)[0]!.trim();
  return col === undefined ? head : `${head} (column ${col})`;
}

// --- schema issues ------------------------------------------------------------------------------

type Issue = z.core.$ZodIssue;
type Problem = Omit<ScriptProblem, 'file'>;

const STEP_KINDS = ['say', 'ask', 'branch', 'end'] as const;
const TEXT_KEYS = new Set(['title', 'say', 'ask', 'confirm', 'label']);
const keysOf = (schema: { shape: object }): string[] => Object.keys(schema.shape);
const STEP_KEYS = Step.options.map(keysOf);
const KEYS: Record<string, string[]> = {
  '': keysOf(Script),
  match: keysOf(ScriptMatch),
  question: ['type', 'options', 'maxLength', 'min', 'max'],
  options: ['value', 'label'],
  branch: ['when', 'goto'],
  when: keysOf(Condition),
  end: ['disposition', 'action'],
  objections: keysOf(Objection),
};

/** Which of Step's options (say, ask, branch, end) a raw step means, by its keys. */
function rawStepKind(step: Record<string, unknown>): number {
  if ('end' in step) return 3;
  if ('branch' in step || 'otherwise' in step) return 2;
  if ('ask' in step || 'question' in step) return 1;
  return 0;
}

function schemaProblems(
  issues: readonly Issue[],
  raw: Record<string, unknown>,
  locate: Locate,
): Problem[] {
  const problems: (Problem & { missing?: string; suggests?: string; parent: string })[] = [];
  const visit = (issue: Issue, base: Path): void => {
    const path = [...base, ...(issue.path as Path)];
    // A step is a union of four kinds: report the errors of the kind its keys say it is.
    if (
      issue.code === 'invalid_union' &&
      issue.errors.length === STEP_KINDS.length &&
      isStepPath(path)
    ) {
      const step = valueAt(raw, path);
      if (!isObject(step)) {
        const { line, stepId, prefix } = where(path, raw, locate);
        problems.push({
          line,
          stepId,
          code: 'schema',
          message: `${prefix}a step is a mapping (id, then say / ask + question / branch + otherwise / end)`,
          parent: pathText(path),
        });
        return;
      }
      for (const inner of issue.errors[rawStepKind(step)]!) visit(inner, path);
      return;
    }
    const at = where(path, raw, locate);
    const prefix = (rel: Path): string =>
      rel.length === 0 ? at.prefix : `${at.prefix}${pathText(rel)}: `;
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const keyAt = where([...path, key], raw, locate);
        problems.push({
          line: keyAt.line,
          stepId: at.stepId,
          code: 'schema',
          message: `${prefix(at.rel)}${unknownKey(key, path, raw)}`,
          suggests: unknownKeySuggestion(key, path, raw),
          parent: pathText(path),
        });
      }
      return;
    }
    const value = valueAt(raw, path);
    const last = path[path.length - 1];
    if (issue.code === 'invalid_type' && value === undefined && last !== undefined) {
      problems.push({
        line: at.line,
        stepId: at.stepId,
        code: 'schema',
        message: `${prefix(at.rel.slice(0, -1))}missing '${String(last)}'`,
        missing: String(last),
        parent: pathText(path.slice(0, -1)),
      });
      return;
    }
    let message = issue.message;
    if (issue.code === 'invalid_union' && issue.errors.length === 0 && 'options' in issue) {
      // A discriminated union (question.type) with a value none of its options has.
      const options = (issue.options as unknown[]).map(String);
      message = `'${String(value)}' is not one of ${options.map((o) => `'${o}'`).join(', ')}${didYouMean(String(value), options)}`;
    } else if (issue.code === 'invalid_value') {
      const options = issue.values.map(String);
      message = `'${String(value)}' is not one of ${options.map((o) => `'${o}'`).join(', ')}${didYouMean(String(value), options)}`;
    } else if (issue.code === 'invalid_type') {
      message = `expected ${issue.expected}, got ${describe(value)}`;
    }
    problems.push({
      line: at.line,
      stepId: at.stepId,
      code: 'schema',
      message: `${prefix(at.rel)}${message}`,
      parent: pathText(path),
    });
  };
  for (const issue of issues) visit(issue, []);

  // "missing 'next'" says nothing more than "unknown key 'nxet' (did you mean 'next'?)".
  const suggested = new Set(
    problems.flatMap((p) => (p.suggests ? [`${p.parent}\0${p.suggests}`] : [])),
  );
  return problems
    .filter((p) => p.missing === undefined || !suggested.has(`${p.parent}\0${p.missing}`))
    .map(({ line, stepId, code, message }) => ({ line, stepId, code, message }));
}

function isStepPath(path: Path): boolean {
  return path.length === 2 && path[0] === 'steps' && typeof path[1] === 'number';
}

/** The line, the step and a prefix naming where in the step (or objection) a path is. */
function where(
  path: Path,
  raw: Record<string, unknown>,
  locate: Locate,
): { line: number | null; stepId: string | null; prefix: string; rel: Path } {
  const line = locate(path);
  if ((path[0] === 'steps' || path[0] === 'objections') && typeof path[1] === 'number') {
    const item = valueAt(raw, path.slice(0, 2));
    const id = isObject(item) && typeof item.id === 'string' ? item.id : null;
    const rel = path.slice(2);
    if (path[0] === 'steps') {
      return {
        line,
        stepId: id,
        prefix: id === null ? `${pathText(path.slice(0, 2))}: ` : '',
        rel,
      };
    }
    return {
      line,
      stepId: null,
      prefix: id === null ? `${pathText(path.slice(0, 2))}: ` : `objection '${id}': `,
      rel,
    };
  }
  return { line, stepId: null, prefix: '', rel: path };
}

/** The keys allowed where `path` (an object) is, and what that object is called. */
function allowedKeys(
  path: Path,
  raw: Record<string, unknown>,
): { keys: string[]; isText: boolean } {
  const names = path.filter((s): s is string => typeof s === 'string');
  const last = names[names.length - 1] ?? '';
  if (TEXT_KEYS.has(last) && typeof path[path.length - 1] === 'string') {
    return { keys: ScriptLanguage.options, isText: true };
  }
  if (isStepPath(path)) {
    const step = valueAt(raw, path);
    return { keys: isObject(step) ? STEP_KEYS[rawStepKind(step)]! : [], isText: false };
  }
  return { keys: KEYS[last] ?? [], isText: false };
}

function unknownKeySuggestion(
  key: string,
  path: Path,
  raw: Record<string, unknown>,
): string | undefined {
  const { keys } = allowedKeys(path, raw);
  const message = didYouMean(key, keys);
  return message === '' ? undefined : /'(.*)'/.exec(message)?.[1];
}

function unknownKey(key: string, path: Path, raw: Record<string, unknown>): string {
  const { keys, isText } = allowedKeys(path, raw);
  if (isText) return `unknown language '${key}' (languages: ${keys.join(', ')})`;
  if (isStepPath(path)) {
    const step = valueAt(raw, path);
    const kind = isObject(step) ? STEP_KINDS[rawStepKind(step)]! : null;
    if (kind !== null && STEP_KEYS.some((k) => k.includes(key))) {
      return `'${key}' does not belong in ${kind === 'ask' || kind === 'end' ? 'an' : 'a'} ${kind} step (its keys: ${keys.join(', ')})`;
    }
  }
  return `unknown key '${key}'${didYouMean(key, keys)}`;
}

function valueAt(raw: unknown, path: Path): unknown {
  let v = raw;
  for (const seg of path) {
    if (Array.isArray(v) && typeof seg === 'number') v = v[seg];
    else if (isObject(v)) v = v[String(seg)];
    else return undefined;
  }
  return v;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `'${value}'`;
  return String(value);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
