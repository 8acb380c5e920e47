// A small stateful CRM for the sync engine's tests, and a harness that wires the engine to
// an in-memory database the way core.ts does, with a hand-driven clock and timers.
//
// The fake keeps what was pushed by idempotency key (a retry after a lost reply upserts the
// same record, as kintone's upsert by an external key does), serves customers and
// activities by (updatedAt, id) with its own clock, and can be scripted to fail the next
// calls with any CrmError, or to apply a push and then lose the reply.
import type { SyncStatus } from '../../../../preload/contract';
import { normalizePhone } from '../../../../main/core/customers/phone-number';
import { silentLogger } from '../../../../main/core/log';
import { createCustomerRepo, type CustomerRepo } from '../../../../main/core/store/customers';
import { openDatabase, type Database } from '../../../../main/core/store/db';
import {
  createInteractionRepo,
  type InteractionRepo,
} from '../../../../main/core/store/interactions';
import { createNoteRepo, type NoteRepo } from '../../../../main/core/store/notes';
import { createOptOutRepo, stronger, type OptOutRepo } from '../../../../main/core/store/opt-outs';
import { createOutboxRepo, type OutboxRepo } from '../../../../main/core/store/outbox';
import {
  CrmError,
  type CrmActivity,
  type CrmAdapter,
  type CrmCustomer,
  type CrmErrorKind,
  type OptOutLevel,
  type OutboxItem,
  type PullCursor,
  type PullPage,
  type PushAck,
} from '../../../../main/core/sync/crm/adapter';
import { compareCursor } from '../../../../main/core/sync/cursors';
import { createCursorRepo, type CursorRepo } from '../../../../main/core/sync/cursors';
import {
  createSyncEngine,
  type SyncEngine,
  type SyncEngineOptions,
} from '../../../../main/core/sync/sync-engine';

export type CallKind = 'push' | 'pull';
/** A CrmError kind; 'lost': the CRM does the work, then the reply never arrives (timeout). */
export type FailMode = CrmErrorKind | 'lost' | 'crash';

export interface ScriptedFailure {
  on: CallKind | 'any';
  mode: FailMode;
  retryAfterMs?: number;
}

export interface StoredItem {
  item: OutboxItem;
  remoteId: string;
  /** How many times the CRM wrote this key (1 + retries after lost replies). */
  writes: number;
}

export const CRM_EPOCH = Date.UTC(2025, 3, 1, 0, 0, 0);

export class FakeCrm implements CrmAdapter {
  readonly kind = 'kintone' as const;
  /** The CRM's own clock (ms); every change moves it forward by `tickMs`. */
  serverMs = CRM_EPOCH;
  tickMs = 1000;
  /** Everything the CRM stored from pushes, by idempotency key. */
  readonly items = new Map<string, StoredItem>();
  /** Keys whose push returned an acknowledgement to the engine. */
  readonly acked = new Set<string>();
  /** Every push call, in order, including failed ones. */
  readonly pushCalls: OutboxItem[] = [];
  readonly pullCalls: { stream: 'customers' | 'activities'; since: PullCursor | null }[] = [];
  readonly customers = new Map<string, CrmCustomer>();
  readonly activities = new Map<string, CrmActivity>();
  /** Failures for the next calls, first match first. */
  failures: ScriptedFailure[] = [];
  /** Fails every call with this kind until cleared (e.g. a revoked token). */
  down: CrmErrorKind | null = null;
  /** Called at the start of every request (tests move the engine's clock, or act mid-push). */
  onRequest: ((kind: CallKind, item?: OutboxItem) => void) | null = null;
  /** Levels served by successful customer pulls, per E.164 (what the engine saw). */
  readonly seenOptOut = new Map<string, OptOutLevel>();
  /** Requests on the wire at once, and the most ever seen (the engine runs one round at a time). */
  private active = 0;
  maxConcurrent = 0;
  private nextId = 5000;

  get writes(): number {
    let n = 0;
    for (const s of this.items.values()) n += s.writes;
    return n;
  }

  failNext(mode: FailMode, on: CallKind | 'any' = 'any', times = 1, retryAfterMs?: number): void {
    for (let i = 0; i < times; i++) this.failures.push({ on, mode, retryAfterMs });
  }

  /** Moves the CRM's clock and returns its timestamp, as the CRM formats it. */
  touch(): string {
    this.serverMs += this.tickMs;
    return new Date(this.serverMs).toISOString();
  }

  putCustomer(
    c: Omit<CrmCustomer, 'updatedAt' | 'revision' | 'optOut'> & { optOut?: OptOutLevel },
  ) {
    const old = this.customers.get(c.crmId);
    const rev = String(Number(old?.revision ?? 0) + 1);
    const next: CrmCustomer = {
      optOut: old?.optOut ?? 'none',
      ...c,
      revision: rev,
      updatedAt: this.touch(),
    };
    this.customers.set(c.crmId, next);
    return next;
  }

  /** A change made in the CRM (an admin, another system): may weaken, even to 'none'. */
  setOptOut(crmId: string, level: OptOutLevel): void {
    const c = this.customers.get(crmId);
    if (!c) throw new Error(`no CRM customer ${crmId}`);
    this.putCustomer({ ...c, optOut: level });
  }

  addActivity(a: Omit<CrmActivity, 'crmId' | 'updatedAt'> & { crmId?: string }): CrmActivity {
    const crmId = a.crmId ?? String(this.nextId++);
    const rec: CrmActivity = { ...a, crmId, updatedAt: this.touch() };
    this.activities.set(crmId, rec);
    return rec;
  }

  /** The strongest opt-out the CRM received from pushes for this number. */
  pushedOptOut(e164: string): OptOutLevel {
    let level: OptOutLevel = 'none';
    for (const { item } of this.items.values()) {
      if (item.kind === 'opt_out' && item.payload.e164 === e164) {
        level = stronger(level, item.payload.scope);
      }
    }
    return level;
  }

  check = async () => ({ ok: true as const, detail: 'fake CRM' });

  async push(item: OutboxItem): Promise<PushAck> {
    this.maxConcurrent = Math.max(this.maxConcurrent, ++this.active);
    try {
      this.pushCalls.push(structuredClone(item));
      this.onRequest?.('push', item);
      const failure = this.take('push');
      if (failure && failure.mode !== 'lost') throw this.error(failure);
      const ack = this.store(item);
      if (failure) throw new CrmError('timeout', 'reply lost after the write');
      this.acked.add(item.key);
      return ack;
    } finally {
      this.active--;
    }
  }

  async pullCustomers(since: PullCursor | null, limit: number): Promise<PullPage<CrmCustomer>> {
    this.pullCalls.push({ stream: 'customers', since });
    this.onRequest?.('pull');
    const failure = this.take('pull');
    if (failure)
      throw failure.mode === 'lost' ? new CrmError('timeout', 'lost') : this.error(failure);
    const page = this.page([...this.customers.values()], since, limit);
    for (const c of page.records) {
      for (const raw of c.phones) {
        const { e164 } = normalizePhone(raw);
        if (e164)
          this.seenOptOut.set(e164, stronger(this.seenOptOut.get(e164) ?? 'none', c.optOut));
      }
    }
    return structuredClone(page);
  }

  async pullActivities(since: PullCursor | null, limit: number): Promise<PullPage<CrmActivity>> {
    this.pullCalls.push({ stream: 'activities', since });
    this.onRequest?.('pull');
    const failure = this.take('pull');
    if (failure)
      throw failure.mode === 'lost' ? new CrmError('timeout', 'lost') : this.error(failure);
    return structuredClone(this.page([...this.activities.values()], since, limit));
  }

  private take(kind: CallKind): ScriptedFailure | null {
    if (this.down) return { on: kind, mode: this.down };
    const i = this.failures.findIndex((f) => f.on === kind || f.on === 'any');
    if (i < 0) return null;
    return this.failures.splice(i, 1)[0]!;
  }

  private error(f: ScriptedFailure): Error {
    if (f.mode === 'crash')
      return new TypeError('adapter bug: cannot read properties of undefined');
    if (f.mode === 'lost') return new CrmError('timeout', 'lost');
    const status: Partial<Record<CrmErrorKind, number>> = {
      rate_limited: 429,
      server: 503,
      rejected: 400,
      auth: 401,
      conflict: 409,
    };
    return new CrmError(f.mode, `fake CRM: ${f.mode}`, {
      status: status[f.mode] ?? null,
      retryAfterMs: f.retryAfterMs ?? null,
    });
  }

  /** Upsert by key: a retried push writes the same record again, never a second one. */
  private store(item: OutboxItem): PushAck {
    const old = this.items.get(item.key);
    const remoteId = old?.remoteId ?? String(this.nextId++);
    this.items.set(item.key, {
      item: structuredClone(item),
      remoteId,
      writes: (old?.writes ?? 0) + 1,
    });
    if (item.kind === 'note') {
      const p = item.payload;
      this.activities.set(remoteId, {
        crmId: remoteId,
        customerCrmId: p.customerCrmId,
        kind: 'note',
        direction: 'outbound',
        at: p.savedAt,
        summary: p.body,
        syncKey: item.key,
        updatedAt: this.touch(),
      });
    } else if (item.kind === 'call_log') {
      const p = item.payload;
      this.activities.set(remoteId, {
        crmId: remoteId,
        customerCrmId: p.customerCrmId,
        kind: 'call',
        direction: p.direction,
        at: p.startedAt,
        summary: p.outcome,
        syncKey: item.key,
        updatedAt: this.touch(),
      });
    } else if (item.kind === 'opt_out') {
      const p = item.payload;
      const c = p.customerCrmId ? this.customers.get(p.customerCrmId) : undefined;
      if (c && stronger(c.optOut, p.scope) !== c.optOut) this.setOptOut(c.crmId, p.scope);
    }
    return { remoteId, revision: null };
  }

  private page<T extends { crmId: string; updatedAt: string }>(
    all: T[],
    since: PullCursor | null,
    limit: number,
  ): PullPage<T> {
    const pos = (r: T): PullCursor => ({ updatedAt: r.updatedAt, id: r.crmId });
    const after = all
      .filter((r) => !since || compareCursor(pos(r), since) > 0)
      .sort((a, b) => compareCursor(pos(a), pos(b)));
    const records = after.slice(0, limit);
    const last = records.at(-1);
    return {
      records,
      cursor: last ? pos(last) : null,
      done: after.length <= limit,
      total: after.length,
    };
  }
}

export interface Timer {
  id: number;
  fn: () => void;
  ms: number;
  at: number;
}

export interface Harness {
  db: Database;
  crm: FakeCrm;
  engine: SyncEngine;
  outbox: OutboxRepo;
  notes: NoteRepo;
  optOuts: OptOutRepo;
  customers: CustomerRepo;
  interactions: InteractionRepo;
  cursors: CursorRepo;
  statuses: SyncStatus[];
  /** Every idempotency key handed out by the outbox, in order. */
  enqueued: string[];
  /** Every delay the engine asked a timer for, in order. */
  delays: number[];
  now(): number;
  advance(ms: number): void;
  /** The timer the engine is waiting on (at most one is live). */
  timer(): Timer | null;
  /** Starts the engine and lets its first round finish. */
  start(): Promise<void>;
  /** Moves the clock to the live timer and lets the round it starts finish. */
  fire(): Promise<Timer>;
  /** Lets every round already started finish (the fake CRM answers without timers). */
  settle(): Promise<void>;
  setRandom(r: () => number): void;
  close(): Promise<void>;
}

export const T0 = 1_750_000_000_000;

export function createHarness(
  opts: Partial<
    Pick<SyncEngineOptions, 'backoff' | 'pullIntervalMs' | 'lookBackMs' | 'pageSize'>
  > & { crm?: FakeCrm } = {},
): Harness {
  const db = openDatabase(':memory:');
  let clock = T0;
  const now = () => clock;
  let random: () => number = () => 0.5;
  const crm = opts.crm ?? new FakeCrm();
  const enqueued: string[] = [];
  const realOutbox = createOutboxRepo(db, { now });
  const outbox: OutboxRepo = {
    ...realOutbox,
    enqueue(kind, entity, payload, key) {
      const k = realOutbox.enqueue(kind, entity, payload, key);
      enqueued.push(k);
      return k;
    },
  };
  const customers = createCustomerRepo(db, { now });
  const interactions = createInteractionRepo(db, { outbox });
  const notes = createNoteRepo(db, outbox, { now });
  const optOuts = createOptOutRepo(db, outbox, { now });
  const cursors = createCursorRepo(db, { now });
  const timers = new Map<number, Timer>();
  let nextTimer = 1;
  const statuses: SyncStatus[] = [];
  const delays: number[] = [];

  // As core.ts wires it.
  const ownNoteKey = db.prepare<[string], number>('SELECT 1 FROM note_versions WHERE sync_key = ?');
  const ownCall = db.prepare<[string], number>(
    "SELECT 1 FROM interactions WHERE id = ? AND source = 'local'",
  );
  const engine = createSyncEngine({
    db,
    adapter: crm,
    outbox,
    cursors,
    apply: {
      customers,
      interactions,
      optOuts,
      log: silentLogger,
      isOwnKey: (key) =>
        key.startsWith('call:')
          ? ownCall.get(key.slice(5)) !== undefined
          : ownNoteKey.get(key) !== undefined,
    },
    log: silentLogger,
    now,
    random: () => random(),
    backoff: opts.backoff,
    pullIntervalMs: opts.pullIntervalMs,
    lookBackMs: opts.lookBackMs,
    pageSize: opts.pageSize ?? 2,
    onAcknowledged: (row, at) => {
      if (row.item.kind === 'note') notes.markSynced(row.item.key, at);
    },
    onStatus: (s) => statuses.push(s),
    setTimer: (fn, ms) => {
      const t = { id: nextTimer++, fn, ms, at: clock + ms };
      timers.set(t.id, t);
      delays.push(ms);
      return t.id;
    },
    clearTimer: (h) => void timers.delete(h as number),
  });

  const settle = async () => {
    // The fake answers with resolved promises: every round started so far has finished once
    // the microtask queue is empty, which is before the next macrotask runs.
    await new Promise<void>((resolve) => setImmediate(resolve));
  };

  const timer = () => {
    let first: Timer | null = null;
    for (const t of timers.values()) if (!first || t.at < first.at) first = t;
    return first;
  };

  return {
    db,
    crm,
    engine,
    outbox,
    notes,
    optOuts,
    customers,
    interactions,
    cursors,
    statuses,
    enqueued,
    delays,
    now,
    advance: (ms) => void (clock += ms),
    timer,
    async start() {
      engine.start();
      await settle();
    },
    async fire() {
      const t = timer();
      if (!t) throw new Error('no timer is set');
      timers.delete(t.id);
      clock = Math.max(clock, t.at);
      t.fn();
      await settle();
      return t;
    },
    settle,
    setRandom: (r) => void (random = r),
    async close() {
      await engine.stop();
      db.close();
    },
  };
}
