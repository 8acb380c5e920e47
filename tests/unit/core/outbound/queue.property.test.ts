// The outbound rules as a whole, over random days: the real queue and service on a real
// SQLite database, a random set of campaigns, customers in several time zones (DST, Japanese
// holidays), callbacks, DM notices, and a random run of events — the clock moving on,
// opt-outs arriving from the agent, the CRM or an import at any moment, the agent working
// the queue, dialling a callback the screen never offered, dialling by hand, calls ending
// busy, unanswered or answered with any disposition. Whatever happens:
//   - no dial reaches the phone for an opted-out number, outside the callback's window, over
//     an attempt limit, too soon, over a caller-ID cap or before the DM went out;
//   - a promised callback that is due and allowed is never passed over for other work.
// Every check below is made from the database with its own SQL and luxon, not through the
// code under test.
import BetterSqlite3 from 'better-sqlite3';
import fc from 'fast-check';
import holidayJp from '@holiday-jp/holiday_jp';
import { DateTime } from 'luxon';
import { beforeAll, describe, it } from 'vitest';
import type { Campaign, DispositionEffect, TimelineEntry } from '../../../../preload/contract';
import { silentLogger } from '../../../../main/core/log';
import { createOutboundDesk } from '../../../../main/core/outbound/outbound-desk';
import { RpcFailure } from '../../../../main/core/rpc/dispatcher';
import { createCustomerRepo } from '../../../../main/core/store/customers';
import { openDatabase, type Database } from '../../../../main/core/store/db';
import { createOutboxRepo } from '../../../../main/core/store/outbox';
import { check, DAY, MINUTE, PROPERTY_TIMEOUT, RUNS } from './fixtures';

// ---------- the world of one case ----------

const ZONES = [
  'Asia/Tokyo',
  'America/New_York',
  'America/Los_Angeles',
  'Europe/London',
  'Australia/Sydney',
  null, // no zone: from the number
] as const;
const NUMBERS = ['+81355550101', '+819012345678', '+81612345678', '+12125550123', '+442079460000'];

interface World {
  campaigns: Campaign[];
  customers: { zone: string | null; number: string }[];
  callbacks: {
    customer: number;
    campaign: number;
    promised: boolean;
    owner: 'me' | 'pool';
    priority: number;
    dueOffsetMin: number;
    expiresAfterMin: number | null;
  }[];
  notices: { customer: number; campaign: number | null; daysBefore: number }[];
  start: number;
  events: Event[];
}

type Event =
  | { t: 'advance'; minutes: number }
  | {
      t: 'optOut';
      customer: number;
      scope: 'all' | 'marketing';
      source: 'agent' | 'crm' | 'import';
    }
  | { t: 'work'; outcome: Outcome; disposition: number; rescheduleMin: number }
  | { t: 'dialAny'; callback: number; outcome: Outcome }
  | { t: 'dialManual'; customer: number; outcome: Outcome };
type Outcome = 'answered' | 'busy' | 'no_answer' | 'failed';

const hhmm = (h: number, m: number) =>
  `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
// Mostly day windows of different widths; now and then one through midnight or all day.
const windowTimes = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .tuple(
        fc.integer({ min: 6, max: 12 }),
        fc.integer({ min: 14, max: 23 }),
        fc.constantFrom(0, 30),
      )
      .map(([a, b, m]) => [hhmm(a, m), hhmm(b, 0)] as const),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 18, max: 23 }), fc.integer({ min: 0, max: 5 }))
      .map(([a, b]) => [hhmm(a, 0), hhmm(b, 30)] as const),
  },
  { weight: 1, arbitrary: fc.constant(['00:00', '00:00'] as const) },
);

const effects: DispositionEffect[] = ['done', 'retry', 'reschedule', 'stop', 'opt_out'];

const campaignArb = (i: number): fc.Arbitrary<Campaign> =>
  fc
    .record({
      marketing: fc.boolean(),
      hours: windowTimes,
      days: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 4, maxLength: 7 }),
      holidays: fc.boolean(),
      maxAttempts: fc.integer({ min: 1, max: 4 }),
      minIntervalMin: fc.integer({ min: 0, max: 240 }),
      perDay: fc.integer({ min: 1, max: 3 }),
      perWeek: fc.integer({ min: 1, max: 6 }),
      retry: fc.integer({ min: 0, max: 600 }),
      callerIds: fc.integer({ min: 0, max: 3 }),
      cap: fc.integer({ min: 1, max: 4 }),
      notice: fc.oneof(
        { weight: 3, arbitrary: fc.constant(null) },
        { weight: 1, arbitrary: fc.integer({ min: 1, max: 5 }) },
      ),
    })
    .map((r) => ({
      id: `camp-${i}`,
      kind: 'renewal' as const,
      name: { ja: `キャンペーン${i}`, en: `Campaign ${i}` },
      marketing: r.marketing,
      window: { start: r.hours[0], end: r.hours[1], days: r.days, holidays: r.holidays },
      maxAttempts: r.maxAttempts,
      minIntervalMin: r.minIntervalMin,
      maxPerCustomerPerDay: r.perDay,
      maxPerCustomerPerWeek: r.perWeek,
      retryAfterMin: { no_answer: r.retry, busy: r.retry, voicemail: r.retry, failed: r.retry },
      callerIds: Array.from({ length: r.callerIds }, (_, k) => `+8150000${i}${k}000`),
      callerIdDailyCap: r.cap,
      noticeDaysBefore: r.notice,
      dispositions: effects.map((effect) => ({
        code: effect,
        label: { ja: effect, en: effect },
        effect,
      })),
      previewSeconds: 0,
    }));

// Instants over 2026–2027, half of them near a DST change or a Japanese holiday.
const SPECIAL_DAYS = [
  '2026-03-08', // US spring forward
  '2026-03-29', // UK spring forward
  '2026-04-05', // Sydney autumn back
  '2026-04-29', // 昭和の日
  '2026-05-04', // Golden Week
  '2026-10-04', // Sydney spring forward
  '2026-10-25', // UK back
  '2026-11-01', // US back
  '2026-11-23', // 勤労感謝の日
  '2027-01-01',
];
const startArb = fc.oneof(
  // Any instant, or a Tokyo working hour on any day, or around a DST change or holiday.
  { weight: 1, arbitrary: fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 11, 31) }) },
  {
    weight: 4,
    arbitrary: fc
      .tuple(fc.integer({ min: 0, max: 729 }), fc.integer({ min: 8 * 60, max: 19 * 60 }))
      .map(([day, min]) => Date.UTC(2026, 0, 1) + day * DAY + (min - 9 * 60) * MINUTE),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom(...SPECIAL_DAYS), fc.integer({ min: -36 * 60, max: 36 * 60 }))
      .map(([day, min]) => Date.parse(`${day}T00:00:00Z`) + min * MINUTE),
  },
);

const outcomeArb = fc.constantFrom<Outcome>('answered', 'busy', 'no_answer', 'failed');

const worldArb: fc.Arbitrary<World> = fc
  .integer({ min: 1, max: 3 })
  .chain((nCampaigns) =>
    fc.record({
      campaigns: fc.tuple(...Array.from({ length: nCampaigns }, (_, i) => campaignArb(i))),
      customers: fc.array(
        fc.record({
          // Mostly customers in Japan, as in a Japanese centre; some abroad, some unknown.
          zone: fc.oneof(
            { weight: 4, arbitrary: fc.constant('Asia/Tokyo') },
            { weight: 3, arbitrary: fc.constant(null) },
            { weight: 2, arbitrary: fc.constantFrom(...ZONES) },
          ),
          number: fc.oneof(
            { weight: 3, arbitrary: fc.constantFrom(...NUMBERS.slice(0, 3)) },
            { weight: 1, arbitrary: fc.constantFrom(...NUMBERS) },
          ),
        }),
        { minLength: 1, maxLength: 8 },
      ),
      nCallbacks: fc.integer({ min: 1, max: 14 }),
      seed: fc.array(fc.nat(), { minLength: 80, maxLength: 80 }),
      start: startArb,
    }),
  )
  .chain((w) =>
    fc
      .record({
        callbacks: fc.array(
          fc.record({
            customer: fc.nat({ max: w.customers.length - 1 }),
            campaign: fc.nat({ max: w.campaigns.length - 1 }),
            promised: fc.boolean(),
            owner: fc.constantFrom<'me' | 'pool'>('me', 'pool'),
            priority: fc.integer({ min: 0, max: 5 }),
            dueOffsetMin: fc.integer({ min: -3 * 24 * 60, max: 6 * 60 }),
            expiresAfterMin: fc.oneof(
              { weight: 3, arbitrary: fc.constant(null) },
              { weight: 1, arbitrary: fc.integer({ min: 1, max: 5 * 24 * 60 }) },
            ),
          }),
          { minLength: 1, maxLength: w.nCallbacks },
        ),
        notices: fc.array(
          fc.record({
            customer: fc.nat({ max: w.customers.length - 1 }),
            campaign: fc.option(fc.nat({ max: w.campaigns.length - 1 }), { nil: null }),
            daysBefore: fc.integer({ min: 0, max: 8 }),
          }),
          { maxLength: 4 },
        ),
        events: fc.array(
          fc.oneof(
            {
              weight: 3,
              arbitrary: fc.record({
                t: fc.constant('advance' as const),
                minutes: fc.oneof(
                  { weight: 3, arbitrary: fc.integer({ min: 1, max: 240 }) },
                  { weight: 1, arbitrary: fc.integer({ min: 240, max: 36 * 60 }) },
                ),
              }),
            },
            {
              weight: 1,
              arbitrary: fc.record({
                t: fc.constant('optOut' as const),
                customer: fc.nat({ max: w.customers.length - 1 }),
                scope: fc.constantFrom<'all' | 'marketing'>('all', 'marketing'),
                source: fc.constantFrom<'agent' | 'crm' | 'import'>('agent', 'crm', 'import'),
              }),
            },
            {
              weight: 6,
              arbitrary: fc.record({
                t: fc.constant('work' as const),
                outcome: outcomeArb,
                disposition: fc.nat({ max: effects.length - 1 }),
                rescheduleMin: fc.integer({ min: -60, max: 3 * 24 * 60 }),
              }),
            },
            {
              weight: 2,
              arbitrary: fc.record({
                t: fc.constant('dialAny' as const),
                callback: fc.nat({ max: 20 }),
                outcome: outcomeArb,
              }),
            },
            {
              weight: 1,
              arbitrary: fc.record({
                t: fc.constant('dialManual' as const),
                customer: fc.nat({ max: w.customers.length - 1 }),
                outcome: outcomeArb,
              }),
            },
          ),
          { minLength: 1, maxLength: 16 },
        ),
      })
      .map((r) => ({ ...r, campaigns: w.campaigns, customers: w.customers, start: w.start })),
  );

// ---------- the oracle: the rules read straight from the database ----------

const toMin = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3));

function windowOpen(c: Campaign, zones: string[], at: number): boolean {
  const start = toMin(c.window.start);
  const end = toMin(c.window.end);
  return zones.every((zone) => {
    const dt = DateTime.fromMillis(at, { zone });
    const m = dt.hour * 60 + dt.minute;
    const inHours = start === end || (start < end ? m >= start && m < end : m >= start || m < end);
    const holiday = holidayJp.isHoliday(new Date(`${dt.toISODate()}T00:00:00Z`));
    return inHours && c.window.days.includes(dt.weekday) && (c.window.holidays || !holiday);
  });
}

const US_ZONES = [
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Phoenix',
  'America/Los_Angeles',
  'America/Anchorage',
  'Pacific/Honolulu',
];
function oracleZones(zone: string | null, number: string): string[] {
  if (zone) return [zone];
  if (number.startsWith('+81')) return ['Asia/Tokyo'];
  if (number.startsWith('+1')) return US_ZONES;
  if (number.startsWith('+44')) return ['Europe/London'];
  return ['Asia/Tokyo'];
}

// ---------- the run ----------

let template: Buffer;
beforeAll(() => {
  // One migrated database, copied for every case (migrating 10,000 times would dominate).
  const db = openDatabase(':memory:');
  template = db.serialize();
  db.close();
});

function freshDb(): Database {
  const db = new BetterSqlite3(template);
  db.pragma('foreign_keys = ON');
  db.pragma('recursive_triggers = ON');
  return db;
}

interface Dialled {
  at: number;
  e164: string;
  callbackId: string | null;
  callerId: string | undefined;
}

async function runCase(w: World): Promise<void> {
  const db = freshDb();
  let clock = w.start;
  const now = () => clock;
  const dialled: Dialled[] = [];
  let pendingDial: Omit<Dialled, 'callerId'> | null = null;
  let calls = 0;
  try {
    const outbox = createOutboxRepo(db, { now });
    const customers = createCustomerRepo(db, { now });
    const desk = createOutboundDesk(db, outbox, {
      now,
      log: silentLogger,
      customerSummary: (id) => customers.getById(id),
    });
    const { optOuts, callbacks, campaigns, notices, queue } = desk;
    w.campaigns.forEach((c) => campaigns.upsert(c));
    const setZone = db.prepare('UPDATE customers SET time_zone = ? WHERE id = ?');
    w.customers.forEach((c, i) => {
      customers.upsert({ id: `cu${i}`, name: `客${i}`, segment: 'repeat', phones: [c.number] });
      setZone.run(c.zone, `cu${i}`);
    });
    const ids: string[] = [];
    for (const cb of w.callbacks) {
      const cust = w.customers[cb.customer]!;
      const due = clock + cb.dueOffsetMin * MINUTE;
      ids.push(
        callbacks.create({
          customerId: `cu${cb.customer}`,
          e164: cust.number,
          campaign: w.campaigns[cb.campaign]!,
          owner: cb.owner,
          priority: cb.priority,
          promised: cb.promised,
          dueAt: due,
          expiresAt: cb.expiresAfterMin === null ? null : due + cb.expiresAfterMin * MINUTE,
        }).id,
      );
    }
    for (const n of w.notices) {
      notices.record({
        customerId: `cu${n.customer}`,
        campaignId: n.campaign === null ? null : `camp-${n.campaign}`,
        channel: 'dm',
        sentAt: clock - n.daysBefore * DAY,
        source: 'test',
      });
    }
    const service = desk.start({
      dial: async (target, opts) => {
        // The phone: only reached when main let the dial through.
        check(pendingDial !== null, 'a dial reached the phone without going through the rules');
        dialled.push({ ...pendingDial!, callerId: opts.callerId });
        checkDial(dialled[dialled.length - 1]!, target);
        return `call-${++calls}`;
      },
      customerFor: (e164) => {
        const i = w.customers.findIndex((c) => c.number === e164);
        return i < 0 ? null : `cu${i}`;
      },
      agent: () => 'sip:1001@test',
      onChanged: () => {},
    });

    // ----- the oracle's queries -----
    const optOutScopes = db
      .prepare<[string, string | null], string>(
        'SELECT DISTINCT scope FROM opt_outs WHERE e164 = ? OR customer_id = ?',
      )
      .pluck();
    const callbackRow = db.prepare<
      [string],
      { campaign_id: string; customer_id: string; e164: string; time_zone: string | null }
    >('SELECT campaign_id, customer_id, e164, time_zone FROM callbacks WHERE id = ?');
    const attemptsOf = db
      .prepare<[string], number>(
        "SELECT count(*) FROM attempts WHERE callback_id = ? AND outcome IS NOT 'refused_dial'",
      )
      .pluck();
    const customerAttempts = db.prepare<
      [string, string, number],
      { n: number; last: number | null }
    >(
      `SELECT count(*) AS n, max(started_at) AS last FROM attempts
        WHERE (customer_id = ? OR e164 = ?) AND started_at >= ? AND outcome IS NOT 'refused_dial'`,
    );
    const callerIdUse = db
      .prepare<[string, number], number>(
        "SELECT count(*) FROM attempts WHERE caller_id = ? AND started_at >= ? AND outcome IS NOT 'refused_dial'",
      )
      .pluck();
    const noticeAt = db
      .prepare<[string, string], number | null>(
        `SELECT max(sent_at) FROM notices WHERE customer_id = ?
          AND (campaign_id IS NULL OR campaign_id = ?)`,
      )
      .pluck();

    /** Called when the phone is asked to dial: the attempt row is already written. */
    function checkDial(d: Dialled, target: string): void {
      const row = d.callbackId ? callbackRow.get(d.callbackId)! : null;
      const owner = w.customers.findIndex((c) => c.number === d.e164);
      const customerId = row ? row.customer_id : owner < 0 ? null : `cu${owner}`;
      const scopes = optOutScopes.all(d.e164, customerId);
      check(
        !scopes.includes('all'),
        `dialled ${d.e164} (${target}) despite an opt-out of all calls`,
      );
      if (!row) return;
      const c = w.campaigns.find((x) => x.id === row.campaign_id)!;
      const cust = w.customers[Number(row.customer_id.slice(2))]!;
      check(
        !(c.marketing && scopes.includes('marketing')),
        'marketing call to a marketing opt-out',
      );
      const zones = oracleZones(row.time_zone ?? cust.zone, row.e164);
      check(
        windowOpen(c, zones, d.at),
        `dialled outside the window at ${new Date(d.at).toISOString()} (${zones})`,
      );
      // The attempt just written counts: strictly over the limit means one too many.
      check(attemptsOf.get(d.callbackId!)! <= c.maxAttempts, 'over the attempt limit');
      // The latest local midnight among the candidate zones: counts the fewest attempts.
      const dayStart = Math.max(
        ...zones.map((zone) => DateTime.fromMillis(d.at, { zone }).startOf('day').toMillis()),
      );
      const today = customerAttempts.get(row.customer_id, row.e164, dayStart)!;
      check(today.n <= c.maxPerCustomerPerDay, 'over the per-day limit');
      const week = customerAttempts.get(row.customer_id, row.e164, d.at - 7 * DAY + 1)!;
      check(week.n <= c.maxPerCustomerPerWeek, 'over the per-week limit');
      const before = customerAttempts.get(
        row.customer_id,
        row.e164,
        d.at - c.minIntervalMin * MINUTE + 1,
      )!;
      check(before.n <= 1, 'dialled sooner than the minimum interval');
      const presented = d.callerId ?? '';
      check(
        c.callerIds.length === 0 ? presented === '' : c.callerIds.includes(presented),
        `caller ID ${presented} is not the campaign's`,
      );
      const tokyoDay = DateTime.fromMillis(d.at, { zone: 'Asia/Tokyo' }).startOf('day').toMillis();
      check(callerIdUse.get(presented, tokyoDay)! <= c.callerIdDailyCap, 'over the caller-ID cap');
      if (c.noticeDaysBefore !== null) {
        const sent = noticeAt.get(row.customer_id, c.id) ?? null;
        check(sent !== null && d.at - sent >= c.noticeDaysBefore * DAY, 'dialled before the DM');
      }
    }

    const promisedDue = db
      .prepare<[number, number], string>(
        `SELECT id FROM callbacks WHERE status = 'pending' AND promised = 1 AND due_at <= ?
           AND coalesce(next_at, due_at) <= ?`,
      )
      .pluck();

    /** No promised callback that is due and allowed is passed over. */
    function checkNotStarved(
      picked: { id: string; promised: boolean; dueAt: number } | null,
    ): void {
      if (picked && picked.promised && picked.dueAt <= clock) return;
      const waiting = promisedDue.all(clock, clock);
      for (const id of waiting) {
        const blocks = queue.blocksFor(callbacks.get(id)!, clock);
        check(blocks.length > 0, `promised callback ${id} starved by ${picked?.id ?? 'nothing'}`);
      }
    }

    async function place(
      kind: 'queued' | 'manual',
      ref: string,
      outcome: Outcome,
      after?: (callId: string, callbackId: string | null) => void,
    ): Promise<void> {
      const row = kind === 'queued' ? callbackRow.get(ref) : null;
      pendingDial = {
        at: clock,
        e164: row?.e164 ?? ref,
        callbackId: kind === 'queued' ? ref : null,
      };
      let callId: string;
      try {
        callId =
          kind === 'queued' ? await service.dialCallback(ref) : await service.dialManual(ref);
      } catch (err) {
        if (err instanceof RpcFailure) return; // refused: the rules said no
        throw err;
      } finally {
        pendingDial = null;
      }
      clock += MINUTE;
      const entry: TimelineEntry = {
        id: callId,
        kind: 'call',
        direction: 'outbound',
        number: row?.e164 ?? ref,
        startedAt: clock - MINUTE,
        answeredAt: outcome === 'answered' ? clock - 30_000 : null,
        endedAt: clock,
        durationSec: outcome === 'answered' ? 30 : null,
        outcome,
      };
      service.callLogged(entry);
      after?.(callId, kind === 'queued' ? ref : null);
    }

    for (const e of w.events) {
      switch (e.t) {
        case 'advance':
          clock += e.minutes * MINUTE;
          break;
        case 'optOut': {
          const c = w.customers[e.customer]!;
          optOuts.record({
            e164: c.number,
            customerId: `cu${e.customer}`,
            scope: e.scope,
            source: e.source,
            reason: null,
          });
          break;
        }
        case 'work': {
          const next = service.next();
          checkNotStarved(next);
          if (!next) break;
          await place('queued', next.id, e.outcome, (callId) => {
            if (e.outcome !== 'answered') return;
            try {
              service.setDisposition({
                interactionId: callId,
                code: effects[e.disposition]!,
                rescheduleAt: clock + e.rescheduleMin * MINUTE,
              });
            } catch (err) {
              if (!(err instanceof RpcFailure)) throw err;
            }
          });
          break;
        }
        case 'dialAny':
          if (ids.length > 0) await place('queued', ids[e.callback % ids.length]!, e.outcome);
          break;
        case 'dialManual':
          await place('manual', w.customers[e.customer]!.number, e.outcome);
          break;
      }
    }
  } finally {
    db.close();
  }
}

describe('the outbound rules over random days (queue, service, SQLite)', () => {
  it(
    'never dials against an opt-out, a window, a limit, a cap or a missing DM; never starves a promise',
    async () => {
      await fc.assert(fc.asyncProperty(worldArb, runCase), { numRuns: RUNS });
    },
    // ~8 ms a case (a fresh database and its repositories each): 10,000 cases need minutes
    // on a busy 2-core machine.
    Math.max(PROPERTY_TIMEOUT, RUNS * 60),
  );
});
