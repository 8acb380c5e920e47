// Out-of-the-box data for the local CRM (assets/demo/customers.json), the outbound queue
// over those customers (callbacks in every campaign, some with attempts behind them, DM
// notices), and synthetic customers for benchmarks. All go through the same tables as real
// data.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import {
  CallOutcome,
  Direction,
  Id,
  Segment,
  type AttemptOutcome,
  type Campaign,
  type CampaignKind,
} from '../../../preload/contract';
import { normalizePhone } from '../customers/phone-number';
import { DEFAULT_CAMPAIGN_BY_KIND } from '../outbound/default-campaigns';
import { createAttemptRepo } from './attempts';
import { createCallbackRepo } from './callbacks';
import { createCampaignRepo } from './campaigns';
import { createCustomerRepo } from './customers';
import type { Database } from './db';
import { createInteractionRepo } from './interactions';
import { createNoticeRepo } from './notices';

const DEMO_FILE = join('assets', 'demo', 'customers.json');

// Times are relative ("minutes ago") so the demo timeline always looks recent.
const DemoFile = z.object({
  customers: z
    .array(
      z.object({
        id: Id,
        name: z.string().min(1),
        nameKana: z.string().min(1).nullable().optional(),
        segment: Segment,
        phones: z.array(z.string().min(1)).min(1),
      }),
    )
    .min(1),
  interactions: z.array(
    z.object({
      id: Id,
      customerId: Id.nullable(),
      direction: Direction,
      number: z.string(),
      minutesAgo: z.number().int().nonnegative(),
      ringSec: z.number().int().nonnegative(),
      /** null = never answered. */
      talkSec: z.number().int().nonnegative().nullable(),
      outcome: CallOutcome,
      endReason: z.string().nullable(),
    }),
  ),
});
type DemoFile = z.infer<typeof DemoFile>;

export interface SeedOptions {
  /** Defaults to assets/demo/customers.json in the app folder. */
  file?: string;
  now?: () => number;
}

/** Loads the demo customers and their calls into an empty database; returns how many. */
export function seedDemoData(db: Database, opts: SeedOptions = {}): { customers: number } {
  const customers = createCustomerRepo(db, { now: opts.now });
  // Never mix demo people into a database that already holds customers.
  if (customers.count() > 0) return { customers: 0 };

  const file = opts.file ?? findDemoFile();
  const data = readDemoFile(file);
  const known = new Set(data.customers.map((c) => c.id));
  const interactions = createInteractionRepo(db);
  const now = (opts.now ?? Date.now)();

  db.transaction(() => {
    for (const c of data.customers) {
      try {
        customers.upsert(c);
      } catch (err) {
        throw new Error(`Demo data ${file}: ${(err as Error).message}`, { cause: err });
      }
    }
    for (const i of data.interactions) {
      if (i.customerId !== null && !known.has(i.customerId)) {
        throw new Error(`Demo data ${file}: call ${i.id} names unknown customer ${i.customerId}`);
      }
      const startedAt = now - i.minutesAgo * 60_000;
      const ringEnd = startedAt + i.ringSec * 1000;
      const answered = i.talkSec !== null;
      interactions.logCall({
        id: i.id,
        kind: 'call',
        direction: i.direction,
        number: normalizePhone(i.number).e164 ?? i.number,
        startedAt,
        answeredAt: answered ? ringEnd : null,
        endedAt: ringEnd + (i.talkSec ?? 0) * 1000,
        durationSec: i.talkSec ?? 0,
        outcome: i.outcome,
        customerId: i.customerId,
        endReason: i.endReason,
      });
    }
    seedOutbound(db, now);
  })();
  return { customers: data.customers.length };
}

// ---------- the demo outbound queue ----------

const MIN = 60_000;
const DAY = 24 * 60 * MIN;

interface DemoCallback {
  customer: string;
  campaign: CampaignKind;
  owner: 'me' | 'pool';
  priority: number;
  promised?: boolean;
  /** Minutes from now (negative: already due). */
  dueIn: number;
  /** Earlier attempts, oldest first: minutes ago and how each ended. */
  history?: [number, AttemptOutcome][];
  /** Closed by its last attempt with this disposition. */
  done?: string;
  expiresInDays?: number;
  note?: string;
}

/**
 * About forty callbacks over the demo customers: promises due around now, the pool,
 * priorities, retries waiting or ready, a renewal whose DM went out too late to call yet,
 * and two closed ones for the history.
 */
/** A demo callback: customer demo-c<nnn>, campaign, owner, priority, due in minutes. */
const cb = (
  customer: string,
  campaign: CampaignKind,
  owner: 'me' | 'pool',
  priority: number,
  dueIn: number,
  more: Partial<DemoCallback> = {},
): DemoCallback => ({ customer: `demo-c${customer}`, campaign, owner, priority, dueIn, ...more });

const DEMO_CALLBACKS: DemoCallback[] = [
  // Requested (promised) callbacks, due around now.
  cb('001', 'requested', 'me', 0, -5, { promised: true, note: '請求内容の確認で折り返し希望' }),
  cb('002', 'requested', 'me', 0, 20, { promised: true, note: '配送先変更の件' }),
  cb('005', 'requested', 'pool', 0, -15, { promised: true }),
  cb('009', 'requested', 'me', 0, 90, { promised: true, note: '夕方以降の連絡を希望' }),
  cb('012', 'requested', 'me', 0, -40, { promised: true, history: [[30, 'no_answer']] }),
  cb('016', 'requested', 'pool', 0, 180, { promised: true }),
  cb('017', 'requested', 'me', 0, 30, { promised: true, note: '見積もりの件で折り返し' }),
  cb('019', 'requested', 'pool', 0, 600, { promised: true, note: 'Prefers English' }),
  // Delivery delays: service calls, high priority.
  cb('003', 'delivery_delay', 'pool', 5, -60),
  cb('007', 'delivery_delay', 'pool', 5, -30, { history: [[25, 'busy']] }),
  cb('011', 'delivery_delay', 'me', 5, -120, { history: [[110, 'no_answer']] }),
  cb('013', 'delivery_delay', 'pool', 4, 60),
  cb('020', 'delivery_delay', 'pool', 4, -10),
  cb('008', 'delivery_delay', 'me', 5, -5, { note: '法人: 総務部ご担当者宛' }),
  // Renewals (a notice must have gone out 3 days before).
  cb('001', 'renewal', 'me', 3, -1440, {
    history: [
      [1400, 'no_answer'],
      [1200, 'voicemail'],
    ],
    expiresInDays: 10,
  }),
  cb('006', 'renewal', 'me', 3, -240, { expiresInDays: 14 }),
  cb('008', 'renewal', 'pool', 2, -600, { expiresInDays: 7 }),
  cb('013', 'renewal', 'pool', 2, 1440, { expiresInDays: 20 }),
  cb('017', 'renewal', 'pool', 1, -300, { expiresInDays: 20 }),
  cb('019', 'renewal', 'pool', 1, -60, { expiresInDays: 20 }),
  cb('010', 'renewal', 'me', 2, -2880, {
    history: [
      [2800, 'no_answer'],
      [1500, 'no_answer'],
      [200, 'busy'],
    ],
    expiresInDays: 5,
  }),
  cb('002', 'renewal', 'me', 3, -4000, { history: [[3990, 'answered']], done: 'renewed' }),
  // Satisfaction survey.
  cb('002', 'nps', 'pool', 0, -1440),
  cb('005', 'nps', 'pool', 0, -720),
  cb('009', 'nps', 'pool', 0, -60, { history: [[50, 'voicemail']] }),
  cb('012', 'nps', 'pool', 0, 300),
  cb('015', 'nps', 'pool', 0, -180),
  cb('018', 'nps', 'pool', 0, -30),
  cb('016', 'nps', 'me', 1, -90),
  cb('013', 'nps', 'pool', 0, -3000, { history: [[2990, 'answered']], done: 'survey_done' }),
  // Dormant customers.
  cb('004', 'reactivation', 'pool', 1, -2000),
  cb('014', 'reactivation', 'pool', 1, -500, { history: [[400, 'no_answer']] }),
  cb('021', 'reactivation', 'pool', 0, -100),
  cb('010', 'reactivation', 'pool', 0, 2880, { expiresInDays: 14 }),
  // After the DM.
  cb('003', 'dm_follow_up', 'pool', 2, -200),
  cb('007', 'dm_follow_up', 'pool', 2, -100),
  cb('011', 'dm_follow_up', 'me', 2, -50),
  cb('015', 'dm_follow_up', 'pool', 1, 120),
  cb('020', 'dm_follow_up', 'pool', 1, -400, {
    history: [
      [350, 'no_answer'],
      [200, 'no_answer'],
    ],
  }),
  cb('006', 'dm_follow_up', 'pool', 1, -800),
];

/** DMs and emails sent before the campaigns that need one: [customer, campaign, channel, days ago]. */
const DEMO_NOTICES: [string, CampaignKind | null, 'dm' | 'email' | 'sms', number][] = [
  ['demo-c001', 'renewal', 'dm', 5],
  ['demo-c006', 'renewal', 'email', 4],
  ['demo-c008', 'renewal', 'dm', 7],
  ['demo-c013', 'renewal', 'dm', 2], // too recent: callable from tomorrow
  ['demo-c019', null, 'email', 10], // a general notice counts for every campaign
  ['demo-c010', 'renewal', 'dm', 14],
  ['demo-c003', 'dm_follow_up', 'dm', 5],
  ['demo-c007', 'dm_follow_up', 'dm', 5],
  ['demo-c011', 'dm_follow_up', 'dm', 1], // too recent
  ['demo-c015', 'dm_follow_up', 'dm', 6],
  ['demo-c020', 'dm_follow_up', 'dm', 5],
  ['demo-c006', 'dm_follow_up', 'dm', 5],
  // demo-c017's renewal has none: it shows as "notice missing".
];

/** Zones from the customers' addresses (the CRM's), for the customers abroad. */
const DEMO_TIME_ZONES: [string, string][] = [
  ['demo-c018', 'America/New_York'],
  ['demo-c019', 'Europe/London'],
  ['demo-c021', 'America/Los_Angeles'],
];

/** The default campaigns and the demo queue; inside seedDemoData's transaction. */
function seedOutbound(db: Database, now: number): void {
  createCampaignRepo(db, { now: () => now }).ensureDefaults();
  const setZone = db.prepare<[string, string]>('UPDATE customers SET time_zone = ? WHERE id = ?');
  for (const [id, zone] of DEMO_TIME_ZONES) setZone.run(zone, id);
  const primary = db
    .prepare<[string], string>(
      'SELECT e164 FROM customer_phones WHERE customer_id = ? AND is_primary = 1',
    )
    .pluck();

  let clock = now;
  let n = 0;
  // The demo is the local CRM's own data: nothing to push (outbox null).
  const callbacks = createCallbackRepo(db, null, {
    now: () => clock,
    newId: () => `demo-cb-${String(++n).padStart(2, '0')}`,
  });
  let a = 0;
  const attempts = createAttemptRepo(db, { now: () => clock, newId: () => `demo-a-${++a}` });

  DEMO_CALLBACKS.forEach((d, i) => {
    const campaign = DEFAULT_CAMPAIGN_BY_KIND[d.campaign];
    const e164 = primary.get(d.customer);
    if (!e164) throw new Error(`Demo callback ${i}: no customer ${d.customer}`);
    const history = d.history ?? [];
    clock = now - Math.max(-d.dueIn, ...history.map(([ago]) => ago), 0) * MIN - DAY;
    const row = callbacks.create({
      customerId: d.customer,
      e164,
      campaign,
      owner: d.owner,
      priority: d.priority,
      promised: d.promised ?? false,
      dueAt: now + d.dueIn * MIN,
      expiresAt: d.expiresInDays ? now + d.expiresInDays * DAY : null,
      note: d.note ?? null,
    });
    let nextAt: number | null = null;
    history.forEach(([ago, outcome], k) => {
      clock = now - ago * MIN;
      const callerId = campaign.callerIds.length
        ? campaign.callerIds[(i + k) % campaign.callerIds.length]!
        : '';
      const attempt = attempts.start({
        callbackId: row.id,
        customerId: d.customer,
        e164,
        callerId,
        agent: 'demo',
        marketing: campaign.marketing,
      });
      attempts.finish(attempt.id, {
        outcome,
        durationSec: outcome === 'answered' ? 150 + ((i * 37) % 200) : null,
      });
      if (outcome === 'answered' && d.done) attempts.setDisposition(attempt.id, d.done);
      const wait = Object.hasOwn(campaign.retryAfterMin, outcome)
        ? campaign.retryAfterMin[outcome as keyof Campaign['retryAfterMin']]
        : null;
      nextAt = wait === null ? null : clock + wait * MIN;
    });
    if (history.length > 0 || d.done) {
      callbacks.update(row.id, {
        attempts: history.length,
        nextAt: d.done ? null : nextAt,
        status: d.done ? 'done' : 'pending',
      });
    }
  });

  let t = 0;
  const notices = createNoticeRepo(db, { newId: () => `demo-nt-${++t}` });
  for (const [customerId, campaignId, channel, daysAgo] of DEMO_NOTICES) {
    notices.record({ customerId, campaignId, channel, sentAt: now - daysAgo * DAY, source: 'crm' });
  }
}

function readDemoFile(file: string): DemoFile {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`Demo data ${file} could not be read: ${(err as Error).message}`, {
      cause: err,
    });
  }
  const parsed = DemoFile.safeParse(json);
  if (!parsed.success) {
    throw new Error(`Demo data ${file} is invalid:\n${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

/**
 * The app folder is found by walking up from this module, so the same code works from
 * main/core/store in dev and tests and from a bundle in out/main.
 */
function findDemoFile(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, DEMO_FILE);
    if (existsSync(candidate)) return candidate;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  throw new Error(`Demo data ${DEMO_FILE} was not found above ${fileURLToPath(import.meta.url)}`);
}

// ---------- synthetic customers for benchmarks ----------

const SURNAMES: [string, string][] = [
  ['佐藤', 'サトウ'],
  ['鈴木', 'スズキ'],
  ['高橋', 'タカハシ'],
  ['田中', 'タナカ'],
  ['伊藤', 'イトウ'],
  ['渡辺', 'ワタナベ'],
  ['山本', 'ヤマモト'],
  ['中村', 'ナカムラ'],
  ['小林', 'コバヤシ'],
  ['加藤', 'カトウ'],
];
const GIVEN: [string, string][] = [
  ['太郎', 'タロウ'],
  ['花子', 'ハナコ'],
  ['一郎', 'イチロウ'],
  ['美咲', 'ミサキ'],
  ['健', 'ケン'],
  ['さくら', 'サクラ'],
  ['直樹', 'ナオキ'],
  ['由美', 'ユミ'],
  ['翔太', 'ショウタ'],
  ['陽子', 'ヨウコ'],
];

// Mobile numbers +8190 followed by 8 digits whose first digit is 1-9 (090-0… is not
// allocated): 90,000,000 numbers. Index i maps to one of them through a multiplier coprime
// with the range, a bijection, so numbers are unique yet inserted in scattered order as a
// real CRM import would be.
const MOBILE_BASE = 10_000_000;
const MOBILE_RANGE = 90_000_000;
const SPREAD = 48_271; // prime, so coprime with 90,000,000 (= 2^7 · 3^2 · 5^7)

/** SQL list of (k, name, kana) rows for a CTE. Names are constants, so inlining is safe. */
const valuesOf = (names: [string, string][]) =>
  names.map(([name, kana], k) => `(${k}, '${name}', '${kana}')`).join(', ');

// Rows are generated inside SQLite (a recursive counter), which is about twice as fast as
// binding each row from JS. h, an LCG step on (i + seed) that stays inside 64-bit integers,
// picks name and segment from its higher bits.
const GENERATE_CUSTOMERS = `
  WITH RECURSIVE
    seq(i) AS (SELECT 0 WHERE @n > 0 UNION ALL SELECT i + 1 FROM seq WHERE i < @n - 1),
    surname(k, name, kana) AS (VALUES ${valuesOf(SURNAMES)}),
    given(k, name, kana) AS (VALUES ${valuesOf(GIVEN)}),
    row(i, h) AS (
      SELECT i, (((i + @seed) % 4294967296) * 1103515245 + 12345) % 4294967296 FROM seq)
  INSERT INTO customers (id, name, name_kana, segment, created_at, updated_at)
  SELECT printf('gen-%d-%0*d', @seed, @width, row.i),
         s.name || ' ' || g.name, s.kana || ' ' || g.kana,
         CASE (h >> 20) % 4 WHEN 0 THEN 'new' WHEN 1 THEN 'repeat' WHEN 2 THEN 'heavy'
           ELSE 'dormant' END,
         @now, @now
    -- CROSS JOIN fixes the loop order: one pass over the counter with a look into each
    -- 10-row name list (the planner would otherwise re-run the counter per name pair).
    FROM row
    CROSS JOIN surname s ON s.k = (h >> 8) % ${SURNAMES.length}
    CROSS JOIN given g ON g.k = (h >> 14) % ${GIVEN.length}`;

const GENERATE_PHONES = `
  WITH RECURSIVE
    seq(i) AS (SELECT 0 WHERE @n > 0 UNION ALL SELECT i + 1 FROM seq WHERE i < @n - 1)
  INSERT INTO customer_phones (e164, customer_id, is_primary)
  SELECT '+8190' || (${MOBILE_BASE} + (i * ${SPREAD} + @offset) % ${MOBILE_RANGE}),
         printf('gen-%d-%0*d', @seed, @width, i), 1
    FROM seq`;

/**
 * Bulk-inserts n synthetic customers (ids gen-<seed>-<index>) with unique valid Japanese
 * mobile numbers, in one transaction. Returns a few of their numbers for lookups.
 */
export function generateCustomers(
  db: Database,
  n: number,
  opts: { seed?: number; now?: () => number } = {},
): { sampleNumbers: string[] } {
  if (!Number.isInteger(n) || n < 0 || n > MOBILE_RANGE) {
    throw new RangeError(`generateCustomers: n must be an integer from 0 to ${MOBILE_RANGE}`);
  }
  const seed = Math.trunc(opts.seed ?? 1) >>> 0;
  const offset = (seed * 7_919) % MOBILE_RANGE;
  const numberAt = (i: number) => `+8190${MOBILE_BASE + ((i * SPREAD + offset) % MOBILE_RANGE)}`;
  // BigInt binds as INTEGER; a JS number binds as REAL and '+8190' || 10055433.0 ends in '.0'.
  const common = {
    n: BigInt(n),
    seed: BigInt(seed),
    width: BigInt(String(Math.max(n - 1, 0)).length),
  };

  // The scattered e164 keys touch pages all over the index; a bigger page cache for the
  // duration of the load keeps that from becoming disk-bound.
  const cacheSize = db.pragma('cache_size', { simple: true }) as number;
  db.pragma('cache_size = -262144');
  try {
    db.transaction(() => {
      db.prepare(GENERATE_CUSTOMERS).run({ ...common, now: BigInt((opts.now ?? Date.now)()) });
      db.prepare(GENERATE_PHONES).run({ ...common, offset: BigInt(offset) });
    })();
  } finally {
    db.pragma(`cache_size = ${cacheSize}`);
  }

  const samples = n === 0 ? [] : [0, n >> 2, n >> 1, (3 * n) >> 2, n - 1];
  return { sampleNumbers: [...new Set(samples)].map(numberAt) };
}
