// The whole core (real SQLite, real SIP.js, the real dispatcher) against real Kamailio and
// sipp: what the agent sees through the contract — the pop, the events, and the timeline.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Call, EventPayload } from '../../../preload/contract';
import { createCore, type Core } from '../../../main/core/core';
import { silentLogger } from '../../../main/core/log';
import { createFakeRenderer } from '../../infra/fake-renderer';
import { startKamailio, type KamailioHandle } from '../../infra/kamailio';
import { assertPeers, shouldSkip } from '../../infra/peers';
import { waitUntil } from '../../infra/process';
import { callerKeys, runSipp, type CallerIdentity, type SippScenarioName } from '../../infra/sipp';

describe.skipIf(shouldSkip('kamailio', 'sipp'))('core: calls reach the timeline', () => {
  let kam: KamailioHandle;
  let core: Core;
  let dataDir: string;
  const calls: Call[] = [];
  const logged: EventPayload<'timeline.added'>[] = [];

  beforeAll(async () => {
    assertPeers('kamailio', 'sipp');
    kam = await startKamailio({ auth: true });
    dataDir = mkdtempSync(join(tmpdir(), 'core-int-'));
    core = await createCore({
      dataDir,
      version: 'test',
      seedDemo: true,
      log: silentLogger,
      sip: { server: kam.wsUrl, aor: `sip:1001@${kam.domain}`, password: 'pw1001' },
    });
    core.media.attach(createFakeRenderer().sender);
    core.on('call.updated', (c) => calls.push(c));
    core.on('timeline.added', (e) => logged.push(e));
    await waitUntil(
      async () => {
        const r = await core.dispatch('hello', {});
        return (
          r.ok &&
          (r.result as { phone: { registration: string } }).phone.registration === 'registered'
        );
      },
      { timeoutMs: 10_000, what: 'registration' },
    );
  });

  afterAll(async () => {
    await core?.close();
    await kam?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  function place(scenario: SippScenarioName, caller: CallerIdentity, pauseMs = 300) {
    return runSipp({
      scenario,
      target: `127.0.0.1:${kam.udpPort}`,
      service: '1001',
      keys: callerKeys(caller),
      pauseMs,
      timeoutSec: 15,
    });
  }
  const ringing = async (n: number) => {
    await waitUntil(() => calls.filter((c) => c.state === 'ringing').length >= n, {
      timeoutMs: 5_000,
      what: `ringing call #${n}`,
    });
    return calls.filter((c) => c.state === 'ringing')[n - 1]!;
  };
  const endedLog = async (callId: string) => {
    await waitUntil(() => logged.some((e) => e.entry.id === callId), {
      timeoutMs: 5_000,
      what: 'timeline entry',
    });
    return logged.find((e) => e.entry.id === callId)!;
  };

  it('pops a known customer, answers, and logs the call with its duration', async () => {
    const sipp = place('uac_call', { user: '0355550101', display: 'Yamada' }, 1500);
    const call = await ringing(1);
    expect(call.pop.customer).toMatchObject({
      id: 'demo-c001',
      name: '山田 太郎',
      segment: 'heavy',
    });
    expect(call.remote.e164).toBe('+81355550101');
    expect(call.pop.lastContacts.length).toBeGreaterThan(0);
    expect(await core.dispatch('answerCall', { callId: call.id })).toEqual({
      ok: true,
      result: { ok: true },
    });
    expect((await sipp.done).code).toBe(0); // the caller hung up after 1.5 s of talk
    const log = await endedLog(call.id);
    expect(log.customerId).toBe('demo-c001');
    expect(log.entry).toMatchObject({
      direction: 'inbound',
      outcome: 'answered',
      number: '+81355550101',
    });
    expect(log.entry.durationSec).toBeGreaterThanOrEqual(1);
    const timeline = await core.dispatch('getTimeline', { customerId: 'demo-c001' });
    expect(timeline.ok && (timeline.result as { id: string }[])[0]?.id).toBe(call.id);
  });

  it('logs a missed call when the caller gives up before the answer', async () => {
    const sipp = place('uac_cancel', { user: '090-1234-5678' });
    const call = await ringing(2);
    expect(call.pop.customer?.name).toBe('佐藤 花子');
    await sipp.done;
    const log = await endedLog(call.id);
    expect(log.entry).toMatchObject({ outcome: 'missed', answeredAt: null, durationSec: null });
    expect(calls.filter((c) => c.id === call.id && c.state === 'ended')).toHaveLength(1);
    const hello = await core.dispatch('hello', {});
    expect(hello.ok && (hello.result as { calls: Call[] }).calls).toEqual([]);
  });

  it('pops an unknown number as unknown with the normalized number, and logs it', async () => {
    const sipp = place('uac_cancel', { user: '0120444555' });
    const call = await ringing(3);
    expect(call.pop).toEqual({ customer: null, lastContacts: [] });
    expect(call.remote).toMatchObject({
      e164: '+81120444555',
      display: '0120-444-555',
      anonymous: false,
    });
    await sipp.done;
    const log = await endedLog(call.id);
    expect(log.customerId).toBeNull();
    expect(log.entry.number).toBe('+81120444555');
  });

  it('rejects through the contract; bad arguments and unknown calls get typed errors', async () => {
    const sipp = place('uac_rejected', { user: 'anonymous', privacy: 'id' });
    const call = await ringing(4);
    expect(call.remote.anonymous).toBe(true);
    expect(call.pop.customer).toBeNull();
    expect(await core.dispatch('rejectCall', { callId: call.id })).toMatchObject({ ok: true });
    expect((await sipp.done).code).toBe(0); // sipp expected and got 486
    expect((await endedLog(call.id)).entry.outcome).toBe('rejected');
    expect(await core.dispatch('answerCall', { callId: 'no-such-call' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(await core.dispatch('answerCall', { callId: call.id, extra: 1 })).toMatchObject({
      ok: false,
      error: { code: 'invalid_argument' },
    });
  });
});
