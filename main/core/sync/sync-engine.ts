// The sync engine: pushes the outbox to the CRM and pulls the CRM's changes into SQLite.
// One round at a time. Push: oldest first, opt-outs before everything; an acknowledged row
// is deleted, a transient failure reschedules it with backoff and jitter (or the CRM's
// Retry-After), a refusal parks it as a dead letter. Pull: per stream from the stored cursor
// minus a look-back window, page by page, each page applied with its cursor in one
// transaction. Everything the screen shows about it comes from status().
import type { SyncStatus } from '../../../preload/contract';
import type { Logger } from '../log';
import { backoffDelay } from '../phone/backoff';
import type { Database } from '../store/db';
import type { OutboxRepo, OutboxRow } from '../store/outbox';
import { applyActivities, applyCustomers, type ApplyDeps } from './apply';
import { CrmError, type CrmAdapter, type PullPage, type PullStream } from './crm/adapter';
import { compareCursor, laterCursor, lookBack, type CursorRepo } from './cursors';

export interface SyncEngineOptions {
  db: Database;
  adapter: CrmAdapter;
  outbox: OutboxRepo;
  cursors: CursorRepo;
  apply: Omit<ApplyDeps, 'outbox'>;
  log: Logger;
  now?: () => number;
  random?: () => number;
  /** Push retry delays. Default 1 s doubling to 5 min. */
  backoff?: { initialMs: number; maxMs: number };
  /** How often to pull when nothing else happens. Default 60 s. */
  pullIntervalMs?: number;
  /** Re-read this far behind the stored cursor. Default 5 min. */
  lookBackMs?: number;
  pageSize?: number;
  /** Called after each acknowledged push (e.g. to mark a note version synced). */
  onAcknowledged?: (row: OutboxRow, at: number) => void;
  onStatus?: (status: SyncStatus) => void;
  /** Timers are injectable so tests can drive rounds by hand. */
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

export interface SyncEngine {
  start(): void;
  /** A change was queued: push soon. */
  kick(): void;
  /** Ends any wait (backoff, offline) and runs a full round now; resolves when it is done. */
  syncNow(): Promise<void>;
  /** One round (push everything due, then pull every stream); for tests and syncNow. */
  runRound(): Promise<void>;
  status(): SyncStatus;
  stop(): Promise<void>;
}

const STREAMS: PullStream[] = ['customers', 'activities'];
const CONFLICT_QUICK_RETRIES = 3;

export function createSyncEngine(o: SyncEngineOptions): SyncEngine {
  const now = o.now ?? Date.now;
  const backoff = o.backoff ?? { initialMs: 1000, maxMs: 5 * 60_000 };
  const pullEvery = o.pullIntervalMs ?? 60_000;
  const lookBackMs = o.lookBackMs ?? 5 * 60_000;
  const pageSize = o.pageSize ?? 500;
  const setTimer = o.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  const clearTimer = o.clearTimer ?? ((h) => clearTimeout(h as NodeJS.Timeout));
  const deps: ApplyDeps = { ...o.apply, outbox: o.outbox };
  const isLocal = o.adapter.kind === 'local';

  let state: SyncStatus['state'] = isLocal ? 'off' : 'idle';
  let lastSuccessAt: number | null = null;
  let lastError: SyncStatus['lastError'] = null;
  let initial: SyncStatus['initial'] = null;
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = true;
  let timer: unknown = null;
  let nextPullAt = 0;
  /** While the CRM refuses our credentials, pushing waits for syncNow (settings changed). */
  let authBlocked = false;
  let lastEmit = 0;
  /** Rounds in a row that ended with the CRM unwell. */
  let failedRounds = 0;
  /** After such a round nothing goes to the CRM before this (backoff or its Retry-After). */
  let pausedUntil = 0;
  /** The longest Retry-After the CRM asked for in this round. */
  let retryAfterMs = 0;

  function status(): SyncStatus {
    return {
      crm: o.adapter.kind,
      state,
      pending: o.outbox.pendingCount(),
      deadLetters: o.outbox.deadCount(),
      lastSuccessAt,
      lastError,
      initial,
    };
  }

  function emit(force = true): void {
    const t = now();
    // Progress during a long first sync is throttled; state changes always go out.
    if (!force && t - lastEmit < 250) return;
    lastEmit = t;
    o.onStatus?.(status());
  }

  function setState(next: SyncStatus['state']): void {
    if (isLocal) next = 'off';
    if (next !== state) {
      state = next;
      emit();
    }
  }

  function fail(err: unknown): CrmError {
    const e =
      err instanceof CrmError
        ? err
        : new CrmError('bad_reply', `unexpected failure: ${(err as Error)?.message ?? err}`, {
            cause: err,
          });
    lastError = { message: e.message, at: now() };
    retryAfterMs = Math.max(retryAfterMs, e.retryAfterMs ?? 0);
    // One refused record (rejected) or a lost race (conflict) says nothing about the CRM.
    if (e.kind === 'auth') setState('error');
    else if (e.kind !== 'rejected' && e.kind !== 'conflict') setState('offline');
    emit();
    return e;
  }

  function succeeded(): void {
    lastSuccessAt = now();
    lastError = null;
  }

  /** Pushes every due row. Returns false when the CRM is unwell (stop and wait). */
  async function pushDue(): Promise<boolean> {
    if (authBlocked) return false;
    for (;;) {
      if (stopped) return true;
      const row = o.outbox.next(now());
      if (!row) return true;
      try {
        await o.adapter.push(row.item);
      } catch (err) {
        const e = fail(err);
        o.log.warn('push failed', { kind: row.item.kind, key: row.item.key, error: e.kind });
        if (e.kind === 'rejected') {
          o.outbox.bury(row.seq, e.message);
          emit();
          continue; // one bad record must not hold up the rest
        }
        if (e.kind === 'auth') {
          authBlocked = true;
          return false;
        }
        // A conflict is retried soon a few times (someone else just wrote the record), then
        // backs off like any failure: one that never clears must not hit the CRM 5 times a second.
        const wait =
          e.kind === 'conflict' && row.attempts < CONFLICT_QUICK_RETRIES
            ? 200
            : Math.max(
                e.retryAfterMs ?? 0,
                backoffDelay(row.attempts, { ...backoff, random: o.random }),
              );
        o.outbox.retryLater(row.seq, now() + wait, e.message);
        if (e.kind === 'conflict') continue;
        return false;
      }
      const at = now();
      o.db.transaction(() => {
        // A fixed-key row replaced while this push was in flight stays (its new payload).
        o.outbox.acknowledge(row.seq, row.item);
        o.onAcknowledged?.(row, at);
      })();
      succeeded();
      emit(false);
    }
  }

  async function pullStream(stream: PullStream, first: boolean): Promise<boolean> {
    const stored = o.cursors.get(stream);
    let since = lookBack(stored, lookBackMs);
    let total: number | null = null;
    let done = 0;
    for (;;) {
      if (stopped) return true;
      let page: PullPage<unknown>;
      try {
        page =
          stream === 'customers'
            ? await o.adapter.pullCustomers(since, pageSize)
            : await o.adapter.pullActivities(since, pageSize);
      } catch (err) {
        const e = fail(err);
        o.log.warn('pull failed', { stream, error: e.kind });
        if (e.kind === 'auth') authBlocked = true;
        return false;
      }
      o.db.transaction(() => {
        if (stream === 'customers') applyCustomers(deps, page.records as never);
        else applyActivities(deps, page.records as never);
        const next = laterCursor(o.cursors.get(stream), page.cursor);
        if (next) o.cursors.set(stream, next);
      })();
      succeeded();
      done += page.records.length;
      if (first && stream === 'customers') {
        total ??= page.total ?? null;
        initial = { done, total: total === null ? null : Math.max(total, done) };
        emit(false);
      }
      if (page.done || page.records.length === 0 || !page.cursor) return true;
      // A page that does not move forward would loop for ever: stop and log it.
      if (since && compareCursor(page.cursor, since) <= 0) {
        o.log.error('pull cursor did not advance', { stream });
        return true;
      }
      since = page.cursor;
    }
  }

  async function round(): Promise<void> {
    if (isLocal) {
      // The local CRM is this database: nothing to pull, pushes are acknowledged at once.
      await pushDue();
      return;
    }
    // Blocked by the CRM refusing our credentials: nothing to try until syncNow.
    if (authBlocked) {
      setState('error');
      return;
    }
    // A kick while the CRM is unwell waits for the pause like everything else.
    if (now() < pausedUntil) return;
    setState('syncing');
    retryAfterMs = 0;
    let healthy = await pushDue();
    if (healthy && now() >= nextPullAt) {
      // Still first while an interrupted first sync has not finished (its cursor is stored
      // page by page), so the progress is cleared once it completes.
      const first = initial !== null || o.cursors.get('customers') === null;
      if (first) initial = { done: 0, total: null };
      for (const s of STREAMS) {
        if (!(await pullStream(s, first))) {
          healthy = false;
          break;
        }
      }
      if (first && healthy) initial = null;
      if (healthy) nextPullAt = now() + pullEvery;
    }
    // Changes queued while pulling go out in this round too.
    if (healthy) healthy = await pushDue();
    if (healthy) failedRounds = 0;
    else pause();
    setState(authBlocked ? 'error' : healthy ? 'idle' : state === 'syncing' ? 'offline' : state);
    emit();
  }

  /**
   * After a round that failed, the next round waits (backoff, or the CRM's Retry-After):
   * otherwise the other due rows, or the pull, would go out at once to a CRM that is down
   * or has just asked us to slow down.
   */
  function pause(): void {
    const wait = Math.max(
      retryAfterMs,
      backoffDelay(failedRounds++, { ...backoff, random: o.random }),
    );
    pausedUntil = now() + wait;
  }

  function schedule(): void {
    if (stopped) return;
    if (timer !== null) clearTimer(timer);
    timer = null;
    // The CRM refused our credentials: wait for syncNow (settings changed), do not spin.
    if (authBlocked) return;
    const due = o.outbox.nextDueAt();
    // The local CRM has nothing to pull: wake only for queued changes (kick() brings new ones).
    if (isLocal && due === null) return;
    const t = now();
    let wait = isLocal ? Infinity : Math.max(0, nextPullAt - t);
    if (due !== null) wait = Math.min(wait, Math.max(0, due - t));
    wait = Math.max(wait, pausedUntil - t);
    timer = setTimer(() => {
      timer = null;
      void runRound();
    }, wait);
  }

  function runRound(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      // `running` is only assigned once this function first awaits: start the work after
      // that, so a kick from inside the round (a status listener, an adapter that calls back
      // before its first await) asks for another round instead of running one alongside.
      await Promise.resolve();
      try {
        do {
          again = false;
          await round();
        } while (again && !stopped);
      } catch (err) {
        // A bug or a full disk: log, show, try again later — never lose the outbox.
        o.log.error('sync round failed', { err });
        fail(err);
        pause();
      } finally {
        running = null;
        schedule();
      }
    })();
    return running;
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      emit();
      void runRound();
    },
    kick() {
      emit(false);
      if (!stopped) void runRound();
    },
    async syncNow() {
      // A round already under way may end by pausing (the CRM was down): let it finish,
      // then clear every wait, so the round asked for really runs.
      if (running) await running;
      authBlocked = false;
      pausedUntil = 0;
      nextPullAt = 0;
      o.outbox.dueNow();
      await runRound();
    },
    runRound,
    status,
    async stop() {
      stopped = true;
      if (timer !== null) clearTimer(timer);
      timer = null;
      await running;
    },
  };
}
