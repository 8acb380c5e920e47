// Shared by the call-control integration tests: sipp far ends on Kamailio's default gateway
// (started and known to be listening before the agent dials) and trace helpers.
import { createSocket } from 'node:dgram';
import { expect } from 'vitest';
import type { KamailioHandle } from '../../infra/kamailio';
import { waitUntil } from '../../infra/process';
import { runSipp, type SippRun, type SippScenarioName } from '../../infra/sipp';

/** True when something is bound to this loopback UDP port. */
export function udpPortBusy(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = createSocket('udp4');
    sock.once('error', () => resolve(true));
    sock.bind({ address: '127.0.0.1', port, exclusive: true }, () =>
      sock.close(() => resolve(false)),
    );
  });
}

/** A sipp UAS on the gateway port, resolved once it listens there. */
export async function startFarEnd(
  k: KamailioHandle,
  /** One of ours by name, or a path (e.g. from rejectScenario()). */
  scenario: SippScenarioName | (string & {}),
  opts: {
    keys?: Record<string, string>;
    pauseMs?: number;
    timeoutSec?: number;
    rtpEcho?: boolean;
    /** Calls to take before sipp exits (default 1): more keeps it listening after the first. */
    calls?: number;
  } = {},
): Promise<SippRun> {
  await waitUntil(async () => !(await udpPortBusy(k.gatewayPort)), {
    timeoutMs: 5000,
    intervalMs: 50,
    what: 'the gateway port to be free',
  });
  const run = runSipp({
    scenario,
    target: `127.0.0.1:${k.udpPort}`,
    localPort: k.gatewayPort,
    trace: true,
    timeoutSec: opts.timeoutSec ?? 15,
    keys: opts.keys,
    pauseMs: opts.pauseMs,
    rtpEcho: opts.rtpEcho,
    calls: opts.calls,
  });
  await waitUntil(() => udpPortBusy(k.gatewayPort), {
    timeoutMs: 5000,
    intervalMs: 20,
    what: 'sipp to listen on the gateway port',
  });
  return run;
}

export async function expectSippOk(run: SippRun): Promise<void> {
  const res = await run.done;
  expect(
    res.code,
    `sipp failed:\n${run.errors()}\n${res.stderr}\n${run.messages().slice(-4000)}`,
  ).toBe(0);
}

/** The SIP messages of a sipp trace, each with whether sipp sent or received it. */
export function traceMessages(trace: string): { dir: 'sent' | 'received'; text: string }[] {
  const out: { dir: 'sent' | 'received'; text: string }[] = [];
  const re =
    /-{5,} [^\n]*\n(UDP|TCP) message (sent|received)[^\n]*:\n\n([\s\S]*?)(?=\n-{5,} |\s*$)/g;
  for (const m of trace.matchAll(re)) {
    out.push({ dir: m[2] as 'sent' | 'received', text: m[3] ?? '' });
  }
  return out;
}

/** Requests of `method` sipp received (start lines 'INVITE sip:…'). */
export function received(trace: string, method: string): string[] {
  return traceMessages(trace)
    .filter((m) => m.dir === 'received' && m.text.startsWith(`${method} `))
    .map((m) => m.text);
}

/** The a=sendrecv/sendonly/recvonly/inactive line of an SDP body. */
export function direction(msg: string): string | null {
  return /^a=(sendrecv|sendonly|recvonly|inactive)\s*$/m.exec(msg)?.[1] ?? null;
}
