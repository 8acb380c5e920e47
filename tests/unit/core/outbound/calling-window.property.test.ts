import fc from 'fast-check';
import { DateTime, IANAZone } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { CallingWindow } from '../../../../preload/contract';
import {
  localDayStart,
  nextWindowOpen,
  windowBlock,
  windowBlocks,
  type WindowBlock,
} from '../../../../main/core/outbound/calling-window';
import { isJapaneseHoliday } from '../../../../main/core/outbound/holidays';
import { offsetSegment } from '../../../../main/core/outbound/time-zones';
import {
  check,
  DAY,
  instantArb,
  MINUTE,
  PROPERTY_TIMEOUT,
  RUNS,
  windowCaseArb,
  ZONE_POOL,
} from './fixtures';

// An independent reading of the window through luxon's own zone handling, to check the
// offset tables and the arithmetic behind windowBlock.
function oracle(w: CallingWindow, zones: readonly string[], at: number): WindowBlock[] {
  const reasons = new Set<WindowBlock>();
  const toMin = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3));
  const start = toMin(w.start);
  const end = toMin(w.end);
  for (const zone of zones) {
    const dt = DateTime.fromMillis(at, { zone });
    const min = dt.hour * 60 + dt.minute;
    const inHours =
      start === end ? true : start < end ? min >= start && min < end : min >= start || min < end;
    if (!inHours) reasons.add('outside_window');
    if (!w.days.includes(dt.weekday)) reasons.add('day_not_allowed');
    if (!w.holidays && isJapaneseHoliday(dt.toISODate()!)) reasons.add('holiday');
  }
  const order: WindowBlock[] = ['outside_window', 'day_not_allowed', 'holiday'];
  return order.filter((r) => reasons.has(r));
}

describe('calling window properties', () => {
  it(
    'localDayStart (from the offset tables) agrees with luxon',
    () => {
      fc.assert(
        fc.property(
          fc.constantFrom(...ZONE_POOL, 'America/Santiago', 'Asia/Beirut'),
          instantArb,
          (zone, at) => {
            const expected = DateTime.fromMillis(at, { zone }).startOf('day').toMillis();
            check(localDayStart(zone, at) === expected, `day start of ${zone} at ${at}`);
          },
        ),
        { numRuns: RUNS },
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    'offsetSegment agrees with luxon at the instant and at the end of its segment',
    () => {
      fc.assert(
        fc.property(fc.constantFrom(...ZONE_POOL), instantArb, (zone, at) => {
          const iana = IANAZone.create(zone);
          const { offsetMs, until } = offsetSegment(zone, at);
          check(offsetMs === iana.offset(at) * MINUTE, `offset of ${zone} at ${at}`);
          check(until > at && iana.offset(until - 1) * MINUTE === offsetMs, `until ${until}`);
        }),
        { numRuns: RUNS },
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    'windowBlocks agrees with a luxon reading of every zone’s clock',
    () => {
      fc.assert(
        fc.property(windowCaseArb, ([w, zones, at]) => {
          expect(windowBlocks(w, zones, at)).toEqual(oracle(w, zones, at));
        }),
        { numRuns: RUNS },
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    'nextWindowOpen returns an open instant ≥ from, with nothing open just before it',
    () => {
      fc.assert(
        fc.property(
          windowCaseArb,
          fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { maxLength: 8 }),
          ([w, zones, from], probes) => {
            const t = nextWindowOpen(w, zones, from);
            const shut = (at: number) => windowBlock(w, zones, at) !== null;
            if (t === null) {
              // Nothing open at the start of the horizon or at the probes within it.
              check(shut(from), 'null, yet open at from');
              for (const p of probes) {
                const inside = from + Math.floor(p * 60 * DAY);
                check(shut(inside), `null, yet open at ${inside}`);
              }
              return;
            }
            check(t >= from && t - from <= 60 * DAY, `${t} outside [from, from + 60 days]`);
            check(!shut(t), `shut at ${t}`);
            if (t === from) return;
            check(t % MINUTE === 0, `${t} is not a whole minute`);
            check(shut(from), 'open at from, yet t > from');
            // The instant and the minute before t are shut (boundaries fall on whole minutes).
            check(shut(t - 1), 'open just before t');
            check(t - MINUTE < from || shut(t - MINUTE), 'open a minute before t');
            for (const p of probes) {
              const inside = from + Math.floor(p * (t - from));
              check(shut(inside), `open at ${inside}, before t`);
            }
          },
        ),
        { numRuns: RUNS },
      );
    },
    PROPERTY_TIMEOUT,
  );

  // The exhaustive check: every whole minute of a 3-day horizon, so fewer cases.
  it(
    'nextWindowOpen equals a minute-by-minute scan',
    () => {
      const horizonDays = 3;
      fc.assert(
        fc.property(windowCaseArb, ([w, zones, from]) => {
          let expected: number | null = null;
          if (windowBlock(w, zones, from) === null) expected = from;
          else {
            const end = from + horizonDays * DAY;
            for (let m = Math.ceil(from / MINUTE) * MINUTE; m <= end; m += MINUTE) {
              if (windowBlock(w, zones, m) === null) {
                expected = m;
                break;
              }
            }
          }
          expect(nextWindowOpen(w, zones, from, horizonDays)).toBe(expected);
        }),
        { numRuns: Math.max(20, Math.ceil(RUNS / 100)) },
      );
    },
    PROPERTY_TIMEOUT,
  );
});
