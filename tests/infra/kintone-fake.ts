// A stateful fake kintone REST server (node:http) for tests and benchmarks. It implements what
// the kintone adapter uses, shaped as kintone's OpenAPI spec says (tests/fixtures/kintone):
//   GET/POST/PUT /k/v1/records.json (query subset, upsert + updateKey, revision checks)
//   GET/POST/PUT /k/v1/record.json, GET /k/v1/app.json, GET /k/v1/app/form/fields.json
// with API-token auth (X-Cybozu-API-Token, comma lists) answered with kintone's real error
// codes, `$id`/`$revision`/`作成日時`/`更新日時` kept on the fake's own clock at kintone's minute
// granularity, optional query lag (a write reaches queries only after lagMs), fault injection,
// down()/up(), counters, and a lazily generated block of seeded records so a million customers
// cost a function, not a million objects.
//
// Where the spec and the real service differ, the spec wins (Prism checks every reply): ids,
// revisions and counts are JSON integers here, strings on the real service.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import type { KintoneConfig } from '../../main/core/sync/crm/kintone/config';

// ---- public types ------------------------------------------------------------------------

export type UserFieldType =
  | 'SINGLE_LINE_TEXT'
  | 'MULTI_LINE_TEXT'
  | 'NUMBER'
  | 'DATETIME'
  | 'DROP_DOWN'
  | 'RADIO_BUTTON'
  | 'LINK';

export interface FakeField {
  code: string;
  type: UserFieldType;
  label?: string;
  /** "Prohibit duplicate values" (text and number fields): what updateKey needs. */
  unique?: boolean;
  required?: boolean;
  /** Drop-down / radio labels. */
  options?: string[];
}

export interface FakeAppDef {
  id: number;
  name: string;
  fields: FakeField[];
}

/** An API token: made for one app, with that app's permissions. */
export interface FakeToken {
  token: string;
  app: number;
  view?: boolean;
  add?: boolean;
  edit?: boolean;
}

export type Fault =
  /** Hold the request, answering nothing, until the client gives up (or close()). */
  | 'timeout'
  /** Destroy the socket before doing anything. */
  | 'reset'
  /** Apply the request, then destroy the socket: the write happened, its reply is lost. */
  | { reset: 'after-write' }
  | { status: 429; retryAfterSec?: number }
  | { status: 500 | 502 | 503 | 504 }
  /** Apply the request, answer 200 with a body that is not JSON. */
  | 'malformed'
  /** Apply and answer normally, and keep the request: replayDuplicates() sends it again. */
  | 'duplicate';

export interface FaultMatch {
  method?: string;
  /** e.g. '/k/v1/records.json' */
  path?: string;
  app?: number;
}

export interface FakeRecord {
  id: number;
  revision: number;
  createdAt: string;
  updatedAt: string;
  values: Record<string, string>;
}

export interface AppStats {
  reads: number;
  queries: number;
  inserts: number;
  updates: number;
  conflicts: number;
  rejected: number;
}

export interface FakeStats {
  requests: number;
  byRoute: Record<string, number>;
  byApp: Record<number, AppStats>;
  faults: Record<string, number>;
}

export interface FakeRequestInfo {
  method: string;
  path: string;
  app: number | null;
  body: unknown;
}

export interface KintoneFakeOptions {
  apps: FakeAppDef[];
  tokens: FakeToken[];
  /** 0 or absent: the OS picks. */
  port?: number;
  /** A write reaches queries (GET records.json) only this long after it was made. */
  lagMs?: number;
  /** Used by seedCustomers()' default generator (field codes and labels). */
  mapping?: KintoneConfig;
  customersApp?: number;
}

// ---- kintone's replies -------------------------------------------------------------------

interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

const errorId = () => randomBytes(10).toString('base64url');

function kError(
  status: number,
  code: string,
  message: string,
  errors?: Record<string, { messages: string[] }>,
): Reply {
  return { status, body: { code, id: errorId(), message, ...(errors ? { errors } : {}) } };
}

const E = {
  noAuth: () => kError(401, 'CB_AU01', 'Please login.'),
  badToken: () =>
    kError(
      400,
      'GAIA_IA02',
      'The specified API token does not match the API token generated via an app.',
    ),
  dupToken: () =>
    kError(400, 'GAIA_DA03', 'You cannot specify a duplicate API token for the same app.'),
  noPermission: () =>
    kError(403, 'GAIA_NO01', 'Using this API token, you cannot run the specified API.'),
  noApp: (app: unknown) =>
    kError(
      404,
      'GAIA_AP01',
      `The app (ID: ${String(app)}) not found. The app may have been deleted.`,
    ),
  noRecord: (what: string) =>
    kError(404, 'GAIA_RE01', `The specified record (${what}) is not found.`),
  conflict: () =>
    kError(
      409,
      'GAIA_CO02',
      'The revision is not the latest. Someone may update a record after you opened it.',
    ),
  invalid: (errors: Record<string, { messages: string[] }>) =>
    kError(400, 'CB_VA01', 'Missing or invalid input.', errors),
  badJson: () => kError(400, 'CB_IJ01', 'Invalid JSON string.'),
  noField: (code: string) => kError(400, 'GAIA_IQ11', `The specified field (${code}) not found.`),
  badOperator: (code: string, op: string) =>
    kError(400, 'GAIA_IQ03', `The operator ${op} cannot be used for the field (${code}).`),
  noApi: () => kError(404, 'CB_NF01', 'The specified API does not exist.'),
  // kintone documents no body for its 429 (concurrency limit) or for a failing server: these are
  // shaped like its other errors so the client keeps the status and the headers.
  busy: (sec: number) => ({
    ...kError(429, 'CB_TM01', 'Too many concurrent requests. Retry later.'),
    headers: { 'Retry-After': String(sec) },
  }),
  server: (status: number) =>
    kError(status, 'CB_IL01', 'An unexpected error occurred on the server.'),
};

/** Thrown inside handlers to answer with a kintone error. */
class ReplyError extends Error {
  constructor(readonly reply: Reply) {
    super(JSON.stringify(reply.body));
  }
}
const fail = (r: Reply): never => {
  throw new ReplyError(r);
};

// ---- records -----------------------------------------------------------------------------

interface Snapshot {
  revision: number;
  values: Record<string, string>;
  createdAt: string;
  updatedAt: string;
}

interface Row {
  id: number;
  cur: Snapshot;
  /** Until `until` (wall clock), queries see `snap` (null: not at all) instead of `cur`. */
  stale: { snap: Snapshot | null; until: number } | null;
}

/**
 * Generates seeded record i (0-based). `lookup`, when given, answers `field = value` without a
 * scan: the indexes whose `field` holds `value` ([] for none), or null when it cannot tell.
 */
export type SeedGen = ((i: number) => Record<string, string>) & {
  lookup?: (field: string, value: string) => number[] | null;
};

interface Seed {
  first: number;
  last: number;
  gen: (id: number) => Record<string, string>;
  lookup: ((field: string, value: string) => number[] | null) | null;
  createdAt: string;
  updatedAt: string;
}

interface AppState {
  def: FakeAppDef;
  fields: Map<string, FakeField>;
  rows: Map<number, Row>;
  seed: Seed | null;
  nextId: number;
  /** field code → value → record id, for unique fields of materialized rows. */
  unique: Map<string, Map<string, number>>;
}

const RECORD_NUMBER = 'レコード番号';
const CREATED_TIME = '作成日時';
const UPDATED_TIME = '更新日時';
const CREATOR = '作成者';
const MODIFIER = '更新者';
const ADMIN = { code: 'Administrator', name: 'Administrator' };

/** kintone keeps record times to the minute. */
export function kintoneMinute(ms: number): string {
  return new Date(Math.floor(ms / 60_000) * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

// ---- the query subset --------------------------------------------------------------------

type Value = { kind: 'string' | 'number'; text: string };
type Cond =
  | { t: 'or'; items: Cond[] }
  | { t: 'and'; items: Cond[] }
  | { t: 'cmp'; field: string; op: '=' | '!=' | '>' | '<' | '>=' | '<='; value: Value }
  | { t: 'in'; field: string; not: boolean; values: Value[] }
  | { t: 'like'; field: string; not: boolean; value: Value }
  | { t: 'empty'; field: string; not: boolean };
interface Query {
  cond: Cond | null;
  order: { field: string; desc: boolean }[];
  limit: number;
  offset: number;
}

const invalidQuery = (msg: string) => E.invalid({ query: { messages: [msg] } });

function tokenize(q: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < q.length) {
    const c = q[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '"') {
      let j = i + 1;
      let s = '';
      while (j < q.length && q[j] !== '"') {
        if (q[j] === '\\' && j + 1 < q.length) j++;
        s += q[j];
        j++;
      }
      if (j >= q.length) fail(invalidQuery('Unterminated string in query.'));
      out.push(`"${s}`); // a leading quote marks a string token
      i = j + 1;
    } else if ('(),'.includes(c)) {
      out.push(c);
      i++;
    } else if ('=!<>'.includes(c)) {
      const two = q.slice(i, i + 2);
      if (two === '!=' || two === '<=' || two === '>=') {
        out.push(two);
        i += 2;
      } else if (c === '!') {
        fail(invalidQuery('Invalid operator in query.'));
      } else {
        out.push(c);
        i++;
      }
    } else {
      let j = i;
      while (j < q.length && !/[\s"(),=!<>]/.test(q[j]!)) j++;
      out.push(q.slice(i, j));
      i = j;
    }
  }
  return out;
}

function parseQuery(q: string): Query {
  const toks = tokenize(q);
  let p = 0;
  const peek = () => toks[p];
  const kw = (w: string) => (peek()?.toLowerCase() === w ? (p++, true) : false);
  const expect = (w: string) => {
    if (toks[p] !== w) fail(invalidQuery(`Expected "${w}" in query.`));
    p++;
  };
  const value = (): Value => {
    const t = toks[p++];
    if (t === undefined) return fail(invalidQuery('Missing value in query.'));
    if (t.startsWith('"')) return { kind: 'string', text: t.slice(1) };
    if (/^-?\d+(\.\d+)?$/.test(t)) return { kind: 'number', text: t };
    return fail(invalidQuery(`Unsupported value "${t}" in query.`));
  };
  const inList = (field: string, not: boolean): Cond => {
    expect('(');
    const values: Value[] = [value()];
    while (peek() === ',') {
      p++;
      values.push(value());
    }
    expect(')');
    return { t: 'in', field, not, values };
  };
  const isClauseStart = () => {
    const t = peek()?.toLowerCase();
    return t === undefined || t === 'order' || t === 'limit' || t === 'offset';
  };
  const primary = (): Cond => {
    if (peek() === '(') {
      p++;
      const c = orExpr();
      if (toks[p++] !== ')') fail(invalidQuery('Missing ")" in query.'));
      return c;
    }
    const field = toks[p++];
    if (!field || field.startsWith('"') || '(),'.includes(field)) {
      return fail(invalidQuery('Missing field code in query.'));
    }
    const op = toks[p++]?.toLowerCase();
    if (op === '=' || op === '!=' || op === '>' || op === '<' || op === '>=' || op === '<=') {
      return { t: 'cmp', field, op, value: value() };
    }
    if (op === 'like') return { t: 'like', field, not: false, value: value() };
    if (op === 'in') return inList(field, false);
    if (op === 'not') {
      if (kw('in')) return inList(field, true);
      if (kw('like')) return { t: 'like', field, not: true, value: value() };
      return fail(invalidQuery('Expected "in" or "like" after "not".'));
    }
    if (op === 'is') {
      const not = kw('not');
      if (!kw('empty')) fail(invalidQuery('Expected "empty" in query.'));
      return { t: 'empty', field, not };
    }
    return fail(invalidQuery(`Unsupported operator "${op ?? ''}" in query.`));
  };
  const andExpr = (): Cond => {
    const items = [primary()];
    while (kw('and')) items.push(primary());
    return items.length === 1 ? items[0]! : { t: 'and', items };
  };
  const orExpr = (): Cond => {
    const items = [andExpr()];
    while (kw('or')) items.push(andExpr());
    return items.length === 1 ? items[0]! : { t: 'or', items };
  };
  const cond = isClauseStart() ? null : orExpr();
  const order: Query['order'] = [];
  let limit = 100;
  let offset = 0;
  for (;;) {
    if (kw('order')) {
      if (!kw('by')) fail(invalidQuery('Expected "by" after "order".'));
      do {
        const field = toks[p++];
        if (!field || field.startsWith('"')) fail(invalidQuery('Missing field after "order by".'));
        const desc = kw('desc') ? true : (kw('asc'), false);
        order.push({ field: field!, desc });
      } while (peek() === ',' && ++p > 0);
    } else if (kw('limit')) {
      limit = Number(value().text);
      if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
        fail(invalidQuery('limit must be between 1 and 500.'));
      }
    } else if (kw('offset')) {
      offset = Number(value().text);
      if (!Number.isInteger(offset) || offset < 0 || offset > 10_000) {
        fail(invalidQuery('offset must be between 0 and 10000.'));
      }
    } else break;
  }
  if (p < toks.length) fail(invalidQuery(`Unexpected "${toks[p]}" in query.`));
  return { cond, order, limit, offset };
}

type Kind = 'id' | 'number' | 'time' | 'text' | 'choice';

/** Inclusive id intervals, sorted and disjoint; hi may be Infinity. */
type Intervals = [number, number][];
const ALL: Intervals = [[1, Infinity]];

function intersect(a: Intervals, b: Intervals): Intervals {
  const out: Intervals = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const lo = Math.max(a[i]![0], b[j]![0]);
    const hi = Math.min(a[i]![1], b[j]![1]);
    if (lo <= hi) out.push([lo, hi]);
    if (a[i]![1] < b[j]![1]) i++;
    else j++;
  }
  return out;
}

function union(a: Intervals, b: Intervals): Intervals {
  const all = [...a, ...b].sort((x, y) => x[0] - y[0]);
  const out: Intervals = [];
  for (const [lo, hi] of all) {
    const top = out[out.length - 1];
    if (top && lo <= top[1] + 1) top[1] = Math.max(top[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

function complement(a: Intervals): Intervals {
  const out: Intervals = [];
  let next = 1;
  for (const [lo, hi] of a) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next !== Infinity) out.push([next, Infinity]);
  return out;
}

function parseTime(text: string): number {
  const t = Date.parse(text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  if (Number.isNaN(t)) fail(invalidQuery(`"${text}" is not a date and time.`));
  return Math.floor(t / 60_000) * 60_000;
}

// ---- the server --------------------------------------------------------------------------

export class KintoneFake {
  /** Milliseconds a write stays invisible to queries. */
  lagMs: number;
  /** Called before each request is handled (after faults): e.g. change a record in between. */
  beforeHandle: ((info: FakeRequestInfo) => void | Promise<void>) | null = null;

  private readonly apps = new Map<number, AppState>();
  private readonly tokens = new Map<string, FakeToken>();
  private readonly sockets = new Set<Socket>();
  private readonly held = new Set<ServerResponse>();
  private faults: { left: number; fault: Fault; match: FaultMatch }[] = [];
  private duplicates: {
    method: string;
    url: string;
    headers: Record<string, string>;
    body: string;
  }[] = [];
  private clock: { fixed: number | null; offset: number } = { fixed: null, offset: 0 };
  private counters: FakeStats = { requests: 0, byRoute: {}, byApp: {}, faults: {} };
  private isUp = false;
  private readonly opts: KintoneFakeOptions;

  private constructor(
    private readonly server: Server,
    opts: KintoneFakeOptions,
    public port: number,
  ) {
    this.opts = opts;
    this.lagMs = opts.lagMs ?? 0;
    for (const def of opts.apps) this.defineApp(def);
    for (const t of opts.tokens) this.tokens.set(t.token, t);
  }

  static async start(opts: KintoneFakeOptions): Promise<KintoneFake> {
    const server = createServer();
    const fake = new KintoneFake(server, opts, opts.port ?? 0);
    server.on('request', (req, res) => void fake.onRequest(req, res));
    server.on('connection', (s) => {
      fake.sockets.add(s);
      s.once('close', () => fake.sockets.delete(s));
    });
    server.keepAliveTimeout = 5_000;
    await fake.listen();
    return fake;
  }

  /** "localhost": @kintone/rest-api-client allows plain http only for that host name. */
  get baseUrl(): string {
    return `http://localhost:${this.port}`;
  }

  private listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (e: Error) => reject(e);
      this.server.once('error', onError);
      this.server.listen({ host: '127.0.0.1', port: this.port }, () => {
        this.server.off('error', onError);
        const addr = this.server.address();
        if (addr && typeof addr === 'object') this.port = addr.port;
        this.isUp = true;
        resolve();
      });
    });
  }

  private dropConnections(): void {
    for (const res of this.held) res.destroy();
    this.held.clear();
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }

  /** Refuse connections (and cut open ones) until up(). */
  async down(): Promise<void> {
    if (!this.isUp) return;
    this.isUp = false;
    const closed = new Promise<void>((r) => this.server.close(() => r()));
    this.dropConnections();
    await closed;
  }

  /** Listen again on the same port. */
  async up(): Promise<void> {
    if (!this.isUp) await this.listen();
  }

  async close(): Promise<void> {
    this.duplicates = [];
    this.faults = [];
    await this.down();
  }

  // ---- test controls -------------------------------------------------------------------

  /** The next `n` matching requests meet `fault` (queued after earlier failNext calls). */
  failNext(n: number, fault: Fault, match: FaultMatch = {}): void {
    if (n > 0) this.faults.push({ left: n, fault, match });
  }

  clearFaults(): void {
    this.faults = [];
  }

  /** Sends every request kept by a 'duplicate' fault again; returns their replies. */
  async replayDuplicates(): Promise<{ status: number; body: unknown }[]> {
    const list = this.duplicates.splice(0);
    const out: { status: number; body: unknown }[] = [];
    for (const d of list) {
      const r = await this.dispatch(d.method, d.url, d.headers, d.body);
      out.push({ status: r.status, body: r.body });
    }
    return out;
  }

  /** The fake's clock (ms): fixed when set, else wall clock plus any advance. */
  now(): number {
    return this.clock.fixed ?? Date.now() + this.clock.offset;
  }

  setClock(ms: number | null): void {
    this.clock = { fixed: ms, offset: 0 };
  }

  advanceClock(ms: number): void {
    if (this.clock.fixed !== null) this.clock.fixed += ms;
    else this.clock.offset += ms;
  }

  stats(): FakeStats {
    return structuredClone(this.counters);
  }

  /** Forget every record, fault, duplicate and counter; keep apps, tokens and the port. */
  reset(): void {
    for (const app of this.apps.values()) {
      app.rows.clear();
      app.seed = null;
      app.nextId = 1;
      for (const idx of app.unique.values()) idx.clear();
    }
    this.faults = [];
    this.duplicates = [];
    this.counters = { requests: 0, byRoute: {}, byApp: {}, faults: {} };
    this.clock = { fixed: null, offset: 0 };
    this.lagMs = this.opts.lagMs ?? 0;
    this.beforeHandle = null;
  }

  /**
   * `count` records generated on demand from their index (0-based) by `gen`: nothing is stored
   * until one is written. All share one creation/update time (the clock now, or `at`).
   */
  seed(app: number, count: number, gen: SeedGen, at?: number): { first: number; last: number } {
    const a = this.app(app);
    if (a.seed) throw new Error(`app ${app} is already seeded`);
    const t = kintoneMinute(at ?? this.now());
    const first = a.nextId;
    const last = first + count - 1;
    a.seed = {
      first,
      last,
      gen: (id) => gen(id - first),
      lookup: gen.lookup ?? null,
      createdAt: t,
      updatedAt: t,
    };
    a.nextId = last + 1;
    return { first, last };
  }

  /** Seeds the customers app with `n` generated customers (default: from `mapping`). */
  seedCustomers(n: number, gen?: SeedGen, at?: number): { first: number; last: number } {
    const app = this.opts.customersApp ?? this.opts.mapping?.apps.customers;
    if (app === undefined) throw new Error('seedCustomers needs customersApp or mapping');
    const g = gen ?? (this.opts.mapping ? customerGenerator(this.opts.mapping) : null);
    if (!g) throw new Error('seedCustomers needs a generator or mapping');
    return this.seed(app, n, g, at);
  }

  /** Adds a record directly (no HTTP, no auth, no lag); returns its id. */
  addRecord(app: number, values: Record<string, string>): number {
    const a = this.app(app);
    return this.insert(a, this.checkValues(a, values, 'record', true), 0).id;
  }

  /** Changes a record directly, as another kintone user would: bumps its revision. */
  editRecord(app: number, id: number, values: Record<string, string>): FakeRecord {
    const a = this.app(app);
    const row = this.rowFor(a, id);
    if (!row) throw new Error(`no record ${id} in app ${app}`);
    this.update(a, row, this.checkValues(a, values, 'record', false), 0);
    return this.plain(a, row.id)!;
  }

  getRecord(app: number, id: number): FakeRecord | null {
    return this.plain(this.app(app), id);
  }

  /** Every record of an app, in id order (seeded ones generated; a million is a lot). */
  *allRecords(app: number): Generator<FakeRecord> {
    const a = this.app(app);
    for (const id of this.allIds(a)) yield this.plain(a, id)!;
  }

  /** Records written (or changed) since the seed: what tests usually count. */
  writtenRecords(app: number): FakeRecord[] {
    const a = this.app(app);
    return [...a.rows.keys()].sort((x, y) => x - y).map((id) => this.plain(a, id)!);
  }

  recordCount(app: number): number {
    const a = this.app(app);
    let n = a.rows.size;
    if (a.seed) {
      n += a.seed.last - a.seed.first + 1;
      for (const id of a.rows.keys()) if (id >= a.seed.first && id <= a.seed.last) n--;
    }
    return n;
  }

  // ---- internals: state ------------------------------------------------------------------

  private defineApp(def: FakeAppDef): void {
    const fields = new Map(def.fields.map((f) => [f.code, f]));
    const unique = new Map<string, Map<string, number>>();
    for (const f of def.fields) if (f.unique) unique.set(f.code, new Map());
    this.apps.set(def.id, { def, fields, rows: new Map(), seed: null, nextId: 1, unique });
  }

  private app(id: number): AppState {
    const a = this.apps.get(id);
    if (!a) throw new Error(`the fake has no app ${id}`);
    return a;
  }

  private virtual(a: AppState, id: number): Snapshot | null {
    const s = a.seed;
    if (!s || id < s.first || id > s.last) return null;
    return { revision: 1, values: s.gen(id), createdAt: s.createdAt, updatedAt: s.updatedAt };
  }

  /** The current row (materialized, or a seeded record made real on first touch). */
  private rowFor(a: AppState, id: number): Row | null {
    const r = a.rows.get(id);
    if (r) return r;
    const v = this.virtual(a, id);
    if (!v) return null;
    const row: Row = { id, cur: v, stale: null };
    a.rows.set(id, row);
    return row;
  }

  private snapshotFor(a: AppState, id: number): Snapshot | null {
    return a.rows.get(id)?.cur ?? this.virtual(a, id);
  }

  private *allIds(a: AppState): Generator<number> {
    const ids = [...a.rows.keys()].sort((x, y) => x - y);
    let k = 0;
    const s = a.seed;
    if (s) {
      for (let id = s.first; id <= s.last; id++) {
        while (k < ids.length && ids[k]! < id) yield ids[k++]!;
        if (k < ids.length && ids[k] === id) k++;
        yield id;
      }
    }
    while (k < ids.length) yield ids[k++]!;
  }

  private plain(a: AppState, id: number): FakeRecord | null {
    const s = this.snapshotFor(a, id);
    if (!s) return null;
    return {
      id,
      revision: s.revision,
      createdAt: s.createdAt,
      updatedAt: s.updatedAt,
      values: { ...s.values },
    };
  }

  private stat(app: number): AppStats {
    return (this.counters.byApp[app] ??= {
      reads: 0,
      queries: 0,
      inserts: 0,
      updates: 0,
      conflicts: 0,
      rejected: 0,
    });
  }

  /** Validates a record body ({code: {value}}) into plain values; unknown codes are ignored. */
  private checkValues(
    a: AppState,
    values: Record<string, string>,
    prefix: string,
    inserting: boolean,
  ): Record<string, string> {
    const errors: Record<string, { messages: string[] }> = {};
    const out: Record<string, string> = {};
    for (const [code, raw] of Object.entries(values)) {
      const f = a.fields.get(code);
      if (!f) continue; // kintone ignores field codes that do not exist
      const key = `${prefix}.${code}.value`;
      if (typeof raw !== 'string' && typeof raw !== 'number') {
        errors[key] = { messages: ['The value must be a string.'] };
        continue;
      }
      let v = String(raw);
      if (f.type === 'NUMBER' && v !== '' && !/^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(v)) {
        errors[key] = { messages: ['Only numbers are allowed.'] };
      } else if (f.type === 'DATETIME' && v !== '') {
        const t = Date.parse(v);
        if (Number.isNaN(t)) errors[key] = { messages: ['The date and time format is invalid.'] };
        else v = kintoneMinute(t);
      } else if (
        (f.type === 'DROP_DOWN' || f.type === 'RADIO_BUTTON') &&
        v !== '' &&
        !f.options?.includes(v)
      ) {
        errors[key] = { messages: [`"${v}" is not an option.`] };
      } else if (f.type === 'SINGLE_LINE_TEXT' && /[\r\n]/.test(v)) {
        errors[key] = { messages: ['Line breaks are not allowed.'] };
      }
      out[code] = v;
    }
    if (inserting) {
      for (const f of a.def.fields) {
        if (f.required && !out[f.code])
          errors[`${prefix}.${f.code}.value`] = { messages: ['Required.'] };
      }
    }
    if (Object.keys(errors).length) fail(E.invalid(errors));
    return out;
  }

  /** Rejects a value that another record already holds in a unique field. */
  private checkUnique(
    a: AppState,
    values: Record<string, string>,
    selfId: number | null,
    prefix: string,
  ): void {
    for (const [code, idx] of a.unique) {
      const v = values[code];
      if (v === undefined || v === '') continue;
      const owner = idx.get(v);
      if (owner !== undefined && owner !== selfId) {
        fail(
          E.invalid({
            [`${prefix}.${code}.value`]: {
              messages: ['This value already exists in another record.'],
            },
          }),
        );
      }
    }
  }

  private index(a: AppState, row: Row, before: Record<string, string> | null): void {
    for (const [code, idx] of a.unique) {
      const old = before?.[code];
      if (old && idx.get(old) === row.id) idx.delete(old);
      const v = row.cur.values[code];
      if (v) idx.set(v, row.id);
    }
  }

  private insert(a: AppState, values: Record<string, string>, lag: number): Row {
    const t = kintoneMinute(this.now());
    const id = a.nextId++;
    const row: Row = {
      id,
      cur: { revision: 1, values, createdAt: t, updatedAt: t },
      stale: lag > 0 ? { snap: null, until: Date.now() + lag } : null,
    };
    a.rows.set(id, row);
    this.index(a, row, null);
    this.stat(a.def.id).inserts++;
    return row;
  }

  private update(a: AppState, row: Row, values: Record<string, string>, lag: number): void {
    const before = row.cur;
    if (lag > 0)
      row.stale = {
        snap: row.stale && Date.now() < row.stale.until ? row.stale.snap : before,
        until: Date.now() + lag,
      };
    row.cur = {
      revision: before.revision + 1,
      values: { ...before.values, ...values },
      createdAt: before.createdAt,
      updatedAt: kintoneMinute(this.now()),
    };
    this.index(a, row, before.values);
    this.stat(a.def.id).updates++;
  }

  /** What queries see of a row now (lag): null when not yet visible. */
  private indexed(row: Row): Snapshot | null {
    if (row.stale && Date.now() < row.stale.until) return row.stale.snap;
    row.stale = null;
    return row.cur;
  }

  // ---- internals: queries ----------------------------------------------------------------

  private kindOf(a: AppState, code: string): Kind {
    if (code === '$id' || code === RECORD_NUMBER) return 'id';
    if (code === '$revision') return 'number';
    if (code === CREATED_TIME || code === UPDATED_TIME) return 'time';
    const f = a.fields.get(code);
    if (!f) return fail(E.noField(code));
    if (f.type === 'NUMBER') return 'number';
    if (f.type === 'DATETIME') return 'time';
    if (f.type === 'DROP_DOWN' || f.type === 'RADIO_BUTTON') return 'choice';
    return 'text';
  }

  private fieldValue(id: number, s: Snapshot, code: string): string {
    if (code === '$id' || code === RECORD_NUMBER) return String(id);
    if (code === '$revision') return String(s.revision);
    if (code === CREATED_TIME) return s.createdAt;
    if (code === UPDATED_TIME) return s.updatedAt;
    return s.values[code] ?? '';
  }

  /** Checks field codes and operators once, before evaluating (kintone's errors). */
  private validate(a: AppState, c: Cond): void {
    if (c.t === 'or' || c.t === 'and') return c.items.forEach((i) => this.validate(a, i));
    const kind = this.kindOf(a, c.field);
    if (c.t === 'cmp') {
      if (kind === 'choice') fail(E.badOperator(c.field, c.op));
      if (kind === 'text' && !['=', '!='].includes(c.op)) fail(E.badOperator(c.field, c.op));
      if (kind === 'time') parseTime(c.value.text);
    } else if (c.t === 'like' && kind !== 'text') fail(E.badOperator(c.field, 'like'));
  }

  private test(a: AppState, c: Cond, id: number, s: Snapshot): boolean {
    switch (c.t) {
      case 'or':
        return c.items.some((i) => this.test(a, i, id, s));
      case 'and':
        return c.items.every((i) => this.test(a, i, id, s));
      case 'empty': {
        const empty = this.fieldValue(id, s, c.field).trim() === '';
        return c.not ? !empty : empty;
      }
      case 'like': {
        const has = this.fieldValue(id, s, c.field).includes(c.value.text);
        return c.not ? !has : has;
      }
      case 'in': {
        const v = this.fieldValue(id, s, c.field);
        const has = c.values.some((x) => x.text === v);
        return c.not ? !has : has;
      }
      case 'cmp': {
        const kind = this.kindOf(a, c.field);
        const v = this.fieldValue(id, s, c.field);
        let d: number;
        if (kind === 'time') {
          if (v === '') return c.op === '!=';
          d = Date.parse(v) - parseTime(c.value.text);
        } else if (kind === 'id' || kind === 'number') {
          if (v === '') return c.op === '!=';
          d = Number(v) - Number(c.value.text);
        } else {
          d = v === c.value.text ? 0 : 1;
        }
        switch (c.op) {
          case '=':
            return d === 0;
          case '!=':
            return d !== 0;
          case '>':
            return d > 0;
          case '<':
            return d < 0;
          case '>=':
            return d >= 0;
          case '<=':
            return d <= 0;
        }
      }
    }
  }

  /**
   * The ids of the seeded block matching `c`, as intervals, when `c` depends only on $id and
   * the record times (all seeded records share theirs); null when it reads other fields.
   */
  private seedIntervals(a: AppState, c: Cond, seed: Seed): Intervals | null {
    if (c.t === 'or' || c.t === 'and') {
      let acc: Intervals | null = c.t === 'and' ? ALL : [];
      for (const item of c.items) {
        const iv = this.seedIntervals(a, item, seed);
        if (!iv) return null;
        acc = c.t === 'and' ? intersect(acc, iv) : union(acc, iv);
      }
      return acc;
    }
    const kind = this.kindOf(a, c.field);
    if (kind === 'time' || c.field === '$revision') {
      const sample: Snapshot = {
        revision: 1,
        values: {},
        createdAt: seed.createdAt,
        updatedAt: seed.updatedAt,
      };
      return this.test(a, c, seed.first, sample) ? ALL : [];
    }
    if (kind !== 'id') {
      if (c.t !== 'cmp' || c.op !== '=' || !seed.lookup) return null;
      const found = seed.lookup(c.field, c.value.text);
      if (!found) return null;
      return union(
        [],
        found.map((i) => [seed.first + i, seed.first + i] as [number, number]),
      );
    }
    if (c.t === 'in') {
      const pts = union(
        [],
        c.values.map((v) => [Number(v.text), Number(v.text)] as [number, number]),
      );
      return c.not ? complement(pts) : pts;
    }
    if (c.t !== 'cmp') return null;
    const n = Number(c.value.text);
    const k = Number.isInteger(n) ? n : Math.floor(n);
    switch (c.op) {
      case '=':
        return Number.isInteger(n) ? [[n, n]] : [];
      case '!=':
        return complement(Number.isInteger(n) ? [[n, n]] : []);
      case '>':
        return [[Math.max(1, k + 1), Infinity]];
      case '>=':
        return [[Math.max(1, Number.isInteger(n) ? n : k + 1), Infinity]];
      case '<':
        return Number.isInteger(n) ? (n > 1 ? [[1, n - 1]] : []) : k >= 1 ? [[1, k]] : [];
      case '<=':
        return k >= 1 ? [[1, k]] : [];
    }
  }

  private compare(a: AppState, order: Query['order']) {
    const keys = order.length ? order : [{ field: '$id', desc: true }]; // kintone's default order
    const kinds = keys.map((k) => this.kindOf(a, k.field));
    return (x: { id: number; s: Snapshot }, y: { id: number; s: Snapshot }): number => {
      for (let i = 0; i < keys.length; i++) {
        const { field, desc } = keys[i]!;
        const vx = this.fieldValue(x.id, x.s, field);
        const vy = this.fieldValue(y.id, y.s, field);
        const kind = kinds[i];
        const d =
          kind === 'id' || kind === 'number'
            ? Number(vx || 0) - Number(vy || 0)
            : kind === 'time'
              ? Date.parse(vx || '1970-01-01T00:00:00Z') - Date.parse(vy || '1970-01-01T00:00:00Z')
              : vx < vy
                ? -1
                : vx > vy
                  ? 1
                  : 0;
        if (d !== 0) return desc ? -d : d;
      }
      return x.id - y.id;
    };
  }

  /** The page and the total count for a query, without generating the whole seeded block. */
  private runQuery(a: AppState, q: Query): { page: { id: number; s: Snapshot }[]; total: number } {
    if (q.cond) this.validate(a, q.cond);
    for (const o of q.order) this.kindOf(a, o.field);
    const cmp = this.compare(a, q.order);
    const want = q.offset + q.limit;
    const seed = a.seed;

    const matched: { id: number; s: Snapshot }[] = [];
    for (const row of a.rows.values()) {
      const s = this.indexed(row);
      if (s && (!q.cond || this.test(a, q.cond, row.id, s))) matched.push({ id: row.id, s });
    }
    matched.sort(cmp);
    if (!seed) return { page: matched.slice(q.offset, want), total: matched.length };

    // The untouched seeded records: all share their times, so among themselves only $id orders.
    const untouched = (id: number) => !a.rows.has(id);
    const simpleOrder = q.order.every((o) => ['id', 'time'].includes(this.kindOf(a, o.field)));
    const firstId = q.order.find((o) => this.kindOf(a, o.field) === 'id');
    const idDesc = q.order.length === 0 ? true : (firstId?.desc ?? false);
    const iv = q.cond ? this.seedIntervals(a, q.cond, seed) : ALL;
    let seeded: { ids: Iterable<number>; count: number };
    if (iv && simpleOrder) {
      const clipped = intersect(iv, [[seed.first, seed.last]]);
      let count = 0;
      for (const [lo, hi] of clipped) count += hi - lo + 1;
      for (const id of a.rows.keys())
        if (id >= seed.first && id <= seed.last && clipped.some(([lo, hi]) => id >= lo && id <= hi))
          count--;
      const ids = function* () {
        const list = idDesc ? [...clipped].reverse() : clipped;
        for (const [lo, hi] of list) {
          if (idDesc) for (let id = hi; id >= lo; id--) yield id;
          else for (let id = lo; id <= hi; id++) yield id;
        }
      };
      seeded = {
        ids: (function* () {
          for (const id of ids()) if (untouched(id)) yield id;
        })(),
        count,
      };
    } else {
      const all: number[] = [];
      for (let id = seed.first; id <= seed.last; id++) {
        if (!untouched(id)) continue;
        const s = this.virtual(a, id)!;
        if (!q.cond || this.test(a, q.cond, id, s)) all.push(id);
      }
      if (!simpleOrder) {
        const objs = all.map((id) => ({ id, s: this.virtual(a, id)! }));
        objs.sort(cmp);
        const merged = [...matched, ...objs].sort(cmp);
        return { page: merged.slice(q.offset, want), total: merged.length };
      }
      if (idDesc) all.reverse();
      seeded = { ids: all, count: all.length };
    }
    // Merge two sorted streams up to offset + limit.
    const out: { id: number; s: Snapshot }[] = [];
    const it = seeded.ids[Symbol.iterator]();
    let nextSeed = it.next();
    let k = 0;
    while (out.length < want) {
      const m = matched[k];
      const sd = nextSeed.done
        ? undefined
        : { id: nextSeed.value, s: this.virtual(a, nextSeed.value)! };
      if (!m && !sd) break;
      if (m && (!sd || cmp(m, sd) <= 0)) {
        out.push(m);
        k++;
      } else {
        out.push(sd!);
        nextSeed = it.next();
      }
    }
    return { page: out.slice(q.offset), total: matched.length + seeded.count };
  }

  // ---- internals: replies ----------------------------------------------------------------

  private recordJson(
    a: AppState,
    id: number,
    s: Snapshot,
    only: Set<string> | null,
  ): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const put = (code: string, type: string, value: unknown) => {
      if (!only || only.has(code)) out[code] = { type, value };
    };
    put('$id', '__ID__', String(id));
    put('$revision', '__REVISION__', String(s.revision));
    put(RECORD_NUMBER, 'RECORD_NUMBER', String(id));
    put(CREATOR, 'CREATOR', ADMIN);
    put(CREATED_TIME, 'CREATED_TIME', s.createdAt);
    put(MODIFIER, 'MODIFIER', ADMIN);
    put(UPDATED_TIME, 'UPDATED_TIME', s.updatedAt);
    for (const f of a.def.fields) put(f.code, f.type, s.values[f.code] ?? '');
    return out;
  }

  private formJson(a: AppState): Record<string, unknown> {
    const props: Record<string, unknown> = {
      [RECORD_NUMBER]: {
        type: 'RECORD_NUMBER',
        code: RECORD_NUMBER,
        label: RECORD_NUMBER,
        noLabel: false,
      },
      [CREATOR]: { type: 'CREATOR', code: CREATOR, label: CREATOR, noLabel: false },
      [CREATED_TIME]: {
        type: 'CREATED_TIME',
        code: CREATED_TIME,
        label: CREATED_TIME,
        noLabel: false,
      },
      [MODIFIER]: { type: 'MODIFIER', code: MODIFIER, label: MODIFIER, noLabel: false },
      [UPDATED_TIME]: {
        type: 'UPDATED_TIME',
        code: UPDATED_TIME,
        label: UPDATED_TIME,
        noLabel: false,
      },
    };
    for (const f of a.def.fields) {
      const p: Record<string, unknown> = {
        type: f.type,
        code: f.code,
        label: f.label ?? f.code,
        noLabel: false,
        required: f.required ?? false,
      };
      if (f.type === 'SINGLE_LINE_TEXT' || f.type === 'NUMBER' || f.type === 'LINK')
        p.unique = f.unique ?? false;
      if (f.options) {
        p.options = Object.fromEntries(f.options.map((label, index) => [label, { label, index }]));
        p.defaultValue = '';
      }
      props[f.code] = p;
    }
    return props;
  }

  // ---- internals: HTTP -------------------------------------------------------------------

  private takeFault(method: string, path: string, app: number | null): Fault | null {
    for (let i = 0; i < this.faults.length; i++) {
      const f = this.faults[i]!;
      const m = f.match;
      if (m.method && m.method.toUpperCase() !== method) continue;
      if (m.path && m.path !== path) continue;
      if (m.app !== undefined && m.app !== app) continue;
      if (--f.left <= 0) this.faults.splice(i, 1);
      return f.fault;
    }
    return null;
  }

  /** Bugs in the fake itself (answered as 500 so the test sees them, and kept here). */
  readonly internalErrors: Error[] = [];

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      await this.serve(req, res);
    } catch (e) {
      if (res.headersSent || res.destroyed) return; // the client went away mid-request
      this.internalErrors.push(e as Error);
      this.send(res, kError(500, 'FAKE_BUG', `kintone fake: ${(e as Error).message}`));
    }
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req as AsyncIterable<Buffer>) {
      size += c.length;
      if (size > 16 * 1024 * 1024) {
        res.destroy();
        return;
      }
      chunks.push(c);
    }
    const body = Buffer.concat(chunks).toString('utf8');
    const method = (req.method ?? 'GET').toUpperCase();
    const url = req.url ?? '/';
    const path = url.split('?')[0] ?? '/';
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
    const fault = this.takeFault(method, path, appOf(url, body));
    if (fault) {
      const name =
        typeof fault === 'string'
          ? fault
          : 'status' in fault
            ? `status ${fault.status}`
            : 'reset after write';
      this.counters.faults[name] = (this.counters.faults[name] ?? 0) + 1;
    }
    if (fault === 'timeout') {
      this.held.add(res);
      res.once('close', () => this.held.delete(res));
      return;
    }
    if (fault === 'reset') {
      req.socket.destroy();
      return;
    }
    if (fault && typeof fault === 'object' && 'status' in fault) {
      const r = fault.status === 429 ? E.busy(fault.retryAfterSec ?? 1) : E.server(fault.status);
      this.send(res, r);
      return;
    }
    const reply = await this.dispatch(method, url, headers, body);
    if (fault && typeof fault === 'object' && 'reset' in fault) {
      req.socket.destroy();
      return;
    }
    if (fault === 'malformed' && reply.status === 200) {
      res.writeHead(200, { 'Content-Type': 'application/json;charset=utf-8' });
      res.end('{"records":[{"$id":{"type":"__ID__","value":"1"');
      return;
    }
    if (fault === 'duplicate') this.duplicates.push({ method, url, headers, body });
    this.send(res, reply);
  }

  private send(res: ServerResponse, r: Reply): void {
    const text = JSON.stringify(r.body);
    res.writeHead(r.status, {
      'Content-Type': 'application/json;charset=utf-8',
      'Content-Length': Buffer.byteLength(text),
      'X-ConcurrencyLimit-Limit': '100',
      'X-ConcurrencyLimit-Running': '1',
      ...r.headers,
    });
    res.end(text);
  }

  /** One request, start to finish, as a value (also how duplicates are replayed). */
  private async dispatch(
    method: string,
    url: string,
    headers: Record<string, string>,
    bodyText: string,
  ): Promise<Reply> {
    const u = new URL(url, 'http://fake');
    let m = method;
    let params: Record<string, unknown> = {};
    let body: unknown = undefined;
    if (m !== 'GET' && bodyText.trim() !== '') {
      try {
        body = JSON.parse(bodyText);
      } catch {
        return E.badJson();
      }
    }
    // The client sends a long GET as POST with X-HTTP-Method-Override: GET.
    if (m === 'POST' && headers['x-http-method-override']?.toUpperCase() === 'GET') {
      m = 'GET';
      params = (body as Record<string, unknown>) ?? {};
    } else if (m === 'GET') {
      params = queryParams(u.searchParams);
    } else {
      params = (body as Record<string, unknown>) ?? {};
    }
    const route = `${m} ${u.pathname}`;
    this.counters.requests++;
    this.counters.byRoute[route] = (this.counters.byRoute[route] ?? 0) + 1;
    const appParam = u.pathname === '/k/v1/app.json' ? params.id : params.app;
    const appId = toInt(appParam);
    try {
      if (this.beforeHandle) {
        await this.beforeHandle({ method: m, path: u.pathname, app: appId, body: params });
      }
      const handler = this.routes[route];
      if (!handler) return E.noApi();
      const op: Op = m === 'GET' ? 'view' : m === 'POST' ? 'add' : 'edit';
      const auth = this.authorize(
        headers['x-cybozu-api-token'],
        appId,
        appParam,
        op === 'edit' && params.upsert === true ? 'upsert' : op,
      );
      if (auth) return auth;
      return handler(this.app(appId!), params);
    } catch (e) {
      if (e instanceof ReplyError) {
        if (appId !== null && this.apps.has(appId)) {
          if (e.reply.status === 409) this.stat(appId).conflicts++;
          else this.stat(appId).rejected++;
        }
        return e.reply;
      }
      throw e;
    }
  }

  private authorize(
    header: string | undefined,
    app: number | null,
    raw: unknown,
    op: Op | 'upsert',
  ): Reply | null {
    if (!header) return E.noAuth();
    const given = header.split(',').map((t) => t.trim());
    const known = given.map((t) => this.tokens.get(t));
    if (known.some((k) => !k)) return E.badToken();
    if (app === null || !this.apps.has(app)) return E.noApp(raw);
    const mine = known.filter((k) => k!.app === app);
    if (mine.length > 1) return E.dupToken();
    const t = mine[0];
    if (!t) return E.noPermission();
    const ok = op === 'upsert' ? t.add && t.edit : t[op];
    return ok ? null : E.noPermission();
  }

  private readonly routes: Record<string, (a: AppState, p: Record<string, unknown>) => Reply> = {
    'GET /k/v1/app.json': (a) => ({
      status: 200,
      body: {
        appId: a.def.id,
        code: '',
        name: a.def.name,
        description: '',
        createdAt: '2024-04-01T00:00:00.000Z',
        creator: ADMIN,
        modifiedAt: '2024-04-01T00:00:00.000Z',
        modifier: ADMIN,
      },
    }),
    'GET /k/v1/app/form/fields.json': (a) => ({
      status: 200,
      body: { properties: this.formJson(a), revision: 1 },
    }),
    'GET /k/v1/record.json': (a, p) => {
      const id = toInt(p.id);
      const s = id === null ? null : this.snapshotFor(a, id);
      if (id === null || !s) return E.noRecord(`ID: ${String(p.id)}`);
      this.stat(a.def.id).reads++;
      return { status: 200, body: { record: this.recordJson(a, id, s, null) } };
    },
    'GET /k/v1/records.json': (a, p) => {
      const q = parseQuery(typeof p.query === 'string' ? p.query : '');
      const { page, total } = this.runQuery(a, q);
      this.stat(a.def.id).queries++;
      const only =
        Array.isArray(p.fields) && p.fields.length ? new Set(p.fields.map(String)) : null;
      const records = page.map((r) => this.recordJson(a, r.id, r.s, only));
      // kintone sends totalCount null unless asked; the spec types it integer, so it is left out.
      return {
        status: 200,
        body:
          p.totalCount === true || p.totalCount === 'true'
            ? { records, totalCount: total }
            : { records },
      };
    },
    'POST /k/v1/record.json': (a, p) => {
      const row = this.insert(a, this.writeBody(a, p.record, 'record', true, null), this.lagMs);
      return { status: 200, body: { id: row.id, revision: row.cur.revision } };
    },
    'POST /k/v1/records.json': (a, p) => {
      const list = asArray(p.records, 'records', 100);
      const bodies = list.map((r, i) => this.writeBody(a, r, `records[${i}]`, true, null));
      const rows = bodies.map((b) => this.insert(a, b, this.lagMs));
      return {
        status: 200,
        body: { ids: rows.map((r) => r.id), revisions: rows.map((r) => r.cur.revision) },
      };
    },
    'PUT /k/v1/record.json': (a, p) => {
      const [res] = this.putMany(a, [p], false, 'record', true);
      return { status: 200, body: { revision: res!.revision } };
    },
    'PUT /k/v1/records.json': (a, p) => {
      const upsert = p.upsert === true;
      const res = this.putMany(a, asArray(p.records, 'records', 100), upsert, 'records', false);
      return {
        status: 200,
        body: {
          records: res.map((r) =>
            upsert
              ? { id: r.id, revision: r.revision, operation: r.operation }
              : { id: r.id, revision: r.revision },
          ),
        },
      };
    },
  };

  private writeBody(
    a: AppState,
    record: unknown,
    prefix: string,
    inserting: boolean,
    selfId: number | null,
  ): Record<string, string> {
    const body = record ?? {};
    if (typeof body !== 'object' || Array.isArray(body)) {
      return fail(E.invalid({ [prefix]: { messages: ['Must be an object.'] } }));
    }
    const values: Record<string, string> = {};
    for (const [code, f] of Object.entries(body as Record<string, unknown>)) {
      const v = (f as { value?: unknown } | null)?.value;
      values[code] = v as string;
    }
    const checked = this.checkValues(a, values, `${prefix}`, inserting);
    this.checkUnique(a, checked, selfId, prefix);
    return checked;
  }

  /** Updates (or upserts) all records or none: everything is checked before anything is written. */
  private putMany(
    a: AppState,
    list: unknown[],
    upsert: boolean,
    prefix: string,
    single: boolean,
  ): { id: number; revision: number; operation: 'INSERT' | 'UPDATE' }[] {
    const plans = list.map((raw, i) => {
      const at = single ? prefix : `${prefix}[${i}]`;
      const item = (raw ?? {}) as {
        id?: unknown;
        updateKey?: { field?: unknown; value?: unknown };
        revision?: unknown;
        record?: unknown;
      };
      let row: Row | null = null;
      let keyed: { field: string; value: string } | null = null;
      if (item.updateKey) {
        const field = String(item.updateKey.field ?? '');
        const value = String(item.updateKey.value ?? '');
        const f = a.fields.get(field);
        if (!f || !f.unique) {
          fail(
            E.invalid({
              [`${at}.updateKey.field`]: {
                messages: [
                  'The field must be a text or number field that prohibits duplicate values.',
                ],
              },
            }),
          );
        }
        keyed = { field, value };
        const id = a.unique.get(field)!.get(value);
        row = id !== undefined ? this.rowFor(a, id) : null;
        if (!row && !upsert) fail(E.noRecord(`updateKey: ${value}`));
      } else {
        const id = toInt(item.id);
        row = id === null ? null : this.rowFor(a, id);
        if (!row && !upsert) fail(E.noRecord(`ID: ${String(item.id)}`));
      }
      const rev = item.revision === undefined ? -1 : Number(item.revision);
      if (row && rev !== -1 && rev !== row.cur.revision) fail(E.conflict());
      const values = this.writeBody(a, item.record, `${at}.record`, !row, row?.id ?? null);
      if (!row && keyed) values[keyed.field] = keyed.value;
      return { row, values };
    });
    // Two new records in one request with the same key would collide: kintone refuses that too.
    const seen = new Set<string>();
    for (const p of plans) {
      for (const code of a.unique.keys()) {
        const v = p.values[code];
        if (v && !p.row) {
          if (seen.has(`${code}\u0000${v}`))
            fail(
              E.invalid({
                [`${prefix}.${code}.value`]: {
                  messages: ['This value already exists in another record.'],
                },
              }),
            );
          seen.add(`${code}\u0000${v}`);
        }
      }
    }
    return plans.map((p) => {
      if (p.row) {
        this.update(a, p.row, p.values, this.lagMs);
        return { id: p.row.id, revision: p.row.cur.revision, operation: 'UPDATE' as const };
      }
      const row = this.insert(a, p.values, this.lagMs);
      return { id: row.id, revision: row.cur.revision, operation: 'INSERT' as const };
    });
  }
}

type Op = 'view' | 'add' | 'edit';

function toInt(v: unknown): number | null {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  if (typeof v === 'string' && /^\d{1,15}$/.test(v)) return Number(v);
  return null;
}

function asArray(v: unknown, name: string, max: number): unknown[] {
  if (!Array.isArray(v)) return fail(E.invalid({ [name]: { messages: ['Required.'] } }));
  if (v.length > max)
    return fail(E.invalid({ [name]: { messages: [`Up to ${max} records can be specified.`] } }));
  return v;
}

function appOf(url: string, body: string): number | null {
  const u = new URL(url, 'http://fake');
  const q = u.searchParams.get('app') ?? u.searchParams.get('id');
  if (q) return toInt(q);
  const m = /"app"\s*:\s*"?(\d+)/.exec(body);
  return m ? Number(m[1]) : null;
}

/** GET parameters as the client encodes them (qs: fields[0]=a&fields[1]=b). */
function queryParams(sp: URLSearchParams): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of sp) {
    const arr = /^([^[]+)\[\d*\]$/.exec(k);
    if (arr) ((out[arr[1]!] ??= []) as string[]).push(v);
    else out[k] = v;
  }
  return out;
}

// ---- a call centre's apps ----------------------------------------------------------------

/** The three apps (customers, activities, callbacks) a mapping expects, with their options. */
export function callCentreApps(
  cfg: KintoneConfig,
  names = { customers: '顧客', activities: '対応履歴', callbacks: 'コールバック' },
): FakeAppDef[] {
  const c = cfg.fields.customers;
  const a = cfg.fields.activities;
  const b = cfg.fields.callbacks;
  const v = cfg.values;
  const opts = (o: Record<string, string>) => Object.values(o).filter((s) => s !== '');
  return [
    {
      id: cfg.apps.customers,
      name: names.customers,
      fields: [
        { code: c.name, type: 'SINGLE_LINE_TEXT', required: true },
        { code: c.nameKana, type: 'SINGLE_LINE_TEXT' },
        { code: c.segment, type: 'DROP_DOWN', options: opts(v.segment) },
        ...c.phones.map((code) => ({ code, type: 'SINGLE_LINE_TEXT' as const })),
        { code: c.optOut, type: 'DROP_DOWN', options: opts(v.optOut) },
      ],
    },
    {
      id: cfg.apps.activities,
      name: names.activities,
      fields: [
        { code: a.type, type: 'DROP_DOWN', options: opts(v.activityType) },
        { code: a.syncKey, type: 'SINGLE_LINE_TEXT', unique: true },
        { code: a.customer, type: 'NUMBER' },
        { code: a.at, type: 'DATETIME' },
        { code: a.direction, type: 'DROP_DOWN', options: opts(v.direction) },
        { code: a.summary, type: 'SINGLE_LINE_TEXT' },
        { code: a.detail, type: 'MULTI_LINE_TEXT' },
      ],
    },
    {
      id: cfg.apps.callbacks,
      name: names.callbacks,
      fields: [
        { code: b.syncKey, type: 'SINGLE_LINE_TEXT', unique: true },
        { code: b.callbackId, type: 'SINGLE_LINE_TEXT' },
        { code: b.customer, type: 'NUMBER' },
        { code: b.phone, type: 'SINGLE_LINE_TEXT' },
        { code: b.dueAt, type: 'DATETIME' },
        { code: b.status, type: 'SINGLE_LINE_TEXT' },
        { code: b.detail, type: 'MULTI_LINE_TEXT' },
      ],
    },
  ];
}

const FAMILY = ['山田', '佐藤', '鈴木', '高橋', '田中', '伊藤', '渡辺', '中村', '小林', '加藤'];
const FAMILY_KANA = [
  'ヤマダ',
  'サトウ',
  'スズキ',
  'タカハシ',
  'タナカ',
  'イトウ',
  'ワタナベ',
  'ナカムラ',
  'コバヤシ',
  'カトウ',
];
const GIVEN = ['太郎', '花子', '一郎', '陽子', '健', '美咲', '翔', '結衣'];
const GIVEN_KANA = ['タロウ', 'ハナコ', 'イチロウ', 'ヨウコ', 'ケン', 'ミサキ', 'ショウ', 'ユイ'];

/**
 * Customer i: a Tokyo number written the way Japanese CRMs hold them (03-5xxx-xxxx; every
 * tenth also a mobile), one of the segments, no opt-out. Deterministic, so tests can compute
 * what record i holds: customerPhone(i).
 */
export function customerGenerator(cfg: KintoneConfig): SeedGen {
  const c = cfg.fields.customers;
  const seg = Object.values(cfg.values.segment);
  const [phone, mobile] = c.phones;
  const gen: SeedGen = (i) => {
    const f = i % FAMILY.length;
    const g = Math.floor(i / FAMILY.length) % GIVEN.length;
    const out: Record<string, string> = {
      [c.name]: `${FAMILY[f]} ${GIVEN[g]}`,
      [c.nameKana]: `${FAMILY_KANA[f]} ${GIVEN_KANA[g]}`,
      [c.segment]: seg[i % seg.length]!,
      [c.optOut]: cfg.values.optOut.none,
    };
    if (phone) out[phone] = customerPhone(i);
    if (mobile) out[mobile] = i % 10 === 0 ? customerMobile(i) : '';
    return out;
  };
  // Phone numbers invert (a phone lookup among a million customers needs no scan). The caller
  // bounds the index by the seeded count.
  gen.lookup = (field, value) => {
    if (field === phone) {
      const m = /^03-(\d{4})-(\d{4})$/.exec(value);
      const i = m ? Number(m[1]! + m[2]!) - 50_000_000 : -1;
      return i >= 0 ? [i] : [];
    }
    if (field === mobile) {
      const m = /^090-(\d{4})-(\d{4})$/.exec(value);
      const i = m ? Number(m[1]! + m[2]!) - 10_000_000 : -1;
      return i >= 0 && i % 10 === 0 ? [i] : [];
    }
    return null;
  };
  return gen;
}

/** The landline of generated customer i, as stored: 03-5000-0000 + i. */
export function customerPhone(i: number): string {
  const n = String(50_000_000 + i).padStart(8, '0');
  return `03-${n.slice(0, 4)}-${n.slice(4)}`;
}

export function customerMobile(i: number): string {
  const n = String(10_000_000 + i).padStart(8, '0');
  return `090-${n.slice(0, 4)}-${n.slice(4)}`;
}
