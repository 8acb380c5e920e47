// Outbound benchmark (issue 6), one BENCH line with a baseline measured in the same run:
//
//   next_callback_ms  the real queue (main/core/outbound/queue.ts) picking the next-best
//                     callback every rule allows, with 100,000 pending callbacks over 20,000
//                     customers in a real SQLite file: promised and planned ones, own and pool,
//                     some customers abroad (outside their window at the time), some opted out,
//                     some campaigns waiting for their DM, attempt history. Picks at random
//                     instants of a Tuesday's working hours in Tokyo. Goal p99 ≤ 2 ms.
//                     Baseline: the naive way — read every pending callback, sort the whole
//                     list in queue order, then check the same rules from the top.
//
// Knobs: BENCH_CALLBACKS (default 100,000), BENCH_NEXT_PICKS (default 2,000).
// Direct entry: `npx tsx tests/bench/outbound-bench.ts`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Campaign } from '../../preload/contract';
import { silentLogger } from '../../main/core/log';
import { createOutboundDesk } from '../../main/core/outbound/outbound-desk';
import type { CallbackRow } from '../../main/core/store/callbacks';
import { createCustomerRepo } from '../../main/core/store/customers';
import { openDatabase } from '../../main/core/store/db';
import { generateCustomers } from '../../main/core/store/demo-data';
import { createOutboxRepo } from '../../main/core/store/outbox';
import { benchLine, percentile, printBench } from './stats';

const percentile95 = (xs: number[]) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    95,
  );

const CALLBACKS = Number(process.env.BENCH_CALLBACKS ?? 100_000);
const PICKS = Number(process.env.BENCH_NEXT_PICKS ?? 2_000);
const CUSTOMERS = Math.max(1000, Math.round(CALLBACKS / 5));
const BASELINE_PICKS = 10;

// Tuesday 24 November 2026, 09:30–18:30 in Tokyo.
const DAY_START = Date.UTC(2026, 10, 24, 0, 30);
const DAY_SPAN = 9 * 3600_000;
const HOUR = 3600_000;

const note = (s: string) => process.stderr.write(`bench: ${s}\n`);

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function runOutboundBenches(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-outbound-'));
  const db = openDatabase(join(dir, 'agent.sqlite'));
  try {
    const rnd = prng(6);
    let clock = DAY_START;
    const now = () => clock;
    const outbox = createOutboxRepo(db, { now });
    const customers = createCustomerRepo(db, { now });
    const { optOuts, callbacks, attempts, campaigns, notices, queue } = createOutboundDesk(
      db,
      outbox,
      { now, log: silentLogger, customerSummary: (id) => customers.getById(id) },
    );

    const t0 = performance.now();
    generateCustomers(db, CUSTOMERS, { seed: 6, now });
    const people = db
      .prepare<[], { id: string; e164: string }>(
        `SELECT c.id AS id, p.e164 AS e164 FROM customers c
         JOIN customer_phones p ON p.customer_id = c.id AND p.is_primary = 1`,
      )
      .all();
    const all = campaigns.list();
    const pickCampaign = (): Campaign => all[Math.floor(rnd() * all.length)]!;
    db.transaction(() => {
      for (let i = 0; i < CALLBACKS; i++) {
        const who = people[Math.floor(rnd() * people.length)]!;
        const campaign = pickCampaign();
        // One customer in ten is abroad (New York): evening or night there all Tokyo day.
        const abroad = rnd() < 0.1;
        clock = DAY_START - 3 * 24 * HOUR + Math.floor(rnd() * 4 * 24 * HOUR);
        callbacks.create({
          customerId: who.id,
          e164: who.e164,
          campaign,
          owner: rnd() < 0.3 ? 'me' : 'pool',
          priority: Math.floor(rnd() * 5),
          promised: campaign.kind === 'requested' && rnd() < 0.5,
          dueAt: clock,
          timeZone: abroad ? 'America/New_York' : null,
        });
      }
      // History: attempts yesterday and today, opt-outs, DMs for half the customers.
      clock = DAY_START - 20 * HOUR;
      for (let i = 0; i < CALLBACKS / 5; i++) {
        const who = people[Math.floor(rnd() * people.length)]!;
        const a = attempts.start({
          callbackId: null,
          customerId: who.id,
          e164: who.e164,
          callerId: '',
          agent: 'bench',
          marketing: false,
        });
        attempts.finish(a.id, { outcome: 'no_answer', durationSec: null });
      }
      for (const who of people) {
        if (rnd() < 0.03) {
          optOuts.record({
            e164: who.e164,
            customerId: who.id,
            scope: rnd() < 0.5 ? 'all' : 'marketing',
            source: 'import',
            reason: null,
          });
        }
        if (rnd() < 0.5) {
          notices.record({
            customerId: who.id,
            campaignId: null,
            channel: 'dm',
            sentAt: DAY_START - 5 * 24 * HOUR,
            source: 'bench',
          });
        }
      }
    })();
    db.exec('ANALYZE');
    note(
      `outbound: ${CALLBACKS} callbacks over ${people.length} customers in ${Math.round(performance.now() - t0)} ms`,
    );

    const instants = Array.from({ length: PICKS }, () => DAY_START + Math.floor(rnd() * DAY_SPAN));
    // Warm the page cache and the JIT as a running app would be.
    for (const at of instants.slice(0, 50)) queue.next(at);
    const ours: number[] = [];
    let found = 0;
    for (const at of instants) {
      const s = performance.now();
      const item = queue.next(at);
      ours.push(performance.now() - s);
      if (item) found++;
    }

    const base: number[] = [];
    const pending = db
      .prepare<[], string>("SELECT id FROM callbacks WHERE status = 'pending'")
      .pluck();
    for (const at of instants.slice(0, BASELINE_PICKS)) {
      const s = performance.now();
      naiveNext(pending.all(), at);
      base.push(performance.now() - s);
    }

    function naiveNext(ids: string[], at: number): CallbackRow | null {
      const rows = ids.map((id) => callbacks.get(id)!);
      const ready = (r: CallbackRow) => (r.nextAt ?? r.dueAt) <= at;
      const tier = (r: CallbackRow) => (r.promised && r.dueAt <= at ? 0 : ready(r) ? 1 : 2);
      rows.sort(
        (a, b) =>
          tier(a) - tier(b) ||
          (a.owner === b.owner ? 0 : a.owner === 'me' ? -1 : 1) ||
          (tier(a) === 0 ? 0 : b.priority - a.priority) ||
          a.dueAt - b.dueAt,
      );
      for (const r of rows) if (queue.blocksFor(r, at).length === 0) return r;
      return null;
    }

    printBench(
      benchLine('next_callback_ms', ours, base, {
        callbacks: CALLBACKS,
        customers: people.length,
        foundPct: Math.round((found / PICKS) * 100),
        // the ratio rounds to 0 at two decimals: how many times faster than the naive scan
        timesFaster: Math.round(percentile95(base) / percentile95(ours)),
        baselineN: base.length,
        goalP99: 2,
      }),
    );
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  runOutboundBenches().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
