// Shared campaign fixture, wall-clock helpers and fast-check arbitraries for the dialing
// rule tests.
import fc from 'fast-check';
import { DateTime } from 'luxon';
import type { CallingWindow, Campaign } from '../../../../preload/contract';

/** Cases per property; CI runs at least 10,000 (FC_RUNS can raise or lower it). */
export const RUNS = Number(process.env.FC_RUNS ?? 10_000);
/** Vitest's 5 s default is too tight for 10,000 cases on a slow CI machine. */
export const PROPERTY_TIMEOUT = Math.max(30_000, RUNS * 5);

/** An assertion for hot property bodies: vitest's expect() costs tens of µs a call. */
export function check(ok: boolean, message: string): void {
  if (!ok) throw new Error(message);
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Epoch ms of a wall-clock time in a zone: at('2026-11-20T20:30', 'Asia/Tokyo'). */
export function at(local: string, zone = 'Asia/Tokyo'): number {
  const dt = DateTime.fromISO(local, { zone });
  if (!dt.isValid) throw new Error(`bad fixture time ${local} ${zone}`);
  return dt.toMillis();
}

/** The wall clock of an instant in a zone, 'yyyy-MM-dd HH:mm' (for readable assertions). */
export function wall(ms: number | null, zone = 'Asia/Tokyo'): string | null {
  return ms === null ? null : DateTime.fromMillis(ms, { zone }).toFormat('yyyy-MM-dd HH:mm');
}

export const WEEKDAYS_9_TO_20: CallingWindow = {
  start: '09:00',
  end: '20:00',
  days: [1, 2, 3, 4, 5],
  holidays: false,
};

export function campaign(over: Partial<Campaign> = {}): Campaign {
  return {
    id: 'renewal-2026',
    kind: 'renewal',
    name: { ja: '更新のご案内', en: 'Renewal' },
    marketing: false,
    window: WEEKDAYS_9_TO_20,
    maxAttempts: 3,
    minIntervalMin: 60,
    maxPerCustomerPerDay: 2,
    maxPerCustomerPerWeek: 5,
    retryAfterMin: { no_answer: 120, busy: 30, voicemail: 240, failed: 15 },
    callerIds: [],
    callerIdDailyCap: 100,
    noticeDaysBefore: null,
    dispositions: [{ code: 'done', label: { ja: '完了', en: 'Done' }, effect: 'done' }],
    previewSeconds: 0,
    ...over,
  };
}

// ---------- arbitraries ----------

const hhmm = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 0, 15, 30, 45, 59))
  .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);

/** Windows of every shape: ordinary, through midnight, whole day, one weekday only. */
export const windowArb: fc.Arbitrary<CallingWindow> = fc
  .record({
    start: hhmm,
    end: hhmm,
    days: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
    holidays: fc.boolean(),
  })
  .chain((w) =>
    fc.oneof(
      { weight: 6, arbitrary: fc.constant(w) },
      { weight: 1, arbitrary: fc.constant({ ...w, end: w.start }) },
      { weight: 1, arbitrary: fc.constant({ ...w, start: '22:00', end: '02:00' }) },
      { weight: 2, arbitrary: fc.constant({ ...w, start: '09:00', end: '20:00' }) },
    ),
  );

// Zones with DST both ways round, half- and quarter-hour offsets, a 30-minute DST shift
// (Lord Howe), DST at midnight (Santiago, Havana), and Morocco's Ramadan changes.
export const ZONE_POOL = [
  'Asia/Tokyo',
  'America/New_York',
  'America/Los_Angeles',
  'Pacific/Honolulu',
  'America/St_Johns',
  'America/Santiago',
  'America/Havana',
  'Europe/London',
  'Europe/Berlin',
  'Africa/Casablanca',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Australia/Sydney',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
  'Pacific/Auckland',
] as const;

export const zonesArb = fc.uniqueArray(fc.constantFrom(...ZONE_POOL), {
  minLength: 1,
  maxLength: 3,
});

const FROM_2026 = Date.UTC(2026, 0, 1);
const TO_2031 = Date.UTC(2031, 0, 1);

/** Instants across 2026–2030, sometimes on a whole minute, sometimes not. */
export const instantArb = fc.oneof(
  fc.integer({ min: FROM_2026, max: TO_2031 }),
  fc.integer({ min: FROM_2026 / MINUTE, max: TO_2031 / MINUTE }).map((m) => m * MINUTE),
);

/** Instants within a minute of the window's edges (and midnight) on some zone's clock. */
export function nearEdgeArb(w: CallingWindow, zones: readonly string[]): fc.Arbitrary<number> {
  return fc
    .record({
      zone: fc.constantFrom(...zones),
      day: fc.integer({ min: 0, max: 5 * 365 }),
      edge: fc.constantFrom(w.start, w.end, '00:00'),
      delta: fc.constantFrom(-MINUTE, -1, 0, 1, MINUTE),
    })
    .map(({ zone, day, edge, delta }) => {
      const [hour, minute] = edge.split(':').map(Number);
      const wallTime = DateTime.fromObject(
        { year: 2026, month: 1, day: 1, hour, minute },
        { zone },
      );
      return wallTime.plus({ days: day }).toMillis() + delta;
    });
}

/** A window, its zones, and an instant: anywhere, or right at one of the window's edges. */
export const windowCaseArb = fc
  .tuple(windowArb, zonesArb)
  .chain(([w, zones]) =>
    fc.tuple(fc.constant(w), fc.constant(zones), fc.oneof(instantArb, nearEdgeArb(w, zones))),
  );
