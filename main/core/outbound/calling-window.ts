// The campaign's calling window, judged on the customer's wall clock. With several
// candidate zones (a US number without a known zone) the window must be open in all of
// them. Everything is computed from each zone's UTC offset segments (time-zones.ts): within
// a segment the wall clock is UTC plus a constant, so the window is plain arithmetic, and
// DST gaps and overlaps fall out of the segment boundaries.
import { DateTime } from 'luxon';
import type { CallingWindow, DialBlock } from '../../../preload/contract';
import { isJapaneseHolidayDay } from './holidays';
import { CENTRE_ZONE, offsetSegment } from './time-zones';

export type WindowBlock = Extract<DialBlock, 'holiday' | 'day_not_allowed' | 'outside_window'>;

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const LOCAL_TIME = /^(\d{2}):(\d{2})$/;

interface WindowRule {
  /** Open spans within a local day, [from, to) in ms since local midnight. */
  spans: readonly (readonly [number, number])[];
  /** Indexed by ISO weekday, 1 = Monday … 7 = Sunday. */
  days: readonly boolean[];
  holidays: boolean;
}

function msOfDay(hhmm: string): number {
  const m = LOCAL_TIME.exec(hhmm);
  const h = Number(m?.[1]);
  const min = Number(m?.[2]);
  if (!m || h > 23 || min > 59) throw new RangeError(`expected HH:MM, got ${JSON.stringify(hhmm)}`);
  return (h * 60 + min) * MINUTE_MS;
}

function ruleOf(window: CallingWindow): WindowRule {
  const start = msOfDay(window.start);
  const end = msOfDay(window.end);
  // end <= start runs through midnight: the evening span of a day and the early-morning
  // span of a day both belong to the date on the clock. start == end is the whole day.
  const spans: [number, number][] =
    start === end
      ? [[0, DAY_MS]]
      : start < end
        ? [[start, end]]
        : [
            [0, end],
            [start, DAY_MS],
          ];
  const days = Array.from({ length: 8 }, (_, d) => window.days.includes(d));
  return { spans: spans.filter(([a, b]) => a < b), days, holidays: window.holidays };
}

/** 1 = Monday … 7 = Sunday for a day number (1970-01-01, day 0, was a Thursday). */
function isoWeekday(epochDay: number): number {
  return ((((epochDay + 3) % 7) + 7) % 7) + 1;
}

function dayAllowed(rule: WindowRule, epochDay: number): boolean {
  return rule.days[isoWeekday(epochDay)]! && (rule.holidays || !isJapaneseHolidayDay(epochDay));
}

interface LocalVerdict {
  holiday: boolean;
  dayNotAllowed: boolean;
  outside: boolean;
}

function verdictAt(rule: WindowRule, zone: string, at: number): LocalVerdict {
  const local = at + offsetSegment(zone, at).offsetMs;
  const day = Math.floor(local / DAY_MS);
  const ms = local - day * DAY_MS;
  return {
    holiday: !rule.holidays && isJapaneseHolidayDay(day),
    dayNotAllowed: !rule.days[isoWeekday(day)],
    outside: !rule.spans.some(([a, b]) => ms >= a && ms < b),
  };
}

function checkInstant(at: number): void {
  if (!Number.isFinite(at)) throw new RangeError(`expected an epoch-ms instant, got ${at}`);
}

// With no zone to go by, the centre's own clock, never "any time".
function zonesOrCentre(zones: readonly string[]): readonly string[] {
  return zones.length > 0 ? zones : [CENTRE_ZONE];
}

/** Every window reason that applies in any of the zones, in the contract's DialBlock order. */
export function windowBlocks(
  window: CallingWindow,
  zones: readonly string[],
  at: number,
): WindowBlock[] {
  checkInstant(at);
  const rule = ruleOf(window);
  let holiday = false;
  let dayNotAllowed = false;
  let outside = false;
  for (const zone of zonesOrCentre(zones)) {
    const v = verdictAt(rule, zone, at);
    holiday ||= v.holiday;
    dayNotAllowed ||= v.dayNotAllowed;
    outside ||= v.outside;
  }
  const blocks: WindowBlock[] = [];
  if (outside) blocks.push('outside_window');
  if (dayNotAllowed) blocks.push('day_not_allowed');
  if (holiday) blocks.push('holiday');
  return blocks;
}

/** The main reason the window is shut at `at` (holiday, then day, then hours), or null. */
export function windowBlock(
  window: CallingWindow,
  zones: readonly string[],
  at: number,
): WindowBlock | null {
  const blocks = windowBlocks(window, zones, at);
  if (blocks.includes('holiday')) return 'holiday';
  if (blocks.includes('day_not_allowed')) return 'day_not_allowed';
  return blocks.length > 0 ? 'outside_window' : null;
}

/** Earliest local instant in [from, limit) (wall-clock ms) that is open, or null. */
function nextOpenLocal(rule: WindowRule, from: number, limit: number): number | null {
  for (let day = Math.floor(from / DAY_MS); day * DAY_MS < limit; day++) {
    if (!dayAllowed(rule, day)) continue;
    const midnight = day * DAY_MS;
    for (const [a, b] of rule.spans) {
      const open = Math.max(midnight + a, from);
      if (open < midnight + b) return open < limit ? open : null;
    }
  }
  return null;
}

/** Earliest instant in [from, limit) open in this one zone, or null. */
function nextOpenInZone(
  rule: WindowRule,
  zone: string,
  from: number,
  limit: number,
): number | null {
  for (let at = from; at < limit;) {
    const { offsetMs, until } = offsetSegment(zone, at);
    const segmentEnd = Math.min(until, limit);
    const local = nextOpenLocal(rule, at + offsetMs, segmentEnd + offsetMs);
    if (local !== null) return local - offsetMs;
    at = segmentEnd;
  }
  return null;
}

/**
 * The earliest instant t >= from at which the window is open in every zone: `from` itself
 * when open, else the whole minute the window opens; null when not within `horizonDays`.
 */
export function nextWindowOpen(
  window: CallingWindow,
  zones: readonly string[],
  from: number,
  horizonDays = 60,
): number | null {
  checkInstant(from);
  const rule = ruleOf(window);
  const all = zonesOrCentre(zones);
  const limit = from + horizonDays * DAY_MS + 1;
  // Jump to each zone's next opening in turn until one pass moves no further. Every jump
  // skips only time that is shut in the zone that made it, so nothing open is passed over.
  let t = from;
  for (let moved = true; moved;) {
    moved = false;
    for (const zone of all) {
      const next = nextOpenInZone(rule, zone, t, limit);
      if (next === null) return null;
      if (next !== t) {
        t = next;
        moved = true;
      }
    }
  }
  return t;
}

/** Epoch ms of the local midnight that starts the day containing `at` in `zone`. */
export function localDayStart(zone: string, at: number): number {
  checkInstant(at);
  // From the cached offset tables (luxon's startOf('day') costs ~50 µs, and the queue asks
  // for every customer's day). Midnight's own offset may differ from now's (a DST change
  // earlier today): try that one too. A midnight that does not exist on the clock (a DST
  // gap at 00:00) is left to luxon, which knows where such a day starts.
  const offset = offsetSegment(zone, at).offsetMs;
  const local = at + offset;
  const midnight = local - (((local % DAY_MS) + DAY_MS) % DAY_MS);
  for (const guess of [
    midnight - offset,
    midnight - offsetSegment(zone, midnight - offset).offsetMs,
  ]) {
    if (guess <= at && guess + offsetSegment(zone, guess).offsetMs === midnight) return guess;
  }
  const start = DateTime.fromMillis(at, { zone }).startOf('day');
  if (!start.isValid) throw new RangeError(`unknown time zone: ${JSON.stringify(zone)}`);
  return start.toMillis();
}

/** "2026-11-23 21:30 (Mon)" on the zone's clock, for messages. */
export function formatLocal(zone: string, at: number): string {
  return DateTime.fromMillis(at, { zone, locale: 'en' }).toFormat('yyyy-MM-dd HH:mm (ccc)');
}
