import { describe, expect, it } from 'vitest';
import type { CallingWindow } from '../../../../preload/contract';
import {
  formatLocal,
  localDayStart,
  nextWindowOpen,
  windowBlock,
  windowBlocks,
} from '../../../../main/core/outbound/calling-window';
import { customerZones } from '../../../../main/core/outbound/time-zones';
import { at, DAY, HOUR, wall, WEEKDAYS_9_TO_20 } from './fixtures';

const TOKYO = ['Asia/Tokyo'];
const NY = 'America/New_York';
const LONDON = 'Europe/London';
const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];

function win(start: string, end: string, days = EVERY_DAY, holidays = true): CallingWindow {
  return { start, end, days, holidays };
}

describe('windowBlock: Tokyo, 9:00–20:00 on weekdays', () => {
  it('is open from 9:00 up to, not including, 20:00 on a working day', () => {
    expect(windowBlock(WEEKDAYS_9_TO_20, TOKYO, at('2026-11-20T09:00'))).toBeNull();
    expect(windowBlock(WEEKDAYS_9_TO_20, TOKYO, at('2026-11-20T19:59:59.999'))).toBeNull();
    expect(windowBlock(WEEKDAYS_9_TO_20, TOKYO, at('2026-11-20T08:59:59.999'))).toBe(
      'outside_window',
    );
    expect(windowBlock(WEEKDAYS_9_TO_20, TOKYO, at('2026-11-20T20:00'))).toBe('outside_window');
  });

  it('refuses a Saturday', () => {
    expect(windowBlock(WEEKDAYS_9_TO_20, TOKYO, at('2026-11-21T11:00'))).toBe('day_not_allowed');
  });

  it('refuses 2026-11-23 (勤労感謝の日, a Monday) unless holidays are allowed', () => {
    expect(windowBlock(WEEKDAYS_9_TO_20, TOKYO, at('2026-11-23T11:00'))).toBe('holiday');
    const onHolidays = { ...WEEKDAYS_9_TO_20, holidays: true };
    expect(windowBlock(onHolidays, TOKYO, at('2026-11-23T11:00'))).toBeNull();
  });

  it('names holiday, then day, then hours; windowBlocks lists all in DialBlock order', () => {
    // 2026-05-03 憲法記念日 falls on a Sunday.
    const sundayNight = at('2026-05-03T21:00');
    expect(windowBlock(WEEKDAYS_9_TO_20, TOKYO, sundayNight)).toBe('holiday');
    expect(windowBlocks(WEEKDAYS_9_TO_20, TOKYO, sundayNight)).toEqual([
      'outside_window',
      'day_not_allowed',
      'holiday',
    ]);
    expect(windowBlock(WEEKDAYS_9_TO_20, TOKYO, at('2026-11-21T21:00'))).toBe('day_not_allowed');
    expect(windowBlocks(WEEKDAYS_9_TO_20, TOKYO, at('2026-11-20T11:00'))).toEqual([]);
  });

  it('judges the day on the customer’s clock, not the centre’s', () => {
    // Monday 08:00 in Tokyo is still Sunday evening in London.
    const mondayMorningTokyo = at('2026-11-16T08:00');
    expect(windowBlock(WEEKDAYS_9_TO_20, [LONDON], mondayMorningTokyo)).toBe('day_not_allowed');
    // Tokyo's holiday on the 23rd ends at Tokyo's midnight, but London's 23rd runs on.
    expect(windowBlock(WEEKDAYS_9_TO_20, [LONDON], at('2026-11-24T03:00'))).toBe('holiday');
  });

  it('uses the centre zone when given no zone at all, never "any time"', () => {
    expect(windowBlock(WEEKDAYS_9_TO_20, [], at('2026-11-20T21:00'))).toBe('outside_window');
  });

  it('rejects unknown zones, malformed times and non-instants', () => {
    expect(() => windowBlock(WEEKDAYS_9_TO_20, ['Mars/Olympus'], 0)).toThrow(RangeError);
    expect(() => windowBlock(win('9:00', '20:00'), TOKYO, 0)).toThrow(/HH:MM/);
    expect(() => windowBlock(win('24:00', '20:00'), TOKYO, 0)).toThrow(RangeError);
    expect(() => windowBlock(WEEKDAYS_9_TO_20, TOKYO, NaN)).toThrow(RangeError);
  });
});

describe('windowBlock: unusual windows', () => {
  it('runs a 22:00–02:00 window through midnight', () => {
    const night = win('22:00', '02:00');
    expect(windowBlock(night, TOKYO, at('2026-11-20T21:59'))).toBe('outside_window');
    expect(windowBlock(night, TOKYO, at('2026-11-20T22:00'))).toBeNull();
    expect(windowBlock(night, TOKYO, at('2026-11-20T23:59'))).toBeNull();
    expect(windowBlock(night, TOKYO, at('2026-11-21T00:00'))).toBeNull();
    expect(windowBlock(night, TOKYO, at('2026-11-21T01:59'))).toBeNull();
    expect(windowBlock(night, TOKYO, at('2026-11-21T02:00'))).toBe('outside_window');
  });

  it('judges each side of midnight by the date on the clock', () => {
    const weeknights = win('22:00', '02:00', [1, 2, 3, 4, 5]);
    expect(windowBlock(weeknights, TOKYO, at('2026-11-20T23:00'))).toBeNull(); // Friday
    expect(windowBlock(weeknights, TOKYO, at('2026-11-21T01:00'))).toBe('day_not_allowed');
    expect(windowBlock(weeknights, TOKYO, at('2026-11-16T01:00'))).toBeNull(); // Monday
  });

  it('treats start == end as the whole day', () => {
    const allDay = win('00:00', '00:00');
    expect(windowBlock(allDay, TOKYO, at('2026-11-20T00:00'))).toBeNull();
    expect(windowBlock(allDay, TOKYO, at('2026-11-20T23:59:59.999'))).toBeNull();
    expect(windowBlock(win('09:00', '09:00'), TOKYO, at('2026-11-20T03:00'))).toBeNull();
  });

  it('handles an end at midnight (18:00–00:00) as "until the day ends"', () => {
    const evening = win('18:00', '00:00');
    expect(windowBlock(evening, TOKYO, at('2026-11-20T23:59'))).toBeNull();
    expect(windowBlock(evening, TOKYO, at('2026-11-21T00:00'))).toBe('outside_window');
  });
});

describe('windowBlock: a US number with no known zone', () => {
  const us = customerZones(null, '+12125550100');
  const sf = customerZones(null, '+14155550123');

  it('takes every US zone for +1 212 and +1 415 alike', () => {
    expect(us).toHaveLength(7);
    expect(sf).toEqual(us);
  });

  it('is open only where 9:00–20:00 holds from New York to Honolulu', () => {
    // Winter: Honolulu (UTC−10) opens at 14:00 in New York (UTC−5); New York closes at 20:00.
    expect(windowBlock(WEEKDAYS_9_TO_20, us, at('2026-01-13T10:00', NY))).toBe('outside_window');
    expect(windowBlock(WEEKDAYS_9_TO_20, [NY], at('2026-01-13T10:00', NY))).toBeNull();
    expect(windowBlock(WEEKDAYS_9_TO_20, us, at('2026-01-13T13:59', NY))).toBe('outside_window');
    expect(windowBlock(WEEKDAYS_9_TO_20, us, at('2026-01-13T14:00', NY))).toBeNull();
    expect(windowBlock(WEEKDAYS_9_TO_20, us, at('2026-01-13T19:59', NY))).toBeNull();
    expect(windowBlock(WEEKDAYS_9_TO_20, us, at('2026-01-13T20:00', NY))).toBe('outside_window');
    expect(nextWindowOpen(WEEKDAYS_9_TO_20, us, at('2026-01-13T10:00', NY))).toBe(
      at('2026-01-13T14:00', NY),
    );
  });

  it('narrows in summer, when New York is on DST and Honolulu is not', () => {
    expect(windowBlock(WEEKDAYS_9_TO_20, us, at('2026-07-14T14:59', NY))).toBe('outside_window');
    expect(nextWindowOpen(WEEKDAYS_9_TO_20, us, at('2026-07-14T08:00', NY))).toBe(
      at('2026-07-14T15:00', NY),
    );
  });
});

describe('DST', () => {
  it('America/New_York spring forward (2026-03-08, 02:00 → 03:00)', () => {
    const early = win('02:30', '04:00');
    // 02:30 never happens that night: the window opens at 03:00 EDT, 07:00 UTC.
    expect(wall(nextWindowOpen(early, [NY], at('2026-03-08T01:00', NY)), NY)).toBe(
      '2026-03-08 03:00',
    );
    expect(nextWindowOpen(early, [NY], at('2026-03-08T01:00', NY))).toBe(
      Date.UTC(2026, 2, 8, 7, 0),
    );
    expect(windowBlock(early, [NY], Date.UTC(2026, 2, 8, 6, 59))).toBe('outside_window'); // 01:59 EST
    // 9:00 is 14:00 UTC before the change and 13:00 UTC after it.
    const ny = [NY];
    expect(nextWindowOpen(WEEKDAYS_9_TO_20, ny, at('2026-03-06T07:00', NY))).toBe(
      Date.UTC(2026, 2, 6, 14),
    );
    expect(nextWindowOpen(WEEKDAYS_9_TO_20, ny, at('2026-03-06T21:00', NY))).toBe(
      Date.UTC(2026, 2, 9, 13),
    );
  });

  it('America/New_York fall back (2026-11-01, 02:00 → 01:00): the repeated hour', () => {
    const smallHours = win('00:00', '01:30');
    // 01:00–01:30 happens twice: 05:00–05:30 UTC (EDT) and 06:00–06:30 UTC (EST).
    expect(windowBlock(smallHours, [NY], Date.UTC(2026, 10, 1, 5, 15))).toBeNull();
    expect(windowBlock(smallHours, [NY], Date.UTC(2026, 10, 1, 5, 30))).toBe('outside_window');
    expect(nextWindowOpen(smallHours, [NY], Date.UTC(2026, 10, 1, 5, 30))).toBe(
      Date.UTC(2026, 10, 1, 6, 0),
    );
    expect(windowBlock(smallHours, [NY], Date.UTC(2026, 10, 1, 6, 30))).toBe('outside_window');
    // A window opening at 01:30 opens at its first occurrence.
    expect(nextWindowOpen(win('01:30', '03:00'), [NY], Date.UTC(2026, 10, 1, 4))).toBe(
      Date.UTC(2026, 10, 1, 5, 30),
    );
  });

  it('Europe/London across both 2026 changes', () => {
    const office = win('09:00', '17:00', [1, 2, 3, 4, 5], true);
    // Friday 27 March is GMT; Monday 30 March is BST, so 09:00 is 08:00 UTC.
    expect(nextWindowOpen(office, [LONDON], at('2026-03-27T18:00', LONDON))).toBe(
      Date.UTC(2026, 2, 30, 8),
    );
    // Friday 23 October is BST; Monday 26 October is GMT again.
    expect(nextWindowOpen(office, [LONDON], at('2026-10-23T18:00', LONDON))).toBe(
      Date.UTC(2026, 9, 26, 9),
    );
    // The night of the change: 01:00–02:00 GMT does not exist.
    const night = win('01:15', '01:45');
    expect(nextWindowOpen(night, [LONDON], Date.UTC(2026, 2, 29, 0, 30))).toBe(
      Date.UTC(2026, 2, 30, 0, 15),
    );
  });

  it('localDayStart gives the local midnight, a 23-hour and a 25-hour day', () => {
    const springDay = localDayStart(NY, at('2026-03-08T12:00', NY));
    expect(springDay).toBe(Date.UTC(2026, 2, 8, 5));
    expect(localDayStart(NY, at('2026-03-09T12:00', NY)) - springDay).toBe(23 * HOUR);
    const fallDay = localDayStart(NY, at('2026-11-01T12:00', NY));
    expect(fallDay).toBe(Date.UTC(2026, 10, 1, 4));
    expect(localDayStart(NY, at('2026-11-02T12:00', NY)) - fallDay).toBe(25 * HOUR);
    expect(localDayStart('Asia/Tokyo', Date.UTC(2026, 10, 20, 14, 59))).toBe(
      Date.UTC(2026, 10, 19, 15),
    );
    expect(() => localDayStart('Mars/Olympus', 0)).toThrow(RangeError);
  });
});

describe('nextWindowOpen', () => {
  it('returns `from` itself when already open, to the millisecond', () => {
    const from = at('2026-11-20T10:15:42.123');
    expect(nextWindowOpen(WEEKDAYS_9_TO_20, TOKYO, from)).toBe(from);
  });

  it('Friday 20:30 Tokyo → Monday 09:00', () => {
    expect(wall(nextWindowOpen(WEEKDAYS_9_TO_20, TOKYO, at('2026-11-13T20:30')))).toBe(
      '2026-11-16 09:00',
    );
  });

  it('Friday 20:30 Tokyo → Tuesday 09:00 when Monday is a holiday', () => {
    expect(wall(nextWindowOpen(WEEKDAYS_9_TO_20, TOKYO, at('2026-11-20T20:30')))).toBe(
      '2026-11-24 09:00',
    );
  });

  it('skips Golden Week and New Year’s Day (only 1 January is a public holiday)', () => {
    expect(wall(nextWindowOpen(WEEKDAYS_9_TO_20, TOKYO, at('2026-05-01T20:00')))).toBe(
      '2026-05-07 09:00',
    );
    expect(wall(nextWindowOpen(WEEKDAYS_9_TO_20, TOKYO, at('2026-12-31T20:30')))).toBe(
      '2027-01-04 09:00',
    );
  });

  it('opens a through-midnight window at its evening start', () => {
    expect(wall(nextWindowOpen(win('22:00', '02:00'), TOKYO, at('2026-11-20T02:00')))).toBe(
      '2026-11-20 22:00',
    );
  });

  it('gives null when the window never opens within the horizon', () => {
    // 9:00–10:00 in Tokyo and in New York never overlap.
    const hour = win('09:00', '10:00');
    expect(nextWindowOpen(hour, ['Asia/Tokyo', NY], at('2026-11-20T08:00'))).toBeNull();
    // Open, but only after the horizon.
    const from = at('2026-11-20T20:30');
    expect(nextWindowOpen(WEEKDAYS_9_TO_20, TOKYO, from, 1)).toBeNull();
    expect(nextWindowOpen(WEEKDAYS_9_TO_20, TOKYO, from, 4)).toBe(at('2026-11-24T09:00'));
    // The horizon includes its last instant: Tuesday 09:00 is 3 days 12.5 hours later.
    expect(nextWindowOpen(WEEKDAYS_9_TO_20, TOKYO, from, 3 + 12.5 / 24)).toBe(
      at('2026-11-24T09:00'),
    );
    expect(nextWindowOpen(WEEKDAYS_9_TO_20, TOKYO, from, 3 + 12.5 / 24 - 1 / DAY)).toBeNull();
  });

  it('is fast: a year of hourly look-ups for seven US zones', () => {
    const us = customerZones(null, '+12125550100');
    const t0 = performance.now();
    for (let h = 0; h < 24 * 365; h++) {
      nextWindowOpen(WEEKDAYS_9_TO_20, us, Date.UTC(2027, 0, 1) + h * HOUR);
    }
    expect(performance.now() - t0).toBeLessThan(2_000);
  });
});

describe('formatLocal', () => {
  it('shows the wall clock with the weekday', () => {
    expect(formatLocal('Asia/Tokyo', at('2026-11-23T21:30'))).toBe('2026-11-23 21:30 (Mon)');
  });
});
