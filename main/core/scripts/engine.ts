// The talk-track engine: walks an agent through a script (script-format.ts) during a call.
// Pure: the state is a plain, JSON-safe Session that core keeps, persists and sends to the
// screen; every operation returns a new Session and never changes the one it was given (an
// operation that throws leaves the caller's session as it was).
//
// Rules:
//   - branch steps are never current: the engine walks through them (first matching branch
//     wins, else `otherwise`), at most MAX_BRANCH_HOPS in a row, else ScriptError('branch_loop');
//   - a mandatory step cannot be left forwards (advance, answer, an objection's goto) until
//     the agent confirmed it; going back is always allowed;
//   - answers are kept when going back and forth; answering a step again replaces its answer;
//   - `ended` is set exactly when the current step is an end step.
import { z } from 'zod';
import { AnswerValue, type TalkTrackQuestion, type TalkTrackStep } from '../../../preload/contract';
import { fillText, type TextVariables } from './fill-text';
import type { Condition, Objection, Question, Script, ScriptLanguage, Step } from './script-format';

/** Branch steps walked through in a row before the engine gives up on a loop. */
export const MAX_BRANCH_HOPS = 100;

// An answer as stored (the contract's): date 'YYYY-MM-DD', nps 0–10, choice = option value,
// yes_no boolean.
export { AnswerValue };

/** Where the agent is in a script. Plain data: persist it, send it, compare it. */
export const Session = z
  .object({
    scriptId: z.string(),
    version: z.number().int(),
    /** The step on screen (never a branch step). */
    current: z.string(),
    /** Steps visited before `current`, oldest first: what back returns to. */
    history: z.array(z.string()),
    /** Answers by ask step id. */
    answers: z.record(z.string(), AnswerValue),
    /** Mandatory steps the agent confirmed. */
    confirmed: z.array(z.string()),
    /** The objection on screen, and the step the agent was on when it was opened. */
    objection: z.object({ id: z.string(), returnTo: z.string() }).nullable(),
    /** The end reached (the current step is an end step), else null. */
    ended: z.object({ disposition: z.string(), action: z.string() }).nullable(),
  })
  .strict();
export type Session = z.infer<typeof Session>;

export type ContextValue = string | number | null;

/** The call's data that conditions and texts may use. */
export interface ScriptContext {
  customer: Readonly<Record<string, ContextValue>>;
  callback: Readonly<Record<string, ContextValue>> | null;
  agent?: { name: string | null } | null;
}

export type ScriptErrorCode =
  | 'wrong_script' // the session belongs to another script (or version)
  | 'unknown_step' // a step id the script does not have
  | 'unknown_objection'
  | 'branch_loop' // more than MAX_BRANCH_HOPS branch steps in a row
  | 'mandatory_unconfirmed' // leaving a mandatory step the agent has not confirmed
  | 'not_mandatory' // confirming a step that needs no confirmation
  | 'invalid_answer' // the value does not fit the question
  | 'not_a_question' // answering a step that asks nothing
  | 'unanswered' // advancing from an ask step with no answer
  | 'ended' // moving on from an end step
  | 'no_history' // back on the first step
  | 'objection_open' // moving while an objection is on screen (close it first)
  | 'no_objection'; // closing when no objection is open

export class ScriptError extends Error {
  constructor(
    readonly code: ScriptErrorCode,
    message: string,
    /** The step the problem is on, when there is one. */
    readonly stepId: string | null = null,
  ) {
    super(message);
    this.name = 'ScriptError';
  }
}

export type StepKind = 'say' | 'ask' | 'branch' | 'end';

type AskStep = Extract<Step, { question: Question }>;
type BranchStep = Extract<Step, { otherwise: string }>;
type EndStep = Extract<Step, { end: unknown }>;

export function stepKind(step: Step): StepKind {
  if ('end' in step) return 'end';
  if ('branch' in step) return 'branch';
  if ('question' in step) return 'ask';
  return 'say';
}

function isBranch(step: Step): step is BranchStep {
  return 'branch' in step;
}
function isAsk(step: Step): step is AskStep {
  return 'question' in step;
}
function isEnd(step: Step): step is EndStep {
  return 'end' in step;
}

// ---------- lookups ----------

const indexes = new WeakMap<Script, Map<string, Step>>();

function stepsById(script: Script): Map<string, Step> {
  let index = indexes.get(script);
  if (!index) {
    index = new Map(script.steps.map((s) => [s.id, s]));
    indexes.set(script, index);
  }
  return index;
}

function findStep(script: Script, id: string): Step {
  const step = stepsById(script).get(id);
  if (!step) throw new ScriptError('unknown_step', `script ${script.id} has no step '${id}'`, id);
  return step;
}

function findObjection(script: Script, id: string): Objection {
  const o = script.objections.find((x) => x.id === id);
  if (!o) {
    throw new ScriptError('unknown_objection', `script ${script.id} has no objection '${id}'`);
  }
  return o;
}

function checkSession(script: Script, session: Session): Step {
  if (session.scriptId !== script.id || session.version !== script.version) {
    throw new ScriptError(
      'wrong_script',
      `the session is for ${session.scriptId} v${session.version}, not ${script.id} v${script.version}`,
    );
  }
  return findStep(script, session.current);
}

function answerOf(answers: Readonly<Record<string, AnswerValue>>, id: string): AnswerValue | null {
  return Object.hasOwn(answers, id) ? answers[id]! : null;
}

// ---------- conditions and branches ----------

function fieldValue(
  field: string,
  answers: Readonly<Record<string, AnswerValue>>,
  ctx: ScriptContext,
): AnswerValue | null {
  const dot = field.indexOf('.');
  const scope = field.slice(0, dot);
  const name = field.slice(dot + 1);
  const record = scope === 'answers' ? answers : scope === 'customer' ? ctx.customer : ctx.callback;
  if (!record || !Object.hasOwn(record, name)) return null;
  return record[name] ?? null;
}

/**
 * Whether a condition holds. Every operator given must hold (equals, in, gte, lte); a value
 * that is missing never matches; a condition with no operator matches any present value.
 * gte / lte compare numbers only.
 */
export function matches(
  when: Condition,
  answers: Readonly<Record<string, AnswerValue>>,
  ctx: ScriptContext,
): boolean {
  const v = fieldValue(when.field, answers, ctx);
  if (v === null) return false;
  if (when.equals !== undefined && v !== when.equals) return false;
  if (when.in !== undefined && (typeof v === 'boolean' || !when.in.includes(v))) return false;
  if (when.gte !== undefined && !(typeof v === 'number' && v >= when.gte)) return false;
  if (when.lte !== undefined && !(typeof v === 'number' && v <= when.lte)) return false;
  return true;
}

/** The step the agent lands on when going to `id`: `id` itself, or where its branches lead. */
function resolve(
  script: Script,
  id: string,
  answers: Readonly<Record<string, AnswerValue>>,
  ctx: ScriptContext,
): Step {
  let step = findStep(script, id);
  let hops = 0;
  while (isBranch(step)) {
    if (++hops > MAX_BRANCH_HOPS) {
      throw new ScriptError(
        'branch_loop',
        `more than ${MAX_BRANCH_HOPS} branch steps in a row from '${id}' (a loop of branches?)`,
        step.id,
      );
    }
    const hit = step.branch.find((b) => matches(b.when, answers, ctx));
    step = findStep(script, hit ? hit.goto : step.otherwise);
  }
  return step;
}

function endOf(step: Step): Session['ended'] {
  return isEnd(step) ? { disposition: step.end.disposition, action: step.end.action } : null;
}

/** Throws unless the current step may be left forwards. */
function checkLeave(step: Step, session: Session): void {
  if (step.mandatory && !isBranch(step) && !session.confirmed.includes(step.id)) {
    throw new ScriptError(
      'mandatory_unconfirmed',
      `step '${step.id}' must be confirmed before moving on`,
      step.id,
    );
  }
}

function checkNoObjection(session: Session): void {
  if (session.objection) {
    throw new ScriptError(
      'objection_open',
      `objection '${session.objection.id}' is open: close it first`,
      session.current,
    );
  }
}

/** Moves forwards to an already resolved step, remembering the current one for back. */
function enter(session: Session, to: Step): Session {
  return {
    ...session,
    current: to.id,
    history: [...session.history, session.current],
    objection: null,
    ended: endOf(to),
  };
}

// ---------- answers ----------

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function invalid(step: Step, message: string): ScriptError {
  return new ScriptError('invalid_answer', `step '${step.id}': ${message}`, step.id);
}

function describe(value: unknown): string {
  if (typeof value === 'string')
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return value === null ? 'null' : typeof value;
}

/** The value as stored for the step's question (text trimmed), or ScriptError('invalid_answer'). */
export function checkAnswer(step: AskStep, value: unknown): AnswerValue {
  const q = step.question;
  switch (q.type) {
    case 'choice': {
      if (typeof value === 'string' && q.options.some((o) => o.value === value)) return value;
      const values = q.options.map((o) => o.value).join(', ');
      throw invalid(step, `${describe(value)} is not one of the choices (${values})`);
    }
    case 'yes_no':
      if (typeof value === 'boolean') return value;
      throw invalid(step, `expected yes or no (true / false), got ${describe(value)}`);
    case 'text': {
      if (typeof value !== 'string') throw invalid(step, `expected text, got ${describe(value)}`);
      const text = value.trim();
      if (text === '') throw invalid(step, 'the answer is empty');
      const length = [...text].length;
      if (length > q.maxLength) {
        throw invalid(step, `the answer is ${length} characters long, at most ${q.maxLength}`);
      }
      return text;
    }
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw invalid(step, `expected a number, got ${describe(value)}`);
      }
      if (q.min !== undefined && value < q.min) throw invalid(step, `${value} is below ${q.min}`);
      if (q.max !== undefined && value > q.max) throw invalid(step, `${value} is above ${q.max}`);
      return value;
    case 'nps':
      if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 10) {
        return value;
      }
      throw invalid(step, `expected a whole number from 0 to 10, got ${describe(value)}`);
    case 'date': {
      const m = typeof value === 'string' ? DATE.exec(value) : null;
      if (m) {
        const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
        const t = new Date(Date.UTC(y, mo - 1, d));
        if (t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d) {
          return value as string;
        }
      }
      throw invalid(step, `expected a date YYYY-MM-DD, got ${describe(value)}`);
    }
  }
}

// ---------- operations ----------

/** A new session on the script's start step (walking through branches at the start). */
export function start(script: Script, ctx: ScriptContext): Session {
  const first = resolve(script, script.start, {}, ctx);
  return {
    scriptId: script.id,
    version: script.version,
    current: first.id,
    history: [],
    answers: {},
    confirmed: [],
    objection: null,
    ended: endOf(first),
  };
}

/** The agent confirms the current mandatory step (idempotent). */
export function confirm(script: Script, session: Session): Session {
  const step = checkSession(script, session);
  if (!step.mandatory) {
    throw new ScriptError('not_mandatory', `step '${step.id}' needs no confirmation`, step.id);
  }
  if (session.confirmed.includes(step.id)) return session;
  return { ...session, confirmed: [...session.confirmed, step.id] };
}

/** Answers the current ask step and moves on (replacing an earlier answer to it). */
export function answer(
  script: Script,
  session: Session,
  value: unknown,
  ctx: ScriptContext,
): Session {
  const step = checkSession(script, session);
  checkNoObjection(session);
  if (isEnd(step)) throw new ScriptError('ended', `the script ended at '${step.id}'`, step.id);
  if (!isAsk(step))
    throw new ScriptError('not_a_question', `step '${step.id}' asks nothing`, step.id);
  checkLeave(step, session);
  const stored = checkAnswer(step, value);
  const answers = { ...session.answers, [step.id]: stored };
  const to = resolve(script, step.next, answers, ctx);
  return enter({ ...session, answers }, to);
}

/** Moves on from a say step, or from an ask step already answered (after going back). */
export function advance(script: Script, session: Session, ctx: ScriptContext): Session {
  const step = checkSession(script, session);
  checkNoObjection(session);
  if (isEnd(step)) throw new ScriptError('ended', `the script ended at '${step.id}'`, step.id);
  if (isBranch(step)) throw new ScriptError('unknown_step', `'${step.id}' is a branch`, step.id);
  if (isAsk(step) && answerOf(session.answers, step.id) === null) {
    throw new ScriptError('unanswered', `step '${step.id}' needs an answer first`, step.id);
  }
  checkLeave(step, session);
  return enter(session, resolve(script, step.next, session.answers, ctx));
}

/** Back to the step visited before the current one; answers and confirmations are kept. */
export function back(script: Script, session: Session): Session {
  checkSession(script, session);
  checkNoObjection(session);
  const previous = session.history.at(-1);
  if (previous === undefined) {
    throw new ScriptError('no_history', 'this is the first step', session.current);
  }
  return {
    ...session,
    current: previous,
    history: session.history.slice(0, -1),
    ended: endOf(findStep(script, previous)),
  };
}

/** Shows an objection's handler; opening another one while one is open replaces it. */
export function openObjection(script: Script, session: Session, objectionId: string): Session {
  checkSession(script, session);
  findObjection(script, objectionId);
  return { ...session, objection: { id: objectionId, returnTo: session.current } };
}

/** Closes the objection: back to the step the agent was on, or on to its goto. */
export function closeObjection(script: Script, session: Session, ctx: ScriptContext): Session {
  const step = checkSession(script, session);
  if (!session.objection) {
    throw new ScriptError('no_objection', 'no objection is open', session.current);
  }
  const objection = findObjection(script, session.objection.id);
  const closed: Session = { ...session, objection: null };
  if (objection.goto === undefined) return closed;
  const to = resolve(script, objection.goto, session.answers, ctx);
  if (to.id === step.id) return closed;
  checkLeave(step, session);
  return enter(closed, to);
}

// ---------- what the screen shows ----------

export type QuestionView = TalkTrackQuestion;
export type StepView = TalkTrackStep;

const YES_NO: Record<ScriptLanguage, readonly [string, string]> = {
  ja: ['はい', 'いいえ'],
  en: ['Yes', 'No'],
};

/** An answer as read back to the customer: a choice's label, はい / Yes, the value as given. */
export function answerText(
  script: Script,
  stepId: string,
  value: AnswerValue,
  lang: ScriptLanguage,
): string {
  if (typeof value === 'boolean') return YES_NO[lang][value ? 0 : 1];
  const step = stepsById(script).get(stepId);
  if (step && isAsk(step) && step.question.type === 'choice') {
    const option = step.question.options.find((o) => o.value === value);
    if (option) return pick(script, option.label, lang) ?? String(value);
  }
  return String(value);
}

/** A text in the language, else the script's first language that has it. */
export function pick(
  script: Script,
  t: Partial<Record<ScriptLanguage, string>>,
  lang: ScriptLanguage,
): string | undefined {
  return (
    t[lang] ?? script.languages.map((l) => t[l]).find((x) => x !== undefined) ?? Object.values(t)[0]
  );
}

/**
 * Variables for texts: customer.*, callback.*, agent.name from the call's data, and
 * answers.<step> (read back as answerText) from the session.
 */
export function textVariables(
  ctx: ScriptContext,
  answered?: { script: Script; session: Session; lang: ScriptLanguage },
): TextVariables {
  const vars: Record<string, ContextValue> = Object.create(null) as Record<string, ContextValue>;
  for (const [k, v] of Object.entries(ctx.customer)) vars[`customer.${k}`] = v;
  for (const [k, v] of Object.entries(ctx.callback ?? {})) vars[`callback.${k}`] = v;
  vars['agent.name'] = ctx.agent?.name ?? null;
  if (answered) {
    const { script, session, lang } = answered;
    for (const [id, v] of Object.entries(session.answers)) {
      vars[`answers.${id}`] = answerText(script, id, v, lang);
    }
  }
  return vars;
}

export function view(
  script: Script,
  session: Session,
  ctx: ScriptContext,
  lang: ScriptLanguage,
): StepView {
  const step = checkSession(script, session);
  if (isBranch(step)) throw new ScriptError('unknown_step', `'${step.id}' is a branch`, step.id);
  const vars = textVariables(ctx, { script, session, lang });
  const text = (t: Partial<Record<ScriptLanguage, string>> | undefined): string | null => {
    if (!t) return null;
    const raw = pick(script, t, lang);
    return raw === undefined ? null : fillText(raw, vars);
  };
  const kind = isEnd(step) ? 'end' : isAsk(step) ? 'ask' : 'say';
  const current = answerOf(session.answers, step.id);
  const confirmed = session.confirmed.includes(step.id);
  const objection = session.objection ? findObjection(script, session.objection.id) : null;
  return {
    scriptId: script.id,
    stepId: step.id,
    kind,
    say: text(step.say),
    ask: isAsk(step) ? text(step.ask) : null,
    question: isAsk(step) ? questionView(step.question, (t) => text(t) ?? '') : null,
    answer: isAsk(step) ? current : null,
    mandatory: step.mandatory,
    confirmed,
    confirmText: step.mandatory ? text(step.confirm) : null,
    canGoBack: session.history.length > 0 && !objection,
    canAdvance:
      kind !== 'end' &&
      !objection &&
      (kind === 'say' || current !== null) &&
      (!step.mandatory || confirmed),
    objections: script.objections.map((o) => ({ id: o.id, label: text(o.label) ?? o.id })),
    objection: objection && {
      id: objection.id,
      label: text(objection.label) ?? objection.id,
      say: text(objection.say) ?? '',
      goto: objection.goto ?? null,
    },
    end: isEnd(step) ? { disposition: step.end.disposition, action: step.end.action } : null,
  };
}

function questionView(
  q: Question,
  text: (t: Partial<Record<ScriptLanguage, string>>) => string,
): QuestionView {
  switch (q.type) {
    case 'choice':
      return {
        type: 'choice',
        options: q.options.map((o) => ({ value: o.value, label: text(o.label) })),
      };
    case 'text':
      return { type: 'text', maxLength: q.maxLength };
    case 'number':
      return { type: 'number', min: q.min ?? null, max: q.max ?? null };
    case 'nps':
      return { type: 'nps', min: 0, max: 10 };
    default:
      return { type: q.type };
  }
}
