// Liveness of established calls over real SIP: the real PhoneService (SIP.js, fake renderer)
// ↔ Kamailio ↔ a sipp customer. Every established call sends an in-dialog OPTIONS (through
// the dialog's route set) every callProbeIntervalMs — 1 s here, 30 s in production — so a far
// end that is gone ends the call ('answered', 'call lost: …') instead of leaving it 'active'
// until the agent notices; a far end that answers keeps the call up, on hold too.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { PhoneCall } from '../../../main/core/phone/phone-service';
import { CALL_LOST_REASON } from '../../../main/core/phone/call-probe';
import { startKamailio, type KamailioHandle } from '../../infra/kamailio';
import { assertPeers, shouldSkip } from '../../infra/peers';
import { startPhoneHarness, type PhoneHarness } from '../../infra/phone-harness';
import { delay } from '../../infra/process';
import { callerKeys, runSipp, scenarioWith, type SippRun } from '../../infra/sipp';
import { expectSippOk, received } from './call-helpers';

const PROBE_INTERVAL_MS = 1000;
const PROBE_TIMEOUT_MS = 2000;

describe.skipIf(shouldSkip('kamailio', 'sipp'))(
  'call liveness probe (real Kamailio + sipp)',
  () => {
    let k: KamailioHandle;
    let h: PhoneHarness;
    const runs: SippRun[] = [];

    const endedEvents = (id: string) =>
      h.callEvents.filter((c) => c.id === id && c.state === 'ended');

    /** A customer calls in (uac_controls or a variant) and the agent answers. */
    const answered = async (scenario = 'uac_controls') => {
      const from = h.callEvents.length;
      const ringingP = h.waitForCall((c) => c.state === 'ringing', 5000, from);
      const run = runSipp({
        scenario,
        target: `127.0.0.1:${k.udpPort}`,
        service: '1001',
        keys: { ...callerKeys({ user: '0312345678' }), notify_final: 'SIP/2.0 200 OK' },
        trace: true,
        timeoutSec: 30,
      });
      runs.push(run);
      const ringing = await ringingP;
      await h.phone.answer(ringing.id);
      await h.waitForCall((c) => c.id === ringing.id && c.state === 'active', 5000, from);
      return { run, id: ringing.id };
    };

    beforeAll(async () => {
      assertPeers('kamailio', 'sipp');
      k = await startKamailio({ auth: true });
      h = startPhoneHarness({
        server: k.wsUrl,
        user: '1001',
        callProbeIntervalMs: PROBE_INTERVAL_MS,
        callProbeTimeoutMs: PROBE_TIMEOUT_MS,
      });
      await h.phone.start();
      await h.waitForStatus((s) => s.registration === 'registered');
    });
    afterEach(async () => {
      for (const c of h.phone.calls()) await h.phone.hangup(c.id).catch(() => {});
      await Promise.all(runs.splice(0).map((r) => r.stop()));
    });
    afterAll(async () => {
      await h?.stop();
      await k?.stop();
    });

    it('a live far end keeps the call up across several probes, on hold too', async () => {
      const { run, id } = await answered();
      await delay(3.5 * PROBE_INTERVAL_MS);
      await h.phone.hold(id);
      await delay(2.5 * PROBE_INTERVAL_MS);
      expect(h.phone.calls().map((c) => [c.id, c.state, c.onHold])).toEqual([[id, 'active', true]]);
      await h.phone.resume(id);
      await delay(1.5 * PROBE_INTERVAL_MS);
      expect(endedEvents(id)).toEqual([]);
      await h.phone.hangup(id);
      await expectSippOk(run);

      const options = received(run.messages(), 'OPTIONS');
      // ~7 s established at one probe a second (a re-INVITE's answer restarts the interval).
      expect(options.length).toBeGreaterThanOrEqual(5);
      // In-dialog: to the caller's Contact (the remote target), through the proxy, with the
      // dialog's Call-ID and both tags, CSeq numbers increasing.
      for (const o of options) {
        expect(o).toMatch(/^OPTIONS sip:sipp@127\.0\.0\.1:\d+ SIP\/2\.0/);
        expect(o).toMatch(/^To: .*;tag=\d+SIPpTag00\d+/im);
        expect(o).toMatch(/^From: .*;tag=\S+/im);
        expect(/^Via: SIP\/2\.0\/UDP 127\.0\.0\.1:(\d+)/im.exec(o)?.[1]).toBe(String(k.udpPort));
      }
      const cseqs = options.map((o) => Number(/^CSeq:\s*(\d+) OPTIONS/im.exec(o)?.[1]));
      expect(cseqs).toEqual([...cseqs].sort((a, b) => a - b));
      expect(new Set(cseqs).size).toBe(cseqs.length);
      expect(received(run.messages(), 'INVITE')).toHaveLength(2); // hold, resume
      const ended = endedEvents(id);
      expect(ended).toHaveLength(1);
      expect(ended[0]).toMatchObject({ outcome: 'answered', endReason: 'agent hung up' });
      console.log(
        `[liveness] live far end: ${options.length} OPTIONS answered in ~7.5 s established (interval ${PROBE_INTERVAL_MS} ms); call kept up, hung up by the agent`,
      );
    });

    it('the caller is SIGKILLed: the call ends as answered / call lost, exactly once, in bounded time', async () => {
      const { run, id } = await answered();
      // At least one probe answered first: the probe works while the caller is there.
      // Wait (bounded) until sipp has answered a probe: on a loaded machine the first may be late.
      await vi.waitFor(
        () => expect(received(run.messages(), 'OPTIONS').length).toBeGreaterThanOrEqual(1),
        { timeout: 5000, interval: 100 },
      );
      const from = h.callEvents.length;
      const statusFrom = h.statuses.length;
      const killedAt = performance.now();
      process.kill(run.pid, 'SIGKILL');
      const ended = await h.waitForCall((c) => c.id === id && c.state === 'ended', 15_000, from);
      const detectMs = Math.round(performance.now() - killedAt);
      await delay(1500); // nothing more comes for this call
      expect(endedEvents(id)).toHaveLength(1);
      expect(ended).toMatchObject({
        outcome: 'answered',
        endReason: CALL_LOST_REASON,
      } satisfies Partial<PhoneCall>);
      expect(ended.answeredAt).not.toBeNull();
      expect(h.phone.calls()).toEqual([]);
      expect(h.phone.status().registration).toBe('registered');
      expect(h.statuses.slice(statusFrom).every((s) => s.registration === 'registered')).toBe(true);
      console.log(
        `[liveness] caller SIGKILLed: call ended ${detectMs} ms later (interval ${PROBE_INTERVAL_MS} ms, timeout ${PROBE_TIMEOUT_MS} ms, 2 misses); endReason="${ended.endReason}"`,
      );
      // Bound: interval + 2 × timeout (+ slack).
      expect(detectMs).toBeLessThanOrEqual(PROBE_INTERVAL_MS + 2 * PROBE_TIMEOUT_MS + 2000);
      expect(detectMs).toBeLessThanOrEqual(10_000);
    });

    it('481 to the probe (the far end forgot the dialog): the call ends at the first probe', async () => {
      const scenario = scenarioWith('uac_controls', {
        'SIP/2.0 200 Options OK': 'SIP/2.0 481 Call Does Not Exist',
      });
      const { run, id } = await answered(scenario);
      const from = h.callEvents.length;
      const answeredAt = performance.now();
      const ended = await h.waitForCall((c) => c.id === id && c.state === 'ended', 5000, from);
      const afterMs = Math.round(performance.now() - answeredAt);
      expect(ended).toMatchObject({ outcome: 'answered', endReason: CALL_LOST_REASON });
      // Our best-effort BYE reached the caller (it answers 200 and exits cleanly).
      await expectSippOk(run);
      expect(received(run.messages(), 'OPTIONS')).toHaveLength(1);
      expect(received(run.messages(), 'BYE')).toHaveLength(1);
      await delay(300);
      expect(endedEvents(id)).toHaveLength(1);
      expect(h.phone.status().registration).toBe('registered');
      expect(afterMs).toBeLessThanOrEqual(PROBE_INTERVAL_MS + 1500);
      console.log(
        `[liveness] 481 to the first probe: call ended ${afterMs} ms after it was answered`,
      );
    });
  },
);
