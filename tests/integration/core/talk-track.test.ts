// Talk tracks through the whole core (real SQLite, real SIP.js, the real dispatcher, the
// shipped scripts) on a real call from sipp through Kamailio, with the IVR's reason on the
// INVITE: the script offered fits the caller and the reason, the walk obeys the mandatory
// steps, every answer is on the record and in the outbox the moment it is given (and reaches
// the CRM — a kintone fake speaking kintone's REST API — as one record per call and script,
// updated in place), and the position survives a reload of the screen and a restart of core
// during wrap-up.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  Call,
  EventPayload,
  MethodName,
  TalkTrack,
  TalkTrackAction,
  TimelineEntry,
} from '../../../preload/contract';
import { createCore, DATABASE_FILE, type Core } from '../../../main/core/core';
import { silentLogger } from '../../../main/core/log';
import { openDatabase } from '../../../main/core/store/db';
import { KintoneAdapter } from '../../../main/core/sync/crm/kintone/adapter';
import { KintoneConfig } from '../../../main/core/sync/crm/kintone/config';
import { bundledScripts } from '../../infra/app';
import { callCentreApps, KintoneFake } from '../../infra/kintone-fake';
import { createFakeRenderer } from '../../infra/fake-renderer';
import { startKamailio, type KamailioHandle } from '../../infra/kamailio';
import { assertPeers, shouldSkip } from '../../infra/peers';
import { waitUntil } from '../../infra/process';
import { callerKeys, runSipp, type SippRun } from '../../infra/sipp';

const APPS = { customers: 11, activities: 12, callbacks: 13 };
const TOKENS = { customers: 'custToken0001', activities: 'actToken0001', callbacks: 'cbToken0001' };
const mapping = KintoneConfig.parse({ baseUrl: 'http://localhost', apps: APPS });

describe.skipIf(shouldSkip('kamailio', 'sipp'))('core: talk tracks on a real call', () => {
  let kam: KamailioHandle;
  let crm: KintoneFake;
  let core: Core;
  let dataDir: string;
  const calls: Call[] = [];
  const tracks: TalkTrack[] = [];
  const logged: EventPayload<'timeline.added'>[] = [];
  const runs: SippRun[] = [];

  /** Waits for probe() to find something, and returns it. */
  async function found<T>(probe: () => T | undefined, what: string): Promise<T> {
    let hit: T | undefined;
    await waitUntil(() => (hit = probe()) !== undefined, { timeoutMs: 5_000, what });
    return hit!;
  }
  async function call<T>(method: MethodName, args: unknown): Promise<T> {
    const r = await core.dispatch(method, args);
    if (!r.ok) throw Object.assign(new Error(r.error.message), r.error);
    return r.result as T;
  }
  /** Where the agent is: the step a move is made on (as the screen sends it). */
  async function at(callId: string) {
    const { talkTrack } = await call<{ talkTrack: TalkTrack }>('getTalkTrack', { callId });
    return { stepId: talkTrack.step.stepId, position: talkTrack.position };
  }
  const act = async (callId: string, action: TalkTrackAction) =>
    call<TalkTrack>('talkTrackAction', { callId, at: await at(callId), action });
  async function refused(callId: string, action: TalkTrackAction) {
    const r = await core.dispatch('talkTrackAction', { callId, at: await at(callId), action });
    expect(r.ok, `${action.type} should have been refused`).toBe(false);
    return (r as { error: { code: string; reason?: string } }).error;
  }

  async function startCore(): Promise<void> {
    core = await createCore({
      dataDir,
      version: 'test',
      seedDemo: true,
      log: silentLogger,
      locale: 'ja',
      scriptFolders: [bundledScripts],
      crm: new KintoneAdapter({
        config: { baseUrl: crm.baseUrl, apps: APPS },
        tokens: TOKENS,
        timeoutMs: 2_000,
      }),
      sync: { backoff: { initialMs: 200, maxMs: 1_000 }, pullIntervalMs: 60_000 },
      sip: {
        server: kam.wsUrl,
        aor: `sip:1001@${kam.domain}`,
        password: 'pw1001',
        displayName: '佐々木',
      },
    });
    core.media.attach(createFakeRenderer().sender);
    core.on('call.updated', (c) => calls.push(c));
    core.on('talkTrack.updated', (t) => tracks.push(t));
    core.on('timeline.added', (e) => logged.push(e));
    await waitUntil(
      async () =>
        (await call<{ phone: { registration: string } }>('hello', {})).phone.registration ===
        'registered',
      { timeoutMs: 10_000, what: 'registration' },
    );
  }

  beforeAll(async () => {
    assertPeers('kamailio', 'sipp');
    kam = await startKamailio({ auth: true });
    crm = await KintoneFake.start({
      apps: callCentreApps(mapping),
      tokens: Object.entries(TOKENS).map(([app, token]) => ({
        token,
        app: APPS[app as keyof typeof APPS],
        view: true,
        add: true,
        edit: true,
      })),
      mapping,
    });
    // The CRM is out of reach at first: what the agent answers must wait in the outbox.
    await crm.down();
    dataDir = mkdtempSync(join(tmpdir(), 'talk-track-int-'));
    await startCore();
  });
  afterAll(async () => {
    await Promise.all(runs.map((r) => r.stop()));
    await core?.close();
    await crm?.close();
    await kam?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  function ring(user: string, reason: string | null): SippRun {
    const run = runSipp({
      scenario: 'uac_call_wait',
      target: `127.0.0.1:${kam.udpPort}`,
      service: '1001',
      keys: callerKeys({ user, header: reason ? `X-Call-Reason: ${reason}` : null }),
      timeoutSec: 60,
    });
    runs.push(run);
    return run;
  }
  const ringing = (user: string) =>
    found(
      () => calls.find((c) => c.state === 'ringing' && c.remote.e164 === `+81${user.slice(1)}`),
      `a ringing call from ${user}`,
    );
  const outbox = (key: string) => {
    const db = openDatabase(join(dataDir, DATABASE_FILE));
    try {
      const row = db
        .prepare<[string], { kind: string; payload: string }>(
          'SELECT kind, payload FROM outbox WHERE key = ?',
        )
        .get(key);
      return row
        ? { kind: row.kind, payload: JSON.parse(row.payload) as Record<string, unknown> }
        : null;
    } finally {
      db.close();
    }
  };

  it('an inquiry from a heavy user: the inquiry script, walked under its rules, answers on the record', async () => {
    const sipp = ring('0355550101', 'inquiry');
    const ringingCall = await ringing('0355550101');
    expect(ringingCall.reason).toBe('inquiry');
    expect(ringingCall.pop.customer).toMatchObject({ id: 'demo-c001', segment: 'heavy' });
    const callId = ringingCall.id;

    const { talkTrack: first } = await call<{ talkTrack: TalkTrack | null }>('getTalkTrack', {
      callId,
    });
    expect(first).toMatchObject({
      script: { id: 'inbound-inquiry', title: 'お問い合わせ（解約・住所変更・返品・未着）' },
      chosenBy: 'auto',
      fit: { direction: 'inbound', reason: 'inquiry', campaign: null, segment: 'heavy' },
      position: 1,
      answers: [],
      step: { stepId: 'greeting', kind: 'say', canAdvance: true, canGoBack: false },
    });
    // The agent's name from the SIP account is filled in.
    expect(first!.step.say).toContain('担当の佐々木でございます');
    expect(first!.alternatives[0]!.id).toBe('inbound-inquiry');
    expect(first!.alternatives.map((s) => s.direction)).not.toContain('outbound');

    await call('answerCall', { callId });
    await waitUntil(() => calls.some((c) => c.id === callId && c.state === 'active'), {
      timeoutMs: 5_000,
      what: 'the call to be answered',
    });

    let t = await act(callId, { type: 'advance' });
    expect(t.step).toMatchObject({ stepId: 'recording_notice', mandatory: true, confirmed: false });
    // The recording notice cannot be skipped.
    expect(await refused(callId, { type: 'advance' })).toMatchObject({
      code: 'invalid_state',
      reason: 'mandatory_unconfirmed',
    });
    t = await act(callId, { type: 'confirm' });
    expect(t.step).toMatchObject({ confirmed: true, canAdvance: true });
    t = await act(callId, { type: 'advance' });
    expect(t.step).toMatchObject({ stepId: 'identity_check', question: { type: 'yes_no' } });
    expect(t.step.confirmText).toContain('山田 太郎');
    expect(await refused(callId, { type: 'answer', value: true })).toMatchObject({
      reason: 'mandatory_unconfirmed',
    });
    await act(callId, { type: 'confirm' });
    t = await act(callId, { type: 'answer', value: true });
    expect(t.step.stepId).toBe('ask_topic');
    expect(await refused(callId, { type: 'answer', value: 'refund' })).toMatchObject({
      code: 'invalid_argument',
      reason: 'invalid_answer',
    });
    t = await act(callId, { type: 'answer', value: 'cancellation' });
    expect(t.step.stepId).toBe('cancel_reason');

    // A reload of the screen: hello, then the same talk track where the agent left it.
    const hello = await call<{ calls: Call[] }>('hello', {});
    expect(hello.calls.map((c) => c.id)).toContain(callId);
    const { talkTrack: again } = await call<{ talkTrack: TalkTrack }>('getTalkTrack', { callId });
    expect(again).toEqual(t);

    // A move made on a step the agent no longer sees (another window moved on) is refused.
    const seen = await at(callId);
    await act(callId, { type: 'back' });
    expect(
      await core.dispatch('talkTrackAction', { callId, at: seen, action: { type: 'advance' } }),
    ).toMatchObject({ ok: false, error: { code: 'invalid_state', reason: 'stale' } });
    await act(callId, { type: 'advance' });

    // Back and forth: the earlier answers stay.
    t = await act(callId, { type: 'back' });
    expect(t.step).toMatchObject({ stepId: 'ask_topic', answer: 'cancellation' });
    t = await act(callId, { type: 'advance' });
    t = await act(callId, { type: 'answer', value: 'price' });
    expect(t.step.stepId).toBe('offer_discount');
    t = await act(callId, { type: 'answer', value: true });
    expect(t.step).toMatchObject({
      kind: 'end',
      end: { disposition: 'retained', action: 'none' },
    });
    expect(t.answers.map((a) => [a.stepId, a.display])).toEqual([
      ['identity_check', 'はい'],
      ['ask_topic', '解約・キャンセル'],
      ['cancel_reason', '価格が高い'],
      ['offer_discount', 'はい'],
    ]);
    expect(t.answers[1]!.question).toBe('本日はどのようなご用件でしょうか。');
    // Every move reached the screen as an event carrying what the request returned.
    expect(tracks.at(-1)).toEqual(t);

    // In the outbox already, while the call lasts: one record for this call and script.
    const queued = outbox(`script:${callId}:inbound-inquiry`);
    expect(queued?.kind).toBe('script_answers');
    expect(queued?.payload).toMatchObject({
      interactionId: callId,
      customerId: 'demo-c001',
      scriptId: 'inbound-inquiry',
      answers: {
        identity_check: { value: true, answer: 'はい' },
        ask_topic: { value: 'cancellation', answer: '解約・キャンセル' },
        cancel_reason: { value: 'price', answer: '価格が高い' },
        offer_discount: { value: true, answer: 'はい' },
      },
    });

    // The call ends: its timeline entry carries the answers.
    await call('hangupCall', { callId });
    expect((await sipp.done).code).toBe(0);
    const entry = await found(
      () => logged.find((e) => e.entry.id === callId)?.entry,
      'the call on the timeline',
    );
    expect(entry.answers?.map((a) => a.answer)).toEqual([
      'はい',
      '解約・キャンセル',
      '価格が高い',
      'はい',
    ]);
    const timeline = await call<TimelineEntry[]>('getTimeline', { customerId: 'demo-c001' });
    expect(timeline.find((e) => e.id === callId)?.answers).toEqual(entry.answers);

    // The CRM comes back: one activity record for the call's answers, with all of them.
    await crm.up();
    await call('syncNow', {});
    const A = mapping.fields.activities;
    const inCrm = () =>
      [...crm.allRecords(APPS.activities)].filter(
        (r) => r.values[A.syncKey] === `script:${callId}:inbound-inquiry`,
      );
    await waitUntil(() => inCrm().length === 1, {
      timeoutMs: 10_000,
      what: 'the answers to reach the CRM',
    });
    const detail = JSON.parse(inCrm()[0]!.values[A.detail]!) as {
      answers: Record<string, { answer: string }>;
    };
    expect(detail.answers.cancel_reason?.answer).toBe('価格が高い');

    // The script's suggestion closes the wrap-up (inbound calls use the 'requested' codes).
    await call('setDisposition', { interactionId: callId, code: t.step.end!.disposition });

    // Core restarts during wrap-up: the position comes back from SQLite.
    await core.close();
    tracks.length = 0;
    await startCore();
    const { talkTrack: restored } = await call<{ talkTrack: TalkTrack }>('getTalkTrack', {
      callId,
    });
    expect(restored.step.stepId).toBe('end_retained');
    expect(restored.answers).toEqual(t.answers);
    expect(restored.position).toBe(t.position);
    // An answer changed after the call (going back in wrap-up) updates the timeline entry.
    await act(callId, { type: 'back' });
    t = await act(callId, { type: 'answer', value: false });
    expect(t.step.stepId).toBe('confirm_cancel');
    const updated = await found(
      () =>
        logged.findLast(
          (e) => e.entry.id === callId && e.entry.answers?.at(-1)?.answer === 'いいえ',
        ),
      'the timeline entry to show the changed answer',
    );
    expect(updated.customerId).toBe('demo-c001');
    // …and the same CRM record, not a second one.
    await call('syncNow', {});
    await waitUntil(
      () => {
        const records = inCrm();
        return (
          records.length === 1 &&
          (
            JSON.parse(records[0]!.values[A.detail]!) as {
              answers: Record<string, { answer: string }>;
            }
          ).answers.offer_discount?.answer === 'いいえ'
        );
      },
      { timeoutMs: 10_000, what: 'the changed answer to reach the same CRM record' },
    );
  }, 60_000);

  it('the same reason from a new caller, no reason, and a script switched by the agent', async () => {
    // An order from an unknown number: a new customer, the new-order script.
    const sipp = ring('0399998888', 'order');
    const c = await ringing('0399998888');
    expect(c.pop.customer).toBeNull();
    const { talkTrack: t } = await call<{ talkTrack: TalkTrack }>('getTalkTrack', { callId: c.id });
    expect(t.script.id).toBe('inbound-order');
    expect(t.fit).toMatchObject({ reason: 'order', segment: 'new' });

    // The agent hears it is really an inquiry and switches; coming back resumes the order.
    await act(c.id, { type: 'advance' });
    const switched = await call<TalkTrack>('switchScript', {
      callId: c.id,
      scriptId: 'inbound-inquiry',
    });
    expect(switched).toMatchObject({
      chosenBy: 'agent',
      script: { id: 'inbound-inquiry' },
      position: 1,
    });
    const back = await call<TalkTrack>('switchScript', { callId: c.id, scriptId: 'inbound-order' });
    expect(back.position).toBe(2);
    expect(
      (await core.dispatch('switchScript', { callId: c.id, scriptId: 'no-such-script' })).ok,
    ).toBe(false);
    await call('rejectCall', { callId: c.id });
    await sipp.done;

    // No reason from the IVR: only a script that asks for none fits (the general one), not a
    // guess among the scripts made for a reason.
    const none = ring('0312345678', null);
    const n = await ringing('0312345678');
    expect(n.reason).toBeNull();
    const offered = await call<{ talkTrack: TalkTrack | null }>('getTalkTrack', { callId: n.id });
    expect(offered.talkTrack?.script.id).toBe('inbound-general');
    // The others follow, closest first: the new-order script fits the new caller's segment.
    expect(offered.talkTrack?.alternatives.map((s) => s.id)).toEqual([
      'inbound-general',
      'inbound-order',
      'inbound-inquiry',
      'inbound-repeat-order',
    ]);
    // A call that is neither live nor logged has no talk track to move.
    expect(
      await core.dispatch('talkTrackAction', {
        callId: 'c-none',
        at: { stepId: 'greeting', position: 1 },
        action: { type: 'advance' },
      }),
    ).toMatchObject({ ok: false, error: { code: 'not_found' } });
    // An outbound script is not for an inbound call.
    expect(
      await core.dispatch('switchScript', { callId: n.id, scriptId: 'outbound-renewal' }),
    ).toMatchObject({ ok: false, error: { code: 'invalid_state', reason: 'wrong_direction' } });
    // Settings list the scripts and the files that did not load, by file name and line.
    const listed = await call<{
      scripts: { id: string }[];
      problems: { file: string; line: number | null; message: string }[];
    }>('listScripts', {});
    expect(listed.scripts.map((x) => x.id)).toContain('inbound-general');
    expect(listed.problems).toEqual([]);
    await call('rejectCall', { callId: n.id });
    await none.done;
  }, 60_000);
});
