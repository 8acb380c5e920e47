import { describe, expect, it } from 'vitest';
import {
  advance,
  answer,
  back,
  closeObjection,
  confirm,
  matches,
  MAX_BRANCH_HOPS,
  openObjection,
  ScriptError,
  Session,
  start,
  view,
  type ScriptContext,
} from '../../../../main/core/scripts/engine';
import { EMPTY_MARK } from '../../../../main/core/scripts/fill-text';
import { Script } from '../../../../main/core/scripts/script-format';

const t = (ja: string, en?: string) => (en === undefined ? { ja } : { ja, en });

const script = Script.parse({
  id: 'order-inbound',
  version: 2,
  title: t('受注', 'Orders'),
  languages: ['ja', 'en'],
  match: { direction: 'inbound', reasons: ['order'] },
  start: 'route',
  steps: [
    {
      id: 'route',
      branch: [{ when: { field: 'customer.segment', in: ['dormant'] }, goto: 'welcome_back' }],
      otherwise: 'greet',
    },
    { id: 'welcome_back', say: t('お久しぶりです', 'Welcome back'), next: 'greet' },
    {
      id: 'greet',
      mandatory: true,
      confirm: t('録音の告知をした', 'I read the recording notice'),
      say: t(
        '{{customer.name}}様、この通話は録音されます',
        '{{customer.name}}, this call is recorded',
      ),
      next: 'reason',
    },
    {
      id: 'reason',
      ask: t('ご用件は？', 'How can I help?'),
      question: {
        type: 'choice',
        options: [
          { value: 'buy', label: t('購入', 'Buy') },
          { value: 'cancel', label: t('解約', 'Cancel') },
          { value: 'other', label: t('その他', 'Other') },
        ],
      },
      next: 'by_reason',
    },
    {
      id: 'by_reason',
      branch: [
        { when: { field: 'answers.reason', equals: 'cancel' }, goto: 'why_cancel' },
        { when: { field: 'answers.reason', in: ['buy'] }, goto: 'qty' },
      ],
      otherwise: 'nps',
    },
    {
      id: 'why_cancel',
      ask: t('理由は？', 'Why?'),
      question: { type: 'text', maxLength: 10 },
      next: 'nps',
    },
    {
      id: 'qty',
      ask: t('数量は？'), // no English: falls back to Japanese
      question: { type: 'number', min: 1, max: 99 },
      next: 'delivery',
    },
    {
      id: 'delivery',
      ask: t('お届け日は？', 'Delivery date?'),
      question: { type: 'date' },
      next: 'gift',
    },
    { id: 'gift', ask: t('ギフト？', 'A gift?'), question: { type: 'yes_no' }, next: 'nps' },
    { id: 'nps', ask: t('おすすめ度は？', 'Recommend?'), question: { type: 'nps' }, next: 'score' },
    {
      id: 'score',
      branch: [
        { when: { field: 'answers.nps', gte: 9 }, goto: 'promoter' },
        { when: { field: 'answers.nps', lte: 6 }, goto: 'detractor' },
      ],
      otherwise: 'done',
    },
    {
      id: 'promoter',
      say: t('ありがとうございます'),
      end: { disposition: 'promoter', action: 'take_order' },
    },
    { id: 'detractor', end: { disposition: 'detractor', action: 'schedule_callback' } },
    { id: 'done', end: { disposition: 'done' } },
    { id: 'callback_end', end: { disposition: 'callback', action: 'schedule_callback' } },
  ],
  objections: [
    {
      id: 'too_busy',
      label: t('忙しい', 'Too busy'),
      say: t('改めます', 'I will call back'),
      goto: 'callback_end',
    },
    {
      id: 'price',
      label: t('高い', 'Too expensive'),
      say: t('{{customer.purchaseCount}}回目割引', 'Discount'),
    },
  ],
});

const ctx: ScriptContext = {
  customer: { name: '山田', segment: 'repeat', purchaseCount: 3 },
  callback: null,
};

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof ScriptError) return e.code;
    throw e;
  }
  throw new Error('did not throw');
}

function deepFreeze<T>(x: T): T {
  if (x && typeof x === 'object') {
    Object.values(x).forEach(deepFreeze);
    Object.freeze(x);
  }
  return x;
}

/** Started, greeting confirmed and passed: on 'reason'. */
function atReason(): Session {
  const s = start(script, ctx);
  return advance(script, confirm(script, s), ctx);
}

describe('start', () => {
  it('walks through a branch at the start', () => {
    expect(start(script, ctx)).toEqual({
      scriptId: 'order-inbound',
      version: 2,
      current: 'greet',
      history: [],
      answers: {},
      confirmed: [],
      objection: null,
      ended: null,
    });
    const dormant = { ...ctx, customer: { ...ctx.customer, segment: 'dormant' } };
    expect(start(script, dormant).current).toBe('welcome_back');
  });

  it('gives a plain-data session that survives JSON and fits the Session schema', () => {
    const s = answer(script, atReason(), 'buy', ctx);
    const copy: unknown = JSON.parse(JSON.stringify(s));
    expect(Session.parse(copy)).toEqual(s);
  });
});

describe('view', () => {
  it('fills variables and shows the mandatory flags', () => {
    const s = start(script, ctx);
    const v = view(script, s, ctx, 'ja');
    expect(v).toMatchObject({
      stepId: 'greet',
      kind: 'say',
      say: '山田様、この通話は録音されます',
      ask: null,
      question: null,
      mandatory: true,
      confirmed: false,
      confirmText: '録音の告知をした',
      canGoBack: false,
      canAdvance: false,
      objection: null,
      end: null,
    });
    expect(v.objections).toEqual([
      { id: 'too_busy', label: '忙しい' },
      { id: 'price', label: '高い' },
    ]);
    expect(view(script, confirm(script, s), ctx, 'en')).toMatchObject({
      say: '山田, this call is recorded',
      confirmed: true,
      canAdvance: true,
    });
  });

  it('shows a missing variable as the empty-marker', () => {
    const v = view(
      script,
      start(script, { customer: {}, callback: null }),
      { customer: {}, callback: null },
      'ja',
    );
    expect(v.say).toBe(`${EMPTY_MARK}様、この通話は録音されます`);
  });

  it('shows the question, its labels and the current answer; falls back to the first language', () => {
    const s = atReason();
    expect(view(script, s, ctx, 'en')).toMatchObject({
      kind: 'ask',
      ask: 'How can I help?',
      question: {
        type: 'choice',
        options: [
          { value: 'buy', label: 'Buy' },
          { value: 'cancel', label: 'Cancel' },
          { value: 'other', label: 'Other' },
        ],
      },
      answer: null,
      canGoBack: true,
      canAdvance: false,
    });
    const onQty = answer(script, s, 'buy', ctx);
    expect(view(script, onQty, ctx, 'en')).toMatchObject({
      stepId: 'qty',
      ask: '数量は？',
      question: { type: 'number', min: 1, max: 99 },
    });
    const backOnReason = back(script, onQty);
    expect(view(script, backOnReason, ctx, 'en')).toMatchObject({
      answer: 'buy',
      canAdvance: true,
    });
  });

  it('shows an end step with its disposition and action', () => {
    let s = answer(script, atReason(), 'other', ctx);
    s = answer(script, s, 10, ctx);
    expect(view(script, s, ctx, 'ja')).toMatchObject({
      stepId: 'promoter',
      kind: 'end',
      say: 'ありがとうございます',
      end: { disposition: 'promoter', action: 'take_order' },
      canAdvance: false,
    });
  });

  it('shows the open objection with its text filled', () => {
    const s = openObjection(script, atReason(), 'price');
    expect(view(script, s, ctx, 'ja')).toMatchObject({
      stepId: 'reason',
      objection: { id: 'price', label: '高い', say: '3回目割引', goto: null },
      canGoBack: false,
      canAdvance: false,
    });
  });
});

describe('mandatory steps', () => {
  it('cannot be advanced from until confirmed', () => {
    const s = start(script, ctx);
    expect(code(() => advance(script, s, ctx))).toBe('mandatory_unconfirmed');
    const c = confirm(script, s);
    expect(c.confirmed).toEqual(['greet']);
    expect(confirm(script, c)).toBe(c); // idempotent
    expect(advance(script, c, ctx).current).toBe('reason');
  });

  it('cannot be confirmed when not mandatory', () => {
    expect(code(() => confirm(script, atReason()))).toBe('not_mandatory');
  });

  it('cannot be left by an objection goto, but the objection can close back to it', () => {
    const s = openObjection(script, start(script, ctx), 'too_busy');
    expect(code(() => closeObjection(script, s, ctx))).toBe('mandatory_unconfirmed');
    const closed = closeObjection(script, openObjection(script, start(script, ctx), 'price'), ctx);
    expect(closed.current).toBe('greet');
    // confirming while the objection is on screen lets the goto through
    expect(closeObjection(script, confirm(script, s), ctx).current).toBe('callback_end');
  });

  it('stays confirmed after going back to it', () => {
    const s = back(script, atReason());
    expect(s.current).toBe('greet');
    expect(advance(script, s, ctx).current).toBe('reason');
  });

  it('blocks answering a mandatory ask step until confirmed', () => {
    const m = Script.parse({
      ...script,
      start: 'id_check',
      steps: [
        {
          id: 'id_check',
          mandatory: true,
          confirm: t('本人確認した'),
          ask: t('生年月日'),
          question: { type: 'date' },
          next: 'done',
        },
        { id: 'done', end: { disposition: 'done' } },
      ],
      objections: [],
    });
    const s = start(m, ctx);
    expect(code(() => answer(m, s, '1980-01-02', ctx))).toBe('mandatory_unconfirmed');
    expect(answer(m, confirm(m, s), '1980-01-02', ctx).ended).toEqual({
      disposition: 'done',
      action: 'none',
    });
  });
});

describe('answer', () => {
  it('stores the answer under the step id and goes through branches on it', () => {
    const s = atReason();
    const buy = answer(script, s, 'buy', ctx);
    expect(buy.current).toBe('qty');
    expect(buy.answers).toEqual({ reason: 'buy' });
    expect(buy.history).toEqual(['greet', 'reason']);
    expect(answer(script, s, 'cancel', ctx).current).toBe('why_cancel');
    expect(answer(script, s, 'other', ctx).current).toBe('nps');
  });

  it.each([
    ['reason', 'choice', ['buy'], ['nope', '', 1, true, null, undefined, { a: 1 }]],
    ['why_cancel', 'text', ['高すぎる', ' 0123456789 '], ['', '   ', '01234567890', 5, false]],
    ['qty', 'number', [1, 99, 2.5], [0, 100, Number.NaN, Infinity, '5', null]],
    [
      'delivery',
      'date',
      ['2026-02-28', '2024-02-29'],
      ['2026-02-29', '2026-13-01', '2026-1-01', '20260101', 0],
    ],
    ['gift', 'yes_no', [true, false], ['yes', 1, 0, null]],
    ['nps', 'nps', [0, 7, 10], [-1, 11, 7.5, '7', null]],
  ] as const)('%s (%s): accepts valid values and refuses others', (stepId, _type, good, bad) => {
    const s: Session = { ...atReason(), current: stepId, history: ['greet', 'reason'] };
    for (const v of good) {
      const next = answer(script, s, v, ctx);
      expect(next.answers[stepId]).toBe(typeof v === 'string' ? v.trim() : v);
    }
    for (const v of bad) {
      let err: unknown;
      try {
        answer(script, s, v, ctx);
      } catch (e) {
        err = e;
      }
      expect(err, `${String(v)} for ${stepId}`).toBeInstanceOf(ScriptError);
      expect((err as ScriptError).code).toBe('invalid_answer');
      expect((err as ScriptError).stepId).toBe(stepId);
      expect((err as ScriptError).message).toContain(stepId);
    }
  });

  it('counts text length in characters, not UTF-16 units', () => {
    const s: Session = { ...atReason(), current: 'why_cancel' };
    expect(answer(script, s, '🙂'.repeat(10), ctx).answers.why_cancel).toBe('🙂'.repeat(10));
    expect(code(() => answer(script, s, '🙂'.repeat(11), ctx))).toBe('invalid_answer');
  });

  it('refuses to answer a say step or an end step', () => {
    expect(code(() => answer(script, confirm(script, start(script, ctx)), 'x', ctx))).toBe(
      'not_a_question',
    );
    let s = answer(script, atReason(), 'other', ctx);
    s = answer(script, s, 0, ctx);
    expect(s.ended).toEqual({ disposition: 'detractor', action: 'schedule_callback' });
    expect(code(() => answer(script, s, 'x', ctx))).toBe('ended');
    expect(code(() => advance(script, s, ctx))).toBe('ended');
  });

  it('a re-answer replaces the old answer and may take another path', () => {
    const s = answer(script, atReason(), 'buy', ctx);
    const again = answer(script, back(script, s), 'cancel', ctx);
    expect(again.answers).toEqual({ reason: 'cancel' });
    expect(again.current).toBe('why_cancel');
  });
});

describe('advance and back', () => {
  it('advances from an ask step only once it has an answer', () => {
    const s = atReason();
    expect(code(() => advance(script, s, ctx))).toBe('unanswered');
    const there = answer(script, s, 'buy', ctx);
    const backAgain = back(script, there);
    expect(advance(script, backAgain, ctx).current).toBe('qty');
  });

  it('keeps every answer going back and forth', () => {
    let s = answer(script, atReason(), 'buy', ctx);
    s = answer(script, s, 3, ctx);
    s = answer(script, s, '2026-12-01', ctx);
    s = answer(script, s, true, ctx);
    expect(s.current).toBe('nps');
    s = back(script, back(script, back(script, back(script, s))));
    expect(s.current).toBe('reason');
    expect(s.answers).toEqual({ reason: 'buy', qty: 3, delivery: '2026-12-01', gift: true });
    s = advance(script, advance(script, advance(script, advance(script, s, ctx), ctx), ctx), ctx);
    expect(s.current).toBe('nps');
    expect(s.answers).toEqual({ reason: 'buy', qty: 3, delivery: '2026-12-01', gift: true });
  });

  it('back from an end step clears ended; back on the first step refuses', () => {
    let s = answer(script, atReason(), 'other', ctx);
    s = answer(script, s, 8, ctx);
    expect(s.ended).toEqual({ disposition: 'done', action: 'none' });
    s = back(script, s);
    expect(s.current).toBe('nps');
    expect(s.ended).toBeNull();
    expect(code(() => back(script, start(script, ctx)))).toBe('no_history');
  });

  it('advance refuses on a say step of another script version', () => {
    const s = { ...start(script, ctx), version: 1 };
    expect(code(() => advance(script, s, ctx))).toBe('wrong_script');
    expect(code(() => view(script, { ...start(script, ctx), current: 'nowhere' }, ctx, 'ja'))).toBe(
      'unknown_step',
    );
  });
});

describe('objections', () => {
  it('opens and closes back to the same step, keeping answers and history', () => {
    const s = answer(script, atReason(), 'buy', ctx);
    const open = openObjection(script, s, 'price');
    expect(open.objection).toEqual({ id: 'price', returnTo: 'qty' });
    const closed = closeObjection(script, open, ctx);
    expect(closed).toEqual(s);
  });

  it('goes on to the objection goto, and back returns to where the agent was', () => {
    const s = answer(script, atReason(), 'buy', ctx);
    const closed = closeObjection(script, openObjection(script, s, 'too_busy'), ctx);
    expect(closed.current).toBe('callback_end');
    expect(closed.ended).toEqual({ disposition: 'callback', action: 'schedule_callback' });
    expect(back(script, closed).current).toBe('qty');
  });

  it('blocks moving while an objection is open; switching objections keeps the return step', () => {
    const open = openObjection(script, atReason(), 'price');
    expect(code(() => answer(script, open, 'buy', ctx))).toBe('objection_open');
    expect(code(() => advance(script, open, ctx))).toBe('objection_open');
    expect(code(() => back(script, open))).toBe('objection_open');
    expect(openObjection(script, open, 'too_busy').objection).toEqual({
      id: 'too_busy',
      returnTo: 'reason',
    });
  });

  it('refuses unknown objections and closing none', () => {
    expect(code(() => openObjection(script, atReason(), 'nope'))).toBe('unknown_objection');
    expect(code(() => closeObjection(script, atReason(), ctx))).toBe('no_objection');
  });
});

describe('branches', () => {
  const loop = Script.parse({
    id: 'loop',
    version: 1,
    title: t('ループ'),
    languages: ['ja'],
    match: { direction: 'outbound' },
    start: 'hello',
    steps: [
      { id: 'hello', say: t('こんにちは'), next: 'a' },
      {
        id: 'a',
        branch: [{ when: { field: 'customer.segment', equals: 'x' }, goto: 'b' }],
        otherwise: 'bye',
      },
      {
        id: 'b',
        branch: [{ when: { field: 'customer.segment', equals: 'x' }, goto: 'a' }],
        otherwise: 'bye',
      },
      { id: 'bye', end: { disposition: 'done' } },
    ],
  });

  it(`stops a loop of branch steps after ${MAX_BRANCH_HOPS} hops`, () => {
    const x: ScriptContext = { customer: { segment: 'x' }, callback: null };
    const s = start(loop, x);
    expect(code(() => advance(loop, s, x))).toBe('branch_loop');
    expect(advance(loop, s, ctx).current).toBe('bye');
  });

  it('evaluates equals / in / gte / lte on answers, customer and callback fields', () => {
    const c: ScriptContext = {
      customer: { segment: 'heavy', purchaseCount: 12, note: '12' },
      callback: { campaign: 'renewal' },
    };
    const a = { q: 'yes', n: 5, b: true };
    expect(matches({ field: 'answers.q', equals: 'yes' }, a, c)).toBe(true);
    expect(matches({ field: 'answers.b', equals: true }, a, c)).toBe(true);
    expect(matches({ field: 'answers.b', in: ['true'] }, a, c)).toBe(false);
    expect(matches({ field: 'answers.n', gte: 5, lte: 5 }, a, c)).toBe(true);
    expect(matches({ field: 'answers.n', gte: 6 }, a, c)).toBe(false);
    expect(matches({ field: 'customer.purchaseCount', gte: 10 }, a, c)).toBe(true);
    expect(matches({ field: 'customer.note', gte: 10 }, a, c)).toBe(false); // numbers only
    expect(matches({ field: 'customer.purchaseCount', equals: '12' }, a, c)).toBe(false); // no coercion
    expect(matches({ field: 'customer.segment', in: ['heavy', 'repeat'] }, a, c)).toBe(true);
    expect(matches({ field: 'callback.campaign', equals: 'renewal' }, a, c)).toBe(true);
    expect(
      matches({ field: 'callback.campaign', equals: 'renewal' }, a, { ...c, callback: null }),
    ).toBe(false);
    // missing values never match, even "lte" and prototype names
    expect(matches({ field: 'answers.missing', lte: 100 }, a, c)).toBe(false);
    expect(matches({ field: 'answers.constructor' }, a, c)).toBe(false);
    expect(matches({ field: 'customer.toString' }, a, c)).toBe(false);
    expect(matches({ field: 'customer.segment' }, a, c)).toBe(true);
  });

  it('the first matching branch wins', () => {
    const s = answer(script, atReason(), 'other', ctx);
    expect(answer(script, s, 9, ctx).current).toBe('promoter');
    expect(answer(script, s, 7, ctx).current).toBe('done');
  });
});

describe('purity', () => {
  it('never changes the session it was given', () => {
    const s0 = deepFreeze(start(script, ctx));
    const s1 = deepFreeze(confirm(script, s0));
    const s2 = deepFreeze(advance(script, s1, ctx));
    const s3 = deepFreeze(answer(script, s2, 'buy', ctx));
    const s4 = deepFreeze(back(script, s3));
    const s5 = deepFreeze(openObjection(script, s4, 'too_busy'));
    const s6 = deepFreeze(closeObjection(script, s5, ctx));
    expect(s6.current).toBe('callback_end');
    expect(s0.current).toBe('greet');
    expect(s3.history).toEqual(['greet', 'reason']);
    expect(s4.current).toBe('reason');
  });
});
