// Moves WAL checkpoints off the request path. SQLite's automatic checkpoint runs inside the
// commit that crosses the threshold (1000 pages by default), so one note save in ~60 paid
// for copying the whole WAL back (10–20 ms). Here a timer copies back whatever accumulated
// since the last tick, between requests, in small pieces; the automatic checkpoint stays
// only as a far-off backstop for when the event loop is starved (a long first sync).
import type { Database } from './db';

export interface CheckpointerOptions {
  /** How often to copy the WAL back. Small pieces keep each pause short. */
  intervalMs?: number;
  /** The automatic checkpoint's threshold in pages, kept as a backstop. */
  backstopPages?: number;
}

export interface Checkpointer {
  /** Runs one passive checkpoint now; returns the frames still in the WAL after it. */
  tick(): number;
  stop(): void;
}

const DEFAULT_INTERVAL_MS = 250;
const DEFAULT_BACKSTOP_PAGES = 16_384; // 64 MB with 4 KB pages

interface CheckpointRow {
  busy: number;
  log: number;
  checkpointed: number;
}

export function startCheckpointer(db: Database, opts: CheckpointerOptions = {}): Checkpointer {
  const mode = db.pragma('journal_mode', { simple: true });
  if (mode !== 'wal') return { tick: () => 0, stop: () => {} };

  db.pragma(`wal_autocheckpoint = ${opts.backstopPages ?? DEFAULT_BACKSTOP_PAGES}`);
  const tick = (): number => {
    if (!db.open) return 0;
    // PASSIVE never waits for readers or writers: at worst it copies less this time.
    const [row] = db.pragma('wal_checkpoint(PASSIVE)') as CheckpointRow[];
    return row ? Math.max(0, row.log - row.checkpointed) : 0;
  };
  const timer = setInterval(tick, opts.intervalMs ?? DEFAULT_INTERVAL_MS);
  timer.unref();
  return {
    tick,
    stop: () => clearInterval(timer),
  };
}
