// Clocks for the outbound screen (luxon): a promised time is the customer's wall clock in
// their zone; the agent may sit in another zone, so both are shown when they differ. Every
// function takes the zones explicitly (the agent's comes from the store, never the machine).
import { DateTime, IANAZone } from 'luxon';
import type { CallingWindow, Locale } from '../../../preload/contract';

export const localeTag = (locale: Locale) => (locale === 'ja' ? 'ja-JP' : 'en-GB');

/** The zones the agent can pick for a customer whose zone the number does not tell. */
export const ZONE_CHOICES = [
  'Asia/Tokyo',
  'Asia/Seoul',
  'Asia/Shanghai',
  'Asia/Taipei',
  'Asia/Singapore',
  'Asia/Bangkok',
  'Asia/Kolkata',
  'Australia/Sydney',
  'Europe/London',
  'Europe/Paris',
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Los_Angeles',
  'Pacific/Honolulu',
  'UTC',
] as const;

export const isValidZone = (zone: string) => IANAZone.isValidZone(zone);

/** The customer's zone from their number when it is certain (+81: Japan has one zone). */
export function zoneForNumber(number: string | null | undefined): string | null {
  return number?.startsWith('+81') ? 'Asia/Tokyo' : null;
}

/** Whether two zones show the same clock at that instant (Asia/Tokyo and Japan do). */
export function sameClock(a: string, b: string, at: number): boolean {
  if (a === b) return true;
  const x = DateTime.fromMillis(at, { zone: a });
  const y = DateTime.fromMillis(at, { zone: b });
  return x.isValid && y.isValid && x.offset === y.offset;
}

const WHEN: Intl.DateTimeFormatOptions = {
  month: 'numeric',
  day: 'numeric',
  weekday: 'short',
  hour: '2-digit',
  minute: '2-digit',
};

/** 5/21(水) 10:00 / Wed 21/05, 10:00 — the instant on that zone's clock. */
export function formatWhen(ms: number, zone: string, locale: Locale): string {
  const d = DateTime.fromMillis(ms, { zone });
  if (!d.isValid) return new Date(ms).toISOString();
  const opts = { ...WHEN };
  if (d.year !== DateTime.fromMillis(Date.now(), { zone }).year) opts.year = 'numeric';
  return d.setLocale(localeTag(locale)).toLocaleString(opts);
}

/** 5/18 / 18/05 — a date on that zone's calendar. */
export function formatDay(ms: number, zone: string, locale: Locale): string {
  return DateTime.fromMillis(ms, { zone })
    .setLocale(localeTag(locale))
    .toLocaleString({ month: 'numeric', day: 'numeric' });
}

/** 14:30 on that zone's clock. */
export function formatTime(ms: number, zone: string, locale: Locale): string {
  return DateTime.fromMillis(ms, { zone })
    .setLocale(localeTag(locale))
    .toLocaleString({ hour: '2-digit', minute: '2-digit' });
}

/** "JST", "ニューヨーク時間", "New York Time": the zone as people say it. */
export function zoneName(zone: string, locale: Locale, at: number): string {
  try {
    const parts = new Intl.DateTimeFormat(localeTag(locale), {
      timeZone: zone,
      timeZoneName: 'shortGeneric',
    }).formatToParts(at);
    return parts.find((p) => p.type === 'timeZoneName')?.value ?? zone;
  } catch {
    return zone;
  }
}

/** The wall clock of an instant in a zone, as a date and a time field hold it. */
export function wallOf(ms: number, zone: string): { date: string; time: string } {
  const d = DateTime.fromMillis(ms, { zone });
  return { date: d.toFormat('yyyy-MM-dd'), time: d.toFormat('HH:mm') };
}

/**
 * The instant of a wall-clock date and time in a zone (UTC ms), or null when incomplete or
 * invalid. A time skipped by a DST change moves forward, as luxon does.
 */
export function instantOf(date: string, time: string, zone: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !/^\d{2}:\d{2}$/.test(time)) return null;
  const d = DateTime.fromISO(`${date}T${time}`, { zone });
  return d.isValid ? d.toMillis() : null;
}

/** Quick picks, on the customer's clock: in an hour (to the quarter), tomorrow at a time. */
export function quickPick(
  kind: 'hour' | 'tomorrowMorning' | 'tomorrowEvening',
  now: number,
  zone: string,
): number {
  const d = DateTime.fromMillis(now, { zone });
  if (kind === 'hour') {
    const t = d.plus({ hours: 1 });
    const q = Math.ceil(t.minute / 15) * 15;
    return t.set({ minute: 0, second: 0, millisecond: 0 }).plus({ minutes: q }).toMillis();
  }
  const hour = kind === 'tomorrowMorning' ? 10 : 18;
  return d.plus({ days: 1 }).set({ hour, minute: 0, second: 0, millisecond: 0 }).toMillis();
}

/** Why a campaign would not ring then (its hours and days on the customer's clock). */
export function windowProblem(
  window: CallingWindow,
  ms: number,
  zone: string,
): 'day_not_allowed' | 'outside_window' | null {
  const d = DateTime.fromMillis(ms, { zone });
  if (!window.days.includes(d.weekday)) return 'day_not_allowed';
  const hm = d.toFormat('HH:mm');
  return hm >= window.start && hm < window.end ? null : 'outside_window';
}
