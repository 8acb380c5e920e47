// The timeline: every call, inbound or outbound, known caller or not. A known customer's
// history is read by customer id; an unknown caller's by the number they called from.
import { z } from 'zod';
import { Id, TimelineEntry } from '../../../preload/contract';
import { crmIdLookup } from './customers';
import type { Database } from './db';
import type { OutboxRepo } from './outbox';

export const CallLogEntry = TimelineEntry.extend({
  customerId: Id.nullable(),
  endReason: z.string().max(1000).nullable(),
});
export type CallLogEntry = z.infer<typeof CallLogEntry>;

/** An interaction pulled from the CRM (another channel, or a call logged elsewhere). */
export interface CrmInteraction {
  crmId: string;
  customerId: string | null;
  kind: TimelineEntry['kind'];
  direction: 'inbound' | 'outbound';
  at: number;
  summary: string | null;
}

export interface InteractionRepo {
  /**
   * Idempotent on entry.id: logging the same call again updates its row. With an outbox, an
   * ended call is queued for the CRM in the same transaction (keyed by the call's id, so a
   * re-log updates the same CRM record instead of adding one).
   */
  logCall(e: CallLogEntry): void;
  /** Inserts or updates a CRM entry by its CRM id. */
  applyCrm(e: CrmInteraction): void;
  /** Newest first. */
  recentForCustomer(customerId: string, limit: number): TimelineEntry[];
  /** Newest first; `number` as stored (E.164, or the raw string when it was not a number). */
  recentForNumber(number: string, limit: number): TimelineEntry[];
  /** One entry with the customer it belongs to, or null. */
  byId(id: string): { customerId: string | null; entry: TimelineEntry } | null;
}

/** Upper bound per read; the contract's getTimeline allows 200. */
const MAX_LIMIT = 1000;

const ENTRY = `id, kind, direction, number, started_at AS startedAt, answered_at AS answeredAt,
  ended_at AS endedAt, duration_sec AS durationSec, outcome, quality_mos AS mos,
  quality_loss_pct AS lossPct, quality_jitter_ms AS jitterMs, quality_rtt_ms AS rttMs, summary`;

interface EntryRow extends Omit<TimelineEntry, 'quality' | 'summary'> {
  summary: string | null;
  mos: number | null;
  lossPct: number | null;
  jitterMs: number | null;
  rttMs: number | null;
}

export function createInteractionRepo(
  db: Database,
  opts: { outbox?: OutboxRepo } = {},
): InteractionRepo {
  const { outbox } = opts;
  const upsert = db.prepare(
    `INSERT INTO interactions (id, customer_id, kind, direction, number, started_at, answered_at,
       ended_at, duration_sec, outcome, end_reason,
       quality_mos, quality_loss_pct, quality_jitter_ms, quality_rtt_ms)
     VALUES (@id, @customerId, @kind, @direction, @number, @startedAt, @answeredAt,
       @endedAt, @durationSec, @outcome, @endReason, @mos, @lossPct, @jitterMs, @rttMs)
     ON CONFLICT (id) DO UPDATE SET
       customer_id = excluded.customer_id, kind = excluded.kind, direction = excluded.direction,
       number = excluded.number, started_at = excluded.started_at,
       answered_at = excluded.answered_at, ended_at = excluded.ended_at,
       duration_sec = excluded.duration_sec, outcome = excluded.outcome,
       end_reason = excluded.end_reason, quality_mos = excluded.quality_mos,
       quality_loss_pct = excluded.quality_loss_pct,
       quality_jitter_ms = excluded.quality_jitter_ms, quality_rtt_ms = excluded.quality_rtt_ms`,
  );
  // Ties on started_at (same ms) come in the order they were logged: that is the order the
  // (…, started_at DESC) indexes already hold, so both reads are a range scan with no sort.
  const byCustomer = db.prepare<[string, number], EntryRow>(
    `SELECT ${ENTRY} FROM interactions WHERE customer_id = ?
      ORDER BY started_at DESC, rowid ASC LIMIT ?`,
  );
  const byNumber = db.prepare<[string, number], EntryRow>(
    `SELECT ${ENTRY} FROM interactions WHERE number = ?
      ORDER BY started_at DESC, rowid ASC LIMIT ?`,
  );

  const upsertCrm = db.prepare(
    `INSERT INTO interactions (id, customer_id, kind, direction, number, started_at, summary,
       source, crm_id)
     VALUES (@id, @customerId, @kind, @direction, '', @at, @summary, 'crm', @crmId)
     ON CONFLICT (crm_id) WHERE crm_id IS NOT NULL DO UPDATE SET
       customer_id = excluded.customer_id, kind = excluded.kind, direction = excluded.direction,
       started_at = excluded.started_at, summary = excluded.summary`,
  );
  const crmIdOf = crmIdLookup(db);

  const one = db.prepare<[string], EntryRow & { customerId: string | null }>(
    `SELECT ${ENTRY}, customer_id AS customerId FROM interactions WHERE id = ?`,
  );

  const log = db.transaction((v: CallLogEntry) => {
    upsert.run({
      id: v.id,
      customerId: v.customerId,
      kind: v.kind,
      direction: v.direction,
      number: v.number,
      startedAt: v.startedAt,
      answeredAt: v.answeredAt,
      endedAt: v.endedAt,
      durationSec: v.durationSec,
      outcome: v.outcome,
      endReason: v.endReason,
      mos: v.quality?.mos ?? null,
      lossPct: v.quality?.lossPct ?? null,
      jitterMs: v.quality?.jitterMs ?? null,
      rttMs: v.quality?.rttMs ?? null,
    });
    if (outbox && v.endedAt !== null) {
      outbox.enqueue(
        'call_log',
        `call:${v.id}`,
        {
          interactionId: v.id,
          customerId: v.customerId,
          customerCrmId: crmIdOf(v.customerId),
          direction: v.direction,
          number: v.number,
          startedAt: v.startedAt,
          answeredAt: v.answeredAt,
          endedAt: v.endedAt,
          durationSec: v.durationSec,
          outcome: v.outcome,
        },
        `call:${v.id}`,
      );
    }
  });

  return {
    logCall: (e) => log(CallLogEntry.parse(e)),
    applyCrm(e) {
      upsertCrm.run({
        id: `crm:${e.crmId}`,
        crmId: e.crmId,
        customerId: e.customerId,
        kind: e.kind,
        direction: e.direction,
        at: e.at,
        summary: e.summary,
      });
    },
    recentForCustomer: (customerId, limit) => byCustomer.all(customerId, clamp(limit)).map(toEntry),
    recentForNumber: (number, limit) => byNumber.all(number, clamp(limit)).map(toEntry),
    byId(id) {
      const row = one.get(id);
      return row ? { customerId: row.customerId, entry: toEntry(row) } : null;
    },
  };
}

function clamp(limit: number): number {
  return Number.isFinite(limit) ? Math.max(0, Math.min(MAX_LIMIT, Math.floor(limit))) : 0;
}

/** Builds the contract shape explicitly so no column ever leaks into the renderer. */
function toEntry(r: EntryRow): TimelineEntry {
  return {
    id: r.id,
    kind: r.kind,
    direction: r.direction,
    number: r.number,
    startedAt: r.startedAt,
    answeredAt: r.answeredAt,
    endedAt: r.endedAt,
    durationSec: r.durationSec,
    outcome: r.outcome,
    quality:
      r.mos === null
        ? null
        : { mos: r.mos, lossPct: r.lossPct ?? 0, jitterMs: r.jitterMs ?? 0, rttMs: r.rttMs },
    summary: r.summary,
  };
}
