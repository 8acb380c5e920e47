// Property tests of the talk-track engine over random scripts and random operation sequences.
//
// The generated scripts are small step graphs (up to 7 say / ask / branch steps and 1–3 end
// steps) in topological order: every `next` and `otherwise` goes forwards, so an end is
// reachable from every step. Branches may also go back to an earlier ask step, but only when
// that step's own answer is its "trigger" value: an agent who answers the "safe" value leaves
// the loop, so an end is reachable not just on the graph but by driving the engine.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import {
  advance,
  answer,
  back,
  closeObjection,
  confirm,
  openObjection,
  ScriptError,
  start,
  view,
  type AnswerValue,
  type ScriptContext,
  type ScriptErrorCode,
  type Session,
} from '../../../../main/core/scripts/engine';
import { Script, type Step } from '../../../../main/core/scripts/script-format';

const RUNS = Number(process.env.FC_RUNS ?? 10_000);
const TIMEOUT = Math.max(30_000, RUNS * 5);

function check(ok: boolean, message: string): void {
  if (!ok) throw new Error(message);
}

// ---------- scripts ----------

const QTYPES = ['choice', 'yes_no', 'text', 'number', 'date', 'nps'] as const;
type QType = (typeof QTYPES)[number];

const SAFE: Record<QType, AnswerValue> = {
  choice: 'a',
  yes_no: false,
  text: 'ok',
  number: 0,
  date: '2024-01-01',
  nps: 0,
};
const TRIGGER: Record<QType, AnswerValue> = {
  choice: 'b',
  yes_no: true,
  text: 'loop',
  number: 1,
  date: '2024-02-29',
  nps: 9,
};

const MAX_STEPS = 7;

const nodeArb = fc.record({
  kind: fc.constantFrom('say', 'ask', 'branch'),
  mandatory: fc.oneof({ weight: 3, arbitrary: fc.constant(false) }, fc.constant(true)),
  qType: fc.constantFrom(...QTYPES),
  bounded: fc.boolean(),
  next: fc.nat(),
  branches: fc.array(
    fc.record({
      back: fc.boolean(),
      target: fc.nat(),
      field: fc.nat(),
      op: fc.nat(4),
      equals: fc.constantFrom<AnswerValue>('a', 'b', 'ok', true, false, 0, 9, 'new', 'renewal'),
      in: fc.subarray<string | number>(['a', 'b', 'c', 'new', 'heavy', 'nps', 0, 1, 9]),
      bound: fc.integer({ min: 0, max: 10 }),
    }),
    { minLength: 1, maxLength: 3 },
  ),
  otherwise: fc.nat(),
});

const scriptArb = fc
  .record({
    n: fc.integer({ min: 0, max: MAX_STEPS }),
    e: fc.integer({ min: 1, max: 3 }),
    nodes: fc.array(nodeArb, { minLength: MAX_STEPS, maxLength: MAX_STEPS }),
    endMandatory: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
    objections: fc.array(fc.option(fc.nat(), { nil: undefined }), { maxLength: 2 }),
  })
  .map(({ n, e, nodes, endMandatory, objections }) => {
    const total = n + e;
    const id = (i: number) => (i < n ? `s${i}` : `e${i - n}`);
    const forward = (i: number, x: number) => id(i + 1 + (x % (total - i - 1)));
    const asks = nodes.slice(0, n).flatMap((d, i) => (d.kind === 'ask' ? [i] : []));
    const fields = [
      'customer.segment',
      'customer.purchaseCount',
      'callback.campaign',
      ...asks.map((i) => `answers.s${i}`),
    ];
    const steps: unknown[] = [];
    nodes.slice(0, n).forEach((d, i) => {
      const base = {
        id: id(i),
        ...(d.mandatory && d.kind !== 'branch' ? { mandatory: true, confirm: { ja: '確認' } } : {}),
      };
      if (d.kind === 'say') {
        steps.push({
          ...base,
          say: { ja: `say ${i} {{customer.name}}` },
          next: forward(i, d.next),
        });
      } else if (d.kind === 'ask') {
        steps.push({
          ...base,
          ask: { ja: `ask ${i}` },
          question: question(d.qType, d.bounded),
          next: forward(i, d.next),
        });
      } else {
        const earlierAsks = asks.filter((j) => j < i);
        const branch = d.branches.map((b) => {
          if (b.back && earlierAsks.length > 0) {
            const j = earlierAsks[b.target % earlierAsks.length]!;
            return {
              when: { field: `answers.s${j}`, equals: TRIGGER[nodes[j]!.qType] },
              goto: id(j),
            };
          }
          const field = fields[b.field % fields.length]!;
          const when =
            b.op === 0
              ? { field, equals: b.equals }
              : b.op === 1
                ? { field, in: b.in }
                : b.op === 2
                  ? { field, gte: b.bound }
                  : b.op === 3
                    ? { field, lte: b.bound }
                    : { field, gte: b.bound, lte: b.bound + 2 };
          return { when, goto: forward(i, b.target) };
        });
        steps.push({ ...base, branch, otherwise: forward(i, d.otherwise) });
      }
    });
    for (let j = 0; j < e; j++) {
      steps.push({
        id: `e${j}`,
        ...(endMandatory[j] ? { mandatory: true, confirm: { ja: '確認' } } : {}),
        end: { disposition: `d${j}`, action: 'none' },
      });
    }
    return Script.parse({
      id: 'gen',
      version: 1,
      title: { ja: 'gen' },
      languages: ['ja'],
      match: { direction: 'outbound' },
      start: id(0),
      steps,
      objections: objections.map((g, k) => ({
        id: `o${k}`,
        label: { ja: `o${k}` },
        say: { ja: `o${k}` },
        ...(g === undefined ? {} : { goto: id(g % total) }),
      })),
    });
  });

function question(type: QType, bounded: boolean): unknown {
  switch (type) {
    case 'choice':
      return { type, options: ['a', 'b', 'c'].map((v) => ({ value: v, label: { ja: v } })) };
    case 'text':
      return { type, maxLength: 5 };
    case 'number':
      return bounded ? { type, min: 0, max: 10 } : { type };
    default:
      return { type };
  }
}

const ctxArb: fc.Arbitrary<ScriptContext> = fc.record({
  customer: fc.record({
    name: fc.constantFrom('山田', null),
    segment: fc.constantFrom('new', 'repeat', 'heavy', 'dormant'),
    purchaseCount: fc.option(fc.integer({ min: 0, max: 10 }), { nil: null }),
  }),
  callback: fc.option(fc.record({ campaign: fc.constantFrom('renewal', 'nps') }), { nil: null }),
});

// ---------- operations ----------

type Op =
  | { t: 'answer'; valid: boolean; pick: number }
  | { t: 'advance' }
  | { t: 'back' }
  | { t: 'confirm' }
  | { t: 'open'; pick: number }
  | { t: 'close' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      t: fc.constant('answer' as const),
      valid: fc.boolean(),
      pick: fc.nat(),
    }),
  },
  { weight: 3, arbitrary: fc.constant({ t: 'advance' as const }) },
  { weight: 2, arbitrary: fc.constant({ t: 'back' as const }) },
  { weight: 2, arbitrary: fc.constant({ t: 'confirm' as const }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('open' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.constant({ t: 'close' as const }) },
);

type AskStep = Extract<Step, { question: unknown }>;

function validValues(step: AskStep): unknown[] {
  const q = step.question;
  switch (q.type) {
    case 'choice':
      return ['a', 'b', 'c'];
    case 'yes_no':
      return [true, false];
    case 'text':
      return ['ok', ' loop ', 'abcde', 'x'];
    case 'number':
      return q.min === undefined ? [0, 1, -3, 1e6, 2.5] : [0, 1, 5, 10, 2.5];
    case 'date':
      return ['2024-01-01', '2024-02-29', '2026-12-31'];
    case 'nps':
      return [0, 1, 6, 9, 10];
  }
}

function invalidValues(step: AskStep): unknown[] {
  const common = [null, undefined, Number.NaN, {}];
  const q = step.question;
  switch (q.type) {
    case 'choice':
      return [...common, 'd', 'A', 1];
    case 'yes_no':
      return [...common, 'true', 1];
    case 'text':
      return [...common, '', '   ', 'abcdef', 3];
    case 'number':
      return q.min === undefined ? [...common, '5', Infinity] : [...common, -1, 11, '5', Infinity];
    case 'date':
      return [...common, '2023-02-29', '2024-13-01', '2024-1-1'];
    case 'nps':
      return [...common, -1, 11, 5.5, '5'];
  }
}

function deepFreeze<T>(x: T): T {
  if (x && typeof x === 'object' && !Object.isFrozen(x)) {
    for (const v of Object.values(x)) deepFreeze(v);
    Object.freeze(x);
  }
  return x;
}

interface Graph {
  steps: Map<string, Step>;
  /** Steps from which some end step is reachable on the graph. */
  reachesEnd: Set<string>;
  asks: number;
}

function graph(script: Script): Graph {
  const steps = new Map(script.steps.map((s) => [s.id, s]));
  const into = new Map<string, string[]>();
  const edge = (from: string, to: string) => into.set(to, [...(into.get(to) ?? []), from]);
  for (const s of script.steps) {
    if ('next' in s) edge(s.id, s.next);
    if ('branch' in s) {
      for (const b of s.branch) edge(s.id, b.goto);
      edge(s.id, s.otherwise);
    }
  }
  const reachesEnd = new Set(script.steps.filter((s) => 'end' in s).map((s) => s.id));
  const queue = [...reachesEnd];
  while (queue.length > 0) {
    for (const from of into.get(queue.pop()!) ?? []) {
      if (!reachesEnd.has(from)) {
        reachesEnd.add(from);
        queue.push(from);
      }
    }
  }
  return { steps, reachesEnd, asks: script.steps.filter((s) => 'question' in s).length };
}

/** Invariants of every session the engine hands out. */
function checkSession(g: Graph, s: Session, model: Record<string, AnswerValue>): void {
  const step = g.steps.get(s.current);
  check(
    step !== undefined && !('branch' in step),
    `current ${s.current} is a real, non-branch step`,
  );
  check(g.reachesEnd.has(s.current), `an end is reachable from ${s.current}`); // property 1
  const end = 'end' in step! ? step.end : null;
  check(
    end === null
      ? s.ended === null
      : s.ended?.disposition === end.disposition && s.ended.action === end.action,
    'ended is set exactly on an end step',
  );
  for (const h of s.history) {
    const hs = g.steps.get(h);
    check(hs !== undefined && !('branch' in hs), `history step ${h} is a non-branch step`);
  }
  check(s.objection === null || s.objection.returnTo === s.current, 'objection returns here');
  for (const c of s.confirmed) check(g.steps.get(c)?.mandatory === true, `${c} is mandatory`);
  check(new Set(s.confirmed).size === s.confirmed.length, 'confirmed has no duplicates');
  // property 3: exactly the answers given, each the latest one for its step
  const keys = Object.keys(s.answers);
  check(keys.length === Object.keys(model).length, `answers ${JSON.stringify(s.answers)} vs model`);
  for (const k of keys) check(s.answers[k] === model[k], `answer ${k} kept`);
}

/** Confirms, answers the safe value, advances: must reach an end within `bound` moves. */
function drive(script: Script, g: Graph, s: Session, ctx: ScriptContext): Session {
  const confirmed = (x: Session) => {
    const step = g.steps.get(x.current)!;
    return step.mandatory && !x.confirmed.includes(step.id) ? confirm(script, x) : x;
  };
  if (s.objection) s = closeObjection(script, confirmed(s), ctx);
  const bound = (g.steps.size + 1) * (g.asks + 1);
  for (let i = 0; i < bound && !s.ended; i++) {
    s = confirmed(s);
    const step = g.steps.get(s.current)!;
    s =
      'question' in step
        ? answer(script, s, SAFE[step.question.type], ctx)
        : advance(script, s, ctx);
  }
  check(s.ended !== null, `no end within ${bound} moves from ${s.current}`);
  return s;
}

function normalized(v: unknown): AnswerValue {
  return typeof v === 'string' ? v.trim() : (v as AnswerValue);
}

/** Runs the operations, checking every step against a model; returns the last session. */
function run(script: Script, ctx: ScriptContext, ops: Op[]): { g: Graph; last: Session } {
  const g = graph(script);
  const model: Record<string, AnswerValue> = {};
  let s = deepFreeze(start(script, ctx));
  checkSession(g, s, model);
  for (const op of ops) {
    const before = s;
    const step = g.steps.get(before.current)!;
    const leavable = !step.mandatory || before.confirmed.includes(step.id);
    const open = before.objection !== null;
    const isAsk = 'question' in step;
    const isEnd = 'end' in step;
    // The outcome the rules demand ('ok', an error code, or either of two).
    let expect: (ScriptErrorCode | 'ok')[];
    let apply: () => Session;
    let given: AnswerValue | undefined;
    switch (op.t) {
      case 'answer': {
        const pool = isAsk ? (op.valid ? validValues(step) : invalidValues(step)) : ['x'];
        const value = pool[op.pick % pool.length];
        expect = open
          ? ['objection_open']
          : isEnd
            ? ['ended']
            : !isAsk
              ? ['not_a_question']
              : !leavable
                ? ['mandatory_unconfirmed']
                : op.valid
                  ? ['ok']
                  : ['invalid_answer'];
        if (expect[0] === 'ok') given = normalized(value);
        apply = () => answer(script, before, value, ctx);
        break;
      }
      case 'advance':
        expect = open
          ? ['objection_open']
          : isEnd
            ? ['ended']
            : isAsk && !Object.hasOwn(before.answers, step.id)
              ? ['unanswered']
              : !leavable
                ? ['mandatory_unconfirmed']
                : ['ok'];
        apply = () => advance(script, before, ctx);
        break;
      case 'back':
        expect = open ? ['objection_open'] : before.history.length === 0 ? ['no_history'] : ['ok'];
        apply = () => back(script, before);
        break;
      case 'confirm':
        expect = step.mandatory ? ['ok'] : ['not_mandatory'];
        apply = () => confirm(script, before);
        break;
      case 'open': {
        const ids = script.objections.map((o) => o.id);
        const oid = ids.length === 0 ? 'none' : ids[op.pick % ids.length]!;
        expect = ids.length === 0 ? ['unknown_objection'] : ['ok'];
        apply = () => openObjection(script, before, oid);
        break;
      }
      case 'close': {
        const goto = script.objections.find((o) => o.id === before.objection?.id)?.goto;
        expect = !open
          ? ['no_objection']
          : goto !== undefined && !leavable
            ? ['ok', 'mandatory_unconfirmed'] // ok only when the goto leads back here
            : ['ok'];
        apply = () => closeObjection(script, before, ctx);
        break;
      }
    }
    let outcome: ScriptErrorCode | 'ok';
    try {
      s = deepFreeze(apply());
      outcome = 'ok';
    } catch (e) {
      if (!(e instanceof ScriptError)) throw e;
      outcome = e.code;
    }
    const where = `${op.t} on ${before.current}`;
    check(expect.includes(outcome), `${where}: ${outcome}, expected ${expect.join(' or ')}`);
    if (outcome !== 'ok') continue;
    if (given !== undefined) model[before.current] = given;

    const grew = s.history.length - before.history.length;
    if (grew === 1) {
      // A forward move: remembered for back, and (property 2) never past an unconfirmed
      // mandatory step.
      check(
        s.history.at(-1) === before.current && s.history.length === before.history.length + 1,
        `${where}: history extends by the step left`,
      );
      check(leavable, `${where}: left mandatory step ${step.id} without confirmation`);
      check(op.t === 'answer' || op.t === 'advance' || op.t === 'close', `${where}: moved`);
    } else if (grew === -1) {
      check(op.t === 'back', `${where}: only back goes back`);
      check(s.current === before.history.at(-1), `${where}: back to the previous step`);
    } else {
      check(grew === 0 && s.current === before.current, `${where}: stayed put`);
      check(op.t !== 'answer' && op.t !== 'advance', `${where}: answer / advance move on`);
    }
    if (op.t === 'open') check(s.objection?.returnTo === before.current, `${where}: returnTo`);
    if (op.t === 'confirm') check(s.confirmed.includes(step.id), `${where}: confirmed`);
    checkSession(g, s, model);
  }
  return { g, last: s };
}

const opsArb = fc.array(opArb, { maxLength: 30 });

describe('talk-track engine properties', () => {
  it(
    'every operation sequence keeps the invariants: an end stays reachable, mandatory steps are never passed unconfirmed, answers are never lost',
    () => {
      fc.assert(
        fc.property(scriptArb, ctxArb, opsArb, (script, ctx, ops) => {
          const { g, last } = run(script, ctx, ops);
          view(script, last, ctx, 'ja'); // the screen can always show it
          drive(script, g, last, ctx); // property 1, by driving the engine to an end
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    'from the start, confirming and answering safely reaches an end',
    () => {
      fc.assert(
        fc.property(scriptArb, ctxArb, (script, ctx) => {
          const g = graph(script);
          const end = drive(script, g, start(script, ctx), ctx);
          check(g.steps.has(end.current) && 'end' in g.steps.get(end.current)!, 'on an end');
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );
});
