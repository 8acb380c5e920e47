// The outbox: what the CRM must still learn. Repositories call enqueue() inside the same
// transaction as the change itself, so a change and its outbox row commit or vanish together.
// The sync engine takes rows in order (opt-outs first), deletes a row only when the CRM
// acknowledged it, reschedules it on a transient failure, and parks it as 'dead' when the
// CRM refuses it — visible and retryable, never dropped.
import { randomUUID } from 'node:crypto';
import {
  OutboxPayloads,
  type OutboxItem,
  type OutboxKind,
  type OutboxPayload,
} from '../sync/crm/adapter';
import type { Database } from './db';

export interface OutboxRow {
  seq: number;
  item: OutboxItem;
  /** What the change is about ('customer:<id>', 'note:<id>'…): pulls leave it alone. */
  entity: string;
  attempts: number;
}

export interface DeadLetterRow {
  key: string;
  kind: string;
  attempts: number;
  error: string;
  createdAt: number;
}

export interface OutboxRepo {
  /**
   * Call inside the caller's transaction. Returns the idempotency key: a new UUID, or `key`
   * for changes that are re-sent whole (a call log written again replaces its pending row,
   * and the CRM upserts the same record).
   */
  enqueue<K extends OutboxKind>(
    kind: K,
    entity: string,
    payload: OutboxPayload<K>,
    key?: string,
  ): string;
  /** The next pending row due at `now`: lane (opt-outs first), then age. */
  next(now: number): OutboxRow | null;
  /** When the earliest pending row becomes due (null: none pending). */
  nextDueAt(): number | null;
  /**
   * Deletes the row the CRM acknowledged. With `pushed`, only when the row still holds what
   * was pushed: a fixed-key row re-enqueued while its push was in flight keeps its newer
   * payload and goes out again. Returns whether the row was deleted.
   */
  acknowledge(seq: number, pushed?: OutboxItem): boolean;
  retryLater(seq: number, at: number, error: string): void;
  bury(seq: number, error: string): void;
  /** Makes every pending row due now (the agent pressed "sync now"). */
  dueNow(): void;
  /** Puts dead rows back to pending (one key, or all); returns how many. */
  revive(key?: string): number;
  pendingCount(): number;
  deadCount(): number;
  deadLetters(limit?: number): DeadLetterRow[];
  /** True when a pending change about this entity waits for the CRM. */
  hasPending(entity: string): boolean;
}

const LANE: Record<OutboxKind, number> = {
  opt_out: 0,
  call_log: 1,
  note: 1,
  disposition: 1,
  callback: 1,
  script_answers: 1,
};

interface Row {
  seq: number;
  key: string;
  kind: OutboxKind;
  entity: string;
  payload: string;
  attempts: number;
  created_at: number;
}

export function createOutboxRepo(
  db: Database,
  opts: { now?: () => number; newKey?: () => string } = {},
): OutboxRepo {
  const now = opts.now ?? Date.now;
  const newKey = opts.newKey ?? randomUUID;
  const insert = db.prepare(
    `INSERT INTO outbox (key, kind, entity, payload, lane, created_at)
     VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET payload = excluded.payload, state = 'pending', next_at = 0`,
  );
  const nextRow = db.prepare<[number], Row>(
    `SELECT seq, key, kind, entity, payload, attempts, created_at FROM outbox
      WHERE state = 'pending' AND next_at <= ? ORDER BY lane, seq LIMIT 1`,
  );
  const dueAt = db
    .prepare<[], number | null>(`SELECT min(next_at) FROM outbox WHERE state = 'pending'`)
    .pluck();
  const del = db.prepare<[number]>('DELETE FROM outbox WHERE seq = ?');
  const delIfSame = db.prepare<[number, string]>(
    'DELETE FROM outbox WHERE seq = ? AND payload = ?',
  );
  const later = db.prepare<[number, string, number]>(
    'UPDATE outbox SET attempts = attempts + 1, next_at = ?, last_error = ? WHERE seq = ?',
  );
  const dead = db.prepare<[string, number]>(
    `UPDATE outbox SET state = 'dead', attempts = attempts + 1, last_error = ? WHERE seq = ?`,
  );
  const reviveOne = db.prepare<[string]>(
    `UPDATE outbox SET state = 'pending', next_at = 0, attempts = 0 WHERE state = 'dead' AND key = ?`,
  );
  const dueNowStmt = db.prepare(`UPDATE outbox SET next_at = 0 WHERE state = 'pending'`);
  const reviveAll = db.prepare(
    `UPDATE outbox SET state = 'pending', next_at = 0, attempts = 0 WHERE state = 'dead'`,
  );
  const count = db.prepare<[string], number>('SELECT count(*) FROM outbox WHERE state = ?').pluck();
  const deadRows = db.prepare<
    [number],
    { key: string; kind: string; attempts: number; error: string | null; createdAt: number }
  >(
    `SELECT key, kind, attempts, last_error AS error, created_at AS createdAt FROM outbox
      WHERE state = 'dead' ORDER BY seq LIMIT ?`,
  );
  const pendingFor = db
    .prepare<[string], number>(`SELECT count(*) FROM outbox WHERE entity = ? AND state = 'pending'`)
    .pluck();

  return {
    enqueue(kind, entity, payload, fixedKey) {
      // Validated on the way in: a row the adapter cannot read would block its lane.
      const checked = OutboxPayloads[kind].parse(payload);
      const key = fixedKey ?? newKey();
      insert.run(key, kind, entity, JSON.stringify(checked), LANE[kind], now());
      return key;
    },
    next(at) {
      const row = nextRow.get(at);
      if (!row) return null;
      const payload: unknown = JSON.parse(row.payload);
      return {
        seq: row.seq,
        entity: row.entity,
        attempts: row.attempts,
        item: { key: row.key, kind: row.kind, payload, createdAt: row.created_at } as OutboxItem,
      };
    },
    nextDueAt: () => dueAt.get() ?? null,
    acknowledge: (seq, pushed) =>
      (pushed ? delIfSame.run(seq, JSON.stringify(pushed.payload)) : del.run(seq)).changes > 0,
    retryLater: (seq, at, error) => void later.run(at, error.slice(0, 1000), seq),
    bury: (seq, error) => void dead.run(error.slice(0, 1000), seq),
    dueNow: () => void dueNowStmt.run(),
    revive: (key) => (key === undefined ? reviveAll.run() : reviveOne.run(key)).changes,
    pendingCount: () => count.get('pending') ?? 0,
    deadCount: () => count.get('dead') ?? 0,
    deadLetters: (limit = 200) => deadRows.all(limit).map((r) => ({ ...r, error: r.error ?? '' })),
    hasPending: (entity) => (pendingFor.get(entity) ?? 0) > 0,
  };
}
