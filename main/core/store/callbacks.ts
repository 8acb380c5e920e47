// The callback queue. Every change is written with its outbox row in one transaction (a
// fixed key per callback: the CRM gets the latest state whole, once per change).
//
// Queue order, the next-best first:
//   1. promised and due (promised = 1, due_at <= now, no retry pending): own ('me') before
//      the pool, then the earliest promise;
//   2. everything else that is ready (coalesce(next_at, due_at) <= now): own before pool,
//      then priority (high first), then due_at;
// both only 'pending' and not expired. The list view then shows the pending ones that are
// not ready yet, by when they will be, and the expired ones still pending last; callbacks
// under way (dialing, wrap-up) head the list.
//
// Each part is one "segment": a query whose ORDER BY is the order of a partial index
// (0004-outbound.ts), walked in chunks that resume with a row-value seek, so finding the next
// callback among 100,000 pending ones never sorts the table, and no statement stays open
// between chunks (the caller may write while it iterates).
import { randomUUID } from 'node:crypto';
import {
  CallbackStatus,
  E164,
  EpochMs,
  Id,
  TimeZone,
  type Campaign,
  type QueueFilter,
} from '../../../preload/contract';
import { crmIdLookup } from './customers';
import type { Database } from './db';
import type { OutboxRepo } from './outbox';

export type CallbackOwner = 'me' | 'pool';

export interface CallbackRow {
  id: string;
  customerId: string | null;
  e164: string;
  campaignId: string;
  kind: string;
  owner: CallbackOwner;
  priority: number;
  promised: boolean;
  dueAt: number;
  expiresAt: number | null;
  /** The callback's own zone, else its customer's (from the CRM address); null = unknown. */
  timeZone: string | null;
  status: CallbackStatus;
  attempts: number;
  nextAt: number | null;
  /** Copied from the campaign when the callback was made. */
  marketing: boolean;
  note: string | null;
  skipReason: string | null;
  skippedAt: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface CreateCallbackInput {
  customerId: string | null;
  e164: string;
  campaign: Campaign;
  owner: CallbackOwner;
  priority?: number;
  promised: boolean;
  dueAt: number;
  expiresAt?: number | null;
  timeZone?: string | null;
  note?: string | null;
}

export type CallbackPatch = Partial<
  Pick<
    CallbackRow,
    | 'status'
    | 'nextAt'
    | 'dueAt'
    | 'promised'
    | 'attempts'
    | 'skipReason'
    | 'skippedAt'
    | 'owner'
    | 'priority'
    | 'expiresAt'
    | 'note'
  >
>;

export interface CallbackRepo {
  /** A new pending callback (queued for the CRM in the same transaction). */
  create(input: CreateCallbackInput): CallbackRow;
  get(id: string): CallbackRow | undefined;
  /** Changes the given fields (queued for the CRM); throws CallbackNotFoundError. */
  update(id: string, patch: CallbackPatch): CallbackRow;
  /**
   * The ready callbacks in queue order (parts 1 and 2), fetched lazily in small chunks:
   * stop at the first dialable one. Rows changed while iterating are seen as they are when
   * their chunk is read.
   */
  candidates(now: number): IterableIterator<CallbackRow>;
  /**
   * The list view: pending, dialing and wrap-up callbacks in queue order (under way, then
   * ready, then the rest by time). `filter.dialableOnly` is the caller's business.
   */
  page(
    filter: QueueFilter,
    now: number,
    offset: number,
    limit: number,
  ): { total: number; rows: CallbackRow[] };
  /**
   * An opt-out: the number's or customer's pending and dialing callbacks (only the marketing
   * ones with marketingOnly) become 'opted_out'. Returns how many.
   */
  cancelPending(input: { e164: string; customerId: string | null; marketingOnly: boolean }): number;
  /** Pending callbacks past their expiry become 'expired'. Returns how many. */
  expireDue(now: number): number;
  counts(now: number): { pending: number; readyNow: number };
}

export class CallbackNotFoundError extends Error {
  readonly code = 'not_found';
  constructor(id: string) {
    super(`no callback ${id}`);
    this.name = 'CallbackNotFoundError';
  }
}

/** A callback value that cannot be stored; nothing was written. */
export class InvalidCallbackError extends Error {
  readonly code = 'invalid_callback';
  constructor(message: string) {
    super(message);
    this.name = 'InvalidCallbackError';
  }
}

interface DbRow {
  id: string;
  customerId: string | null;
  e164: string;
  campaignId: string;
  kind: string;
  owner: CallbackOwner;
  priority: number;
  promised: number;
  dueAt: number;
  expiresAt: number | null;
  timeZone: string | null;
  status: CallbackStatus;
  attempts: number;
  nextAt: number | null;
  marketing: number;
  note: string | null;
  skipReason: string | null;
  skippedAt: number | null;
  createdAt: number;
  updatedAt: number;
  /** Queue keys, for resuming a walk. */
  queueRank: number;
  readyAt: number;
}

const COLUMNS = `cb.id, cb.customer_id AS customerId, cb.e164,
  coalesce(cb.campaign_id, cb.kind) AS campaignId, cb.kind, cb.owner, cb.priority, cb.promised,
  cb.due_at AS dueAt, cb.expires_at AS expiresAt, coalesce(cb.time_zone, c.time_zone) AS timeZone,
  cb.status, cb.attempts, cb.next_at AS nextAt, cb.marketing, cb.note,
  cb.skip_reason AS skipReason, cb.skipped_at AS skippedAt, cb.created_at AS createdAt,
  cb.updated_at AS updatedAt, cb.queue_rank AS queueRank, cb.ready_at AS readyAt`;
const JOIN = 'LEFT JOIN customers c ON c.id = cb.customer_id';
const FROM = `callbacks cb ${JOIN}`;
/** A segment's rows (customers joined for the row's zone and the search). */
const fromOf = (seg: Segment, join = true) =>
  `callbacks cb${seg.index ? ` INDEXED BY ${seg.index}` : ''}${join ? ` ${JOIN}` : ''}`;

const NOT_EXPIRED = '(cb.expires_at IS NULL OR cb.expires_at > @now)';

interface Segment {
  /** The index whose order this is (INDEXED BY: the planner, without statistics, would
   * otherwise pick callbacks_pending and sort). */
  index?: string;
  /** Which rows, with @now bound. */
  where: string;
  /** Index order; the last key is the id, so the order is total. */
  keys: { sql: string; of: (r: DbRow) => string | number }[];
  /** Set when the segment holds one owner's callbacks only. */
  owner?: CallbackOwner;
}

const byDue = [
  { sql: 'cb.due_at', of: (r: DbRow) => r.dueAt },
  { sql: 'cb.id', of: (r: DbRow) => r.id },
];

/** Part 1: promised and due (index callbacks_queue_promised). */
const promisedDue = (owner: CallbackOwner): Segment => ({
  index: 'callbacks_queue_promised',
  where: `cb.status = 'pending' AND cb.promised = 1 AND cb.owner = '${owner}'
    AND cb.due_at <= @now AND (cb.next_at IS NULL OR cb.next_at <= @now) AND ${NOT_EXPIRED}`,
  keys: byDue,
  owner,
});

/** Part 2: the rest of the ready ones (index callbacks_queue_ready). */
const readyRest = (owner: CallbackOwner): Segment => ({
  index: 'callbacks_queue_ready',
  where: `cb.status = 'pending' AND cb.owner = '${owner}' AND cb.ready_at <= @now
    AND ${NOT_EXPIRED} AND NOT (cb.promised = 1 AND cb.due_at <= @now)`,
  keys: [{ sql: 'cb.queue_rank', of: (r) => r.queueRank }, ...byDue],
  owner,
});

const READY: Segment[] = [
  promisedDue('me'),
  promisedDue('pool'),
  readyRest('me'),
  readyRest('pool'),
];

/** The list view: under way, ready (parts 1 and 2), not ready yet, expired. */
const LISTED: Segment[] = [
  {
    where: `cb.status IN ('dialing', 'wrap_up')`,
    keys: [{ sql: 'cb.updated_at', of: (r) => r.updatedAt }, byDue[1]!],
  },
  ...READY,
  {
    index: 'callbacks_queue_later',
    where: `cb.status = 'pending' AND cb.ready_at > @now AND ${NOT_EXPIRED}`,
    keys: [{ sql: 'cb.ready_at', of: (r) => r.readyAt }, byDue[1]!],
  },
  {
    where: `cb.status = 'pending' AND cb.expires_at <= @now`,
    keys: [{ sql: 'cb.expires_at', of: (r) => r.expiresAt ?? 0 }, byDue[1]!],
  },
];

const CHUNK = 32;
const FIRST_CHUNK = 2;
const LISTED_STATUSES = `cb.status IN ('pending', 'dialing', 'wrap_up')`;

export function createCallbackRepo(
  db: Database,
  /** null: changes are not queued for the CRM (demo data). */
  outbox: OutboxRepo | null,
  opts: { now?: () => number; newId?: () => string } = {},
): CallbackRepo {
  const now = opts.now ?? Date.now;
  const newId = opts.newId ?? (() => `cb-${randomUUID()}`);
  const crmIdOf = crmIdLookup(db);

  const insert = db.prepare(
    `INSERT INTO callbacks (id, customer_id, e164, campaign_id, kind, owner, priority, promised,
       due_at, expires_at, time_zone, status, attempts, next_at, note, marketing, created_at,
       updated_at)
     VALUES (@id, @customerId, @e164, @campaignId, @kind, @owner, @priority, @promised, @dueAt,
       @expiresAt, @timeZone, 'pending', 0, NULL, @note, @marketing, @t, @t)`,
  );
  const byId = db.prepare<[string], DbRow>(`SELECT ${COLUMNS} FROM ${FROM} WHERE cb.id = ?`);
  const write = db.prepare(
    `UPDATE callbacks SET status = @status, next_at = @nextAt, due_at = @dueAt,
       promised = @promised, attempts = @attempts, skip_reason = @skipReason,
       skipped_at = @skippedAt, owner = @owner, priority = @priority, expires_at = @expiresAt,
       note = @note, updated_at = @t
     WHERE id = @id`,
  );
  const cancel = db.prepare<
    { e164: string; customerId: string | null; marketingOnly: number; t: number },
    Pick<DbRow, 'id' | 'customerId' | 'e164' | 'dueAt' | 'status'>
  >(
    `UPDATE callbacks SET status = 'opted_out', updated_at = @t
      WHERE status IN ('pending', 'dialing')
        AND (e164 = @e164 OR customer_id = @customerId)
        AND (@marketingOnly = 0 OR marketing = 1)
     RETURNING id, customer_id AS customerId, e164, due_at AS dueAt, status`,
  );
  const expire = db.prepare<
    { now: number },
    Pick<DbRow, 'id' | 'customerId' | 'e164' | 'dueAt' | 'status'>
  >(
    `UPDATE callbacks SET status = 'expired', updated_at = @now
      WHERE status = 'pending' AND expires_at <= @now
     RETURNING id, customer_id AS customerId, e164, due_at AS dueAt, status`,
  );
  const countPending = db
    .prepare<[], number>(`SELECT count(*) FROM callbacks WHERE status = 'pending'`)
    .pluck();
  const countReady = db
    .prepare<{ now: number }, number>(
      `SELECT count(*) FROM callbacks cb INDEXED BY callbacks_queue_later
        WHERE cb.status = 'pending' AND cb.ready_at <= @now AND ${NOT_EXPIRED}`,
    )
    .pluck();

  // Statements built from a segment and the filters in use, prepared once each.
  const prepared = new Map<string, ReturnType<Database['prepare']>>();
  const stmt = (sql: string) => {
    let s = prepared.get(sql);
    if (!s) prepared.set(sql, (s = db.prepare(sql)));
    return s;
  };

  function queue(c: Pick<DbRow, 'id' | 'customerId' | 'e164' | 'dueAt' | 'status'>): void {
    if (!outbox) return;
    outbox.enqueue(
      'callback',
      `callback:${c.id}`,
      {
        callbackId: c.id,
        customerId: c.customerId,
        customerCrmId: crmIdOf(c.customerId),
        e164: c.e164,
        dueAt: c.dueAt,
        status: c.status,
      },
      `callback:${c.id}`,
    );
  }

  const get = (id: string) => {
    const row = byId.get(id);
    return row ? toRow(row) : undefined;
  };

  const create = db.transaction((input: CreateCallbackInput): CallbackRow => {
    checkCreate(input);
    const id = newId();
    const t = now();
    insert.run({
      id,
      customerId: input.customerId,
      e164: input.e164,
      campaignId: input.campaign.id,
      kind: input.campaign.kind,
      owner: input.owner,
      priority: input.priority ?? 0,
      promised: input.promised ? 1 : 0,
      dueAt: input.dueAt,
      expiresAt: input.expiresAt ?? null,
      timeZone: input.timeZone ?? null,
      note: input.note ?? null,
      marketing: input.campaign.marketing ? 1 : 0,
      t,
    });
    const row = get(id)!;
    queue(row);
    return row;
  });

  const update = db.transaction((id: string, patch: CallbackPatch): CallbackRow => {
    const current = get(id);
    if (!current) throw new CallbackNotFoundError(id);
    const next = { ...current, ...definedOnly(patch) };
    checkUpdate(next);
    write.run({
      id,
      status: next.status,
      nextAt: next.nextAt,
      dueAt: next.dueAt,
      promised: next.promised ? 1 : 0,
      attempts: next.attempts,
      skipReason: next.skipReason,
      skippedAt: next.skippedAt,
      owner: next.owner,
      priority: next.priority,
      expiresAt: next.expiresAt,
      note: next.note,
      t: now(),
    });
    const row = get(id)!;
    queue(row);
    return row;
  });

  const cancelPending = db.transaction(
    (input: { e164: string; customerId: string | null; marketingOnly: boolean }): number => {
      const rows = cancel.all({
        e164: input.e164,
        customerId: input.customerId,
        marketingOnly: input.marketingOnly ? 1 : 0,
        t: now(),
      });
      rows.forEach(queue);
      return rows.length;
    },
  );

  const expireDue = db.transaction((at: number): number => {
    const rows = expire.all({ now: at });
    rows.forEach(queue);
    return rows.length;
  });

  /** WHERE clause and parameters for the list filters (customers joined as c). */
  function filterSql(filter: QueueFilter): { sql: string; params: Record<string, unknown> } {
    const parts: string[] = [];
    const params: Record<string, unknown> = {};
    if (filter.campaignId !== undefined) {
      parts.push('coalesce(cb.campaign_id, cb.kind) = @campaignId');
      params.campaignId = filter.campaignId;
    }
    if (filter.owner !== undefined) {
      parts.push('cb.owner = @owner');
      params.owner = filter.owner;
    }
    const search = searchPatterns(filter.search);
    if (search) {
      // Names are compared without their spaces (char(12288) is the full-width one).
      parts.push(`(cb.e164 LIKE @numberLike ESCAPE '\\' OR cb.e164 LIKE @nationalLike ESCAPE '\\'
        OR replace(replace(c.name, ' ', ''), char(12288), '') LIKE @nameLike ESCAPE '\\'
        OR replace(replace(c.name_kana, ' ', ''), char(12288), '') LIKE @kanaLike ESCAPE '\\')`);
      Object.assign(params, search);
    }
    return { sql: parts.map((p) => ` AND ${p}`).join(''), params };
  }

  function* walk(seg: Segment, now: number): Generator<CallbackRow> {
    const order = seg.keys.map((k) => k.sql).join(', ');
    // The first chunk is small: the next-best pick usually needs only the first row.
    const first = stmt(
      `SELECT ${COLUMNS} FROM ${fromOf(seg)} WHERE ${seg.where} ORDER BY ${order} LIMIT ${FIRST_CHUNK}`,
    );
    const after = stmt(
      `SELECT ${COLUMNS} FROM ${fromOf(seg)} WHERE ${seg.where}
         AND (${order}) > (${seg.keys.map((_, i) => `@k${i}`).join(', ')})
       ORDER BY ${order} LIMIT ${CHUNK}`,
    );
    let last: DbRow | undefined;
    for (;;) {
      const rows = (
        last
          ? after.all({
              now,
              ...Object.fromEntries(seg.keys.map((k, i) => [`k${i}`, k.of(last!)])),
            })
          : first.all({ now })
      ) as DbRow[];
      for (const r of rows) yield toRow(r);
      if (rows.length < (last ? CHUNK : FIRST_CHUNK)) return;
      last = rows[rows.length - 1];
    }
  }

  function* candidates(at: number): Generator<CallbackRow> {
    for (const seg of READY) yield* walk(seg, at);
  }

  const page = db.transaction((filter: QueueFilter, at: number, offset: number, limit: number) => {
    if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(limit) || limit < 0) {
      throw new RangeError('page: offset and limit must be non-negative integers');
    }
    const f = filterSql(filter);
    const join = f.params.nameLike !== undefined;
    const params = { ...f.params, now: at };
    const total = stmt(
      `SELECT count(*) FROM callbacks cb ${join ? JOIN : ''} WHERE ${LISTED_STATUSES}${f.sql}`,
    )
      .pluck()
      .get(params) as number;
    const rows: CallbackRow[] = [];
    let skip = offset;
    for (const seg of LISTED) {
      if (rows.length >= limit) break;
      if (seg.owner && filter.owner && seg.owner !== filter.owner) continue;
      const where = `${seg.where}${f.sql}`;
      if (skip > 0) {
        const n = stmt(`SELECT count(*) FROM ${fromOf(seg, join)} WHERE ${where}`)
          .pluck()
          .get(params) as number;
        if (skip >= n) {
          skip -= n;
          continue;
        }
      }
      const order = seg.keys.map((k) => k.sql).join(', ');
      const got = stmt(
        `SELECT ${COLUMNS} FROM ${fromOf(seg)} WHERE ${where} ORDER BY ${order}
            LIMIT @limit OFFSET @offset`,
      ).all({ ...params, limit: limit - rows.length, offset: skip }) as DbRow[];
      for (const r of got) rows.push(toRow(r));
      skip = 0;
    }
    return { total, rows };
  });

  return {
    create: (input) => create(input),
    get,
    update: (id, patch) => update(id, patch),
    candidates,
    page: (filter, at, offset, limit) => page(filter, at, offset, limit),
    cancelPending: (input) => cancelPending(input),
    expireDue: (at) => expireDue(at),
    counts: (at) => ({
      pending: countPending.get() ?? 0,
      readyNow: countReady.get({ now: at }) ?? 0,
    }),
  };
}

function toRow(r: DbRow): CallbackRow {
  return {
    id: r.id,
    customerId: r.customerId,
    e164: r.e164,
    campaignId: r.campaignId,
    kind: r.kind,
    owner: r.owner,
    priority: r.priority,
    promised: r.promised === 1,
    dueAt: r.dueAt,
    expiresAt: r.expiresAt,
    timeZone: r.timeZone,
    status: r.status,
    attempts: r.attempts,
    nextAt: r.nextAt,
    marketing: r.marketing === 1,
    note: r.note,
    skipReason: r.skipReason,
    skippedAt: r.skippedAt,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

function definedOnly<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const OWNERS: readonly string[] = ['me', 'pool'];
const NOTE_MAX = 2000;

function fail(what: string, value: unknown, expected: string): never {
  throw new InvalidCallbackError(`callback ${what} ${JSON.stringify(value)}: expected ${expected}`);
}

function checkCommon(c: {
  owner: string;
  priority?: number;
  dueAt: number;
  expiresAt?: number | null;
  note?: string | null;
}): void {
  if (!OWNERS.includes(c.owner)) fail('owner', c.owner, "'me' or 'pool'");
  if (c.priority !== undefined && !Number.isSafeInteger(c.priority)) {
    fail('priority', c.priority, 'an integer');
  }
  if (!EpochMs.safeParse(c.dueAt).success) fail('dueAt', c.dueAt, 'epoch milliseconds');
  if (c.expiresAt != null && !EpochMs.safeParse(c.expiresAt).success) {
    fail('expiresAt', c.expiresAt, 'epoch milliseconds or null');
  }
  if (c.note != null && (typeof c.note !== 'string' || c.note.length > NOTE_MAX)) {
    fail('note', c.note, `text up to ${NOTE_MAX} characters`);
  }
}

function checkCreate(input: CreateCallbackInput): void {
  if (input.customerId !== null && !Id.safeParse(input.customerId).success) {
    fail('customerId', input.customerId, 'an id or null');
  }
  if (!E164.safeParse(input.e164).success) fail('number', input.e164, 'an E.164 number');
  if (!Id.safeParse(input.campaign?.id).success) fail('campaign', input.campaign?.id, 'a campaign');
  if (input.timeZone != null && !TimeZone.safeParse(input.timeZone).success) {
    fail('timeZone', input.timeZone, 'an IANA time zone or null');
  }
  checkCommon(input);
}

function checkUpdate(next: CallbackRow): void {
  if (!CallbackStatus.safeParse(next.status).success) {
    fail('status', next.status, CallbackStatus.options.join(', '));
  }
  if (!Number.isSafeInteger(next.attempts) || next.attempts < 0) {
    fail('attempts', next.attempts, 'a non-negative integer');
  }
  if (next.nextAt !== null && !EpochMs.safeParse(next.nextAt).success) {
    fail('nextAt', next.nextAt, 'epoch milliseconds or null');
  }
  if (next.skippedAt !== null && !EpochMs.safeParse(next.skippedAt).success) {
    fail('skippedAt', next.skippedAt, 'epoch milliseconds or null');
  }
  if (
    next.skipReason !== null &&
    (typeof next.skipReason !== 'string' || next.skipReason.length > 200)
  ) {
    fail('skipReason', next.skipReason, 'text up to 200 characters or null');
  }
  checkCommon(next);
}

/**
 * LIKE patterns for a search box entry: a name or kana fragment (spaces ignored, hiragana
 * matched as katakana, full-width letters and digits folded) or a number fragment (any
 * format: "090-1234", "1234", "＋８１９０"). Undefined when there is nothing to search for.
 */
export function searchPatterns(
  search: string | undefined,
):
  | { numberLike: string | null; nationalLike: string | null; nameLike: string; kanaLike: string }
  | undefined {
  const q = (search ?? '').normalize('NFKC').replace(/\s+/g, '');
  if (q === '') return undefined;
  const like = (s: string) => `%${s.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
  const kana = q.replace(/[\u3041-\u3096]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0x60));
  const digits = /^[\d+()\-.]+$/.test(q) ? q.replace(/\D/g, '') : '';
  return {
    numberLike: digits.length >= 2 ? like(digits) : null,
    // A national number typed with its leading 0: 090-1234 is +81901234… in E.164.
    nationalLike: digits.length >= 3 && digits.startsWith('0') ? `+81${digits.slice(1)}%` : null,
    nameLike: like(q),
    kanaLike: like(kana),
  };
}
