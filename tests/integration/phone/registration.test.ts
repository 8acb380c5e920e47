// Registration against a real Kamailio with digest auth: success, a wrong password, and the
// server going away and coming back on the same address.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { assertPeers, shouldSkip } from '../../infra/peers';
import { startKamailio, type KamailioHandle } from '../../infra/kamailio';
import { startPhoneHarness, type PhoneHarness } from '../../infra/phone-harness';
import { delay } from '../../infra/process';

/** REGISTERs Kamailio has seen for a user (its cfg logs `REQ <method> <ruri> to=<user> …`). */
const registerCount = (k: KamailioHandle, user: string) =>
  k
    .logs()
    .split('\n')
    .filter((l) => l.includes('REQ REGISTER') && l.includes(` to=${user} `)).length;

describe.skipIf(shouldSkip('kamailio'))('phone registration (real Kamailio)', () => {
  let k: KamailioHandle;
  const harnesses: PhoneHarness[] = [];
  const harness = (o: Parameters<typeof startPhoneHarness>[0]) => {
    const h = startPhoneHarness(o);
    harnesses.push(h);
    return h;
  };

  beforeAll(async () => {
    assertPeers('kamailio');
    k = await startKamailio({ auth: true });
  });
  afterEach(async () => {
    await Promise.all(harnesses.splice(0).map((h) => h.stop()));
  });
  afterAll(async () => {
    await k?.stop();
  });

  it('registers with digest auth: connecting → registered', async () => {
    const h = harness({ server: k.wsUrl, user: '1001' });
    await h.phone.start();
    await h.waitForStatus((s) => s.registration === 'registered');
    expect(h.statuses.map((s) => s.registration)).toEqual(['connecting', 'registered']);
    expect(h.phone.status()).toMatchObject({
      registration: 'registered',
      aor: 'sip:1001@127.0.0.1',
      error: null,
    });
    // Kamailio challenged (401) and accepted the digest: two REGISTERs (its log arrives
    // through a pipe, possibly after the 200 did).
    await vi.waitFor(() => expect(registerCount(k, '1001')).toBe(2));
  });

  it('a wrong password → failed/auth_failed, and it stops trying', async () => {
    const before = registerCount(k, '1002');
    const h = harness({ server: k.wsUrl, user: '1002', password: 'wrong' });
    await h.phone.start();
    const failed = await h.waitForStatus((s) => s.registration === 'failed');
    expect(failed.error?.code).toBe('auth_failed');
    expect(failed.error?.message).toMatch(/user name or password/);
    // Backoff here is 200 ms: a retry loop would show up within a second.
    await delay(1200);
    expect(h.phone.status().registration).toBe('failed');
    expect(h.statuses.filter((s) => s.registration === 'registered')).toHaveLength(0);
    // Challenge + one answered attempt: exactly two REGISTERs, no more.
    expect(registerCount(k, '1002') - before).toBe(2);
  });

  it('an unknown user is refused the same way (no account enumeration by status)', async () => {
    const h = harness({ server: k.wsUrl, user: '4242', password: 'pw4242' });
    await h.phone.start();
    const failed = await h.waitForStatus((s) => s.registration === 'failed');
    expect(failed.error?.code).toBe('auth_failed');
  });

  it('an unreachable server → unregistered/transport_error, retrying', async () => {
    const h = harness({ server: 'ws://127.0.0.1:1', user: '1001', connectTimeoutSec: 1 });
    await h.phone.start();
    const s = await h.waitForStatus((x) => x.registration === 'unregistered' && x.error !== null);
    expect(s.error?.code).toBe('transport_error');
    // ...and it tries again (connecting) on its own.
    await h.waitForStatus((x) => x.registration === 'connecting', 3000, h.statuses.indexOf(s) + 1);
  });

  it('invalid config → failed/config_invalid without touching the network', async () => {
    const h = harness({ server: 'http://nope', user: '1001' });
    await h.phone.start();
    expect(h.phone.status()).toMatchObject({
      registration: 'failed',
      error: { code: 'config_invalid' },
    });
  });
});

describe.skipIf(shouldSkip('kamailio'))('phone reconnect (Kamailio restarts)', () => {
  let k: KamailioHandle | null = null;
  let h: PhoneHarness | null = null;

  beforeAll(() => assertPeers('kamailio'));
  afterAll(async () => {
    await h?.stop();
    await k?.stop();
  });

  it('transport lost → unregistered (never registered while down) → reconnects → registered', async () => {
    k = await startKamailio({ auth: true });
    const { wsPort, udpPort } = k;
    h = startPhoneHarness({ server: k.wsUrl, user: '1003' });
    await h.phone.start();
    await h.waitForStatus((s) => s.registration === 'registered');

    await k.stop();
    k = null;
    const down = await h.waitForStatus((s) => s.registration === 'unregistered', 5000);
    expect(down.error?.code).toBe('transport_error');
    const downAt = h.statuses.indexOf(down);

    // While the server is gone: retries happen, and the status never claims 'registered'.
    await delay(800);
    expect(h.statuses.slice(downAt).map((s) => s.registration)).not.toContain('registered');
    expect(h.phone.status().registration).not.toBe('registered');

    k = await startKamailio({ auth: true, wsPort, udpPort });
    await h.waitForStatus((s) => s.registration === 'registered', 8000, downAt);
    expect(h.phone.status().error).toBeNull();
  });
});

/**
 * A scripted registrar over WebSocket (no Kamailio): answers each REGISTER per `plan`
 * (a status code, or 'silent' to never answer), then 200 for the rest; OPTIONS get 200.
 */
async function startScriptedRegistrar(plan: (number | 'silent')[]) {
  const { WebSocketServer } = await import('ws');
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const registers: number[] = []; // performance.now() of each REGISTER
  wss.on('connection', (sock) => {
    sock.on('message', (data: Buffer) => {
      const msg = data.toString('utf8');
      const [first, ...lines] = msg.split('\r\n');
      const method = first?.split(' ')[0];
      const hdr = (n: string) =>
        lines.filter((l) => l.toLowerCase().startsWith(n.toLowerCase() + ':'));
      if (method !== 'REGISTER' && method !== 'OPTIONS') return;
      let code: number | 'silent' = 200;
      if (method === 'REGISTER') {
        registers.push(performance.now());
        code = plan.shift() ?? 200;
      }
      if (code === 'silent') return;
      const reason = code === 200 ? 'OK' : code === 503 ? 'Service Unavailable' : 'Error';
      const to = hdr('To')[0] ?? 'To: <sip:x@x>';
      const contact = hdr('Contact')[0];
      sock.send(
        [
          `SIP/2.0 ${code} ${reason}`,
          ...hdr('Via'),
          ...hdr('From'),
          `${to};tag=reg${registers.length}`,
          ...hdr('Call-ID'),
          ...hdr('CSeq'),
          ...(code === 200 && method === 'REGISTER' && contact ? [`${contact};expires=60`] : []),
          'Content-Length: 0',
          '',
          '',
        ].join('\r\n'),
      );
    });
  });
  const port = (wss.address() as { port: number }).port;
  return {
    url: `ws://127.0.0.1:${port}`,
    registers,
    close: () =>
      new Promise<void>((r) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => r());
      }),
  };
}

describe('registration against a scripted registrar (5xx, silence)', () => {
  let reg: Awaited<ReturnType<typeof startScriptedRegistrar>> | null = null;
  let h: PhoneHarness | null = null;
  afterEach(async () => {
    await h?.stop();
    await reg?.close();
    h = null;
    reg = null;
  });

  it('a transient 503 is retried with growing, jittered delays; never registered before the 200', async () => {
    reg = await startScriptedRegistrar([503, 503, 500]);
    h = startPhoneHarness({ server: reg.url, user: '1001' }); // backoff 200 ms ×1.5, cap 1 s
    await h.phone.start();
    await h.waitForStatus((s) => s.registration === 'registered', 5000);
    expect(reg.registers).toHaveLength(4);
    const states = h.statuses.map((s) => `${s.registration}/${s.error?.code ?? '-'}`);
    expect(states).toEqual([
      'connecting/-',
      'unregistered/transport_error', // 503
      'connecting/transport_error',
      'unregistered/transport_error', // 503
      'connecting/transport_error',
      'unregistered/registration_rejected', // 500
      'connecting/registration_rejected',
      'registered/-',
    ]);
    const gaps = reg.registers.slice(1).map((t, i) => t - reg!.registers[i]!);
    // attempt n waits within [step/2, step], step = 200 × 1.5^n
    expect(gaps[0]).toBeGreaterThanOrEqual(100 - 5);
    expect(gaps[1]).toBeGreaterThanOrEqual(150 - 5);
    expect(gaps[2]).toBeGreaterThanOrEqual(225 - 5);
    for (const g of gaps) expect(g).toBeLessThan(400 + 100);
  });

  it('an unanswered REGISTER: connecting (not registered), then timeout → reconnect → registered', async () => {
    reg = await startScriptedRegistrar(['silent']);
    h = startPhoneHarness({ server: reg.url, user: '1001' });
    const t0 = performance.now();
    await h.phone.start();
    // The watchdog (registration.ts, 10 s) gives up on it before SIP.js's 32 s timer.
    const lost = await h.waitForStatus((s) => s.registration === 'unregistered', 12_000);
    const waited = performance.now() - t0;
    expect(lost.error?.code).toBe('timeout');
    expect(waited).toBeGreaterThan(9_500);
    expect(h.statuses.slice(0, h.statuses.indexOf(lost)).map((s) => s.registration)).toEqual([
      'connecting',
    ]);
    await h.waitForStatus((s) => s.registration === 'registered', 5000);
    expect(reg.registers.length).toBeGreaterThanOrEqual(2);
  }, 30_000);
});
