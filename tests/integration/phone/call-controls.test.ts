// Call controls over real SIP: the real PhoneService (SIP.js, fake renderer) ↔ Kamailio ↔
// sipp scenarios of ours, both as the customer calling in (uac_controls, uac_remote_hold)
// and as the far end of outbound calls on Kamailio's default gateway (uas_controls). Each
// test checks what went on the wire in sipp's message trace, and what the agent sees.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { PhoneSettings } from '../../../preload/contract';
import type { PhoneCall } from '../../../main/core/phone/phone-service';
import { startKamailio, type KamailioHandle } from '../../infra/kamailio';
import { assertPeers, shouldSkip } from '../../infra/peers';
import { startPhoneHarness, type PhoneHarness } from '../../infra/phone-harness';
import { delay } from '../../infra/process';
import { callerKeys, runSipp, type SippRun, type SippScenarioName } from '../../infra/sipp';
import { direction, expectSippOk, received, startFarEnd } from './call-helpers';

describe.skipIf(shouldSkip('kamailio', 'sipp'))('call controls (real Kamailio + sipp)', () => {
  let k: KamailioHandle;
  let h: PhoneHarness;
  const runs: SippRun[] = [];
  const settings: PhoneSettings = {
    dtmfMode: 'rfc4733',
    autoAnswer: false,
    audio: { microphoneId: null, speakerId: null, ringerId: null },
  };

  const waitState = (id: string, state: PhoneCall['state'], timeoutMs = 5000) =>
    h.waitForCall((c) => c.id === id && c.state === state, timeoutMs);
  const waitFor = (id: string, pred: (c: PhoneCall) => boolean, timeoutMs = 5000) =>
    h.waitForCall((c) => c.id === id && pred(c), timeoutMs);
  const current = (id: string) => h.phone.calls().find((c) => c.id === id);
  const mediaOf = (id: string, method?: string) =>
    h.renderer.requests.filter(
      (r) =>
        (r.args.callId === id || (r.args.callIds as string[] | undefined)?.includes(id)) &&
        (!method || r.method === method),
    );

  /** A customer calls in (sipp UAC); resolves with the sipp run and the ringing call. */
  const callIn = async (
    scenario: SippScenarioName = 'uac_controls',
    opts: { notifyFinal?: string; pauseMs?: number; extraKeys?: Record<string, string> } = {},
  ) => {
    const from = h.callEvents.length;
    const ringingP = h.waitForCall((c) => c.state === 'ringing', 5000, from);
    const run = runSipp({
      scenario,
      target: `127.0.0.1:${k.udpPort}`,
      service: '1001',
      keys: {
        ...callerKeys({ user: '0312345678' }),
        ...(scenario === 'uac_controls'
          ? { notify_final: opts.notifyFinal ?? 'SIP/2.0 200 OK' }
          : {}),
        ...opts.extraKeys,
      },
      trace: true,
      timeoutSec: 20,
      pauseMs: opts.pauseMs ?? 300,
    });
    runs.push(run);
    const ringing = await ringingP;
    return { run, call: ringing };
  };
  const answered = async (scenario?: SippScenarioName, opts?: Parameters<typeof callIn>[1]) => {
    const r = await callIn(scenario, opts);
    await h.phone.answer(r.call.id);
    await waitState(r.call.id, 'active');
    return r;
  };
  /** An outbound call to the gateway's uas_controls, established. */
  const callOut = async (notifyFinal = 'SIP/2.0 200 OK', target = '0312345678') => {
    const run = await startFarEnd(k, 'uas_controls', {
      keys: { notify_final: notifyFinal },
      timeoutSec: 20,
    });
    runs.push(run);
    const id = await h.phone.dial(target);
    await waitState(id, 'active');
    return { run, id };
  };

  beforeAll(async () => {
    assertPeers('kamailio', 'sipp');
    k = await startKamailio({ auth: true });
    h = startPhoneHarness({ server: k.wsUrl, user: '1001', settings: () => settings });
    await h.phone.start();
    await h.waitForStatus((s) => s.registration === 'registered');
  });
  afterEach(async () => {
    for (const c of h.phone.calls()) await h.phone.hangup(c.id).catch(() => {});
    await Promise.all(runs.splice(0).map((r) => r.stop()));
    settings.dtmfMode = 'rfc4733';
    settings.autoAnswer = false;
    h.attachRenderer();
  });
  afterAll(async () => {
    await h?.stop();
    await k?.stop();
  });

  it('hold and resume: re-INVITEs with a=sendonly then a=sendrecv; onHold follows', async () => {
    const { run, id } = await callOut();
    await h.phone.hold(id);
    expect(current(id)?.onHold).toBe(true);
    await h.phone.hold(id); // already held: nothing on the wire
    await h.phone.resume(id);
    expect(current(id)?.onHold).toBe(false);
    await h.phone.hangup(id);
    await expectSippOk(run);
    const invites = received(run.messages(), 'INVITE');
    expect(invites.map(direction)).toEqual(['sendrecv', 'sendonly', 'sendrecv']);
    // The far end answered the hold with recvonly: the agent did not see that as remote hold.
    expect(h.callEvents.filter((c) => c.id === id).some((c) => c.remoteHold)).toBe(false);
    const holds = mediaOf(id, 'getDescription').map((r) => r.args.hold);
    expect(holds).toEqual([false, true, false]);
  });

  it('remote hold: the caller’s sendonly re-INVITE sets remoteHold, sendrecv clears it', async () => {
    const { run, call } = await answered('uac_remote_hold', { pauseMs: 400 });
    await waitFor(call.id, (c) => c.remoteHold);
    const from = h.callEvents.length;
    await h.waitForCall((c) => c.id === call.id && !c.remoteHold, 3000, from);
    expect(current(call.id)?.onHold).toBe(false);
    await h.phone.hangup(call.id);
    await expectSippOk(run);
    const flags = h.callEvents.filter((c) => c.id === call.id).map((c) => c.remoteHold);
    expect(flags).toContain(true);
    expect(flags.at(-1)).toBe(false);
  });

  it('mute: a renderer request, no re-INVITE', async () => {
    const { run, id } = await callOut();
    await h.phone.setMute(id, true);
    expect(current(id)?.muted).toBe(true);
    await h.phone.setMute(id, false);
    expect(current(id)?.muted).toBe(false);
    expect(mediaOf(id, 'setMute').map((r) => r.args)).toEqual([
      { callId: id, muted: true },
      { callId: id, muted: false },
    ]);
    await h.phone.hangup(id);
    await expectSippOk(run);
    expect(received(run.messages(), 'INVITE')).toHaveLength(1);
  });

  it('DTMF as SIP INFO (application/dtmf-relay), one per digit, in order', async () => {
    settings.dtmfMode = 'info';
    const { run, id } = await callOut();
    await h.phone.sendDtmf(id, '1#9');
    await h.phone.hangup(id);
    await expectSippOk(run);
    const infos = received(run.messages(), 'INFO');
    expect(infos).toHaveLength(3);
    for (const info of infos) expect(info).toMatch(/^Content-Type: application\/dtmf-relay\r?$/m);
    expect(infos.map((m) => /^Signal=(.)\r?$/m.exec(m)?.[1])).toEqual(['1', '#', '9']);
    expect(infos.every((m) => /^Duration=\d+\r?$/m.test(m))).toBe(true);
    expect(mediaOf(id, 'sendDtmf')).toHaveLength(0);
  });

  it('DTMF in rfc4733 mode goes to the renderer (RTCDTMFSender), not into SIP', async () => {
    const { run, id } = await callOut();
    await h.phone.sendDtmf(id, '123');
    expect(mediaOf(id, 'sendDtmf').map((r) => r.args)).toEqual([{ callId: id, tones: '123' }]);
    h.renderer.failNext('sendDtmf', new Error('no sender'));
    await expect(h.phone.sendDtmf(id, '4')).rejects.toBeTruthy();
    await h.phone.hangup(id);
    await expectSippOk(run);
    expect(received(run.messages(), 'INFO')).toHaveLength(0);
  });

  it('call waiting: a second call rings beside the first; answering it holds the first; switchLine swaps', async () => {
    const a = await answered();
    const b = await callIn();
    expect(current(a.call.id)?.state).toBe('active');
    expect(current(b.call.id)?.state).toBe('ringing');
    await h.phone.answer(b.call.id);
    await waitState(b.call.id, 'active');
    expect(current(a.call.id)?.onHold).toBe(true);
    expect(current(b.call.id)?.onHold).toBe(false);

    await h.phone.switchLine(a.call.id);
    expect(current(a.call.id)?.onHold).toBe(false);
    expect(current(b.call.id)?.onHold).toBe(true);

    await h.phone.hangup(a.call.id);
    await h.phone.hangup(b.call.id);
    await expectSippOk(a.run);
    await expectSippOk(b.run);
    // A: held when B was answered, resumed by switchLine. B: held by switchLine.
    expect(received(a.run.messages(), 'INVITE').map(direction)).toEqual(['sendonly', 'sendrecv']);
    expect(received(b.run.messages(), 'INVITE').map(direction)).toEqual(['sendonly']);
  });

  it('blind transfer: REFER with Refer-To, NOTIFY progress, the call ends as transferred', async () => {
    const { run, id } = await callOut('SIP/2.0 200 OK');
    await h.phone.blindTransfer(id, '1002');
    const ended = await waitState(id, 'ended');
    expect(ended).toMatchObject({
      outcome: 'answered',
      endReason: 'transferred',
      transfer: { kind: 'blind', target: '1002', state: 'succeeded', detail: 'SIP/2.0 200 OK' },
    });
    const states = h.callEvents
      .filter((c) => c.id === id && c.transfer)
      .map((c) => c.transfer?.state);
    expect(states).toEqual(['trying', 'accepted', 'progress', 'succeeded', 'succeeded']);
    await expectSippOk(run);
    const [refer] = received(run.messages(), 'REFER');
    expect(refer).toMatch(/^Refer-To: <?sip:1002@127\.0\.0\.1>?\r?$/m);
    expect(refer).toMatch(/^Referred-By: <sip:1001@127\.0\.0\.1>\r?$/m);
    expect(received(run.messages(), 'BYE')).toHaveLength(1);
  });

  it('blind transfer refused (NOTIFY 486): transfer failed, the call stays and is resumed', async () => {
    const { run, id } = await callOut('SIP/2.0 486 Busy Here');
    await h.phone.blindTransfer(id, '+81 90 1111 2222');
    expect(current(id)?.onHold).toBe(true); // held for the transfer
    await waitFor(id, (c) => c.transfer?.state === 'failed');
    await vi.waitFor(() => expect(current(id)?.onHold).toBe(false));
    const call = current(id);
    expect(call).toMatchObject({
      state: 'active',
      transfer: { kind: 'blind', state: 'failed', detail: 'SIP/2.0 486 Busy Here' },
    });
    await h.phone.hangup(id);
    await expectSippOk(run);
    const [refer] = received(run.messages(), 'REFER');
    expect(refer).toMatch(/^Refer-To: <?sip:\+819011112222@127\.0\.0\.1>?\r?$/m);
    expect(received(run.messages(), 'INVITE').map(direction)).toEqual([
      'sendrecv',
      'sendonly',
      'sendrecv',
    ]);
  });

  it('attended transfer: consult call, then REFER with Replaces for the consult dialog; both legs end', async () => {
    const customer = await answered('uac_controls', { notifyFinal: 'SIP/2.0 200 OK' });
    const consultRun = await startFarEnd(k, 'uas_controls', {
      keys: { notify_final: 'SIP/2.0 200 OK' },
      timeoutSec: 20,
    });
    runs.push(consultRun);
    const consultId = await h.phone.startConsult(customer.call.id, '03-9999-0000');
    expect(current(customer.call.id)?.onHold).toBe(true);
    const consult = await waitState(consultId, 'active');
    expect(consult.consultFor).toBe(customer.call.id);

    await h.phone.completeTransfer(customer.call.id, consultId);
    const [endedA, endedC] = await Promise.all([
      waitState(customer.call.id, 'ended'),
      waitState(consultId, 'ended'),
    ]);
    expect(endedA).toMatchObject({
      endReason: 'transferred',
      transfer: { kind: 'attended', state: 'succeeded', consultCallId: consultId },
    });
    expect(endedC).toMatchObject({ endReason: 'transferred' });
    await expectSippOk(customer.run);
    await expectSippOk(consultRun);

    // The consult dialog as the far end saw it: its Call-ID, our From tag, its To tag.
    const consultInvite = received(consultRun.messages(), 'INVITE')[0] ?? '';
    const callId = /^Call-ID:\s*(.+?)\r?$/m.exec(consultInvite)?.[1] ?? '?';
    const fromTag = /^From:.*;tag=([^;\s]+)/m.exec(consultInvite)?.[1] ?? '?';
    const toTag = /^To:.*;tag=([^;\s]+)/m.exec(consultRun.messages())?.[1] ?? '?';
    const [refer] = received(customer.run.messages(), 'REFER');
    const referTo = /^Refer-To:\s*(.+?)\r?$/m.exec(refer ?? '')?.[1] ?? '';
    expect(referTo).toContain('?Replaces=');
    const replaces = decodeURIComponent(referTo.split('?Replaces=')[1]?.replace(/>.*$/, '') ?? '');
    expect(replaces).toBe(`${callId};to-tag=${toTag};from-tag=${fromTag}`);
    expect(received(consultRun.messages(), 'BYE')).toHaveLength(1);
  });

  it('conference: both legs resumed and mixed; hanging up one ends the mixing', async () => {
    const a = await answered();
    const b = await callOut();
    await h.phone.hold(a.call.id);
    const conferenceId = await h.phone.conference([a.call.id, b.id]);
    expect(current(a.call.id)).toMatchObject({ conferenceId, onHold: false });
    expect(current(b.id)).toMatchObject({ conferenceId, onHold: false });
    const mixes = h.renderer.requests.filter((r) => (r.method as string) === 'conference');
    expect(mixes.at(-1)?.args).toEqual({ callIds: [a.call.id, b.id] });

    await h.phone.hangup(b.id);
    await waitFor(a.call.id, (c) => c.conferenceId === null);
    await vi.waitFor(() =>
      expect(
        h.renderer.requests.filter((r) => (r.method as string) === 'conference').at(-1)?.args,
      ).toEqual({
        callIds: [],
      }),
    );
    expect(current(a.call.id)?.state).toBe('active');
    await h.phone.hangup(a.call.id);
    await expectSippOk(a.run);
    await expectSippOk(b.run);
    expect(received(a.run.messages(), 'INVITE').map(direction)).toEqual(['sendonly', 'sendrecv']);
    await expect(h.phone.conference([a.call.id, a.call.id])).rejects.toMatchObject({
      code: 'invalid_argument',
    });
  });

  it('quality: the latest sample on the call, the mean on the ended call', async () => {
    const { run, id } = await callOut();
    h.phone.updateQuality(id, { mos: 4.4, lossPct: 0, jitterMs: 10, rttMs: 20 });
    h.phone.updateQuality(id, { mos: 3.6, lossPct: 2, jitterMs: 30, rttMs: null });
    expect(current(id)?.quality).toEqual({ mos: 3.6, lossPct: 2, jitterMs: 30, rttMs: null });
    await h.phone.hangup(id);
    const ended = await waitState(id, 'ended');
    expect(ended.quality).toEqual({ mos: 4, lossPct: 1, jitterMs: 20, rttMs: 20 });
    expect(() => h.phone.updateQuality(id, { mos: 4, lossPct: 0, jitterMs: 0, rttMs: 0 })).toThrow(
      expect.objectContaining({ code: 'invalid_state' }),
    );
    await expectSippOk(run);
  });

  it('auto-answer: Call-Info answer-after=1 is answered after ~1 s when the setting allows', async () => {
    settings.autoAnswer = true;
    const callInfo = { privacy_line: 'Call-Info: <sip:127.0.0.1>;answer-after=1' };
    const t0 = Date.now();
    const { run, call } = await callIn('uac_controls', { extraKeys: callInfo });
    const active = await waitState(call.id, 'active', 4000);
    expect(active.answeredAt! - t0).toBeGreaterThanOrEqual(900);
    await h.phone.hangup(call.id);
    await expectSippOk(run);

    settings.autoAnswer = false;
    const second = await callIn('uac_controls', { extraKeys: callInfo });
    await delay(1500);
    expect(current(second.call.id)?.state).toBe('ringing');
    await h.phone.reject(second.call.id);
  });

  it('a renderer (re)attaching mid-call re-INVITEs each established call for fresh media', async () => {
    const { run, id } = await callOut();
    await h.phone.hold(id);
    const before = mediaOf(id, 'getDescription').length;
    h.detachRenderer();
    h.attachRenderer();
    await vi.waitFor(() => expect(mediaOf(id, 'getDescription').length).toBe(before + 1));
    // The held call stays held in the fresh offer.
    expect(mediaOf(id, 'getDescription').at(-1)?.args.hold).toBe(true);
    await delay(200);
    await h.phone.hangup(id);
    await expectSippOk(run);
    expect(received(run.messages(), 'INVITE').map(direction)).toEqual([
      'sendrecv',
      'sendonly',
      'sendonly',
    ]);
  });

  it('the transport comes back after a server restart: established calls re-INVITE with an ICE restart', async () => {
    const { run, id } = await callOut();
    // The call is active once the 200 arrives; its ACK must reach sipp before the proxy dies,
    // or sipp (still waiting for it) takes the re-INVITE as out of order.
    await vi.waitFor(() => expect(received(run.messages(), 'ACK')).toHaveLength(1));
    const before = mediaOf(id, 'getDescription').length;
    const ports = { udpPort: k.udpPort, wsPort: k.wsPort, gatewayPort: k.gatewayPort };
    const from = h.statuses.length;
    await k.stop();
    await h.waitForStatus((s) => s.registration !== 'registered', 5000, from);
    k = await startKamailio({ auth: true, ...ports });
    await h.waitForStatus((s) => s.registration === 'registered', 10_000, from);
    await vi.waitFor(() => expect(mediaOf(id, 'getDescription').length).toBe(before + 1), {
      timeout: 5000,
    });
    expect(mediaOf(id, 'getDescription').at(-1)?.args).toEqual({
      callId: id,
      hold: false,
      iceRestart: true,
    });
    await vi.waitFor(() => expect(received(run.messages(), 'ACK')).toHaveLength(2), {
      timeout: 5000,
    });
    expect(received(run.messages(), 'INVITE')).toHaveLength(2);
    expect(current(id)?.state).toBe('active');
    await h.phone.hangup(id);
    await expectSippOk(run);
  });

  it('wrong states are typed errors, never throws of another kind', async () => {
    const { run, call } = await callIn();
    for (const p of [
      h.phone.hold(call.id),
      h.phone.resume(call.id),
      h.phone.switchLine(call.id),
      h.phone.sendDtmf(call.id, '1'),
      h.phone.blindTransfer(call.id, '1002'),
      h.phone.startConsult(call.id, '1002'),
      h.phone.completeTransfer(call.id, 'c-other'),
    ]) {
      await expect(p).rejects.toMatchObject({
        code: expect.stringMatching(/invalid_state|not_found/),
      });
    }
    await h.phone.reject(call.id);
    await expect(h.phone.hold(call.id)).rejects.toMatchObject({ code: 'invalid_state' });
    await expect(h.phone.setMute(call.id, true)).rejects.toMatchObject({ code: 'invalid_state' });
    await run.done;
  });
});
