// Outbound calls end to end over real SIP: the real PhoneService (SIP.js, fake renderer) →
// Kamailio (WS → UDP, 407 challenge) → Kamailio's default gateway, where a sipp UAS of ours
// answers, rings forever or refuses (486, 404, 503). Each test asserts what went on the
// wire (sipp's message trace) and the clear state the agent sees.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PhoneCall } from '../../../main/core/phone/phone-service';
import { startKamailio, type KamailioHandle } from '../../infra/kamailio';
import { assertPeers, shouldSkip } from '../../infra/peers';
import { startPhoneHarness, type PhoneHarness } from '../../infra/phone-harness';
import { rejectScenario, type SippRun } from '../../infra/sipp';
import { expectSippOk, received, startFarEnd } from './call-helpers';

describe.skipIf(shouldSkip('kamailio', 'sipp'))('outbound calls (real Kamailio + sipp)', () => {
  let k: KamailioHandle;
  let h: PhoneHarness;
  const runs: SippRun[] = [];

  const farEnd = async (
    ...args: Parameters<typeof startFarEnd> extends [unknown, ...infer R] ? R : never
  ) => {
    const run = await startFarEnd(k, ...args);
    runs.push(run);
    return run;
  };
  const waitState = (id: string, state: PhoneCall['state'], timeoutMs = 5000) =>
    h.waitForCall((c) => c.id === id && c.state === state, timeoutMs);
  const statesOf = (id: string) => h.callEvents.filter((c) => c.id === id).map((c) => c.state);

  beforeAll(async () => {
    assertPeers('kamailio', 'sipp');
    k = await startKamailio({ auth: true });
    h = startPhoneHarness({
      server: k.wsUrl,
      user: '1001',
      callerId: { number: '+81312340000', displayName: 'サポート "窓口"' },
      noAnswerTimeoutSec: 2,
    });
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

  it('dials a Japanese number (full-width) as E.164 with caller ID; connecting → ringing → active → ended', async () => {
    const uas = await farEnd('uas_controls', { keys: { notify_final: 'SIP/2.0 200 OK' } });
    const id = await h.phone.dial('０３−１２３４−５６７８');
    const active = await waitState(id, 'active');
    expect(active).toMatchObject({
      direction: 'outbound',
      remote: { e164: '+81312345678', display: '03-1234-5678', anonymous: false },
      sipStatus: null,
    });
    expect(active.answeredAt).not.toBeNull();
    await h.phone.hangup(id);
    const ended = await waitState(id, 'ended');
    expect(ended).toMatchObject({ outcome: 'answered', endReason: 'agent hung up' });
    expect(statesOf(id)).toEqual(['connecting', 'ringing', 'active', 'ended']);
    await expectSippOk(uas);
    const [invite] = received(uas.messages(), 'INVITE');
    expect(invite).toMatch(/^INVITE sip:\+81312345678@127\.0\.0\.1/);
    expect(invite).toMatch(/^From: "サポート \\"窓口\\"" <sip:1001@127\.0\.0\.1>;tag=/m);
    expect(invite).toMatch(
      /^P-Asserted-Identity: "サポート \\"窓口\\"" <sip:\+81312340000@127\.0\.0\.1>\r?$/m,
    );
    expect(received(uas.messages(), 'BYE')).toHaveLength(1);
  });

  it('an extension that is not a phone number is dialled as typed', async () => {
    const uas = await farEnd(rejectScenario(404, 'Not Found'), { pauseMs: 50 });
    const id = await h.phone.dial('1999');
    const ended = await waitState(id, 'ended');
    expect(ended.remote).toMatchObject({ raw: '1999', e164: null });
    await expectSippOk(uas);
    expect(received(uas.messages(), 'INVITE')[0]).toMatch(/^INVITE sip:1999@127\.0\.0\.1/);
  });

  // A proxy must not forward a 503 (RFC 3261 16.7): Kamailio turns the gateway's 503 into
  // the 500 the agent sees (reason phrase kept).
  it.each([
    ['486', 'Busy Here', 'busy', '486'],
    ['404', 'Not Found', 'failed', '404'],
    ['503', 'Service Unavailable', 'failed', '500'],
    ['480', 'Temporarily Unavailable', 'no_answer', '480'],
  ] as const)('%s %s → outcome %s with the SIP reason', async (status, reason, outcome, seen) => {
    const uas = await farEnd(rejectScenario(Number(status), reason), { pauseMs: 200 });
    const id = await h.phone.dial('090-1234-5678');
    await waitState(id, 'ringing');
    const ended = await waitState(id, 'ended');
    expect(ended).toMatchObject({
      outcome,
      sipStatus: Number(seen),
      endReason: `SIP ${seen} ${reason}`,
      answeredAt: null,
    });
    expect(statesOf(id)).toEqual(['connecting', 'ringing', 'ended']);
    await expectSippOk(uas);
    expect(uas.messages()).toContain(`SIP/2.0 ${status} ${reason}`);
    expect(h.phone.calls().map((c) => c.id)).not.toContain(id);
  });

  it('no answer within noAnswerTimeout → CANCEL on the wire, outcome no_answer', async () => {
    const uas = await farEnd('uas_ring_forever');
    const t0 = Date.now();
    const id = await h.phone.dial('0312345678');
    await waitState(id, 'ringing');
    const ended = await waitState(id, 'ended', 6000);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1900);
    expect(ended).toMatchObject({ outcome: 'no_answer', answeredAt: null });
    await expectSippOk(uas);
    expect(received(uas.messages(), 'CANCEL')).toHaveLength(1);
  });

  it('the agent hangs up while it rings → CANCEL, the call ends at once', async () => {
    const uas = await farEnd('uas_ring_forever');
    const id = await h.phone.dial('sip:0312345678@127.0.0.1');
    await waitState(id, 'ringing');
    await h.phone.hangup(id);
    const ended = await waitState(id, 'ended', 1000);
    expect(ended).toMatchObject({ outcome: 'no_answer', endReason: 'agent hung up before answer' });
    await expectSippOk(uas);
    expect(received(uas.messages(), 'CANCEL')).toHaveLength(1);
  });

  it('bad targets and unknown calls are typed errors; no INVITE is sent', async () => {
    await expect(h.phone.dial('hello')).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(h.phone.dial('+1')).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(h.phone.dial('sip:no-host')).rejects.toMatchObject({ code: 'invalid_argument' });
    for (const m of ['hold', 'resume', 'switchLine'] as const) {
      await expect(h.phone[m]('c-nope')).rejects.toMatchObject({ code: 'not_found' });
    }
    await expect(h.phone.setMute('c-nope', true)).rejects.toMatchObject({ code: 'not_found' });
    await expect(h.phone.sendDtmf('c-nope', '1')).rejects.toMatchObject({ code: 'not_found' });
    await expect(h.phone.blindTransfer('c-nope', '1002')).rejects.toMatchObject({
      code: 'not_found',
    });
    expect(() =>
      h.phone.updateQuality('c-nope', { mos: 4, lossPct: 0, jitterMs: 1, rttMs: 1 }),
    ).toThrow(expect.objectContaining({ code: 'not_found' }));
  });

  it('no renderer: dial fails as unavailable and no call is left behind', async () => {
    h.detachRenderer();
    try {
      const before = h.callEvents.length;
      await expect(h.phone.dial('0312345678')).rejects.toMatchObject({ code: 'unavailable' });
      expect(h.callEvents.length).toBe(before);
    } finally {
      h.attachRenderer();
    }
  });
});
