// Japanese public holidays (the Cabinet Office list, including substitute holidays), from
// @holiday-jp/holiday_jp, whose data runs to 2050; later dates count as ordinary days.
import holidayJp from '@holiday-jp/holiday_jp';

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

interface HolidayNames {
  ja: string;
  en: string;
}

// The package's own isHoliday lists every key on each call; the window checks run per
// callback and per minute boundary, so index the names once by day number.
const byDay = new Map<number, HolidayNames>();
for (const h of Object.values(holidayJp.holidays)) {
  byDay.set(epochDayOf(h.date), { ja: h.name, en: h.name_en });
}

/** Days since 1970-01-01 of a 'YYYY-MM-DD' calendar date; RangeError when malformed. */
export function epochDayOf(isoDate: string): number {
  const m = ISO_DATE.exec(isoDate);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  // Date.UTC rolls 2026-02-30 over to March; a real date survives the round trip.
  if (!m || new Date(ms).toISOString().slice(0, 10) !== isoDate) {
    throw new RangeError(`expected a YYYY-MM-DD date, got ${JSON.stringify(isoDate)}`);
  }
  return ms / DAY_MS;
}

/** Whether the calendar day numbered `epochDay` (days since 1970-01-01) is a holiday. */
export function isJapaneseHolidayDay(epochDay: number): boolean {
  return byDay.has(epochDay);
}

export function isJapaneseHoliday(isoDate: string): boolean {
  return byDay.has(epochDayOf(isoDate));
}

export function japaneseHolidayName(isoDate: string, locale: 'ja' | 'en'): string | null {
  return byDay.get(epochDayOf(isoDate))?.[locale] ?? null;
}
