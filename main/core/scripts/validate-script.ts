// The graph rules of a talk track that its schema cannot say: ids unique, every jump lands on
// a step, every step reachable from start, an end reachable from every step, variables known,
// every text in every language, mandatory steps confirmable, conditions on real ask steps.
// Pure: the caller gives `locate`, which turns a path in the script into a line of its file.
import { CampaignKind } from '../../../preload/contract';
import type { Script, Step, Text } from './script-format';
import { VARIABLES } from './script-format';
import { closest, didYouMean, type ScriptProblem, type ScriptProblemCode } from './script-errors';

export type Path = (string | number)[];
export type Locate = (path: Path) => number | null;

export type StepKind = 'say' | 'ask' | 'branch' | 'end';

export function stepKind(step: Step): StepKind {
  if ('end' in step) return 'end';
  if ('branch' in step) return 'branch';
  if ('ask' in step) return 'ask';
  return 'say';
}

interface Jump {
  /** Where in the step (or objection) the jump is written: ['next'], ['branch', 0, 'goto']. */
  at: Path;
  target: string;
}

/** The jumps a step makes, in the order they are written. */
export function stepJumps(step: Step): Jump[] {
  if ('end' in step) return [];
  if ('branch' in step) {
    return [
      ...step.branch.map((b, i) => ({ at: ['branch', i, 'goto'], target: b.goto })),
      { at: ['otherwise'], target: step.otherwise },
    ];
  }
  return [{ at: ['next'], target: step.next }];
}

/** `branch[0].goto`, `question.options[1].label`. */
export function pathText(path: Path): string {
  let s = '';
  for (const seg of path) {
    if (typeof seg === 'number') s += `[${seg}]`;
    else s += s === '' ? seg : `.${seg}`;
  }
  return s;
}

const quoteList = (ids: string[]): string => ids.map((id) => `'${id}'`).join(', ');

/**
 * The disposition codes a call of this kind may be closed with (inbound calls and callbacks
 * the customer asked for use 'requested'); null = unknown kind, not checked.
 */
export type DispositionsFor = (kind: CampaignKind) => ReadonlySet<string> | null;

export interface ValidateOptions {
  /** When given, every end step's disposition must be one its calls can be closed with. */
  dispositions?: DispositionsFor;
}

export function validateScript(
  script: Script,
  locate: Locate,
  opts: ValidateOptions = {},
): ScriptProblem[] {
  const problems: ScriptProblem[] = [];
  const add = (
    code: ScriptProblemCode,
    path: Path,
    stepId: string | null,
    message: string,
  ): void => {
    problems.push({ file: '', line: locate(path), stepId, code, message });
  };

  // --- ids ---------------------------------------------------------------------------------
  /** Step id → index of its first step. */
  const stepIndex = new Map<string, number>();
  script.steps.forEach((step, i) => {
    const first = stepIndex.get(step.id);
    if (first === undefined) {
      stepIndex.set(step.id, i);
      return;
    }
    const line = locate(['steps', first, 'id']);
    add(
      'duplicate_id',
      ['steps', i, 'id'],
      step.id,
      line === null
        ? `id '${step.id}' is already used by an earlier step`
        : `id '${step.id}' is already used by the step on line ${line}`,
    );
  });
  const objectionIndex = new Map<string, number>();
  script.objections.forEach((o, i) => {
    const step = stepIndex.get(o.id);
    const earlier = objectionIndex.get(o.id);
    if (step !== undefined) {
      const line = locate(['steps', step, 'id']);
      add(
        'duplicate_id',
        ['objections', i, 'id'],
        null,
        `objection '${o.id}': id is already used by the step ${line === null ? `'${o.id}'` : `on line ${line}`}`,
      );
    } else if (earlier !== undefined) {
      const line = locate(['objections', earlier, 'id']);
      add(
        'duplicate_id',
        ['objections', i, 'id'],
        null,
        `objection '${o.id}': id is already used by the objection ${line === null ? 'before it' : `on line ${line}`}`,
      );
    }
    if (earlier === undefined) objectionIndex.set(o.id, i);
  });
  const stepIds = [...stepIndex.keys()];
  const isStep = (id: string): boolean => stepIndex.has(id);
  const notAStep = (what: string, target: string): string =>
    `${what} → '${target}' is not a step${didYouMean(target, stepIds)}`;

  // --- jump targets --------------------------------------------------------------------------
  if (!isStep(script.start))
    add('unknown_target', ['start'], null, notAStep('start', script.start));
  script.steps.forEach((step, i) => {
    for (const jump of stepJumps(step)) {
      if (!isStep(jump.target)) {
        add(
          'unknown_target',
          ['steps', i, ...jump.at],
          step.id,
          notAStep(pathText(jump.at), jump.target),
        );
      }
    }
  });
  script.objections.forEach((o, i) => {
    if (o.goto !== undefined && !isStep(o.goto)) {
      add(
        'unknown_target',
        ['objections', i, 'goto'],
        null,
        `objection '${o.id}': ${notAStep('goto', o.goto)}`,
      );
    }
  });

  // --- reachability: from start, and from any step through an objection's goto -------------
  /** Successors of each step (first occurrence of each id), known targets only. */
  const successors = new Map<string, string[]>();
  for (const [id, i] of stepIndex) {
    successors.set(
      id,
      stepJumps(script.steps[i]!)
        .map((j) => j.target)
        .filter(isStep),
    );
  }
  if (isStep(script.start)) {
    const roots = [script.start, ...script.objections.flatMap((o) => (o.goto ? [o.goto] : []))];
    const reached = walk(roots.filter(isStep), (id) => successors.get(id) ?? []);
    for (const [id, i] of stepIndex) {
      if (!reached.has(id)) {
        add(
          'unreachable',
          ['steps', i, 'id'],
          id,
          `unreachable: no path from start '${script.start}' leads here`,
        );
      }
    }
  }

  // --- loops with no way out ------------------------------------------------------------------
  // A step can get out when an end step is reachable from it; a step with an unknown target
  // is already reported and counts as out. Objection gotos do not count as a way out: a loop
  // that only ends when the customer objects is still a loop.
  const predecessors = new Map<string, string[]>();
  for (const [id, succ] of successors) {
    for (const s of succ) predecessors.set(s, [...(predecessors.get(s) ?? []), id]);
  }
  const exits = [...stepIndex].filter(([, i]) => {
    const step = script.steps[i]!;
    return 'end' in step || stepJumps(step).some((j) => !isStep(j.target));
  });
  const canEnd = walk(
    exits.map(([id]) => id),
    (id) => predecessors.get(id) ?? [],
  );
  const stuck = stepIds.filter((id) => !canEnd.has(id));
  if (stuck.length > 0) {
    const stuckSet = new Set(stuck);
    const stuckSucc = (id: string): string[] =>
      (successors.get(id) ?? []).filter((s) => stuckSet.has(s));
    for (const component of stronglyConnected(stuck, stuckSucc)) {
      const members = new Set(component);
      // Report the loops everything stuck ends in (components nothing leads out of).
      const isSink = component.every((id) => stuckSucc(id).every((s) => members.has(s)));
      if (!isSink) continue;
      const sorted = [...component].sort((a, b) => stepIndex.get(a)! - stepIndex.get(b)!);
      const first = sorted[0]!;
      add(
        'no_way_out',
        ['steps', stepIndex.get(first)!, 'id'],
        first,
        sorted.length === 1
          ? `loop with no way out: the step only leads back to itself, no end step can be reached`
          : `loop with no way out: no end step can be reached from ${quoteList(sorted)}`,
      );
    }
  }

  // --- texts: variables and translations --------------------------------------------------------
  const askSteps = new Map<string, Step>();
  for (const [id, i] of stepIndex) {
    if (stepKind(script.steps[i]!) === 'ask') askSteps.set(id, script.steps[i]!);
  }
  const known = new Set<string>([
    ...VARIABLES,
    ...[...askSteps.keys()].map((id) => `answers.${id}`),
  ]);
  for (const t of texts(script)) {
    const prefix = t.objection === null ? '' : `objection '${t.objection}': `;
    const missing = script.languages.filter((lang) => t.text[lang] === undefined);
    if (missing.length > 0) {
      add(
        'missing_translation',
        t.path,
        t.stepId,
        `${prefix}${t.name} has no ${quoteList(missing)} text`,
      );
    }
    for (const [lang, value] of Object.entries(t.text)) {
      if (value === undefined) continue;
      for (const message of checkVariables(value, known, askSteps)) {
        add(
          'unknown_variable',
          [...t.path, lang],
          t.stepId,
          `${prefix}${t.name}.${lang}: ${message}`,
        );
      }
    }
  }

  // --- mandatory steps and conditions ------------------------------------------------------------
  script.steps.forEach((step, i) => {
    if (step.mandatory && step.confirm === undefined) {
      add(
        'mandatory_without_confirm',
        ['steps', i, 'mandatory'],
        step.id,
        'mandatory step has no confirm text (what the agent confirms before moving on)',
      );
    }
    if (!('branch' in step)) return;
    step.branch.forEach((b, j) => {
      const at = `branch[${j}].when`;
      const path = ['steps', i, 'branch', j, 'when'];
      const { when } = b;
      if (
        when.equals === undefined &&
        when.in === undefined &&
        when.gte === undefined &&
        when.lte === undefined
      ) {
        add('bad_condition', path, step.id, `${at} has no test (equals, in, gte or lte)`);
      }
      if (!when.field.startsWith('answers.')) return;
      const target = when.field.slice('answers.'.length);
      const asked = askSteps.get(target);
      if (asked === undefined) {
        const targetIndex = stepIndex.get(target);
        add(
          'bad_condition',
          [...path, 'field'],
          step.id,
          targetIndex === undefined
            ? `${at}: '${when.field}' — '${target}' is not a step${didYouMean(target, askSteps.keys())}`
            : `${at}: '${when.field}' — '${target}' is a ${stepKind(script.steps[targetIndex]!)} step, not an ask step`,
        );
        return;
      }
      // On a choice, the values compared must be options of it.
      if (!('question' in asked) || asked.question.type !== 'choice') return;
      const options = asked.question.options.map((o) => o.value);
      const compared = [...(when.equals === undefined ? [] : [when.equals]), ...(when.in ?? [])];
      for (const value of compared) {
        if (typeof value !== 'string' || !options.includes(value)) {
          add(
            'bad_condition',
            path,
            step.id,
            `${at}: '${target}' has no option '${String(value)}'${didYouMean(String(value), options)} (options: ${options.join(', ')})`,
          );
        }
      }
    });
  });

  // --- end steps: dispositions the call can be closed with ---------------------------------------
  if (opts.dispositions) {
    // Inbound calls close with the 'requested' campaign's codes; an outbound script for any
    // campaign must use codes every campaign kind it may run for has.
    const kinds: CampaignKind[] =
      script.match.direction === 'inbound'
        ? ['requested']
        : script.match.campaigns.length > 0
          ? script.match.campaigns
          : [...CampaignKind.options];
    const known = kinds.map((k) => [k, opts.dispositions!(k)] as const);
    script.steps.forEach((step, i) => {
      if (!('end' in step)) return;
      const code = step.end.disposition;
      const missing = known.filter(([, codes]) => codes !== null && !codes.has(code));
      if (missing.length === 0) return;
      const codes = new Set(missing.flatMap(([, c]) => [...(c ?? [])]));
      add(
        'unknown_disposition',
        ['steps', i, 'end', 'disposition'],
        step.id,
        `disposition '${code}' is not a code of the ${missing.length === 1 ? 'campaign' : 'campaigns'} ${missing.map(([k]) => `'${k}'`).join(', ')}${didYouMean(code, codes)}`,
      );
    });
  }

  return problems;
}

interface TextAt {
  path: Path;
  text: Text;
  /** For messages: 'say', 'question.options[1].label', 'title'. */
  name: string;
  stepId: string | null;
  objection: string | null;
}

/** Every text of the script with where it is. */
export function* texts(script: Script): Generator<TextAt> {
  yield { path: ['title'], text: script.title, name: 'title', stepId: null, objection: null };
  for (const [i, step] of script.steps.entries()) {
    const at = (rel: Path, text: Text): TextAt => ({
      path: ['steps', i, ...rel],
      text,
      name: pathText(rel),
      stepId: step.id,
      objection: null,
    });
    if (step.say !== undefined) yield at(['say'], step.say);
    if ('ask' in step) {
      yield at(['ask'], step.ask);
      if (step.question.type === 'choice') {
        for (const [j, option] of step.question.options.entries()) {
          yield at(['question', 'options', j, 'label'], option.label);
        }
      }
    }
    if (step.confirm !== undefined) yield at(['confirm'], step.confirm);
  }
  for (const [i, o] of script.objections.entries()) {
    for (const key of ['label', 'say'] as const) {
      yield {
        path: ['objections', i, key],
        text: o[key],
        name: key,
        stepId: null,
        objection: o.id,
      };
    }
  }
}

/** What is wrong with the {{…}} of one text (empty when nothing). */
export function checkVariables(
  text: string,
  known: ReadonlySet<string>,
  askSteps: ReadonlyMap<string, Step>,
): string[] {
  const messages: string[] = [];
  let at = 0;
  for (;;) {
    const open = text.indexOf('{{', at);
    const strayClose = text.indexOf('}}', at);
    if (strayClose !== -1 && (open === -1 || strayClose < open)) {
      messages.push(`'}}' without '{{' at column ${strayClose + 1} of the text`);
      at = strayClose + 2;
      continue;
    }
    if (open === -1) break;
    const close = text.indexOf('}}', open + 2);
    const nextOpen = text.indexOf('{{', open + 2);
    if (close === -1 || (nextOpen !== -1 && nextOpen < close)) {
      messages.push(`'{{' at column ${open + 1} of the text is never closed with '}}'`);
      at = open + 2;
      continue;
    }
    const name = text.slice(open + 2, close).trim();
    if (name === '') {
      messages.push(`empty {{}} at column ${open + 1} of the text`);
    } else if (!known.has(name)) {
      if (name.startsWith('answers.')) {
        const id = name.slice('answers.'.length);
        messages.push(
          `unknown variable {{${name}}}: '${id}' is not an ask step${didYouMean(id, askSteps.keys())}`,
        );
      } else {
        const guess = closest(name, known);
        messages.push(
          `unknown variable {{${name}}}${guess === null ? ` (known: ${[...VARIABLES].join(', ')}, answers.<ask step>)` : ` (did you mean {{${guess}}}?)`}`,
        );
      }
    }
    at = close + 2;
  }
  return messages;
}

/** Everything reachable from roots through next. */
function walk(roots: string[], next: (id: string) => string[]): Set<string> {
  const seen = new Set<string>(roots);
  const queue = [...roots];
  while (queue.length > 0) {
    const id = queue.pop()!;
    for (const n of next(id)) {
      if (!seen.has(n)) {
        seen.add(n);
        queue.push(n);
      }
    }
  }
  return seen;
}

/** Tarjan's strongly connected components (iterative: a script may have 500 steps). */
function stronglyConnected(nodes: string[], next: (id: string) => string[]): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;
  for (const root of nodes) {
    if (index.has(root)) continue;
    const frames: { id: string; succ: string[]; k: number }[] = [];
    const enter = (id: string): void => {
      index.set(id, counter);
      low.set(id, counter);
      counter++;
      stack.push(id);
      onStack.add(id);
      frames.push({ id, succ: next(id), k: 0 });
    };
    enter(root);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1]!;
      if (frame.k < frame.succ.length) {
        const s = frame.succ[frame.k++]!;
        if (!index.has(s)) enter(s);
        else if (onStack.has(s)) low.set(frame.id, Math.min(low.get(frame.id)!, index.get(s)!));
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent) low.set(parent.id, Math.min(low.get(parent.id)!, low.get(frame.id)!));
      if (low.get(frame.id) === index.get(frame.id)) {
        const component: string[] = [];
        let id: string;
        do {
          id = stack.pop()!;
          onStack.delete(id);
          component.push(id);
        } while (id !== frame.id);
        components.push(component);
      }
    }
  }
  return components;
}
