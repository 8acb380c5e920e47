// Random interleavings of what agents and the CRM do, with the CRM failing in every way it
// can, checked against the data rules after every step and once the CRM has recovered:
//   (a) an opt-out is never weakened or lost, and the CRM ends up holding every local one;
//   (b) a note version is never overwritten, and the CRM ends up with each exactly once;
//   (c) nothing is dropped: an outbox row leaves only when the CRM acknowledged it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizePhone } from '../../../../main/core/customers/phone-number';
import type { CrmErrorKind, OptOutLevel } from '../../../../main/core/sync/crm/adapter';
import { createHarness, type FailMode, type Harness } from './fake-crm';

const CUSTOMERS = [
  {
    crmId: '101',
    name: '山田 太郎',
    kana: 'ヤマダ タロウ',
    phones: ['03-5555-0101', '090-1234-5678'],
  },
  { crmId: '102', name: '佐藤 花子', kana: 'サトウ ハナコ', phones: ['06-1234-5678'] },
  { crmId: '103', name: '鈴木 一郎', kana: null, phones: ['045-123-4567'] },
] as const;
/** Every customer number, and one no customer owns. */
const NUMBERS = [
  ...CUSTOMERS.flatMap((c) => c.phones.map((p) => normalizePhone(p).e164!)),
  '+81921234567',
];
const OWNER = NUMBERS.map((n) => {
  const c = CUSTOMERS.find((x) => x.phones.some((p) => normalizePhone(p).e164 === n));
  return c ? `crm-${c.crmId}` : null;
});
const RANK: Record<OptOutLevel, number> = { none: 0, marketing: 1, all: 2 };
const KINDS: CrmErrorKind[] = [
  'network',
  'timeout',
  'rate_limited',
  'server',
  'bad_reply',
  'conflict',
  'rejected',
  'auth',
];

type LocalOp =
  | { t: 'newNote'; customer: number | null; body: string }
  | { t: 'nextVersion'; note: number; body: string }
  | { t: 'optOut'; number: number; scope: 'marketing' | 'all' }
  /** A call logged (again): its outbox row has a fixed key and is replaced, not added. */
  | { t: 'logCall'; call: number; outcome: Outcome };

const OUTCOMES = ['answered', 'missed', 'rejected', 'busy', 'no_answer', 'failed'] as const;
type Outcome = (typeof OUTCOMES)[number];

type Op =
  | (LocalOp & { kick: boolean })
  | { t: 'crmOptOut'; customer: number; level: OptOutLevel }
  | { t: 'fail'; on: 'push' | 'pull' | 'any'; mode: FailMode; times: number; retryAfterMs?: number }
  | { t: 'duringPush'; op: LocalOp }
  /** The call whose push is on the wire is logged again (it ended, its quality came in…). */
  | { t: 'relogInFlight'; outcome: Outcome }
  | { t: 'fire' }
  | { t: 'advance'; ms: number }
  | { t: 'syncNow' }
  | { t: 'kick' }
  | { t: 'revive' };

const body = fc.oneof(
  fc.constantFrom('折り返し希望', '住所変更あり', 'Called back, no answer', ''),
  fc.string({ maxLength: 12 }),
);
const localOp: fc.Arbitrary<LocalOp> = fc.oneof(
  fc.record({
    t: fc.constant('newNote' as const),
    customer: fc.option(fc.nat({ max: CUSTOMERS.length - 1 }), { nil: null }),
    body,
  }),
  fc.record({ t: fc.constant('nextVersion' as const), note: fc.nat({ max: 9 }), body }),
  fc.record({
    t: fc.constant('optOut' as const),
    number: fc.nat({ max: NUMBERS.length - 1 }),
    scope: fc.constantFrom('marketing' as const, 'all' as const),
  }),
  fc.record({
    t: fc.constant('logCall' as const),
    call: fc.nat({ max: 2 }),
    outcome: fc.constantFrom(...OUTCOMES),
  }),
);
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(localOp, fc.boolean()).map(([o, kick]) => ({ ...o, kick })) },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant('crmOptOut' as const),
      customer: fc.nat({ max: CUSTOMERS.length - 1 }),
      level: fc.constantFrom<OptOutLevel>('none', 'marketing', 'all'),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record(
      {
        t: fc.constant('fail' as const),
        on: fc.constantFrom('push' as const, 'pull' as const, 'any' as const),
        mode: fc.constantFrom<FailMode>(...KINDS, 'lost', 'crash'),
        times: fc.integer({ min: 1, max: 3 }),
        retryAfterMs: fc.integer({ min: 0, max: 120_000 }),
      },
      { requiredKeys: ['t', 'on', 'mode', 'times'] },
    ),
  },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('duringPush' as const), op: localOp }) },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('relogInFlight' as const),
      outcome: fc.constantFrom(...OUTCOMES),
    }),
  },
  { weight: 5, arbitrary: fc.constant({ t: 'fire' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('advance' as const),
      ms: fc.integer({ min: 0, max: 600_000 }),
    }),
  },
  { weight: 2, arbitrary: fc.constant({ t: 'syncNow' as const }) },
  { weight: 1, arbitrary: fc.constant({ t: 'kick' as const }) },
  { weight: 1, arbitrary: fc.constant({ t: 'revive' as const }) },
);

interface Model {
  notes: string[];
  /** Every version ever saved, with its original body and idempotency key. */
  versions: { noteId: string; version: number; body: string; key: string }[];
  /** Strongest level ever asked for locally, per number. */
  asked: Map<string, OptOutLevel>;
  optOutRows: number;
  /** The last outcome logged per call id. */
  calls: Map<string, Outcome>;
}

function runLocal(h: Harness, m: Model, o: LocalOp): void {
  if (o.t === 'logCall') {
    const id = `call-${o.call}`;
    const startedAt = 1_700_000_000_000 + o.call * 3600_000;
    h.interactions.logCall({
      id,
      customerId: 'crm-101',
      kind: 'call',
      direction: 'inbound',
      number: NUMBERS[0]!,
      startedAt,
      answeredAt: o.outcome === 'answered' ? startedAt + 4000 : null,
      endedAt: startedAt + 60_000,
      durationSec: o.outcome === 'answered' ? 56 : null,
      outcome: o.outcome,
      endReason: null,
      quality: null,
    });
    m.calls.set(id, o.outcome);
    return;
  }
  if (o.t === 'optOut') {
    const e164 = NUMBERS[o.number]!;
    h.optOuts.record({
      e164,
      customerId: OWNER[o.number]!,
      scope: o.scope,
      source: 'agent',
      reason: null,
    });
    const was = m.asked.get(e164) ?? 'none';
    if (RANK[o.scope] > RANK[was]) m.asked.set(e164, o.scope);
    return;
  }
  const note =
    o.t === 'newNote'
      ? h.notes.save({
          customerId: o.customer === null ? null : `crm-${CUSTOMERS[o.customer]!.crmId}`,
          interactionId: null,
          body: o.body,
        })
      : m.notes.length === 0
        ? null
        : h.notes.save({
            noteId: m.notes[o.note % m.notes.length]!,
            customerId: null,
            interactionId: null,
            body: o.body,
          });
  if (!note) return;
  if (note.version === 1) m.notes.push(note.noteId);
  const key = h.db
    .prepare<[string, number], string>(
      'SELECT sync_key FROM note_versions WHERE note_id = ? AND version = ?',
    )
    .pluck()
    .get(note.noteId, note.version)!;
  m.versions.push({ noteId: note.noteId, version: note.version, body: o.body, key });
}

function checkAlways(h: Harness, m: Model): void {
  // (a) never weakened, never lost.
  for (const n of NUMBERS) {
    const level = RANK[h.optOuts.levelFor(n)];
    expect(level).toBeGreaterThanOrEqual(RANK[m.asked.get(n) ?? 'none']);
    expect(level).toBeGreaterThanOrEqual(RANK[h.crm.seenOptOut.get(n) ?? 'none']);
  }
  const optOutRows = h.optOuts.count();
  expect(optOutRows).toBeGreaterThanOrEqual(m.optOutRows);
  m.optOutRows = optOutRows;

  // (b) every version ever saved is there with its original body.
  const rows = h.db
    .prepare<[], { noteId: string; version: number; body: string; key: string }>(
      'SELECT note_id AS noteId, version, body, sync_key AS key FROM note_versions',
    )
    .all();
  expect(rows).toHaveLength(m.versions.length);
  const byKey = new Map(rows.map((r) => [r.key, r]));
  for (const v of m.versions) expect(byKey.get(v.key)).toEqual(v);

  // (c) an outbox row leaves only when the CRM acknowledged it.
  const inOutbox = new Set(h.db.prepare<[], string>('SELECT key FROM outbox').pluck().all());
  for (const key of h.enqueued) {
    if (!inOutbox.has(key)) expect(h.crm.acked.has(key), `outbox row ${key} dropped`).toBe(true);
  }
}

interface Hooks {
  op: LocalOp | null;
  relog: Outcome | null;
}

async function step(h: Harness, m: Model, o: Op, hook: Hooks): Promise<void> {
  switch (o.t) {
    case 'newNote':
    case 'nextVersion':
    case 'optOut':
    case 'logCall':
      runLocal(h, m, o);
      if (o.kick) h.engine.kick(); // what core.ts does after a save
      break;
    case 'crmOptOut':
      h.crm.setOptOut(CUSTOMERS[o.customer]!.crmId, o.level);
      break;
    case 'fail':
      h.crm.failNext(o.mode, o.on, o.times, o.retryAfterMs);
      break;
    case 'duringPush':
      hook.op = o.op;
      break;
    case 'relogInFlight':
      hook.relog = o.outcome;
      break;
    case 'fire':
      if (h.timer()) await h.fire();
      break;
    case 'advance':
      h.advance(o.ms);
      break;
    case 'syncNow':
      await h.engine.syncNow();
      break;
    case 'kick':
      h.engine.kick();
      break;
    case 'revive':
      if (h.outbox.revive() > 0) h.engine.kick();
      break;
  }
  await h.settle();
}

async function scenario(ops: Op[], pageSize: number, lookBackMs: number): Promise<void> {
  const h = createHarness({ pageSize, lookBackMs, backoff: { initialMs: 1000, maxMs: 300_000 } });
  try {
    for (const c of CUSTOMERS) {
      const customer = {
        crmId: c.crmId,
        name: c.name,
        nameKana: c.kana,
        segment: 'repeat' as const,
        phones: [...c.phones],
      };
      h.crm.putCustomer(customer);
      h.customers.upsert({ ...customer, id: `crm-${c.crmId}` });
    }
    const m: Model = {
      notes: [],
      versions: [],
      asked: new Map(),
      optOutRows: 0,
      calls: new Map(),
    };
    const hook: Hooks = { op: null, relog: null };
    // An agent saving or opting out while a push is on the wire.
    h.crm.onRequest = (kind, item) => {
      if (kind !== 'push') return;
      if (hook.relog && item?.kind === 'call_log') {
        const outcome = hook.relog;
        hook.relog = null;
        const call = Number(item.payload.interactionId.slice('call-'.length));
        runLocal(h, m, { t: 'logCall', call, outcome });
      }
      if (!hook.op) return;
      const o = hook.op;
      hook.op = null;
      runLocal(h, m, o);
      h.engine.kick();
    };
    h.setRandom(() => 0.5);
    await h.start();
    checkAlways(h, m);
    for (const o of ops) {
      await step(h, m, o, hook);
      checkAlways(h, m);
    }

    // The CRM recovers; the agent retries the dead letters and presses "sync now".
    h.crm.failures = [];
    h.crm.down = null;
    hook.op = null;
    hook.relog = null;
    h.outbox.revive();
    await h.engine.syncNow();
    await h.settle();
    checkAlways(h, m);

    expect(h.engine.status()).toMatchObject({ state: 'idle', pending: 0, deadLetters: 0 });
    // One round at a time: never two requests on the wire at once.
    expect(h.crm.maxConcurrent).toBeLessThanOrEqual(1);
    expect(h.db.prepare('SELECT count(*) FROM outbox').pluck().get()).toBe(0);

    // (b) each version exactly once on the CRM: nothing lost, nothing duplicated.
    const crmNotes = [...h.crm.items.values()].flatMap((s) =>
      s.item.kind === 'note' ? [s.item] : [],
    );
    expect(crmNotes).toHaveLength(m.versions.length);
    expect(new Set(crmNotes.map((i) => `${i.payload.noteId}#${i.payload.version}`)).size).toBe(
      m.versions.length,
    );
    for (const v of m.versions) {
      const stored = h.crm.items.get(v.key)?.item;
      expect(stored?.kind === 'note' && stored.payload).toMatchObject({
        noteId: v.noteId,
        version: v.version,
        body: v.body,
      });
    }
    // A call logged again, even while its first push was on the wire, ends up as last logged.
    for (const [id, outcome] of m.calls) {
      const stored = h.crm.items.get(`call:${id}`)?.item;
      expect(stored?.kind === 'call_log' && stored.payload.outcome).toBe(outcome);
    }
    // Our notes and calls came back in the pulls and were not added to the timeline.
    expect(
      h.db.prepare("SELECT count(*) FROM interactions WHERE source = 'crm'").pluck().get(),
    ).toBe(0);

    // (a) the CRM holds every opt-out decided here.
    const agentRows = h.db
      .prepare<[], { e164: string; scope: OptOutLevel }>(
        "SELECT e164, scope FROM opt_outs WHERE source = 'agent'",
      )
      .all();
    for (const r of agentRows) {
      expect(RANK[h.crm.pushedOptOut(r.e164)]).toBeGreaterThanOrEqual(RANK[r.scope]);
    }
    for (const n of NUMBERS) {
      expect(RANK[h.optOuts.levelFor(n)]).toBeGreaterThanOrEqual(RANK[m.asked.get(n) ?? 'none']);
    }
  } finally {
    await h.close();
  }
}

const NUM_RUNS = process.env.CI ? 500 : 200;

describe('sync under random interleavings and failures', () => {
  it('never weakens an opt-out, never overwrites or loses a note version, never drops a change', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(op, { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 3 }),
        fc.constantFrom(0, 1000, 300_000),
        scenario,
      ),
      { numRuns: NUM_RUNS },
    );
  }, 120_000);

  it('a long outage with every kind of failure still ends with everything on the CRM', async () => {
    const heavy = fc.array(
      fc.oneof(
        op,
        fc.constant<Op>({ t: 'fail', on: 'any', mode: 'lost', times: 3 }),
        fc.constant<Op>({ t: 'fail', on: 'push', mode: 'auth', times: 1 }),
      ),
      { minLength: 40, maxLength: 120 },
    );
    await fc.assert(fc.asyncProperty(heavy, fc.constant(2), fc.constant(300_000), scenario), {
      numRuns: Math.round(NUM_RUNS / 5),
    });
  }, 120_000);
});
