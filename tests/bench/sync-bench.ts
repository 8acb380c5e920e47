// Issue 5's benchmarks: the first CRM sync and what the agent does on the synced database.
// Called by run.ts after the phone benches; runs alone too, without Kamailio or Chromium:
//   npx tsx tests/bench/sync-bench.ts
//
//   initial_sync_records_per_s  n customers (default 1,000,000) pulled by the real engine of a
//       real core (createCore, in a child process) from an in-process CRM serving pages of 500
//       generated CrmCustomer records with server-side cursors, into a fresh SQLite file.
//       Baseline: better-sqlite3 inserting the same rows, already normalized (customers +
//       customer_phones, prepared statements, one transaction per 500) into a fresh file with
//       the same schema. ratio = ours / baseline (higher is better; goal ≥ 0.5).
//       viaKintoneHttpPerS: the same through the real kintone adapter over HTTP against the
//       stateful fake kintone server (tests/infra/kintone-fake.ts) for a smaller n.
//   pop_lookup_us    the pop lookup (createPopLookup: customer by number + last contacts) on
//       the synced database, known numbers and 10% unknown ones. Baseline: the bare
//       `SELECT customer_id FROM customer_phones WHERE e164 = ?`.
//   note_save_ms     saveNote through the dispatcher of a real core on the synced database
//       (WAL on disk), bodies growing like an editor's saves. Goal p99 ≤ 10 ms. Baseline: a
//       bare one-row INSERT in its own transaction on the same file.
//   core_rss_mb      RSS of the child core: samples during the sync and after it. Baseline:
//       the same process idle on its empty database, before the sync. Goal ≤ 150 MB.
//
// Knobs: BENCH_SYNC_CUSTOMERS (default BENCH_CUSTOMERS, else 1,000,000), BENCH_KINTONE_CUSTOMERS
// (50,000; 0 skips it), BENCH_POP_LOOKUPS (20,000), BENCH_NOTE_SAVES (2,000).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DATABASE_FILE, createCore } from '../../main/core/core';
import { createPopLookup } from '../../main/core/customers/pop';
import { silentLogger } from '../../main/core/log';
import { openDatabase } from '../../main/core/store/db';
import { KintoneConfig } from '../../main/core/sync/crm/kintone/config';
import type { Note } from '../../preload/contract';
import { KintoneFake, callCentreApps } from '../infra/kintone-fake';
import { crmCustomer, knownNumber, storedCustomer, unknownNumber } from './crm-generator';
import type { ChildResult, ChildSpec } from './sync-child';
import { benchLine, percentile, printBench, type BenchLine } from './stats';

const envInt = (name: string, fallback: number) => {
  const v = process.env[name];
  return v === undefined || v === '' ? fallback : Number(v);
};
const SYNC_N = envInt('BENCH_SYNC_CUSTOMERS', envInt('BENCH_CUSTOMERS', 1_000_000));
const KINTONE_N = Math.min(SYNC_N, envInt('BENCH_KINTONE_CUSTOMERS', 50_000));
const POP_LOOKUPS = envInt('BENCH_POP_LOOKUPS', 20_000);
const NOTE_SAVES = envInt('BENCH_NOTE_SAVES', 2_000);
const PAGE = 500;

const note = (s: string) => process.stderr.write(`bench: ${s}\n`);
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;
const pct = (xs: number[], q: number) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    q,
  );
/** benchLine in another unit than ms (the line format is the same). */
const inUnit = (line: BenchLine, unit: string): BenchLine => ({ ...line, unit }) as BenchLine;

/** Deterministic PRNG (mulberry32), so every run looks up the same numbers. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function runSyncBenches(): Promise<void> {
  const started = performance.now();
  const work = mkdtempSync(join(tmpdir(), 'agent-sync-bench-'));
  try {
    const child = await bundleChild(work);

    // 1. Baseline first, then the real engine in the child (which also gives core_rss_mb).
    const base = insertBaseline(join(work, 'baseline', DATABASE_FILE), SYNC_N);
    note(`baseline: ${SYNC_N} customers inserted in ${secs(base.ms)}`);
    rmSync(join(work, 'baseline'), { recursive: true, force: true });

    const dataDir = join(work, 'data');
    const ours = await runChild(child, dataDir, { crm: 'generated', n: SYNC_N });
    if (ours.state !== 'idle' || ours.records !== SYNC_N) {
      throw new Error(`sync ended ${ours.state} after ${ours.records} records: ${ours.error}`);
    }
    const stored = checkSynced(join(dataDir, DATABASE_FILE), SYNC_N);
    note(
      `initial sync: ${SYNC_N} customers in ${secs(ours.ms)} ` +
        `(${stored.phones} phones, ${stored.optOuts} opt-outs)`,
    );

    const kintone = KINTONE_N > 0 ? await kintoneRate(child, work, KINTONE_N) : null;

    const oursPerS = Math.round(SYNC_N / (ours.ms / 1000));
    const basePerS = Math.round(SYNC_N / (base.ms / 1000));
    printBench(
      inUnit(
        benchLine('initial_sync_records_per_s', [oursPerS], [basePerS], {
          customers: SYNC_N,
          pageSize: PAGE,
          goal: 0.5,
          seconds: round(ours.ms / 1000, 1),
          baselineSeconds: round(base.ms / 1000, 1),
          // one page applied in its transaction (+ the next generated): what a pop waits for
          pageMsP50: round(pct(ours.pageMs, 50)),
          pageMsP99: round(pct(ours.pageMs, 99)),
          ...(kintone
            ? { viaKintoneHttpPerS: kintone.perS, viaKintoneHttpN: kintone.n }
            : { viaKintoneHttpPerS: null }),
        }),
        'records/s',
      ),
    );

    // 2. and 3. on the synced database.
    printBench(popLookupLine(join(dataDir, DATABASE_FILE), SYNC_N));
    printBench(await noteSaveLine(dataDir, SYNC_N));

    // 4. The child's memory.
    const during = [...ours.rssDuringMb, ours.rssAfterMb];
    printBench(
      inUnit(
        benchLine('core_rss_mb', during, [ours.rssEmptyMb], {
          customers: SYNC_N,
          goal: 150,
          afterSyncMb: ours.rssAfterMb,
          peakMb: Math.max(...during),
          // samples: one every this many records pulled, and one after the sync
          sampleEveryRecords: ours.sampleEveryRecords,
          // where it is after the sync: V8's heap in use, memory outside it
          heapAfterMb: ours.heapAfterMb,
          externalAfterMb: ours.externalAfterMb,
        }),
        'MB',
      ),
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  note(`sync benches took ${secs(performance.now() - started)}`);
}

// ---- the child core --------------------------------------------------------------------

/**
 * The child runs from a bundle under plain node: through tsx, the TypeScript loader alone
 * would add ~40 MB to the RSS we report. better-sqlite3 (native) stays outside, loaded by
 * absolute path.
 */
async function bundleChild(work: string): Promise<string> {
  const { build } = await import('esbuild');
  const outfile = join(work, 'sync-child.mjs');
  const sqlite = createRequire(import.meta.url).resolve('better-sqlite3');
  await build({
    entryPoints: [fileURLToPath(new URL('./sync-child.ts', import.meta.url))],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'error',
    // CommonJS dependencies inside an ES module bundle need a require().
    banner: {
      js: "import { createRequire as __benchRequire } from 'node:module'; const require = __benchRequire(import.meta.url);",
    },
    plugins: [
      {
        name: 'native-outside',
        setup(b) {
          b.onResolve({ filter: /^better-sqlite3$/ }, () => ({ path: sqlite, external: true }));
        },
      },
    ],
  });
  return outfile;
}

function runChild(bundle: string, dataDir: string, spec: ChildSpec): Promise<ChildResult> {
  mkdirSync(dataDir, { recursive: true });
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [bundle, dataDir, JSON.stringify(spec)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    p.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    p.on('error', reject);
    p.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('SYNC_CHILD '));
      if (code !== 0 || !line) reject(new Error(`sync child exited ${code}: ${out.slice(-500)}`));
      else resolve(JSON.parse(line.slice('SYNC_CHILD '.length)) as ChildResult);
    });
  });
}

/** What the sync left in the database, checked against the generator. */
function checkSynced(file: string, n: number): { phones: number; optOuts: number } {
  const db = openDatabase(file, { log: silentLogger });
  try {
    const count = (sql: string) => db.prepare<[], number>(sql).pluck().get() ?? 0;
    const customers = count('SELECT count(*) FROM customers');
    if (customers !== n) throw new Error(`${customers} customers stored, expected ${n}`);
    const probe = storedCustomer(Math.floor(n / 2));
    const phones = db
      .prepare<[string], string>(
        'SELECT e164 FROM customer_phones WHERE customer_id = ? ORDER BY is_primary DESC, e164',
      )
      .pluck()
      .all(probe.id);
    const primary = probe.e164s[0];
    if (phones[0] !== primary || phones.length !== probe.e164s.length) {
      throw new Error(`customer ${probe.id} stored ${phones.join(',')}, expected ${probe.e164s}`);
    }
    return {
      phones: count('SELECT count(*) FROM customer_phones'),
      optOuts: count('SELECT count(*) FROM opt_outs'),
    };
  } finally {
    db.close();
  }
}

// ---- 1. baseline: raw inserts ----------------------------------------------------------

function insertBaseline(file: string, n: number): { ms: number } {
  const db = openDatabase(file, { log: silentLogger });
  try {
    const customer = db.prepare(
      `INSERT INTO customers (id, name, name_kana, segment, created_at, updated_at, crm_id,
         crm_revision) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const phone = db.prepare(
      'INSERT INTO customer_phones (e164, customer_id, is_primary) VALUES (?, ?, ?)',
    );
    const page = db.transaction((from: number, to: number) => {
      const t = Date.now();
      for (let i = from; i < to; i++) {
        const c = storedCustomer(i);
        customer.run(c.id, c.name, c.nameKana, c.segment, t, t, c.crmId, c.crmRevision);
        c.e164s.forEach((e164, k) => phone.run(e164, c.id, k === 0 ? 1 : 0));
      }
    });
    const t0 = performance.now();
    for (let i = 0; i < n; i += PAGE) page(i, Math.min(n, i + PAGE));
    return { ms: performance.now() - t0 };
  } finally {
    db.close();
  }
}

// ---- 1. the same through kintone over HTTP ---------------------------------------------

async function kintoneRate(
  bundle: string,
  work: string,
  n: number,
): Promise<{ perS: number; n: number }> {
  const apps = { customers: 11, activities: 12, callbacks: 13 };
  const mapping = KintoneConfig.parse({ baseUrl: 'http://127.0.0.1/', apps });
  const tokens = {
    customers: 'benchCustomers',
    activities: 'benchActivities',
    callbacks: 'benchCb',
  };
  const fake = await KintoneFake.start({
    apps: callCentreApps(mapping),
    tokens: [
      { token: tokens.customers, app: apps.customers, view: true, add: true, edit: true },
      { token: tokens.activities, app: apps.activities, view: true, add: true, edit: true },
      { token: tokens.callbacks, app: apps.callbacks, view: true, add: true, edit: true },
    ],
    mapping,
  });
  try {
    const f = mapping.fields.customers;
    const [landField = '', mobileField] = f.phones;
    fake.seedCustomers(n, (i) => {
      const c = crmCustomer(i);
      const values: Record<string, string> = {
        [f.name]: c.name,
        [f.nameKana]: c.nameKana ?? '',
        [f.segment]: mapping.values.segment[c.segment],
        [f.optOut]: mapping.values.optOut[c.optOut],
        [landField]: c.phones[1] ?? '',
      };
      if (mobileField) values[mobileField] = c.phones[0]!;
      return values;
    });
    const dataDir = join(work, 'kintone');
    const r = await runChild(bundle, dataDir, {
      crm: 'kintone',
      // The kintone client takes plain http for localhost only.
      config: { baseUrl: fake.baseUrl.replace('127.0.0.1', 'localhost'), apps },
      tokens,
    });
    rmSync(dataDir, { recursive: true, force: true });
    if (r.state !== 'idle' || r.records !== n) {
      throw new Error(`kintone sync ended ${r.state} after ${r.records} records: ${r.error}`);
    }
    note(`via kintone over HTTP: ${n} customers in ${secs(r.ms)}`);
    return { perS: Math.round(n / (r.ms / 1000)), n };
  } finally {
    await fake.close();
  }
}

// ---- 2. pop lookups --------------------------------------------------------------------

function popLookupLine(file: string, n: number): BenchLine {
  const db = openDatabase(file, { log: silentLogger });
  try {
    const lookup = createPopLookup(db);
    const bare = db
      .prepare<[string], string>('SELECT customer_id FROM customer_phones WHERE e164 = ?')
      .pluck();
    // Separate number lists for the two, so neither finds its pages cached by the other.
    const numbers = (seed: number) => {
      const rnd = prng(seed);
      return Array.from({ length: POP_LOOKUPS }, (_, k) =>
        rnd() < 0.9 ? knownNumber(Math.floor(rnd() * n)) : unknownNumber(k + seed * POP_LOOKUPS),
      );
    };
    const oursNumbers = numbers(1);
    const baseNumbers = numbers(2);
    const warm = numbers(3).slice(0, 1000);
    for (const e164 of warm) {
      lookup(e164);
      bare.get(e164);
    }
    const ours: number[] = [];
    const base: number[] = [];
    let found = 0;
    const time = (fn: () => unknown) => {
      const t0 = process.hrtime.bigint();
      const r = fn();
      return { us: Number(process.hrtime.bigint() - t0) / 1000, r };
    };
    // Alternating blocks share the machine's noise between the two.
    const BLOCK = 500;
    for (let i = 0; i < POP_LOOKUPS; i += BLOCK) {
      for (let k = i; k < Math.min(POP_LOOKUPS, i + BLOCK); k++) {
        const { us, r } = time(() => lookup(oursNumbers[k]!));
        ours.push(us);
        if ((r as ReturnType<typeof lookup>).customer) found++;
      }
      for (let k = i; k < Math.min(POP_LOOKUPS, i + BLOCK); k++) {
        base.push(time(() => bare.get(baseNumbers[k]!)).us);
      }
    }
    return inUnit(
      benchLine('pop_lookup_us', ours, base, {
        customers: n,
        known: found,
        unknown: POP_LOOKUPS - found,
      }),
      'us',
    );
  } finally {
    db.close();
  }
}

// ---- 3. note saves ---------------------------------------------------------------------

/** What an agent types between two saves of the editor. */
const PHRASES = [
  'お客様より配送状況の問い合わせ。',
  '注文番号を確認済み。',
  '明日午前中に再配達の手配を希望。',
  '住所変更あり（新住所は折り返し時に確認）。',
  'ポイント残高についても質問あり、案内済み。',
  '次回は夕方以降の連絡を希望。',
  '担当者変更の要望なし。',
  '請求書の再発行を依頼された。',
];
const SAVES_PER_NOTE = 20;
const WARM_SAVES = 40;

async function noteSaveLine(dataDir: string, n: number): Promise<BenchLine> {
  const rnd = prng(4);
  const core = await createCore({ dataDir, version: 'bench', log: silentLogger });
  const ours: number[] = [];
  const bodies: string[] = [];
  try {
    let noteId: string | undefined;
    let body = '';
    let customerId = '';
    for (let s = 0; s < WARM_SAVES + NOTE_SAVES; s++) {
      if (s % SAVES_PER_NOTE === 0) {
        noteId = undefined;
        body = '';
        customerId = storedCustomer(Math.floor(rnd() * n)).id;
      }
      body += PHRASES[Math.floor(rnd() * PHRASES.length)]!;
      if (s % 4 === 3) body += '\n';
      const args = {
        ...(noteId ? { noteId } : {}),
        customerId,
        interactionId: `bench-call-${Math.floor(s / SAVES_PER_NOTE)}`,
        body,
      };
      const t0 = performance.now();
      const res = await core.dispatch('saveNote', args);
      const ms = performance.now() - t0;
      if (!res.ok) throw new Error(`saveNote failed: ${res.error.message}`);
      noteId = (res.result as Note).noteId;
      if (s >= WARM_SAVES) {
        ours.push(ms);
        bodies.push(body);
      }
      // The editor saves on pauses: the save's push to the (local) CRM runs in between.
      await new Promise((resolve) => setImmediate(resolve));
    }
  } finally {
    await core.close();
  }

  // Baseline: the bare write on the same file, same bodies, same pacing.
  const db = openDatabase(join(dataDir, DATABASE_FILE), { log: silentLogger });
  const base: number[] = [];
  try {
    db.exec(
      'CREATE TABLE bench_insert (id INTEGER PRIMARY KEY, body TEXT NOT NULL, at INTEGER NOT NULL)',
    );
    const insert = db.prepare('INSERT INTO bench_insert (body, at) VALUES (?, ?)');
    const one = db.transaction((body: string) => insert.run(body, Date.now()));
    for (let s = 0; s < WARM_SAVES + bodies.length; s++) {
      const body = bodies[Math.max(0, s - WARM_SAVES)]!;
      const t0 = performance.now();
      one(body);
      const ms = performance.now() - t0;
      if (s >= WARM_SAVES) base.push(ms);
      await new Promise((resolve) => setImmediate(resolve));
    }
    db.exec('DROP TABLE bench_insert');
  } finally {
    db.close();
  }
  return benchLine('note_save_ms', ours, base, {
    customers: n,
    savesPerNote: SAVES_PER_NOTE,
    maxBodyChars: Math.max(...bodies.map((b) => b.length)),
    goalP99: 10,
  });
}

const self = fileURLToPath(import.meta.url);
if (process.argv[1] && realpathSync(process.argv[1]) === realpathSync(self)) {
  runSyncBenches().catch((err: unknown) => {
    process.stderr.write(`sync bench failed: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  });
}
