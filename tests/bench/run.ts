// `npm run bench`: prints BENCH lines (format in ARCHITECTURE.md). Each figure has a baseline
// measured in the same run, so the ratio stays comparable on a noisy 2-core machine.
//
//   pop_latency_ms    sipp INVITE sent → the customer's name in the renderer's DOM (real
//                     Kamailio, real core with 1,000,000 customers in SQLite, real renderer in
//                     Chromium). Baseline: the same path, but the pop's lookup goes over HTTP
//                     to a CRM-like endpoint with realistic latency (what desktops without a
//                     local cache do).
//   invite_to_core_ms sipp INVITE sent → core's SIP.js sees it (through Kamailio over WS).
//                     Baseline: the same INVITE through the same Kamailio to a sipp UAS
//                     over UDP (the bare proxy hop).
//   initial_sync_records_per_s, pop_lookup_us, note_save_ms, core_rss_mb  issue 5's CRM sync
//                     (sync-bench.ts; no Kamailio or Chromium): 1,000,000 customers pulled by
//                     the real sync engine of a core in a child process, vs raw better-sqlite3
//                     inserts of the same rows; pop lookups and note saves on the synced
//                     database, vs bare statements; the child's RSS after the sync, vs idle on
//                     its empty database. Alone: npx tsx tests/bench/sync-bench.ts
//   next_callback_ms  issue 6's queue (outbound-bench.ts; SQLite only): the next-best callback
//                     every rule allows among 100,000 pending, vs reading, sorting and checking
//                     the whole list. Alone: npx tsx tests/bench/outbound-bench.ts
//   talk_track_move_ms issue 7's talk tracks (talk-track-bench.ts; SQLite only): one move of
//                     the agent through the whole core, durable, vs the pure engine alone.
//                     Alone: npx tsx tests/bench/talk-track-bench.ts
//   hook_to_200ok_ms  issue 4's headset (headset-bench.ts; Kamailio, rtpengine, sipp,
//                     Chromium): a WebHID headset's hook-off report → 200 OK at the caller, vs
//                     the screen's Answer button. Alone: npx tsx tests/bench/headset-bench.ts
// Knobs: BENCH_ONLY (comma list of pop, phone, sync, outbound, talk, headset; default all),
// BENCH_CALLS (default 200), BENCH_CUSTOMERS (default 1,000,000; the sync benches' too), and
// each file's own (BENCH_SYNC_CUSTOMERS, BENCH_KINTONE_CUSTOMERS, BENCH_HOOK_CALLS, …).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pop } from '../../preload/contract';
import { silentLogger } from '../../main/core/log';
import { openDatabase } from '../../main/core/store/db';
import { generateCustomers } from '../../main/core/store/demo-data';
import { DATABASE_FILE } from '../../main/core/core';
import { startApp } from '../infra/app';
import { launchChromium } from '../infra/chromium';
import { startKamailio, type KamailioHandle } from '../infra/kamailio';
import { assertPeers } from '../infra/peers';
import { callerKeys, runSipp, sippScenario } from '../infra/sipp';
import { startBusyResponder } from './busy-responder';
import { startCrmLikeServer } from './crm-like-server';
import { parseSippTrace } from './sipp-trace';
import { runPhoneBenches } from './phone-bench';
import { runSyncBenches } from './sync-bench';
import { runOutboundBenches } from './outbound-bench';
import { runTalkTrackBenches } from './talk-track-bench';
import { runHeadsetBenches } from './headset-bench';
import { benchLine, percentile, printBench } from './stats';

const p = (xs: number[], q: number) =>
  Math.round(
    percentile(
      [...xs].sort((a, b) => a - b),
      q,
    ) * 100,
  ) / 100;

const CALLS = Number(process.env.BENCH_CALLS ?? 200);
const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 1_000_000);
// Calls ring this long before the caller gives up: longer than the slowest CRM reply, so
// every pop has the chance to appear; 2 calls a second keeps them from overlapping.
const RING_MS = 450;
const RATE = 2;

interface Caller {
  e164: string;
  national: string;
}

const note = (s: string) => process.stderr.write(`bench: ${s}\n`);

const GROUPS = ['pop', 'phone', 'sync', 'outbound', 'talk', 'headset'];
const ONLY = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
const unknownGroup = ONLY?.find((g) => !GROUPS.includes(g));
if (unknownGroup !== undefined)
  throw new Error(`BENCH_ONLY: no group '${unknownGroup}' (groups: ${GROUPS.join(', ')})`);
const wanted = (group: string) => !ONLY || ONLY.includes(group);

async function main(): Promise<void> {
  if (wanted('pop')) await runPopBenches();
  if (wanted('phone')) await runPhoneBenches();
  if (wanted('sync')) await runSyncBenches();
  if (wanted('outbound')) await runOutboundBenches();
  if (wanted('talk')) await runTalkTrackBenches();
  if (wanted('headset')) await runHeadsetBenches();
}

/** pop_latency_ms and invite_to_core_ms. */
async function runPopBenches(): Promise<void> {
  assertPeers('kamailio', 'sipp', 'chromium');
  const work = mkdtempSync(join(tmpdir(), 'agent-bench-'));
  let kam: KamailioHandle | undefined;
  try {
    const dataDir = join(work, 'data');
    const dbFile = join(dataDir, DATABASE_FILE);
    const t0 = performance.now();
    const db = openDatabase(dbFile, { log: silentLogger });
    generateCustomers(db, CUSTOMERS, { seed: 7 });
    const callers = (
      db.prepare('SELECT e164 FROM customer_phones ORDER BY random() LIMIT ?').all(CALLS) as {
        e164: string;
      }[]
    ).map(({ e164 }) => ({ e164, national: '0' + e164.slice(3) }));
    db.close();
    note(`${CUSTOMERS} customers generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    kam = await startKamailio({ auth: true });
    const crm = await startCrmLikeServer(dbFile);
    try {
      const baseline = await measurePops(kam, dataDir, callers, work, (e164) => crm.lookup(e164));
      note(`baseline (CRM over HTTP): ${baseline.pops.length}/${CALLS} pops seen`);
      const local = await measurePops(kam, dataDir, callers, work, undefined);
      note(`local cache: ${local.pops.length}/${CALLS} pops seen`);
      printBench(
        benchLine('pop_latency_ms', local.pops, baseline.pops, {
          customers: CUSTOMERS,
          missed: CALLS - local.pops.length,
          baselineMissed: CALLS - baseline.pops.length,
          crmLatencyMs: crm.latencyDescription,
          goalP95: 30,
          // where the time goes (local phase): core push → name in the DOM
          coreToDomP50: p(local.emitToDom, 50),
          coreToDomP95: p(local.emitToDom, 95),
        }),
      );
      const hop = await measureProxyHop(kam);
      printBench(benchLine('invite_to_core_ms', local.inviteToCore, hop));
    } finally {
      await crm.close();
    }
  } finally {
    await kam?.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

/** One phase: the app, a browser, CALLS calls from sipp; returns per-call latencies. */
async function measurePops(
  kam: KamailioHandle,
  dataDir: string,
  callers: Caller[],
  work: string,
  lookupPop: ((e164: string | null) => Promise<Pop>) | undefined,
): Promise<{ pops: number[]; inviteToCore: number[]; emitToDom: number[] }> {
  const coreSaw = new Map<string, number>();
  const sipCallIdOf = new Map<string, string>();
  const emittedAt = new Map<string, number>(); // by app call id: core pushed the ringing call
  const app = await startApp({
    dataDir,
    keepData: true,
    seedDemo: false,
    log: silentLogger,
    sip: { server: kam.wsUrl, aor: `sip:1001@${kam.domain}`, password: 'pw1001' },
    lookupPop,
    onInviteReceived: (id, sipCallId, atMs) => {
      coreSaw.set(sipCallId, atMs);
      sipCallIdOf.set(id, sipCallId);
    },
  });
  app.core.on('call.updated', (c) => {
    if (c.state === 'ringing' && !emittedAt.has(c.id))
      emittedAt.set(c.id, performance.timeOrigin + performance.now());
  });
  const ui = await launchChromium();
  try {
    await ui.page.goto(app.server.url);
    await ui.page
      .locator('[data-testid="reg-status"][data-state="registered"]')
      .waitFor({ timeout: 20_000 });
    // Record, in the page's own clock (wall time, sub-ms), the first moment each distinct
    // pop (name present) is in the DOM.
    await ui.page.evaluate(() => {
      const seen = new Set<string>();
      const out: { text: string; t: number }[] = [];
      (window as unknown as { popSeen: typeof out }).popSeen = out;
      new MutationObserver(() => {
        const t = performance.timeOrigin + performance.now();
        for (const el of document.querySelectorAll('[data-testid="incoming-pop"]')) {
          if (!el.querySelector('[data-testid="pop-name"]')?.textContent?.trim()) continue;
          const text = el.textContent ?? '';
          if (!seen.has(text)) {
            seen.add(text);
            out.push({ text, t });
          }
        }
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });

    const csv = join(work, `callers-${lookupPop ? 'crm' : 'local'}.csv`);
    writeFileSync(csv, 'SEQUENTIAL\n' + callers.map((c) => `${c.national};`).join('\n') + '\n');
    const scenario = join(work, 'pop_cancel.xml');
    // Our cancel scenario with the caller taken from the CSV, one line per call.
    writeFileSync(
      scenario,
      readFileSync(sippScenario('uac_cancel'), 'utf8').replaceAll('[caller]', '[field0]'),
    );
    // BENCH_PROFILE=<file>: a CPU profile of the renderer over the local phase's calls
    // (open it in Chrome DevTools' Performance panel; build with --minify false for names).
    const profileTo = lookupPop ? undefined : process.env.BENCH_PROFILE;
    const cdp = profileTo ? await ui.page.context().newCDPSession(ui.page) : undefined;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
    }
    const sipp = runSipp({
      scenario,
      target: `127.0.0.1:${kam.udpPort}`,
      service: '1001',
      keys: {
        caller_display: '',
        caller_host: '127.0.0.1',
        pai_line: 'X-No-PAI: 1',
        privacy_line: 'X-No-Privacy: 1',
      },
      calls: callers.length,
      rate: RATE,
      pauseMs: RING_MS,
      timeoutSec: Math.ceil(callers.length / RATE) + 60,
      trace: true,
      extraArgs: ['-inf', csv],
    });
    const res = await sipp.done;
    if (res.code !== 0) note(`sipp exited ${res.code}: ${res.stderr.slice(-500)}`);
    await ui.page.waitForTimeout(500);
    if (cdp && profileTo) {
      const { profile } = await cdp.send('Profiler.stop');
      writeFileSync(profileTo, JSON.stringify(profile));
      note(`renderer CPU profile written to ${profileTo}`);
    }
    const seen = (await ui.page.evaluate(
      () => (window as unknown as { popSeen: { text: string; t: number }[] }).popSeen,
    )) as { text: string; t: number }[];

    const invites = firstInvites(sipp.messages());
    const pops: number[] = [];
    const inviteToCore: number[] = [];
    const emitToDom: number[] = [];
    for (const [callId, inv] of invites) {
      const saw = coreSaw.get(callId);
      if (saw !== undefined) inviteToCore.push(saw - inv.atMs);
      const hit = seen.find((s) => s.text.replace(/\D/g, '').includes(inv.fromUser));
      if (hit) pops.push(hit.t - inv.atMs);
    }
    for (const [id, emitted] of emittedAt) {
      const inv = invites.get(sipCallIdOf.get(id) ?? '');
      const hit = inv && seen.find((s) => s.text.replace(/\D/g, '').includes(inv.fromUser));
      if (hit) emitToDom.push(hit.t - emitted);
    }
    return { pops, inviteToCore, emitToDom };
  } finally {
    await ui.close();
    await app.close();
  }
}

/** The first time each call's INVITE was sent (retransmissions ignored). */
function firstInvites(trace: string): Map<string, { atMs: number; fromUser: string }> {
  const out = new Map<string, { atMs: number; fromUser: string }>();
  for (const m of parseSippTrace(trace)) {
    if (m.direction === 'sent' && m.firstLine.startsWith('INVITE ') && !out.has(m.callId)) {
      out.set(m.callId, { atMs: m.atMs, fromUser: m.fromUser });
    }
  }
  return out;
}

/** Baseline for invite_to_core_ms: sipp → Kamailio → a bare Node UDP socket (INVITE sent → received). */
async function measureProxyHop(kam: KamailioHandle): Promise<number[]> {
  const far = await startBusyResponder(kam.gatewayPort);
  try {
    const uac = runSipp({
      scenario: 'uac_rejected', // expects the 486 our responder sends
      target: `127.0.0.1:${kam.udpPort}`,
      service: '9999', // not registered: Kamailio routes it to the gateway
      keys: callerKeys({ user: '0312345678' }),
      calls: CALLS,
      rate: 10,
      timeoutSec: Math.ceil(CALLS / 10) + 60,
      trace: true,
    });
    const res = await uac.done;
    if (res.code !== 0) note(`proxy-hop sipp exited ${res.code}`);
    const hop: number[] = [];
    for (const [callId, inv] of firstInvites(uac.messages())) {
      const at = far.arrivals.get(callId);
      if (at !== undefined) hop.push(at - inv.atMs);
    }
    return hop;
  } finally {
    await far.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
