import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ACCOUNT_CALLER_ID,
  callerIdDayStart,
  pickCallerId,
} from '../../../../main/core/outbound/caller-id';
import { campaign, check, PROPERTY_TIMEOUT, RUNS } from './fixtures';

const A = '+81312340001';
const B = '+81312340002';
const C = '+81312340003';

describe('pickCallerId', () => {
  it('uses the SIP account’s number when the campaign has none, up to the cap', () => {
    const c = campaign({ callerIds: [], callerIdDailyCap: 100 });
    expect(pickCallerId(c, new Map())).toEqual({ kind: 'account' });
    expect(pickCallerId(c, new Map([[ACCOUNT_CALLER_ID, 99]]))).toEqual({ kind: 'account' });
    expect(pickCallerId(c, new Map([[ACCOUNT_CALLER_ID, 100]]))).toEqual({ kind: 'capped' });
    expect(pickCallerId(c, new Map([[ACCOUNT_CALLER_ID, 150]]))).toEqual({ kind: 'capped' });
  });

  it('rotates to the least-used number, ties going to the first listed', () => {
    const c = campaign({ callerIds: [A, B, C], callerIdDailyCap: 100 });
    expect(pickCallerId(c, new Map())).toEqual({ kind: 'number', number: A });
    expect(pickCallerId(c, new Map([[A, 1]]))).toEqual({ kind: 'number', number: B });
    expect(
      pickCallerId(
        c,
        new Map([
          [A, 1],
          [B, 1],
        ]),
      ),
    ).toEqual({ kind: 'number', number: C });
    expect(
      pickCallerId(
        c,
        new Map([
          [A, 5],
          [B, 3],
          [C, 4],
        ]),
      ),
    ).toEqual({
      kind: 'number',
      number: B,
    });
    // The account's own usage does not matter once the campaign has numbers.
    expect(pickCallerId(c, new Map([[ACCOUNT_CALLER_ID, 1000]]))).toEqual({
      kind: 'number',
      number: A,
    });
  });

  it('spreads a day’s calls evenly', () => {
    const c = campaign({ callerIds: [A, B, C], callerIdDailyCap: 100 });
    const used = new Map<string, number>();
    for (let i = 0; i < 30; i++) {
      const pick = pickCallerId(c, used);
      if (pick.kind !== 'number') throw new Error('expected a number');
      used.set(pick.number, (used.get(pick.number) ?? 0) + 1);
    }
    expect([...used.values()]).toEqual([10, 10, 10]);
  });

  it('skips numbers at their cap and is capped when all are', () => {
    const c = campaign({ callerIds: [A, B], callerIdDailyCap: 100 });
    expect(
      pickCallerId(
        c,
        new Map([
          [A, 100],
          [B, 99],
        ]),
      ),
    ).toEqual({ kind: 'number', number: B });
    expect(
      pickCallerId(
        c,
        new Map([
          [A, 100],
          [B, 100],
        ]),
      ),
    ).toEqual({ kind: 'capped' });
    expect(
      pickCallerId(
        c,
        new Map([
          [A, 120],
          [B, 101],
        ]),
      ),
    ).toEqual({ kind: 'capped' });
  });
});

describe('callerIdDayStart', () => {
  it('counts the day from midnight in Japan', () => {
    // 2026-11-20 08:59 UTC is 17:59 in Tokyo; the day began at 15:00 UTC the evening before.
    expect(callerIdDayStart(Date.UTC(2026, 10, 20, 8, 59))).toBe(Date.UTC(2026, 10, 19, 15));
    expect(callerIdDayStart(Date.UTC(2026, 10, 20, 15))).toBe(Date.UTC(2026, 10, 20, 15));
  });
});

describe('pickCallerId properties', () => {
  const numbers = ['+81312340001', '+81312340002', '+81312340003', '+81312340004', '+81312340005'];

  it(
    'never picks a number at its cap, and always one of the least used',
    () => {
      fc.assert(
        fc.property(
          fc.array(fc.constantFrom(...numbers), { maxLength: 6 }), // repeats allowed
          fc.integer({ min: 1, max: 5 }),
          fc.dictionary(fc.constantFrom(ACCOUNT_CALLER_ID, ...numbers), fc.nat({ max: 7 })),
          (callerIds, cap, usage) => {
            const used = new Map(Object.entries(usage));
            const count = (n: string) => used.get(n) ?? 0;
            const pick = pickCallerId(campaign({ callerIds, callerIdDailyCap: cap }), used);
            if (callerIds.length === 0) {
              const expected = count(ACCOUNT_CALLER_ID) >= cap ? 'capped' : 'account';
              check(pick.kind === expected, `expected ${expected}, got ${pick.kind}`);
              return;
            }
            const under = callerIds.filter((n) => count(n) < cap);
            if (pick.kind !== 'number') {
              check(pick.kind === 'capped' && under.length === 0, `${pick.kind} with numbers free`);
              return;
            }
            const least = Math.min(...under.map(count));
            check(count(pick.number) < cap, 'picked a number at its cap');
            check(count(pick.number) === least, 'picked a number that is not least used');
            check(under.find((n) => count(n) === least) === pick.number, 'tie not by list order');
          },
        ),
        { numRuns: RUNS },
      );
    },
    PROPERTY_TIMEOUT,
  );
});
