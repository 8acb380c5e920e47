// Foreign input the phone must shrug off. The UA sits behind Kamailio over WebSocket, so
// raw garbage can only reach Kamailio; odd-but-parseable INVITEs (malformed or 10 KB
// display names, control and bidi characters) are relayed to the UA. Through all of it the
// UA stays registered, pops sanitized caller data, and still takes the next normal call.
import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sipOptionsPing, startKamailio, type KamailioHandle } from '../../infra/kamailio';
import { assertPeers, shouldSkip } from '../../infra/peers';
import { staticRtpSdp } from '../../infra/fake-renderer';
import { startPhoneHarness, type PhoneHarness } from '../../infra/phone-harness';
import { freePort } from '../../infra/ports';
import { delay } from '../../infra/process';
import {
  callerKeys,
  runSipp,
  sippScenarioDir,
  type CallerIdentity,
  type SippRun,
  type SippScenarioName,
} from '../../infra/sipp';

/** The final status (≥ 200) sipp received for its `method` request, or null (none came). */
function finalTo(run: SippRun, method: string): number | null {
  for (const block of run.messages().split(/\n-{10,}/)) {
    if (!/message received/.test(block.split('\n').slice(0, 3).join(' '))) continue;
    const m = /^SIP\/2\.0 ([2-6]\d\d)/m.exec(block);
    if (m && new RegExp(`^CSeq:\\s*\\d+ ${method}\\s*$`, 'mi').test(block)) return Number(m[1]);
  }
  return null;
}

type BadKey =
  'method' | 'from_line' | 'to_line' | 'cseq_line' | 'extra_line' | 'ctype_line' | 'body';

/** Keys for bad_invite.xml / bad_request.xml: a valid request unless overridden. */
function badKeys(over: Partial<Record<BadKey, string>> = {}): Record<BadKey, string> {
  const id = Math.random().toString(36).slice(2, 10);
  const method = over.method ?? 'INVITE';
  return {
    method,
    from_line: `From: <sip:0312345678@127.0.0.1>;tag=bad-${id}`,
    to_line: 'To: <sip:1001@127.0.0.1>',
    cseq_line: `CSeq: 1 ${method}`,
    extra_line: 'X-Bad: 1',
    ctype_line: method === 'INVITE' ? 'Content-Type: application/sdp' : 'X-No-Body: 1',
    body: method === 'INVITE' ? staticRtpSdp({ port: 41000 }) : '',
    ...over,
  };
}

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
    if (seen.length) console.log(`[hostile] what the caller got back:\n${seen.join('\n')}`);
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

  // Malformed SIP and SDP from sipp (bad_invite.xml / bad_request.xml). For each: what the
  // caller gets back (asserted), the UA stays registered, nothing is left ringing. When an
  // INVITE does ring, the test acts as the agent: SDP cases are answered with the renderer
  // refusing the offer, as Chromium's setRemoteDescription does for such SDP; others are
  // declined. The table of codes is printed at the end.
  const seen: string[] = [];
  // sipp refuses a keyword as the method, and maps answers to its calls by its own Call-ID
  // (so that line stays [call_id] in the XML): the variants are written out per case.
  let scenarioDir: string | null = null;
  const scenarioFile = (base: string, method: string, noCallId: boolean): string => {
    scenarioDir ??= mkdtempSync(join(tmpdir(), 'bad-sipp-'));
    const file = join(scenarioDir, `${base}_${method}${noCallId ? '_nocallid' : ''}.xml`);
    let xml = readFileSync(join(sippScenarioDir, `${base}.xml`), 'utf8').replaceAll(
      '[method]',
      method,
    );
    if (noCallId) xml = xml.replaceAll('Call-ID: [call_id]', 'X-No-Call-ID: 1');
    writeFileSync(file, xml);
    return file;
  };
  const bad = async (
    what: string,
    scenario: 'bad_invite' | 'bad_request',
    keys: Record<BadKey, string>,
    opts: {
      tcp?: boolean;
      sdpCase?: boolean;
      noCallId?: boolean;
      sippMayFail?: boolean;
      ringWaitMs?: number;
    } = {},
  ): Promise<{ code: number | null; rang: boolean; ended: string | null; leftover: string[] }> => {
    const from = h.callEvents.length;
    const asked = () => h.renderer.requests.filter((r) => r.method === 'setDescription').length;
    let armedAt: number | null = null;
    const run = runSipp({
      scenario: scenarioFile(scenario, keys.method, opts.noCallId === true),
      target: `127.0.0.1:${opts.tcp ? k.wsPort : k.udpPort}`,
      service: '1001',
      keys,
      trace: true,
      // No answer at all (a proxy dropping what it cannot parse) ends sipp here, non-zero.
      timeoutSec: 5,
      localPort: await freePort(opts.tcp ? 'tcp' : 'udp'),
      extraArgs: opts.tcp ? ['-t', 't1'] : [],
    });
    runs.push(run);
    const ringing = await h
      .waitForCall((c) => c.state === 'ringing', opts.ringWaitMs ?? 2500, from)
      .catch(() => null);
    if (ringing) {
      if (opts.sdpCase) {
        armedAt = asked();
        h.renderer.failNext('setDescription', new Error('Failed to set remote offer sdp'));
        await h.phone.answer(ringing.id).catch(() => {});
      } else {
        await h.phone.reject(ringing.id).catch(() => {});
      }
    }
    const res = await run.done;
    const code = finalTo(run, keys.method);
    const endedCall = ringing
      ? await h
          .waitForCall((c) => c.id === ringing.id && c.state === 'ended', 3000, from)
          .catch(() => null)
      : null;
    const ended = endedCall ? `${endedCall.outcome}: ${endedCall.endReason}` : null;
    seen.push(
      `  ${what.padEnd(44)} → ${code ?? 'no answer'}${ringing ? ` (rang; ${ended ?? 'not ended!'})` : ''}`,
    );
    if (code !== null && !opts.sippMayFail)
      expect(res.code, `${res.stdout.slice(-800)}\n${run.errors().slice(0, 1500)}`).toBe(0);
    // Anything still ringing or up is a finding (asserted by each case): clear it so the
    // next case starts clean.
    const leftover = h.phone.calls().map((c) => c.state);
    // The renderer was never asked for the offer: use up the armed failure here.
    if (armedAt !== null && asked() === armedAt)
      await h.renderer.sender('setDescription', { callId: 'unused', sdp: '' }).catch(() => {});
    for (const c of h.phone.calls()) await h.phone.hangup(c.id).catch(() => {});
    if (leftover.length)
      seen[seen.length - 1] += ` — LEFT ${leftover.join(',')}, hung up by the test`;
    await stillHealthy();
    return { code, rang: ringing !== null, ended, leftover };
  };

  it('an INVITE without Call-ID is refused or dropped before any pop', async () => {
    const r = await bad('INVITE, no Call-ID', 'bad_invite', badKeys(), { noCallId: true });
    expect(r.rang).toBe(false);
    expect([null, 400]).toContain(r.code);
  });

  it('an INVITE without CSeq is refused or dropped before any pop', async () => {
    const r = await bad('INVITE, no CSeq', 'bad_invite', badKeys({ cseq_line: 'X-No-CSeq: 1' }));
    expect(r.rang).toBe(false);
    expect([null, 400]).toContain(r.code);
  });

  it('an INVITE whose From has no tag is taken as an RFC 2543 caller (rings; declined → 486)', async () => {
    // RFC 3261 12.1.1/8.2: a UAS must accept a request without a From tag (older peers).
    const r = await bad(
      'INVITE, From without tag',
      'bad_invite',
      badKeys({ from_line: 'From: <sip:0312345678@127.0.0.1>' }),
    );
    expect(r.rang).toBe(true);
    expect(r.code).toBe(486);
  });

  it.each([
    ['garbage SDP body', 'this is not SDP at all\r\n\u0001\u0002'],
    [
      'SDP without any m= line',
      'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n',
    ],
    [
      'SDP offering video only',
      'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=video 41000 RTP/AVP 96\r\na=rtpmap:96 VP8/90000\r\n',
    ],
  ])('an INVITE with %s never gets a 200', async (what, body) => {
    const r = await bad(`INVITE, ${what}`, 'bad_invite', badKeys({ body }), { sdpCase: true });
    // refused before any pop: the agent never sees a call that cannot be answered
    expect(r.code).toBe(488);
    expect(r.rang).toBe(false);
  });

  it('an INVITE with a non-SDP body type: a final answer, nothing stuck', async () => {
    // 415 Unsupported Media Type before any pop (RFC 3261 21.4.13).
    const r = await bad(
      'INVITE, Content-Type text/plain',
      'bad_invite',
      badKeys({ ctype_line: 'Content-Type: text/plain', body: 'hello' }),
      { sdpCase: true },
    );
    expect(r.code).toBe(415);
    expect(r.rang).toBe(false);
    expect(r.leftover).toEqual([]);
  });

  it('an INVITE with a 100 KB SDP (over TCP) never gets a 200', async () => {
    const filler = Array.from({ length: 1400 }, (_, i) => `a=x-filler-${i}:${'z'.repeat(60)}`);
    const body = staticRtpSdp({ port: 41000 }) + filler.join('\r\n') + '\r\n';
    expect(body.length).toBeGreaterThan(100_000);
    const r = await bad('INVITE, 100 KB SDP (TCP)', 'bad_invite', badKeys({ body }), {
      tcp: true,
      sdpCase: true,
      ringWaitMs: 6000,
    });
    // Kamailio relays it to the WebSocket with the body dropped (Content-Length: 0, still
    // Content-Type: application/sdp); the phone refuses that with 400 before any pop. What
    // reaches sipp on its TCP leg after a 100 KB request is the relay's business (seen: no
    // final answer, as before, when the phone still answered 200): the phone never rings,
    // stays registered, and the next call works (below).
    expect(h.phone.status().registration).toBe('registered');
    expect(r.rang).toBe(false);
    expect(r.leftover).toEqual([]);
  });

  it('an INVITE with a 20 KB header is refused or rings normally (and is declined)', async () => {
    const r = await bad(
      'INVITE, 20 KB X- header',
      'bad_invite',
      badKeys({ extra_line: `X-Huge: ${'h'.repeat(20_000)}` }),
    );
    expect(r.code).not.toBeNull();
    expect(r.code).toBeGreaterThanOrEqual(400);
  });

  it('an unknown method gets 405/501', async () => {
    const r = await bad('FOO (unknown method)', 'bad_request', badKeys({ method: 'FOO' }));
    expect([405, 501]).toContain(r.code);
  });

  it.each([
    ['BYE', 'out-of-dialog BYE'],
    ['INFO', 'INFO with no dialog'],
    ['NOTIFY', 'NOTIFY with no subscription'],
  ])('%s outside any dialog gets 481/489 (%s)', async (method, what) => {
    const r = await bad(
      `${what} (with a made-up to-tag)`,
      'bad_request',
      badKeys({ method, to_line: 'To: <sip:1001@127.0.0.1>;tag=nosuchdialog' }),
    );
    // 489 Bad Event: a NOTIFY without an Event header (SIP.js checks that first).
    expect(method === 'NOTIFY' ? [481, 489] : [481]).toContain(r.code);
  });

  it.each([['BYE'], ['INFO'], ['NOTIFY']])(
    '%s without a to-tag (out of dialog) gets an error',
    async (method) => {
      const r = await bad(`${method} without to-tag`, 'bad_request', badKeys({ method }));
      expect(r.code).toBeGreaterThanOrEqual(400);
    },
  );

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
