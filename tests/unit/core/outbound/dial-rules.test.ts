import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DialBlock, OptOutLevel, type CallbackStatus } from '../../../../preload/contract';
import { windowBlock } from '../../../../main/core/outbound/calling-window';
import {
  dialBlocks,
  manualDialBlocks,
  optOutForbids,
  type DialFacts,
} from '../../../../main/core/outbound/dial-rules';
import {
  at,
  campaign,
  check,
  DAY,
  instantArb,
  MINUTE,
  PROPERTY_TIMEOUT,
  RUNS,
  windowArb,
  zonesArb,
} from './fixtures';

const NOW = at('2026-11-20T11:00'); // a Friday morning in Tokyo

function facts(
  over: Partial<Omit<DialFacts, 'callback'>> = {},
  cb: Partial<DialFacts['callback']> = {},
): DialFacts {
  return {
    now: NOW,
    campaign: campaign(),
    callback: {
      status: 'pending',
      dueAt: NOW - DAY,
      nextAt: null,
      expiresAt: null,
      attempts: 0,
      promised: false,
      ...cb,
    },
    optOut: 'none',
    zones: ['Asia/Tokyo'],
    lastAttemptAt: null,
    customerAttemptsToday: 0,
    customerAttemptsWeek: 0,
    callerIdAvailable: true,
    noticeSentAt: null,
    ...over,
  };
}

describe('optOutForbids and manual dials', () => {
  it('stops marketing at a marketing opt-out, everything at "all"', () => {
    expect(optOutForbids('none', true)).toBe(false);
    expect(optOutForbids('marketing', true)).toBe(true);
    expect(optOutForbids('marketing', false)).toBe(false);
    expect(optOutForbids('all', false)).toBe(true);
    expect(optOutForbids('all', true)).toBe(true);
  });

  it('refuses a manual dial only at "all"', () => {
    expect(manualDialBlocks('none')).toEqual([]);
    expect(manualDialBlocks('marketing')).toEqual([]);
    expect(manualDialBlocks('all')).toEqual(['opted_out']);
  });
});

describe('dialBlocks', () => {
  it('lets a due, pending callback within every limit be dialled', () => {
    expect(dialBlocks(facts())).toEqual([]);
  });

  it.each<[string, DialFacts, DialBlock]>([
    ['an "all" opt-out', facts({ optOut: 'all' }), 'opted_out'],
    [
      'a marketing opt-out on a marketing campaign',
      facts({ optOut: 'marketing', campaign: campaign({ marketing: true }) }),
      'opted_out',
    ],
    ['the evening', facts({ now: at('2026-11-20T20:00') }, { dueAt: 0 }), 'outside_window'],
    ['a Saturday', facts({ now: at('2026-11-21T11:00') }, { dueAt: 0 }), 'day_not_allowed'],
    ['勤労感謝の日', facts({ now: at('2026-11-23T11:00') }, { dueAt: 0 }), 'holiday'],
    ['attempts used up', facts({}, { attempts: 3 }), 'attempt_limit'],
    ['two calls today', facts({ customerAttemptsToday: 2 }), 'customer_day_limit'],
    ['five calls this week', facts({ customerAttemptsWeek: 5 }), 'customer_week_limit'],
    ['a call 59 minutes ago', facts({ lastAttemptAt: NOW - 59 * MINUTE }), 'too_soon'],
    ['every caller ID at its cap', facts({ callerIdAvailable: false }), 'caller_id_cap'],
    ['no notice sent', facts({ campaign: campaign({ noticeDaysBefore: 3 }) }), 'notice_missing'],
    [
      'a notice sent two days ago of three',
      facts({ campaign: campaign({ noticeDaysBefore: 3 }), noticeSentAt: NOW - 2 * DAY }),
      'notice_missing',
    ],
    ['a due time still ahead', facts({}, { dueAt: NOW + 1 }), 'not_due'],
    ['a retry time still ahead', facts({}, { dueAt: NOW - DAY, nextAt: NOW + MINUTE }), 'not_due'],
    ['its expiry reached', facts({}, { expiresAt: NOW }), 'expired'],
    ['a done callback', facts({}, { status: 'done' }), 'closed'],
    ['an attempt under way', facts({}, { status: 'dialing' }), 'closed'],
  ])('blocks on %s', (_, f, block) => {
    expect(dialBlocks(f)).toEqual([block]);
  });

  it.each<[string, DialFacts]>([
    ['a marketing opt-out on a service campaign', facts({ optOut: 'marketing' })],
    ['one attempt left', facts({}, { attempts: 2 })],
    ['exactly the minimum interval', facts({ lastAttemptAt: NOW - 60 * MINUTE })],
    [
      'a notice exactly three days ago',
      facts({ campaign: campaign({ noticeDaysBefore: 3 }), noticeSentAt: NOW - 3 * DAY }),
    ],
    [
      'a same-day notice when none is required beforehand',
      facts({ campaign: campaign({ noticeDaysBefore: 0 }), noticeSentAt: NOW }),
    ],
    ['a retry time just reached', facts({}, { dueAt: NOW + DAY, nextAt: NOW })],
    ['an expiry a millisecond away', facts({}, { expiresAt: NOW + 1 })],
  ])('does not block on %s', (_, f) => {
    expect(dialBlocks(f)).toEqual([]);
  });

  it('lists every reason at once, in the contract’s order', () => {
    const all = dialBlocks(
      facts(
        {
          now: at('2026-05-03T21:00'), // 憲法記念日, a Sunday, after hours
          optOut: 'all',
          campaign: campaign({ noticeDaysBefore: 1 }),
          lastAttemptAt: at('2026-05-03T20:59'),
          customerAttemptsToday: 9,
          customerAttemptsWeek: 9,
          callerIdAvailable: false,
        },
        {
          status: 'stopped',
          attempts: 9,
          dueAt: at('2026-05-04T09:00'),
          expiresAt: at('2026-05-01T00:00'),
        },
      ),
    );
    expect(all).toEqual(DialBlock.options);
  });
});

// ---------- property: the list is exactly the rules that fail ----------

const statusArb = fc.constantFrom<CallbackStatus>(
  'pending',
  'pending',
  'pending',
  'dialing',
  'done',
);
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null, freq: 3 });
const nearNow = (now: number, span: number) =>
  fc.integer({ min: -span, max: span }).map((d) => now + d);

const factsArb: fc.Arbitrary<DialFacts> = fc
  .record({
    now: instantArb,
    window: windowArb,
    zones: zonesArb,
    marketing: fc.boolean(),
    maxAttempts: fc.integer({ min: 1, max: 5 }),
    minIntervalMin: fc.integer({ min: 0, max: 600 }),
    maxPerDay: fc.integer({ min: 1, max: 3 }),
    maxPerWeek: fc.integer({ min: 1, max: 8 }),
    noticeDaysBefore: maybe(fc.integer({ min: 0, max: 5 })),
    optOut: fc.constantFrom(...OptOutLevel.options),
    status: statusArb,
    attempts: fc.integer({ min: 0, max: 6 }),
    today: fc.integer({ min: 0, max: 4 }),
    week: fc.integer({ min: 0, max: 10 }),
    callerIdAvailable: fc.boolean(),
    promised: fc.boolean(),
  })
  .chain((r) =>
    fc
      .record({
        dueAt: nearNow(r.now, 2 * DAY),
        nextAt: maybe(nearNow(r.now, DAY)),
        expiresAt: maybe(nearNow(r.now, 3 * DAY)),
        lastAttemptAt: maybe(nearNow(r.now, 12 * 60 * MINUTE)),
        noticeSentAt: maybe(nearNow(r.now, 6 * DAY)),
      })
      .map((t): DialFacts => ({
        now: r.now,
        campaign: campaign({
          marketing: r.marketing,
          window: r.window,
          maxAttempts: r.maxAttempts,
          minIntervalMin: r.minIntervalMin,
          maxPerCustomerPerDay: r.maxPerDay,
          maxPerCustomerPerWeek: r.maxPerWeek,
          noticeDaysBefore: r.noticeDaysBefore,
        }),
        callback: {
          status: r.status,
          dueAt: t.dueAt,
          nextAt: t.nextAt,
          expiresAt: t.expiresAt,
          attempts: r.attempts,
          promised: r.promised,
        },
        optOut: r.optOut,
        zones: r.zones,
        lastAttemptAt: t.lastAttemptAt,
        customerAttemptsToday: r.today,
        customerAttemptsWeek: r.week,
        callerIdAvailable: r.callerIdAvailable,
        noticeSentAt: t.noticeSentAt,
      })),
  );

const WINDOW_REASONS = new Set<DialBlock>(['outside_window', 'day_not_allowed', 'holiday']);

describe('dialBlocks properties', () => {
  it(
    'is empty exactly when every rule holds, and names each rule that fails',
    () => {
      fc.assert(
        fc.property(factsArb, (f) => {
          const c = f.campaign;
          const cb = f.callback;
          const blocks = dialBlocks(f);
          const shut = windowBlock(c.window, f.zones, f.now);
          const fails: Partial<Record<DialBlock, boolean>> = {
            opted_out: f.optOut === 'all' || (f.optOut === 'marketing' && c.marketing),
            attempt_limit: cb.attempts >= c.maxAttempts,
            customer_day_limit: f.customerAttemptsToday >= c.maxPerCustomerPerDay,
            customer_week_limit: f.customerAttemptsWeek >= c.maxPerCustomerPerWeek,
            too_soon:
              f.lastAttemptAt !== null && f.now - f.lastAttemptAt < c.minIntervalMin * MINUTE,
            caller_id_cap: !f.callerIdAvailable,
            notice_missing:
              c.noticeDaysBefore !== null &&
              (f.noticeSentAt === null || f.now - f.noticeSentAt < c.noticeDaysBefore * DAY),
            not_due: f.now < (cb.nextAt ?? cb.dueAt),
            expired: cb.expiresAt !== null && f.now >= cb.expiresAt,
            closed: cb.status !== 'pending',
          };
          // Plain checks, not expect(): this runs 10,000 times and must stay well under 1 ms.
          for (const [rule, failed] of Object.entries(fails)) {
            check(blocks.includes(rule as DialBlock) === failed, `${rule} should be ${failed}`);
          }
          // The window's main reason is always among them; no window reason when it is open.
          const windowReasons = blocks.filter((b) => WINDOW_REASONS.has(b));
          check(shut === null || blocks.includes(shut), `missing ${shut}`);
          check((windowReasons.length === 0) === (shut === null), 'window reasons without a block');
          const anyFails = Object.values(fails).some(Boolean);
          check((blocks.length === 0) === (shut === null && !anyFails), 'empty iff all rules hold');
          // Ordered as the contract's enum, no repeats.
          const idx = blocks.map((b) => DialBlock.options.indexOf(b));
          check(
            idx.every((v, i) => i === 0 || v > idx[i - 1]!),
            `out of order: ${blocks.join(',')}`,
          );
        }),
        { numRuns: RUNS },
      );
    },
    PROPERTY_TIMEOUT,
  );
});
