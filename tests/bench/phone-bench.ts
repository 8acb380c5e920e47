// Softphone benchmarks (issue 3), printed as BENCH lines, each with a baseline measured in the
// same run:
//
//   answer_to_200ok_ms          PhoneService.answer() called → the caller (sipp) receives the
//                               200 OK, through the real Kamailio over WebSocket, with the fake
//                               renderer (static SDP: this measures the softphone, not WebRTC).
//                               Baseline: a plain sipp UAS behind the same Kamailio, from the
//                               instant its INVITE arrives (its "decision to answer", it answers
//                               at once) to the caller receiving its 200 — the same
//                               "decision → 200 at the caller" span through the same proxy,
//                               with no softphone in it. The ratio is the softphone's overhead.
//   reregister_after_restart_ms Kamailio and its workers SIGKILLed (by PID) and restarted on the
//                               same ports → status 'registered', production backoff (1 s
//                               initial; reconnects: 4 tries at that step, then ×1.5; 30 s cap).
//                               Baseline: the initial registration (start → 'registered', 401
//                               challenge included) in the same run.
//
// Knobs: BENCH_ANSWER_CALLS (default 120), BENCH_RESTART_ROUNDS (default 6).
// Direct entry: `npx tsx tests/bench/phone-bench.ts`.
import { fileURLToPath } from 'node:url';
import { startKamailio, type KamailioHandle } from '../infra/kamailio';
import { assertPeers } from '../infra/peers';
import { startPhoneHarness, type PhoneHarness } from '../infra/phone-harness';
import { freePort } from '../infra/ports';
import { delay } from '../infra/process';
import { callerKeys, runSipp } from '../infra/sipp';
import { crashKamailio, restartKamailio } from '../infra/kamailio-crash';
import { parseSippTrace, type TracedMessage } from './sipp-trace';
import { benchLine, percentile, printBench } from './stats';

const ANSWER_CALLS = Number(process.env.BENCH_ANSWER_CALLS ?? 120);
const RESTART_ROUNDS = Number(process.env.BENCH_RESTART_ROUNDS ?? 6);
const PRODUCTION_BACKOFF = { initialMs: 1000, maxMs: 30_000 };
const RATE = 4; // calls per second: one at a time, never overlapping
const TALK_MS = 150;

const note = (s: string) => process.stderr.write(`bench: ${s}\n`);
const wallNow = () => performance.timeOrigin + performance.now();
const p50 = (xs: number[]) =>
  Math.round(
    percentile(
      [...xs].sort((a, b) => a - b),
      50,
    ) * 100,
  ) / 100;

/** Per Call-ID, the first message matching pred (retransmissions ignored). */
function firstBy(trace: string, pred: (m: TracedMessage) => boolean): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of parseSippTrace(trace))
    if (pred(m) && !out.has(m.callId)) out.set(m.callId, m.atMs);
  return out;
}
const is200 = (m: TracedMessage) =>
  m.direction === 'received' && m.firstLine.startsWith('SIP/2.0 200');

async function measureAnswer(kam: KamailioHandle): Promise<{ phone: number[]; missed: number }> {
  const answeredAt = new Map<string, number>(); // SIP Call-ID → answer() called (wall ms)
  const sipCallIdOf = new Map<string, string>();
  const h = startPhoneHarness({
    server: kam.wsUrl,
    user: '1001',
    onInviteReceived: (callId, sipCallId) => sipCallIdOf.set(callId, sipCallId),
  });
  try {
    await h.phone.start();
    await h.waitForStatus((s) => s.registration === 'registered', 10_000);
    h.phone.on('call', (c) => {
      if (c.state !== 'ringing') return;
      // An agent's click comes a moment after the pop, not inside the ringing emit.
      setTimeout(() => {
        const sipCallId = sipCallIdOf.get(c.id);
        if (sipCallId) answeredAt.set(sipCallId, wallNow());
        h.phone.answer(c.id).catch((err: unknown) => note(`answer failed: ${String(err)}`));
      }, 30);
    });
    const uac = runSipp({
      scenario: 'uac_call',
      target: `127.0.0.1:${kam.udpPort}`,
      service: '1001',
      keys: callerKeys({ user: '0312345678' }),
      calls: ANSWER_CALLS,
      rate: RATE,
      pauseMs: TALK_MS,
      timeoutSec: Math.ceil(ANSWER_CALLS / RATE) + 60,
      localPort: await freePort('udp'),
      trace: true,
    });
    const res = await uac.done;
    if (res.code !== 0)
      note(`answer phase: sipp exited ${res.code}: ${uac.errors().slice(0, 1200)}`);
    const ok = firstBy(uac.messages(), is200);
    const phone: number[] = [];
    for (const [sipCallId, at] of answeredAt) {
      const got = ok.get(sipCallId);
      if (got !== undefined) phone.push(got - at);
    }
    await uac.stop();
    return { phone, missed: ANSWER_CALLS - phone.length };
  } finally {
    await h.stop();
  }
}

async function measureAnswerBaseline(kam: KamailioHandle): Promise<number[]> {
  const uas = runSipp({
    scenario: 'uas_rr',
    target: `127.0.0.1:${kam.udpPort}`,
    localPort: kam.gatewayPort,
    calls: ANSWER_CALLS,
    timeoutSec: Math.ceil(ANSWER_CALLS / RATE) + 60,
    trace: true,
  });
  await delay(300);
  const uac = runSipp({
    scenario: 'uac_call',
    target: `127.0.0.1:${kam.udpPort}`,
    service: '9999', // not registered: Kamailio routes it to the gateway (the sipp UAS)
    keys: callerKeys({ user: '0312345678' }),
    calls: ANSWER_CALLS,
    rate: RATE,
    pauseMs: TALK_MS,
    timeoutSec: Math.ceil(ANSWER_CALLS / RATE) + 60,
    localPort: await freePort('udp'),
    trace: true,
  });
  const res = await uac.done;
  if (res.code !== 0) note(`baseline phase: sipp exited ${res.code}`);
  await uas.done;
  // The proxy forwards the caller's Call-ID unchanged, so both traces key by it.
  const arrived = firstBy(
    uas.messages(),
    (m) => m.direction === 'received' && m.firstLine.startsWith('INVITE '),
  );
  const ok = firstBy(uac.messages(), is200);
  const out: number[] = [];
  for (const [callId, at] of arrived) {
    const got = ok.get(callId);
    if (got !== undefined) out.push(got - at);
  }
  await uac.stop();
  await uas.stop();
  return out;
}

async function measureRestarts(): Promise<{
  rereg: number[];
  initial: number[];
  serverUp: number[];
  upToReg: number[];
}> {
  let kam: KamailioHandle | null = await startKamailio({ auth: true });
  const harnesses: PhoneHarness[] = [];
  try {
    // Baseline: fresh registrations (start → registered), as many as restart rounds.
    const initial: number[] = [];
    for (let i = 0; i < RESTART_ROUNDS; i++) {
      const h = startPhoneHarness({ server: kam.wsUrl, user: '1002', backoff: PRODUCTION_BACKOFF });
      const t0 = performance.now();
      await h.phone.start();
      await h.waitForStatus((s) => s.registration === 'registered', 10_000);
      initial.push(performance.now() - t0);
      await h.stop();
    }
    const h = startPhoneHarness({ server: kam.wsUrl, user: '1003', backoff: PRODUCTION_BACKOFF });
    harnesses.push(h);
    await h.phone.start();
    await h.waitForStatus((s) => s.registration === 'registered', 10_000);
    const rereg: number[] = [];
    const serverUp: number[] = [];
    const upToReg: number[] = [];
    for (let round = 0; round < RESTART_ROUNDS; round++) {
      const from = h.statuses.length;
      let registeredAt = 0;
      const registered = h
        .waitForStatus((s) => s.registration === 'registered', 30_000, from)
        .then(() => (registeredAt = performance.now()));
      const old: KamailioHandle = kam;
      kam = null;
      const killedAt = await crashKamailio(old);
      await h.waitForStatus((s) => s.registration !== 'registered', 5000, from);
      kam = await restartKamailio(old);
      const upAt = performance.now();
      await registered;
      rereg.push(registeredAt - killedAt);
      serverUp.push(upAt - killedAt);
      upToReg.push(registeredAt - upAt);
      note(
        `restart round ${round + 1}: kill → registered ${Math.round(registeredAt - killedAt)} ms ` +
          `(server back after ${Math.round(upAt - killedAt)} ms)`,
      );
      await delay(300 + Math.random() * 700); // do not kill at a fixed phase of the backoff
    }
    return { rereg, initial, serverUp, upToReg };
  } finally {
    for (const h of harnesses) await h.stop();
    await kam?.stop();
  }
}

export async function runPhoneBenches(): Promise<void> {
  assertPeers('kamailio', 'sipp');
  const kam = await startKamailio({ auth: true });
  try {
    const { phone, missed } = await measureAnswer(kam);
    note(`answer: ${phone.length}/${ANSWER_CALLS} calls measured`);
    const base = await measureAnswerBaseline(kam);
    note(`answer baseline (sipp UAS): ${base.length}/${ANSWER_CALLS} calls measured`);
    printBench(
      benchLine('answer_to_200ok_ms', phone, base, {
        goalP95: 50,
        missed,
        baselineWhat: 'sipp UAS behind the same Kamailio: INVITE arrived → 200 at the caller',
      }),
    );
  } finally {
    await kam.stop();
  }
  const r = await measureRestarts();
  printBench(
    benchLine('reregister_after_restart_ms', r.rereg, r.initial, {
      rounds: r.rereg.length,
      goalMax: 5000,
      max: Math.round(Math.max(...r.rereg)),
      killToServerUpP50: p50(r.serverUp),
      serverUpToRegisteredP50: p50(r.upToReg),
      baselineWhat: 'initial registration (start → registered) in the same run',
      backoff: 'reconnect: 4 tries at 0.5–1 s, then ×1.5 (equal jitter), 30 s cap',
    }),
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  runPhoneBenches().then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`phone bench failed: ${(err as Error).stack ?? String(err)}\n`);
      process.exit(1);
    },
  );
}
