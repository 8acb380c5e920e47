// Problems found in a talk-track file, each pointing at the file, the line and the step, and
// printed as `file:line: step 'id': message` (the format editors and CI jump from).

export type ScriptProblemCode =
  | 'yaml' // the file is not valid YAML
  | 'schema' // the YAML does not fit the script format (script-format.ts)
  | 'duplicate_id' // two steps (or a step and an objection, or two scripts) share an id
  | 'unknown_target' // start / next / goto / otherwise names no step
  | 'unreachable' // no path from start leads to the step
  | 'no_way_out' // a loop from which no end step can be reached
  | 'unknown_variable' // {{…}} that is not a known variable, or malformed braces
  | 'missing_translation' // a text lacks one of the script's languages
  | 'mandatory_without_confirm' // a mandatory step with nothing for the agent to confirm
  | 'bad_condition' // a branch condition on something that is not an ask step's answer
  | 'unknown_disposition' // an end step's disposition its calls cannot be closed with
  | 'limit'; // a file too big, too many files or problems

export interface ScriptProblem {
  file: string;
  /** 1-based line in the file, when known. */
  line: number | null;
  /** The step the problem is in (its id), when it is in one. */
  stepId: string | null;
  code: ScriptProblemCode;
  message: string;
}

/** `file:line: step 'id': message` (the line and the step are left out when unknown). */
export function formatProblem(p: ScriptProblem): string {
  const where = p.line === null ? p.file : `${p.file}:${p.line}`;
  const step = p.stepId === null ? '' : ` step '${p.stepId}':`;
  return `${where}:${step} ${p.message}`;
}

/** Orders problems by line (problems with no line first), keeping the order of equals. */
export function sortProblems(problems: ScriptProblem[]): ScriptProblem[] {
  return [...problems].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}

/** Edit distance where swapping two neighbours counts as one edit ('confrim' → 'confirm'). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    d.push([i]);
    for (let j = 1; j <= b.length; j++) d[i]![j] = i === 0 ? j : 0;
  }
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        v = Math.min(v, d[i - 2]![j - 2]! + 1);
      }
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** The closest candidate within a few edits, if any: for "did you mean …?". */
export function closest(word: string, candidates: Iterable<string>): string | null {
  if (word.length < 3) return null; // every one-letter id is one edit from every other
  const limit = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const c of candidates) {
    if (c === word) continue;
    const distance = editDistance(word, c);
    if (distance <= limit && distance < bestDistance) {
      best = c;
      bestDistance = distance;
    }
  }
  return best;
}

/** ` (did you mean 'x'?)`, or nothing when no candidate is close. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const c = closest(word, candidates);
  return c === null ? '' : ` (did you mean '${c}'?)`;
}
