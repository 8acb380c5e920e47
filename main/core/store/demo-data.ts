// Out-of-the-box data for the local CRM (assets/demo/customers.json) and synthetic customers
// for benchmarks. Both go through the same tables as real data.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { CallOutcome, Direction, Id, Segment } from '../../../preload/contract';
import { normalizePhone } from '../customers/phone-number';
import { createCustomerRepo } from './customers';
import type { Database } from './db';
import { createInteractionRepo } from './interactions';

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
  })();
  return { customers: data.customers.length };
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
