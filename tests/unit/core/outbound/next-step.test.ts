import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AttemptOutcome, Campaign } from '../../../../preload/contract';
import { nextWindowOpen, windowBlock } from '../../../../main/core/outbound/calling-window';
import { afterCallOutcome, afterDisposition } from '../../../../main/core/outbound/next-step';
import { customerZones } from '../../../../main/core/outbound/time-zones';
import {
  at,
  campaign,
  check,
  DAY,
  instantArb,
  MINUTE,
  PROPERTY_TIMEOUT,
  RUNS,
  wall,
  windowArb,
  zonesArb,
} from './fixtures';

const TOKYO = ['Asia/Tokyo'];
const FRIDAY_11 = at('2026-11-20T11:00');

function outcome(
  o: AttemptOutcome,
  attempts = 1,
  now = FRIDAY_11,
  expiresAt: number | null = null,
) {
  return afterCallOutcome({
    now,
    campaign: campaign(),
    callback: { attempts, expiresAt },
    outcome: o,
    zones: TOKYO,
  });
}

describe('afterCallOutcome', () => {
  it('sends an answered call to wrap-up', () => {
    expect(outcome('answered')).toEqual({ status: 'wrap_up', nextAt: null });
    expect(outcome('answered', 3)).toEqual({ status: 'wrap_up', nextAt: null });
  });

  it('retries after the outcome’s delay, or the minimum interval when that is longer', () => {
    expect(outcome('no_answer')).toEqual({ status: 'pending', nextAt: at('2026-11-20T13:00') });
    expect(outcome('busy')).toEqual({ status: 'pending', nextAt: at('2026-11-20T12:00') });
    expect(outcome('failed')).toEqual({ status: 'pending', nextAt: at('2026-11-20T12:00') });
    expect(outcome('voicemail')).toEqual({ status: 'pending', nextAt: at('2026-11-20T15:00') });
  });

  it('moves a retry that lands after hours to the next opening (past the holiday)', () => {
    const step = outcome('voicemail', 1, at('2026-11-20T17:00'));
    expect(step.status).toBe('pending');
    expect(wall(step.nextAt)).toBe('2026-11-24 09:00');
  });

  it('gives up once the attempts are used', () => {
    for (const o of ['no_answer', 'busy', 'voicemail', 'failed'] as const) {
      expect(outcome(o, 3)).toEqual({ status: 'exhausted', nextAt: null });
      expect(outcome(o, 4)).toEqual({ status: 'exhausted', nextAt: null });
    }
  });

  it('expires when the next opening is at or after the expiry', () => {
    const friday17 = at('2026-11-20T17:00');
    expect(outcome('voicemail', 1, friday17, at('2026-11-23T12:00'))).toEqual({
      status: 'expired',
      nextAt: null,
    });
    expect(outcome('voicemail', 1, friday17, at('2026-11-24T09:00'))).toEqual({
      status: 'expired',
      nextAt: null,
    });
    expect(outcome('voicemail', 1, friday17, at('2026-11-24T09:00') + 1).status).toBe('pending');
  });

  it('expires when the window never opens within the look-ahead', () => {
    const step = afterCallOutcome({
      now: FRIDAY_11,
      campaign: campaign({ window: { start: '09:00', end: '10:00', days: [1], holidays: false } }),
      callback: { attempts: 1, expiresAt: null },
      outcome: 'no_answer',
      zones: ['Asia/Tokyo', 'America/New_York'],
    });
    expect(step).toEqual({ status: 'expired', nextAt: null });
  });

  it('keeps a refused dial pending from the next minute, without counting it as a try', () => {
    expect(outcome('refused_dial', 3)).toEqual({
      status: 'pending',
      nextAt: FRIDAY_11 + MINUTE,
    });
    const late = outcome('refused_dial', 1, at('2026-11-20T19:59:30'));
    expect(wall(late.nextAt)).toBe('2026-11-24 09:00');
    expect(outcome('refused_dial', 1, FRIDAY_11, FRIDAY_11 + MINUTE).status).toBe('expired');
  });
});

describe('afterDisposition', () => {
  const base = {
    now: FRIDAY_11,
    campaign: campaign(),
    callback: { attempts: 1, expiresAt: null },
    zones: TOKYO,
  };

  it('closes on done, stop and opt-out', () => {
    expect(afterDisposition({ ...base, effect: 'done' })).toEqual({ status: 'done', nextAt: null });
    expect(afterDisposition({ ...base, effect: 'stop' })).toEqual({
      status: 'stopped',
      nextAt: null,
    });
    expect(afterDisposition({ ...base, effect: 'opt_out' })).toEqual({
      status: 'opted_out',
      nextAt: null,
    });
  });

  it('retries like an unanswered call', () => {
    expect(afterDisposition({ ...base, effect: 'retry' })).toEqual(outcome('no_answer'));
    expect(
      afterDisposition({ ...base, callback: { attempts: 3, expiresAt: null }, effect: 'retry' }),
    ).toEqual({ status: 'exhausted', nextAt: null });
  });

  it('reschedules to the customer’s time exactly, as a promise', () => {
    const monday1015 = at('2026-11-16T10:15:30'); // kept to the second, not rounded
    expect(
      afterDisposition({
        ...base,
        now: at('2026-11-13T15:00'),
        effect: 'reschedule',
        rescheduleAt: monday1015,
      }),
    ).toEqual({ status: 'pending', promised: true, dueAt: monday1015, nextAt: monday1015 });
    // A promise is kept even with the attempts used up.
    const spent = { ...base, callback: { attempts: 3, expiresAt: null } };
    const later = at('2026-11-20T15:00');
    expect(afterDisposition({ ...spent, effect: 'reschedule', rescheduleAt: later }).nextAt).toBe(
      later,
    );
  });

  it('refuses a reschedule without a time or not in the future', () => {
    expect(() => afterDisposition({ ...base, effect: 'reschedule' })).toThrow(RangeError);
    expect(() =>
      afterDisposition({ ...base, effect: 'reschedule', rescheduleAt: Number.NaN }),
    ).toThrow(RangeError);
    expect(() =>
      afterDisposition({ ...base, effect: 'reschedule', rescheduleAt: FRIDAY_11 }),
    ).toThrow(/not in the future/);
    expect(() =>
      afterDisposition({ ...base, effect: 'reschedule', rescheduleAt: FRIDAY_11 - MINUTE }),
    ).toThrow(RangeError);
  });

  it('refuses a reschedule outside the window, naming the local time and zone', () => {
    expect(() =>
      afterDisposition({ ...base, effect: 'reschedule', rescheduleAt: at('2026-11-20T21:30') }),
    ).toThrow(/2026-11-20 21:30 \(Fri\) Asia\/Tokyo .*outside_window/);
    expect(() =>
      afterDisposition({ ...base, effect: 'reschedule', rescheduleAt: at('2026-11-23T10:00') }),
    ).toThrow(/2026-11-23 10:00 \(Mon\) Asia\/Tokyo .*holiday/);
    // A US number: 10:00 in New York is 08:00 in Denver, the first zone it is shut in.
    const us = customerZones(null, '+12125550100');
    expect(() =>
      afterDisposition({
        ...base,
        zones: us,
        effect: 'reschedule',
        rescheduleAt: at('2026-11-24T10:00', 'America/New_York'),
      }),
    ).toThrow(/08:00 \(Tue\) America\/Denver/);
  });
});

// ---------- property: a retry is never early, never outside the window ----------

const RINGING: AttemptOutcome[] = ['no_answer', 'busy', 'voicemail', 'failed'];
const minutes = fc.integer({ min: 0, max: 3 * 24 * 60 });

const caseArb = fc.record({
  now: instantArb,
  window: windowArb,
  zones: zonesArb,
  maxAttempts: fc.integer({ min: 1, max: 5 }),
  attempts: fc.integer({ min: 1, max: 7 }),
  minIntervalMin: minutes,
  retry: fc.record({ no_answer: minutes, busy: minutes, voicemail: minutes, failed: minutes }),
  outcome: fc.constantFrom<AttemptOutcome>(...RINGING, 'refused_dial'),
  expiresIn: fc.option(fc.integer({ min: 0, max: 20 * DAY }), { nil: null }),
});

describe('afterCallOutcome properties', () => {
  it(
    'never gives a pending retry outside the window, early, expired, or past the attempts',
    () => {
      fc.assert(
        fc.property(caseArb, (k) => {
          const c: Campaign = campaign({
            window: k.window,
            maxAttempts: k.maxAttempts,
            minIntervalMin: k.minIntervalMin,
            retryAfterMin: k.retry,
          });
          const expiresAt = k.expiresIn === null ? null : k.now + k.expiresIn;
          const step = afterCallOutcome({
            now: k.now,
            campaign: c,
            callback: { attempts: k.attempts, expiresAt },
            outcome: k.outcome,
            zones: k.zones,
          });
          const ringing = k.outcome !== 'refused_dial';
          if (ringing && k.attempts >= k.maxAttempts) {
            check(step.status === 'exhausted' && step.nextAt === null, 'should be exhausted');
            return;
          }
          if (step.status !== 'pending') {
            check(step.status === 'expired' && step.nextAt === null, `status ${step.status}`);
            return;
          }
          const nextAt = step.nextAt;
          check(nextAt !== null, 'pending without nextAt');
          if (nextAt === null) return;
          check(windowBlock(k.window, k.zones, nextAt) === null, 'nextAt outside the window');
          check(expiresAt === null || nextAt < expiresAt, 'nextAt at or after expiry');
          const wait = ringing
            ? Math.max(k.retry[k.outcome as keyof typeof k.retry], k.minIntervalMin)
            : 1;
          check(nextAt >= k.now + wait * MINUTE, 'nextAt too early');
          check(!ringing || nextAt >= k.now + k.minIntervalMin * MINUTE, 'before the interval');
          // And it is the first opening, not merely an open time.
          check(nextAt === nextWindowOpen(k.window, k.zones, k.now + wait * MINUTE), 'not first');
        }),
        { numRuns: RUNS },
      );
    },
    PROPERTY_TIMEOUT,
  );
});
