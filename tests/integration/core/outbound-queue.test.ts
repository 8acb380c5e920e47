// The outbound queue worked through the whole core (real SQLite, real SIP.js, the real
// dispatcher) against real Kamailio and sipp far ends that answer, are busy or never answer:
// attempts, outcomes and next-attempt times recorded; the rules enforced in main (calling
// window, opt-outs given during a call) whatever the caller of the contract does.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Attempt, Call, MethodName, QueueItem, RpcResponse } from '../../../preload/contract';
import { createCore, DATABASE_FILE, type Core } from '../../../main/core/core';
import { silentLogger } from '../../../main/core/log';
import { createCustomerRepo } from '../../../main/core/store/customers';
import { openDatabase } from '../../../main/core/store/db';
import { createFakeRenderer } from '../../infra/fake-renderer';
import { startKamailio, type KamailioHandle } from '../../infra/kamailio';
import { assertPeers, shouldSkip } from '../../infra/peers';
import { waitUntil } from '../../infra/process';
import { rejectScenario, type SippRun } from '../../infra/sipp';
import { expectSippOk, startFarEnd } from '../phone/call-helpers';

// Tuesday 24 November 2026, 10:00 in Tokyo: inside every default campaign's window.
const TUESDAY_10_JST = Date.UTC(2026, 10, 24, 1, 0);
const MINUTE = 60_000;

describe.skipIf(shouldSkip('kamailio', 'sipp'))('core: working the callback queue', () => {
  let kam: KamailioHandle;
  let core: Core;
  let dataDir: string;
  const runs: SippRun[] = [];
  const calls: Call[] = [];
  const t0 = Date.now();
  let skew = 0;
  const now = () => TUESDAY_10_JST + (Date.now() - t0) + skew;

  async function call<T>(method: MethodName, args: unknown): Promise<T> {
    const r: RpcResponse = await core.dispatch(method, args);
    if (!r.ok) throw Object.assign(new Error(r.error.message), r.error);
    return r.result as T;
  }
  async function refusal(method: MethodName, args: unknown) {
    const r = await core.dispatch(method, args);
    expect(r.ok, `${method} should have been refused`).toBe(false);
    return (r as { error: { code: string; reason?: string; message: string } }).error;
  }
  const schedule = (number: string, customerId: string, extra: object = {}) =>
    call<QueueItem>('scheduleCallback', {
      customerId,
      number,
      dueAt: now(),
      owner: 'me',
      ...extra,
    });
  const callback = (id: string) =>
    call<{ item: QueueItem; attempts: Attempt[] }>('getCallback', { callbackId: id });
  const ended = (callId: string) =>
    waitUntil(() => calls.some((c) => c.id === callId && c.state === 'ended'), {
      timeoutMs: 10_000,
      what: `call ${callId} to end`,
    });
  const active = (callId: string) =>
    waitUntil(() => calls.some((c) => c.id === callId && c.state === 'active'), {
      timeoutMs: 10_000,
      what: `call ${callId} to be answered`,
    });
  /** The attempt is finished once the call is on the timeline. */
  const settled = (id: string, status: QueueItem['status']) =>
    waitUntil(async () => (await callback(id)).item.status === status, {
      timeoutMs: 5_000,
      what: `callback ${id} to be ${status}`,
    });
  const farEnd = async (
    ...args: Parameters<typeof startFarEnd> extends [unknown, ...infer R] ? R : never
  ) => {
    const run = await startFarEnd(kam, ...args);
    runs.push(run);
    return run;
  };
  const invites = (run: SippRun) => (run.messages().match(/^INVITE sip:/gm) ?? []).length;

  beforeAll(async () => {
    assertPeers('kamailio', 'sipp');
    kam = await startKamailio({ auth: true });
    dataDir = mkdtempSync(join(tmpdir(), 'outbound-int-'));
    // Our own customers instead of the demo set, so the queue holds only this test's work.
    const db = openDatabase(join(dataDir, DATABASE_FILE));
    const customers = createCustomerRepo(db);
    customers.upsert({
      id: 'yamada',
      name: '山田 太郎',
      segment: 'heavy',
      phones: ['03-5555-0101'],
    });
    customers.upsert({
      id: 'sato',
      name: '佐藤 花子',
      segment: 'repeat',
      phones: ['090-1234-5678'],
    });
    customers.upsert({ id: 'suzuki', name: '鈴木 一郎', segment: 'new', phones: ['06-1234-5678'] });
    customers.upsert({
      id: 'takahashi',
      name: '高橋 美咲',
      segment: 'dormant',
      phones: ['045-123-4567'],
    });
    db.close();
    core = await createCore({
      dataDir,
      version: 'test',
      log: silentLogger,
      now,
      sip: {
        server: kam.wsUrl,
        aor: `sip:1001@${kam.domain}`,
        password: 'pw1001',
      },
      noAnswerTimeoutSec: 2,
    });
    core.media.attach(createFakeRenderer().sender);
    core.on('call.updated', (c) => calls.push(c));
    await waitUntil(
      async () =>
        (await call<{ phone: { registration: string } }>('hello', {})).phone.registration ===
        'registered',
      { timeoutMs: 10_000, what: 'registration' },
    );
  });
  afterEach(async () => {
    await Promise.all(runs.splice(0).map((r) => r.stop()));
  });
  afterAll(async () => {
    await core?.close();
    await kam?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('answered: the promised callback comes first, is dialled, wrapped up and closed by its disposition', async () => {
    const planned = await schedule('090-1234-5678', 'sato', { campaignId: 'requested' });
    const promised = await schedule('03-5555-0101', 'yamada', { dueAt: now() - MINUTE });
    expect(promised).toMatchObject({ promised: true, status: 'pending', blocked: [] });

    const { item: next } = await call<{ item: QueueItem | null }>('nextCallback', {});
    expect(next?.id).toBe(promised.id);

    const uas = await farEnd('uas_controls', { keys: { notify_final: 'SIP/2.0 200 OK' } });
    const { callId } = await call<{ callId: string }>('dialCallback', { callbackId: promised.id });
    // While it rings the same callback cannot be dialled twice.
    const twice = await refusal('dialCallback', { callbackId: promised.id });
    expect(twice).toMatchObject({ code: 'refused', message: expect.stringContaining('closed') });
    await active(callId);
    await call('hangupCall', { callId });
    await ended(callId);
    await expectSippOk(uas);
    await settled(promised.id, 'wrap_up');

    const { callback: closed } = await call<{ callback: QueueItem }>('setDisposition', {
      interactionId: callId,
      code: 'completed',
    });
    expect(closed).toMatchObject({ id: promised.id, status: 'done', attempts: 1 });
    const { attempts } = await callback(promised.id);
    expect(attempts).toEqual([
      expect.objectContaining({
        outcome: 'answered',
        disposition: 'completed',
        callbackId: promised.id,
      }),
    ]);
    expect(attempts[0]!.durationSec).not.toBeNull();
    // The other one is next now.
    expect((await call<{ item: QueueItem | null }>('nextCallback', {})).item?.id).toBe(planned.id);
  });

  it('busy: the attempt is logged and the callback waits at least the campaign interval', async () => {
    const { item } = await call<{ item: QueueItem }>('nextCallback', {});
    expect(item.customer?.name).toBe('佐藤 花子');
    const uas = await farEnd(rejectScenario(486, 'Busy Here'));
    const before = now();
    const { callId } = await call<{ callId: string }>('dialCallback', { callbackId: item.id });
    await ended(callId);
    await expectSippOk(uas);
    await settled(item.id, 'pending');
    const { item: after, attempts } = await callback(item.id);
    expect(attempts.map((a) => a.outcome)).toEqual(['busy']);
    expect(after.attempts).toBe(1);
    expect(after.lastAttempt?.outcome).toBe('busy');
    const campaign = (
      await call<{ id: string; minIntervalMin: number; retryAfterMin: { busy: number } }[]>(
        'getCampaigns',
        {},
      )
    ).find((c) => c.id === item.campaignId)!;
    const wait = Math.max(campaign.minIntervalMin, campaign.retryAfterMin.busy) * MINUTE;
    expect(after.nextAt!).toBeGreaterThanOrEqual(before + wait);
    expect(after.blocked).toContain('not_due');
    // Not offered again before then, and refused if dialled anyway.
    expect((await call<{ item: QueueItem | null }>('nextCallback', {})).item).toBeNull();
    const early = await refusal('dialCallback', { callbackId: item.id });
    expect(early).toMatchObject({ code: 'refused', reason: 'too_soon' });
    expect(early.message).toContain('not_due');
  });

  it('no answer: the call gives up after the ring timeout and the callback is retried later', async () => {
    const cb = await schedule('06-1234-5678', 'suzuki');
    const uas = await farEnd('uas_ring_forever', { timeoutSec: 20 });
    const { callId } = await call<{ callId: string }>('dialCallback', { callbackId: cb.id });
    await ended(callId);
    await settled(cb.id, 'pending');
    const { item, attempts } = await callback(cb.id);
    expect(attempts.map((a) => a.outcome)).toEqual(['no_answer']);
    expect(item.nextAt!).toBeGreaterThan(now());
    expect(invites(uas)).toBe(1);
  });

  it('an opt-out given during the call cancels every pending callback of the customer and no dial reaches them again', async () => {
    const first = await schedule('045-123-4567', 'takahashi');
    const second = await schedule('045-123-4567', 'takahashi', { dueAt: now() + 60 * MINUTE });
    const uas = await farEnd('uas_controls', { keys: { notify_final: 'SIP/2.0 200 OK' } });
    const { callId } = await call<{ callId: string }>('dialCallback', { callbackId: first.id });
    await active(callId);

    // One click during the call.
    await call('setOptOut', {
      number: '045-123-4567',
      customerId: 'takahashi',
      scope: 'all',
      reason: '今後の電話は不要',
    });
    expect((await callback(second.id)).item.status).toBe('opted_out');
    // Nor through a transfer or a consult from this call.
    for (const method of ['blindTransfer', 'startConsult'] as const) {
      const err = await refusal(method, { callId, target: '045-123-4567' });
      expect(err).toMatchObject({ code: 'refused', reason: 'opted_out' });
    }
    await call('hangupCall', { callId });
    await ended(callId);
    await expectSippOk(uas);

    // Not by the queue, not by hand, not in any format.
    expect((await refusal('dialCallback', { callbackId: second.id })).reason).toMatch(
      /opted_out|closed/,
    );
    for (const typed of [
      '045-123-4567',
      '＋８１４５１２３４５６７',
      'sip:+81451234567@example.jp',
    ]) {
      const err = await refusal('dial', { target: typed });
      expect(err).toMatchObject({ code: 'refused', reason: 'opted_out' });
    }
    expect((await call<{ optOut: string }>('checkNumber', { number: '0451234567' })).optOut).toBe(
      'all',
    );
    expect(
      (
        await refusal('scheduleCallback', {
          customerId: 'takahashi',
          number: '045-123-4567',
          dueAt: now() + MINUTE,
          owner: 'me',
        })
      ).reason,
    ).toBe('opted_out');
    // The far end saw exactly the one call placed before the opt-out.
    expect(invites(uas)).toBe(1);
  });

  it('outside the calling window nothing is offered and a dial is refused with the reason', async () => {
    const cb = await schedule('03-5555-0101', 'yamada');
    skew = 11 * 60 * MINUTE; // 21:00 in Tokyo
    try {
      expect((await call<{ item: QueueItem | null }>('nextCallback', {})).item).toBeNull();
      const err = await refusal('dialCallback', { callbackId: cb.id });
      expect(err).toMatchObject({ code: 'refused', reason: 'outside_window' });
      expect((await callback(cb.id)).item.blocked).toContain('outside_window');
    } finally {
      skew = 0;
    }
  });
});
