// Pull positions, stored as the CRM gave them (its clock and its ids — never ours), in the
// same transaction as the records they cover. A round starts a look-back window before the
// stored position, because CRM timestamps are coarse and a record committed late with an
// earlier timestamp would otherwise be skipped for good; re-applying is idempotent.
import type { Database } from '../store/db';
import { PullCursor, type PullStream } from './crm/adapter';

export interface CursorRepo {
  get(stream: PullStream): PullCursor | null;
  /** Call inside the transaction that applied the records up to `cursor`. */
  set(stream: PullStream, cursor: PullCursor): void;
}

export function createCursorRepo(db: Database, opts: { now?: () => number } = {}): CursorRepo {
  const now = opts.now ?? Date.now;
  const read = db
    .prepare<[string], string>('SELECT cursor FROM sync_cursors WHERE stream = ?')
    .pluck();
  const write = db.prepare(
    `INSERT INTO sync_cursors (stream, cursor, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (stream) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at`,
  );
  return {
    get(stream) {
      const raw = read.get(stream);
      if (raw === undefined) return null;
      try {
        const parsed = PullCursor.safeParse(JSON.parse(raw));
        return parsed.success ? parsed.data : null;
      } catch {
        return null; // unreadable: pull from the start again (idempotent)
      }
    },
    set(stream, cursor) {
      write.run(stream, JSON.stringify(cursor), now());
    },
  };
}

/** Orders positions by (time, numeric id when both are numbers, else text). */
export function compareCursor(a: PullCursor, b: PullCursor): number {
  const ta = Date.parse(a.updatedAt);
  const tb = Date.parse(b.updatedAt);
  if (ta !== tb) return ta < tb ? -1 : 1;
  const na = Number(a.id);
  const nb = Number(b.id);
  if (Number.isFinite(na) && Number.isFinite(nb) && na !== nb) return na < nb ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function laterCursor(a: PullCursor | null, b: PullCursor | null): PullCursor | null {
  if (!a) return b;
  if (!b) return a;
  return compareCursor(a, b) >= 0 ? a : b;
}

/** The position `windowMs` before `c` (from its first record at that time: id ''). */
export function lookBack(c: PullCursor | null, windowMs: number): PullCursor | null {
  if (!c) return null;
  const t = Date.parse(c.updatedAt);
  if (!Number.isFinite(t)) return null;
  return { updatedAt: new Date(Math.max(0, t - windowMs)).toISOString(), id: '0' };
}
