// Inbound calls end to end over real SIP: sipp (the customer) → Kamailio (UDP → WS) → the
// real PhoneService (SIP.js) with a fake renderer answering the MediaPort with plain-RTP SDP.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { PhoneCall } from '../../../main/core/phone/phone-service';
import { startKamailio, type KamailioHandle } from '../../infra/kamailio';
import { assertPeers, shouldSkip } from '../../infra/peers';
import { startPhoneHarness, type PhoneHarness } from '../../infra/phone-harness';
import {
  callerKeys,
  runSipp,
  type CallerIdentity,
  type SippRun,
  type SippScenarioName,
} from '../../infra/sipp';

describe.skipIf(shouldSkip('kamailio', 'sipp'))('inbound calls (real Kamailio + sipp)', () => {
  let k: KamailioHandle;
  let h: PhoneHarness;
  const runs: SippRun[] = [];

  const call = (
    scenario: SippScenarioName,
    caller: CallerIdentity = {},
    opts: { pauseMs?: number } = {},
  ): SippRun => {
    const run = runSipp({
      scenario,
      target: `127.0.0.1:${k.udpPort}`,
      service: '1001',
      keys: callerKeys(caller),
      trace: true,
      timeoutSec: 10,
      pauseMs: opts.pauseMs ?? 300,
    });
    runs.push(run);
    return run;
  };
  /** The next call that starts ringing after this point. */
  const nextRinging = () => {
    const from = h.callEvents.length;
    return h.waitForCall((c) => c.state === 'ringing', 5000, from);
  };
  const waitState = (id: string, state: PhoneCall['state'], timeoutMs = 5000) =>
    h.waitForCall((c) => c.id === id && c.state === state, timeoutMs);
  const eventsOf = (id: string) => h.callEvents.filter((c) => c.id === id);
  const expectSippOk = async (run: SippRun) => {
    const res = await run.done;
    expect(
      res.code,
      `sipp failed:\n${run.errors()}\n${res.stderr}\n${run.messages().slice(-3000)}`,
    ).toBe(0);
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
    h.attachRenderer();
  });
  afterAll(async () => {
    await h?.stop();
    await k?.stop();
  });

  it('rings with the caller, answers with 200, ends on the caller’s BYE', async () => {
    const ringingP = nextRinging();
    const sipp = call('uac_call', { user: '0312345678', display: '山田 太郎' }, { pauseMs: 400 });
    const ringing = await ringingP;
    expect(ringing.remote).toEqual({
      raw: '0312345678',
      e164: '+81312345678',
      display: '03-1234-5678',
      anonymous: false,
      displayName: '山田 太郎',
    });
    expect(ringing).toMatchObject({ direction: 'inbound', answeredAt: null, outcome: null });
    expect(h.phone.calls().map((c) => c.id)).toContain(ringing.id);

    // The INVITE hook saw SIP's Call-ID; the app id is our own.
    const invite = h.invites.find((i) => i.callId === ringing.id);
    // (a monotonic-clock instant vs Date.now(): close, not equal)
    expect(Math.abs((invite?.atMs ?? 0) - ringing.startedAt)).toBeLessThan(1000);
    expect(invite?.sipCallId).not.toBe(ringing.id);

    await h.phone.answer(ringing.id);
    await waitState(ringing.id, 'active');
    const ended = await waitState(ringing.id, 'ended');
    expect(ended).toMatchObject({ outcome: 'answered', endReason: 'remote hung up' });
    expect(ended.answeredAt).not.toBeNull();
    expect((ended.endedAt ?? 0) - (ended.answeredAt ?? 0)).toBeGreaterThanOrEqual(300);

    await expectSippOk(sipp);
    const trace = sipp.messages();
    expect(trace).toMatch(/SIP\/2\.0 180 Ringing/);
    expect(trace).toMatch(/SIP\/2\.0 200 OK[\s\S]*?CSeq: 1 INVITE/);
    expect(trace).toContain(`Call-ID: ${invite?.sipCallId}`);

    expect(eventsOf(ringing.id).map((c) => c.state)).toEqual([
      'ringing',
      'connecting',
      'active',
      'ended',
    ]);
    expect(h.phone.calls().map((c) => c.id)).not.toContain(ringing.id);
    // Media: sipp's offer went to the renderer, the renderer's answer came back, then close.
    const mediaOf = () => h.renderer.requests.filter((r) => r.args.callId === ringing.id);
    await vi.waitFor(() =>
      expect(mediaOf().map((r) => r.method)).toEqual(['setDescription', 'getDescription', 'close']),
    );
    const media = mediaOf();
    expect(String(media[0]?.args.sdp)).toContain('m=audio');
    expect(media[1]?.args.hold).toBe(false);
  });

  it('the agent hangs up: sipp receives the BYE', async () => {
    const ringingP = nextRinging();
    const sipp = call('uac_call_wait', { user: '+819012345678' });
    const ringing = await ringingP;
    expect(ringing.remote.e164).toBe('+819012345678');
    await h.phone.answer(ringing.id);
    await waitState(ringing.id, 'active');
    await h.phone.hangup(ringing.id);
    const ended = await waitState(ringing.id, 'ended');
    expect(ended).toMatchObject({ outcome: 'answered', endReason: 'agent hung up' });
    await expectSippOk(sipp);
    expect(sipp.messages()).toMatch(/BYE sip:/);
  });

  it('CANCEL before the answer → ended once, outcome missed', async () => {
    const ringingP = nextRinging();
    const sipp = call('uac_cancel', { user: '0312345678' }, { pauseMs: 200 });
    const ringing = await ringingP;
    const ended = await waitState(ringing.id, 'ended');
    expect(ended).toMatchObject({
      outcome: 'missed',
      answeredAt: null,
      endReason: 'caller hung up before answer',
    });
    expect(ended.endedAt).toBeGreaterThanOrEqual(ringing.startedAt);
    await expectSippOk(sipp);
    expect(sipp.messages()).toMatch(/SIP\/2\.0 487/);
    expect(eventsOf(ringing.id).filter((c) => c.state === 'ended')).toHaveLength(1);
    await expect(h.phone.answer(ringing.id)).rejects.toMatchObject({ code: 'invalid_state' });
  });

  it('reject → the caller gets 486 Busy Here; outcome rejected', async () => {
    const ringingP = nextRinging();
    const sipp = call('uac_rejected', { user: '0312345678' });
    const ringing = await ringingP;
    await h.phone.reject(ringing.id);
    const ended = await waitState(ringing.id, 'ended');
    expect(ended).toMatchObject({ outcome: 'rejected', endReason: 'declined by agent' });
    await expectSippOk(sipp);
    expect(sipp.messages()).toMatch(/SIP\/2\.0 486 Busy Here/);
  });

  it('an anonymous caller (Privacy: id) rings as anonymous with no number', async () => {
    const ringingP = nextRinging();
    const sipp = call(
      'uac_cancel',
      {
        user: 'anonymous',
        host: 'anonymous.invalid',
        display: 'Anonymous',
        pai: '<tel:+81312345678>',
        privacy: 'id',
      },
      { pauseMs: 200 },
    );
    const ringing = await ringingP;
    expect(ringing.remote).toEqual({
      raw: 'anonymous',
      e164: null,
      display: 'Anonymous',
      anonymous: true,
      displayName: null,
    });
    await waitState(ringing.id, 'ended');
    await expectSippOk(sipp);
  });

  it('P-Asserted-Identity wins over From', async () => {
    const ringingP = nextRinging();
    const sipp = call('uac_rejected', {
      user: 'gateway',
      display: 'Carrier GW',
      pai: '"佐藤 花子" <sip:+819011112222@carrier.example;user=phone>',
    });
    const ringing = await ringingP;
    expect(ringing.remote).toMatchObject({ e164: '+819011112222', displayName: '佐藤 花子' });
    await h.phone.reject(ringing.id);
    await expectSippOk(sipp);
  });

  it('wrong ids and wrong states are typed errors', async () => {
    await expect(h.phone.answer('c-does-not-exist')).rejects.toMatchObject({ code: 'not_found' });
    await expect(h.phone.hangup('c-does-not-exist')).rejects.toMatchObject({ code: 'not_found' });

    const ringingP = nextRinging();
    const sipp = call('uac_call_wait');
    const ringing = await ringingP;
    const answering = h.phone.answer(ringing.id);
    await expect(h.phone.answer(ringing.id)).rejects.toMatchObject({ code: 'invalid_state' });
    await answering;
    await waitState(ringing.id, 'active');
    await expect(h.phone.reject(ringing.id)).rejects.toMatchObject({ code: 'invalid_state' });
    await expect(h.phone.answer(ringing.id)).rejects.toMatchObject({ code: 'invalid_state' });
    await h.phone.hangup(ringing.id);
    await expect(h.phone.hangup(ringing.id)).rejects.toMatchObject({ code: 'invalid_state' });
    await expectSippOk(sipp);
  });

  it('no renderer: answer fails (bounded) and the call keeps ringing; with one it connects', async () => {
    h.detachRenderer();
    const ringingP = nextRinging();
    const sipp = call('uac_call', {}, { pauseMs: 200 });
    const ringing = await ringingP;
    const t0 = Date.now();
    await expect(h.phone.answer(ringing.id)).rejects.toMatchObject({ code: 'unavailable' });
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(h.phone.calls().find((c) => c.id === ringing.id)?.state).toBe('ringing');

    h.attachRenderer();
    await h.phone.answer(ringing.id);
    const ended = await waitState(ringing.id, 'ended');
    expect(ended.outcome).toBe('answered');
    await expectSippOk(sipp);
  });

  it('the renderer failing to set up media → outcome failed, the caller gets an error', async () => {
    h.renderer.failNext('setDescription', new Error('no microphone'));
    const ringingP = nextRinging();
    const sipp = call('uac_call');
    const ringing = await ringingP;
    await expect(h.phone.answer(ringing.id)).rejects.toThrow();
    const ended = await waitState(ringing.id, 'ended');
    expect(ended.outcome).toBe('failed');
    expect(ended.answeredAt).toBeNull();
    const res = await sipp.done;
    expect(res.code).not.toBe(0); // uac_call expected a 200
    expect(sipp.messages() + sipp.errors()).toMatch(/SIP\/2\.0 480/);
    expect(h.phone.status().registration).toBe('registered');
  });
});
