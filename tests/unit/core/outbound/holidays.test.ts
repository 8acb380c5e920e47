import holidayJp from '@holiday-jp/holiday_jp';
import { describe, expect, it } from 'vitest';
import {
  epochDayOf,
  isJapaneseHoliday,
  isJapaneseHolidayDay,
  japaneseHolidayName,
} from '../../../../main/core/outbound/holidays';

describe('Japanese public holidays', () => {
  it('knows 勤労感謝の日 2026 (a Monday) and not the day after', () => {
    expect(isJapaneseHoliday('2026-11-23')).toBe(true);
    expect(japaneseHolidayName('2026-11-23', 'ja')).toBe('勤労感謝の日');
    expect(japaneseHolidayName('2026-11-23', 'en')).toBe('Labor Thanksgiving Day');
    expect(isJapaneseHoliday('2026-11-24')).toBe(false);
    expect(japaneseHolidayName('2026-11-24', 'ja')).toBeNull();
  });

  it('includes substitute holidays and the citizens’ holiday', () => {
    // 2026-05-03 is a Sunday, so the 6th is a substitute holiday.
    expect(japaneseHolidayName('2026-05-06', 'ja')).toContain('振替休日');
    // 2026-09-22 sits between two holidays (国民の休日).
    expect(isJapaneseHoliday('2026-09-22')).toBe(true);
  });

  it('treats only 1 January as a holiday at the New Year, and nothing after 2050', () => {
    expect(isJapaneseHoliday('2027-01-01')).toBe(true);
    expect(isJapaneseHoliday('2027-01-02')).toBe(false);
    expect(isJapaneseHoliday('2050-11-23')).toBe(true);
    expect(isJapaneseHoliday('2051-01-01')).toBe(false);
  });

  it('agrees with the package on every day from 2024 to 2050', () => {
    const theirs = new Set(
      holidayJp
        .between(new Date('2024-01-01'), new Date('2050-12-31'))
        .map((h) => h.date.toISOString().slice(0, 10)),
    );
    expect(theirs.size).toBeGreaterThan(400);
    for (let day = epochDayOf('2024-01-01'); day <= epochDayOf('2050-12-31'); day++) {
      const iso = new Date(day * 86_400_000).toISOString().slice(0, 10);
      if (isJapaneseHolidayDay(day) !== theirs.has(iso)) expect.fail(`disagree on ${iso}`);
    }
  });

  it('rejects malformed and impossible dates', () => {
    expect(() => isJapaneseHoliday('2026-11-23T00:00')).toThrow(RangeError);
    expect(() => isJapaneseHoliday('2026/11/23')).toThrow(RangeError);
    expect(() => isJapaneseHoliday('2026-02-30')).toThrow(RangeError);
    expect(() => japaneseHolidayName('', 'en')).toThrow(RangeError);
  });
});
