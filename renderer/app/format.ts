// Dates and durations via Intl in the agent's locale (no hand-made formats).
import type { Locale } from '../../preload/contract';

const tag = (locale: Locale) => (locale === 'ja' ? 'ja-JP' : 'en-GB');

// Building an Intl formatter costs far more than using one (a customer's timeline renders a
// stamp per row on every pop): one per locale and options, kept.
const formatters = new Map<string, unknown>();
function cached<T>(kind: string, key: string, make: () => T): T {
  const k = `${kind}|${key}`;
  let f = formatters.get(k) as T | undefined;
  if (f === undefined) {
    f = make();
    formatters.set(k, f);
  }
  return f;
}
const numberFormat = (locale: string, opts: Intl.NumberFormatOptions = {}) =>
  cached('n', `${locale}|${JSON.stringify(opts)}`, () => new Intl.NumberFormat(locale, opts));
const dateTimeFormat = (locale: string, opts: Intl.DateTimeFormatOptions) =>
  cached('d', `${locale}|${JSON.stringify(opts)}`, () => new Intl.DateTimeFormat(locale, opts));

/** A running call clock: 0:07, 12:34, 1:02:03 (digits read the same in both languages). */
export function formatClock(totalSec: number): string {
  const s = Math.max(0, Math.floor(totalSec));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** 4分12秒 / 4 min 12 sec. (Intl.DurationFormat is not in every runtime we test on.) */
export function formatDuration(totalSec: number, locale: Locale): string {
  const s = Math.max(0, Math.round(totalSec));
  // en-US for units: "min", not en-GB's "mins".
  const unitTag = locale === 'ja' ? 'ja-JP' : 'en-US';
  const unit = (n: number, u: 'hour' | 'minute' | 'second') => {
    const text = numberFormat(unitTag, { style: 'unit', unit: u, unitDisplay: 'short' }).format(n);
    return locale === 'ja' ? text.replace(/\s+/g, '') : text; // 4 分 → 4分
  };
  const parts: string[] = [];
  if (s >= 3600) parts.push(unit(Math.floor(s / 3600), 'hour'));
  if (s >= 60) parts.push(unit(Math.floor((s % 3600) / 60), 'minute'));
  if (s < 3600) parts.push(unit(s % 60, 'second'));
  return parts.join(locale === 'ja' ? '' : ' ');
}

/** Timeline stamp: time only for today, else date and time; the year only when it differs. */
export function formatStamp(ms: number, locale: Locale, now = Date.now()): string {
  const d = new Date(ms);
  const today = new Date(now);
  const sameDay = d.toDateString() === today.toDateString();
  const opts: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit' };
  if (!sameDay) {
    opts.month = 'numeric';
    opts.day = 'numeric';
    opts.weekday = 'short';
    if (d.getFullYear() !== today.getFullYear()) opts.year = 'numeric';
  }
  return dateTimeFormat(tag(locale), opts).format(d);
}

/** "3 days ago" / "3日前", "yesterday" / "昨日" — how recent a last contact is, at a glance. */
export function formatAgo(ms: number, locale: Locale, now = Date.now()): string {
  const rtf = cached(
    'r',
    locale,
    () => new Intl.RelativeTimeFormat(tag(locale), { numeric: 'auto' }),
  );
  const startOf = (t: number) => new Date(new Date(t).toDateString()).getTime();
  const days = Math.round((startOf(ms) - startOf(now)) / 86_400_000);
  if (days === 0) {
    const minutes = Math.round((ms - now) / 60_000);
    if (Math.abs(minutes) < 60) return rtf.format(minutes, 'minute');
    return rtf.format(Math.round(minutes / 60), 'hour');
  }
  if (Math.abs(days) < 30) return rtf.format(days, 'day');
  if (Math.abs(days) < 365) return rtf.format(Math.round(days / 30), 'month');
  return rtf.format(Math.round(days / 365), 'year');
}

/** 1,234 / 1,234 — counts with the locale's grouping. */
export function formatCount(n: number, locale: Locale): string {
  return numberFormat(tag(locale)).format(n);
}
