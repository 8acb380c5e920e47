// Foreign input the phone must shrug off. The UA sits behind Kamailio over WebSocket, so
// raw garbage can only reach Kamailio; odd-but-parseable INVITEs (malformed or 10 KB
// display names, control and bidi characters) are relayed to the UA. Through all of it the
// UA stays registered, pops sanitized caller data, and still takes the next normal call.
import { createSocket } from 'node:dgram';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sipOptionsPing, startKamailio, type KamailioHandle } from '../../infra/kamailio';
import { assertPeers, shouldSkip } from '../../infra/peers';
import { startPhoneHarness, type PhoneHarness } from '../../infra/phone-harness';
import { delay } from '../../infra/process';
import {
  callerKeys,
  runSipp,
  type CallerIdentity,
  type SippRun,
  type SippScenarioName,
} from '../../infra/sipp';

function sendUdp(port: number, payloads: Buffer[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const sock = createSocket('udp4');
    sock.once('error', reject);
    let left = payloads.length;
    for (const p of payloads) {
      sock.send(p, port, '127.0.0.1', () => {
        if (--left === 0) sock.close(() => resolve());
      });
    }
  });
}

describe.skipIf(shouldSkip('kamailio', 'sipp'))('hostile SIP input (real Kamailio + sipp)', () => {
  let k: KamailioHandle;
  let h: PhoneHarness;
  const runs: SippRun[] = [];

  const call = (
    scenario: SippScenarioName,
    caller: CallerIdentity,
    opts: { timeoutSec?: number; calls?: number; rate?: number; pauseMs?: number } = {},
  ): SippRun => {
    const run = runSipp({
      scenario,
      target: `127.0.0.1:${k.udpPort}`,
      service: '1001',
      keys: callerKeys(caller),
      trace: true,
      timeoutSec: opts.timeoutSec ?? 8,
      pauseMs: opts.pauseMs ?? 200,
      calls: opts.calls,
      rate: opts.rate,
    });
    runs.push(run);
    return run;
  };
  const nextRinging = (timeoutMs = 5000) =>
    h.waitForCall((c) => c.state === 'ringing', timeoutMs, h.callEvents.length);
  const stillHealthy = async () => {
    expect(h.phone.status().registration).toBe('registered');
    expect(await sipOptionsPing(k.udpPort)).toBe(true);
  };

  beforeAll(async () => {
    assertPeers('kamailio', 'sipp');
    k = await startKamailio({ auth: true });
    h = startPhoneHarness({ server: k.wsUrl, user: '1001' });
    await h.phone.start();
    await h.waitForStatus((s) => s.registration === 'registered');
  });
  afterEach(async () => {
    await Promise.all(runs.splice(0).map((r) => r.stop()));
  });
  afterAll(async () => {
    await h?.stop();
    await k?.stop();
  });

  it('raw garbage datagrams at the proxy change nothing', async () => {
    await sendUdp(k.udpPort, [
      Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x0d, 0x0a]),
      Buffer.from('INVITE sip:1001@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:9\r\n\r\n'),
      Buffer.from('SIP/2.0 200 OK\r\n\r\n'),
      Buffer.from(`INVITE sip:1001@x SIP/2.0\r\nFrom: ${'\u0007'.repeat(2000)}\r\n\r\n`),
      Buffer.alloc(60_000, 0x41),
    ]);
    await delay(200);
    await stillHealthy();
    expect(h.phone.calls()).toHaveLength(0);
  });

  it.each([
    ['an unterminated quoted display name', { rawDisplay: '"unterminated ' }],
    ['a control character in the display name', { display: 'bell\u0007name' }],
    ['a display name with a raw CR', { rawDisplay: '"cr\rname" ' }],
  ])('a From with %s does not hurt the UA', async (_what, caller: CallerIdentity) => {
    const from = h.callEvents.length;
    const sipp = call('uac_rejected', { user: '0312345678', ...caller }, { timeoutSec: 2 });
    await sipp.done;
    // Kamailio may refuse it, or relay it: if it rang, the pop is sanitized and printable.
    for (const c of h.callEvents.slice(from)) {
      expect([...c.remote.raw].some((ch) => ch.charCodeAt(0) < 0x20)).toBe(false);
      if (c.state === 'ringing') await h.phone.reject(c.id).catch(() => {});
    }
    await stillHealthy();
  });

  it('a 15 KB display name with bidi overrides and zero-width characters pops sanitized', async () => {
    // (C0 control characters never get this far: Kamailio drops such an INVITE — see above.)
    const name = `\u202E\u200B${'山田'.repeat(2500)}\u2066\t evil`;
    const ringingP = nextRinging();
    const sipp = call('uac_rejected', { display: name, user: '+819012345678' });
    const ringing = await ringingP;
    const dn = ringing.remote.displayName ?? '';
    expect(Array.from(dn)).toHaveLength(64);
    expect(dn).toMatch(/^(山田)+$/);
    expect(ringing.remote.e164).toBe('+819012345678');
    await h.phone.reject(ringing.id);
    const res = await sipp.done;
    expect(res.code, sipp.errors()).toBe(0);
    await stillHealthy();
  });

  it('a 1000-digit user part is not a number, and nothing breaks', async () => {
    const from = h.callEvents.length;
    const sipp = call('uac_rejected', { user: '9'.repeat(1000) }, { timeoutSec: 4 });
    const ringing = await h.waitForCall((c) => c.state === 'ringing', 3000, from).catch(() => null); // Kamailio may refuse an over-long URI
    if (ringing) {
      expect(ringing.remote.e164).toBeNull();
      expect(ringing.remote.raw.length).toBeLessThanOrEqual(64);
      await h.phone.reject(ringing.id);
    }
    await sipp.done;
    await stillHealthy();
  });

  it('five callers at once: five distinct ringing calls, each ends once as missed', async () => {
    const from = h.callEvents.length;
    const sipp = call('uac_cancel', { user: '0312345678' }, { calls: 5, rate: 50, pauseMs: 400 });
    const res = await sipp.done;
    expect(res.code, sipp.errors()).toBe(0);
    await delay(100);
    const events = h.callEvents.slice(from);
    const ringing = events.filter((c) => c.state === 'ringing');
    const ended = events.filter((c) => c.state === 'ended');
    expect(new Set(ringing.map((c) => c.id)).size).toBe(5);
    expect(ended.map((c) => c.outcome)).toEqual(Array(5).fill('missed'));
    expect(new Set(ended.map((c) => c.id))).toEqual(new Set(ringing.map((c) => c.id)));
    expect(h.phone.calls()).toHaveLength(0);
  });

  it('after all that, a normal call still rings and is answered', async () => {
    const ringingP = nextRinging();
    const sipp = call('uac_call', { user: '0312345678', display: '通常の客' });
    const ringing = await ringingP;
    expect(ringing.remote).toMatchObject({ e164: '+81312345678', displayName: '通常の客' });
    await h.phone.answer(ringing.id);
    const ended = await h.waitForCall((c) => c.id === ringing.id && c.state === 'ended');
    expect(ended.outcome).toBe('answered');
    expect((await sipp.done).code).toBe(0);
    await stillHealthy();
  });
});
