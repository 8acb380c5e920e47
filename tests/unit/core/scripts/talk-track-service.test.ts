// The talk-track service with everything real but the call: a SQLite file with its
// migrations, the shipped scripts (plus synthetic ones in a second folder), the real
// repositories. The call's facts come from a function the test controls; every track the
// service sends is recorded.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  TalkTrack,
  type Call,
  type CustomerSummary,
  type Locale,
  type TalkTrackAction,
} from '../../../../preload/contract';
import type { Logger } from '../../../../main/core/log';
import { createCallInfoSource, type CallInfo } from '../../../../main/core/scripts/call-info';
import type { CallFacts } from '../../../../main/core/scripts/choose-script';
import {
  createScriptLibrary,
  type ScriptLibrary,
} from '../../../../main/core/scripts/script-library';
import {
  createTalkTrackService,
  TalkTrackError,
  type TalkTrackService,
} from '../../../../main/core/scripts/talk-track-service';
import { createAttemptRepo } from '../../../../main/core/store/attempts';
import { createCallbackRepo } from '../../../../main/core/store/callbacks';
import { createCampaignRepo } from '../../../../main/core/store/campaigns';
import { createCustomerRepo } from '../../../../main/core/store/customers';
import { createInteractionRepo } from '../../../../main/core/store/interactions';
import { openDatabase, type Database } from '../../../../main/core/store/db';
import { createOutboxRepo } from '../../../../main/core/store/outbox';
import { createScriptAnswerRepo } from '../../../../main/core/store/script-answers';
import {
  createScriptSessionRepo,
  type ScriptSessionRepo,
} from '../../../../main/core/store/script-sessions';

const repo = fileURLToPath(new URL('../../../../', import.meta.url));
const SAMPLES = join(repo, 'assets/scripts');
const NOW = Date.UTC(2025, 4, 20, 3, 0, 0);
const HOME = '+81355550101';

const yamada: CustomerSummary = {
  id: 'cust-1',
  name: '山田 太郎',
  nameKana: 'ヤマダ タロウ',
  segment: 'repeat',
  phone: HOME,
};

let root: string;
let extra: string;
let db: Database;
let library: ScriptLibrary;
let sessions: ScriptSessionRepo;
let service: TalkTrackService;
let clock: number;
let locale: Locale;
let infos: Map<string, CallInfo>;
let asked: string[];
let emitted: TalkTrack[];
let answered: string[];
let logged: { level: string; msg: string; fields?: Record<string, unknown> }[];

const log: Logger = {
  debug: () => {},
  info: () => {},
  warn: (msg, fields) => logged.push({ level: 'warn', msg, fields }),
  error: (msg, fields) => logged.push({ level: 'error', msg, fields }),
};

/** Opens the database and the library and starts a service on them (a core start). */
function boot(keep?: number): void {
  db = openDatabase(join(root, 'agent.db'));
  library = createScriptLibrary({ folders: [SAMPLES, extra], log, watch: false });
  sessions = createScriptSessionRepo(db, { now: () => clock, log });
  const outbox = createOutboxRepo(db, { now: () => clock });
  service = createTalkTrackService({
    library,
    sessions,
    answers: createScriptAnswerRepo(db, outbox),
    callInfo: (id) => {
      asked.push(id);
      return infos.get(id) ?? null;
    },
    locale: () => locale,
    agentName: () => '佐藤',
    emit: (t) => emitted.push(t),
    onAnswered: (id) => answered.push(id),
    now: () => clock,
    log,
    ...(keep === undefined ? {} : { keep }),
  });
}

/** Closes everything and boots again on the same files (a restart of core). */
function restart(keep?: number): void {
  library.close();
  db.close();
  boot(keep);
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'agent-talk-'));
  extra = join(root, 'scripts');
  mkdirSync(extra);
  clock = NOW;
  locale = 'ja';
  infos = new Map();
  asked = [];
  emitted = [];
  answered = [];
  logged = [];
  boot();
  createCustomerRepo(db, { now: () => clock }).upsert({
    id: 'cust-1',
    name: '山田 太郎',
    nameKana: 'ヤマダ タロウ',
    segment: 'repeat',
    phones: [HOME],
    crmId: '101',
  });
});
afterEach(() => {
  library.close();
  db.close();
  rmSync(root, { recursive: true, force: true });
});

function call(callId: string, facts: Partial<CallFacts> = {}, over: Partial<CallInfo> = {}) {
  const info: CallInfo = {
    callId,
    live: true,
    facts: { direction: 'inbound', reason: 'inquiry', campaign: null, segment: 'repeat', ...facts },
    customer: yamada,
    number: HOME,
    purchaseCount: 3,
    lastContactAt: NOW - 10 * 86_400_000,
    callback: null,
    ...over,
  };
  infos.set(callId, info);
  return info;
}

/** act(), checking that what it returns is what it sent, once, and fits the contract. */
function act(callId: string, action: TalkTrackAction): TalkTrack {
  const before = emitted.length;
  const track = service.act(callId, action);
  expect(emitted.length).toBe(before + 1);
  expect(emitted.at(-1)).toBe(track);
  expect(TalkTrack.parse(track)).toEqual(track);
  return track;
}

/** The refusal an action meets; nothing is sent and nothing moves. */
function refused(callId: string, action: TalkTrackAction): { kind: string; reason: string } {
  const before = { emitted: emitted.length, track: service.get(callId), row: sessions.get(callId) };
  let error: unknown;
  try {
    service.act(callId, action);
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(TalkTrackError);
  expect(emitted.length).toBe(before.emitted);
  expect(service.get(callId)).toEqual(before.track);
  expect(sessions.get(callId)).toEqual(before.row);
  const e = error as TalkTrackError;
  return { kind: e.kind, reason: e.reason };
}

const ADVANCE = { type: 'advance' } as const;
const CONFIRM = { type: 'confirm' } as const;
const BACK = { type: 'back' } as const;
const answer = (value: string | number | boolean): TalkTrackAction => ({ type: 'answer', value });

/** Greeting → recording notice (confirmed) → identity check (confirmed, yes) → ask_topic. */
function toTopic(callId: string): TalkTrack {
  act(callId, ADVANCE);
  act(callId, CONFIRM);
  act(callId, ADVANCE);
  act(callId, CONFIRM);
  return act(callId, answer(true));
}

const ids = (t: TalkTrack): string[] => t.alternatives.map((s) => s.id);

function outbox(): { key: string; kind: string; payload: unknown }[] {
  return db
    .prepare<[], { key: string; kind: string; payload: string }>(
      'SELECT key, kind, payload FROM outbox ORDER BY seq',
    )
    .all()
    .map((r) => ({ ...r, payload: JSON.parse(r.payload) as unknown }));
}

/** A small script: a (ask yes/no) → b (say) → bye (end), ids and texts adjustable. */
function tiny(o: { version?: number; a?: string; b?: string; reasons?: string } = {}): void {
  const b = o.b ?? 'b';
  writeFileSync(
    join(extra, 'tiny.yaml'),
    `id: tiny
version: ${o.version ?? 1}
title: { ja: 小さな台本, en: Tiny }
languages: [ja, en]
match: { direction: inbound, reasons: [${o.reasons ?? 'consultation'}] }
start: a
steps:
  - id: a
    ask: { ja: '${o.a ?? '質問A'}', en: Question A }
    question: { type: yes_no }
    next: ${b}
  - id: ${b}
    say: { ja: 説明B, en: Saying B }
    next: bye
  - id: bye
    say: { ja: さようなら, en: Bye }
    end: { disposition: completed }
`,
  );
}

describe('get', () => {
  it('starts the best-fitting script, stores the position, and sends nothing', () => {
    call('call-1');
    const track = service.get('call-1')!;
    expect(TalkTrack.parse(track)).toEqual(track);
    expect(track).toEqual({
      callId: 'call-1',
      script: {
        id: 'inbound-inquiry',
        version: 1,
        title: 'お問い合わせ（解約・住所変更・返品・未着）',
        direction: 'inbound',
        reasons: ['inquiry'],
        campaigns: [],
        segments: [],
      },
      chosenBy: 'auto',
      fit: { direction: 'inbound', reason: 'inquiry', campaign: null, segment: 'repeat' },
      alternatives: track.alternatives,
      step: {
        scriptId: 'inbound-inquiry',
        stepId: 'greeting',
        kind: 'say',
        say: 'お電話ありがとうございます。サンプル通販お客様センター、担当の佐藤でございます。',
        ask: null,
        question: null,
        answer: null,
        mandatory: false,
        confirmed: false,
        confirmText: null,
        canGoBack: false,
        canAdvance: true,
        objections: [
          { id: 'obj_just_cancel', label: '引き止めないでほしい' },
          { id: 'obj_busy', label: '今は忙しい' },
          { id: 'obj_supervisor', label: '責任者を出して' },
          { id: 'obj_expensive', label: '高い' },
        ],
        objection: null,
        end: null,
      },
      position: 1,
      answers: [],
    });
    expect(ids(track)).toEqual([
      'inbound-inquiry',
      'inbound-general',
      'inbound-repeat-order',
      'inbound-order',
    ]);
    expect(track.alternatives[1]?.title).toBe('ご相談・その他のお問い合わせ（受電）');
    expect(sessions.get('call-1')).toEqual({
      scriptId: 'inbound-inquiry',
      chosenBy: 'auto',
      sessions: {
        'inbound-inquiry': {
          scriptId: 'inbound-inquiry',
          version: 1,
          current: 'greeting',
          history: [],
          answers: {},
          confirmed: [],
          objection: null,
          ended: null,
        },
      },
    });
    expect(emitted).toEqual([]);
  });

  it('returns the same progress when asked again, from memory', () => {
    call('call-1');
    service.get('call-1');
    const moved = act('call-1', ADVANCE);
    expect(service.get('call-1')).toEqual(moved);
    expect(service.get('call-1')?.step.stepId).toBe('recording_notice');
    expect(asked).toEqual(['call-1']);
  });

  it('picks the script for the call’s facts: a heavy customer’s order, a renewal call', () => {
    call('call-2', { reason: 'order', segment: 'heavy' });
    expect(service.get('call-2')?.script.id).toBe('inbound-repeat-order');
    call('call-3', { direction: 'outbound', reason: null, campaign: 'renewal' });
    const renewal = service.get('call-3')!;
    expect(renewal.script.id).toBe('outbound-renewal');
    expect(renewal.step.say).toBe(
      'お忙しいところ恐れ入ります。わたくし、サンプル通販の佐藤と申します。',
    );
  });

  it('gives null, and stores nothing, when no script fits (a number dialled by hand)', () => {
    // The centre's own outbound-general (replacing the shipped one) asks for a campaign, so a
    // number dialled by hand fits no script.
    writeFileSync(
      join(extra, 'outbound-general.yaml'),
      [
        'id: outbound-general',
        'version: 2',
        'title: { ja: 発信, en: Outbound }',
        'languages: [ja, en]',
        'match: { direction: outbound, campaigns: [requested] }',
        'start: bye',
        'steps:',
        '  - id: bye',
        '    say: { ja: 失礼します, en: Goodbye }',
        '    end: { disposition: completed }',
      ].join('\n'),
    );
    library.reload();
    call('call-out', { direction: 'outbound', reason: null, campaign: null });
    expect(service.get('call-out')).toBeNull();
    expect(sessions.get('call-out')).toBeNull();
    expect(refused('call-out', ADVANCE)).toEqual({ kind: 'not_found', reason: 'no_script' });
    // The agent may still pick one: that starts the track.
    expect(service.switchTo('call-out', 'outbound-renewal')).toMatchObject({
      script: { id: 'outbound-renewal' },
      chosenBy: 'agent',
      position: 1,
    });
    expect(sessions.get('call-out')?.scriptId).toBe('outbound-renewal');
    expect(() => service.switchTo('call-out', 'no-such-script')).toThrow(TalkTrackError);
  });

  it('gives null for a call it does not know, and refuses moves on it as not found', () => {
    expect(service.get('call-none')).toBeNull();
    expect(refused('call-none', ADVANCE)).toEqual({ kind: 'not_found', reason: 'no_script' });
  });
});

describe('act', () => {
  it('walks the script: each move is sent as it is returned, and stored', () => {
    call('call-1');
    service.get('call-1');
    const notice = act('call-1', ADVANCE);
    expect(notice.position).toBe(2);
    expect(notice.step).toMatchObject({
      stepId: 'recording_notice',
      mandatory: true,
      confirmed: false,
      confirmText: '通話録音の告知をしました',
      canGoBack: true,
      canAdvance: false,
    });
    expect(act('call-1', CONFIRM).step).toMatchObject({ confirmed: true, canAdvance: true });
    const identity = act('call-1', ADVANCE);
    expect(identity.step).toMatchObject({
      stepId: 'identity_check',
      kind: 'ask',
      ask: 'お調べいたしますので、ご本人様確認のため、ご登録のお名前とお電話番号をお伺いできますでしょうか。',
      question: { type: 'yes_no' },
      confirmText: 'お名前とお電話番号がご登録内容（山田 太郎 様）と一致することを確認しました',
    });
    act('call-1', CONFIRM);
    const topic = act('call-1', answer(true));
    expect(topic.position).toBe(4);
    expect(topic.step).toMatchObject({
      stepId: 'ask_topic',
      say: '山田 太郎 様、確認が取れました。ありがとうございます。',
      ask: '本日はどのようなご用件でしょうか。',
      answer: null,
      canAdvance: false,
    });
    const back = act('call-1', BACK);
    expect(back.position).toBe(3);
    expect(back.step).toMatchObject({ stepId: 'identity_check', answer: true, canAdvance: true });
    expect(act('call-1', ADVANCE).step.stepId).toBe('ask_topic');
    expect(sessions.get('call-1')?.sessions['inbound-inquiry']).toEqual({
      scriptId: 'inbound-inquiry',
      version: 1,
      current: 'ask_topic',
      history: ['greeting', 'recording_notice', 'identity_check'],
      answers: { identity_check: true },
      confirmed: ['recording_notice', 'identity_check'],
      objection: null,
      ended: null,
    });
    expect(answered).toEqual(['call-1']); // once: the one answer
  });

  it('opens and closes objections, back to the step or on to its goto', () => {
    call('call-1');
    service.get('call-1');
    toTopic('call-1');
    const open = act('call-1', { type: 'openObjection', objectionId: 'obj_expensive' });
    expect(open.step).toMatchObject({
      stepId: 'ask_topic',
      canGoBack: false,
      canAdvance: false,
      objection: {
        id: 'obj_expensive',
        label: '高い',
        say: 'ご意見ありがとうございます。価格についてのご意見は、担当部署にも共有させていただきます。',
        goto: null,
      },
    });
    expect(sessions.get('call-1')?.sessions['inbound-inquiry']?.objection).toEqual({
      id: 'obj_expensive',
      returnTo: 'ask_topic',
    });
    expect(refused('call-1', answer('return'))).toEqual({
      kind: 'invalid_state',
      reason: 'objection_open',
    });
    const closed = act('call-1', { type: 'closeObjection' });
    expect(closed.step).toMatchObject({ stepId: 'ask_topic', objection: null });
    expect(closed.position).toBe(4);

    act('call-1', { type: 'openObjection', objectionId: 'obj_busy' });
    const end = act('call-1', { type: 'closeObjection' });
    expect(end.position).toBe(5);
    expect(end.step).toMatchObject({
      stepId: 'end_callback',
      kind: 'end',
      canAdvance: false,
      end: { disposition: 'call_me_at', action: 'schedule_callback' },
    });
    expect(refused('call-1', ADVANCE)).toEqual({ kind: 'invalid_state', reason: 'ended' });
  });

  it('refuses moves the step does not allow, with the reason', () => {
    call('call-1');
    service.get('call-1');
    expect(refused('call-1', BACK)).toEqual({ kind: 'invalid_state', reason: 'no_history' });
    expect(refused('call-1', answer('x'))).toEqual({
      kind: 'invalid_state',
      reason: 'not_a_question',
    });
    expect(refused('call-1', CONFIRM)).toEqual({ kind: 'invalid_state', reason: 'not_mandatory' });
    expect(refused('call-1', { type: 'closeObjection' })).toEqual({
      kind: 'invalid_state',
      reason: 'no_objection',
    });
    expect(refused('call-1', { type: 'openObjection', objectionId: 'obj_nope' })).toEqual({
      kind: 'not_found',
      reason: 'unknown_objection',
    });
    act('call-1', ADVANCE);
    // The recording notice must be confirmed before moving on.
    expect(refused('call-1', ADVANCE)).toEqual({
      kind: 'invalid_state',
      reason: 'mandatory_unconfirmed',
    });
    act('call-1', CONFIRM);
    act('call-1', ADVANCE);
    // So must the identity check, before it is answered.
    expect(refused('call-1', answer(true))).toEqual({
      kind: 'invalid_state',
      reason: 'mandatory_unconfirmed',
    });
    act('call-1', CONFIRM);
    expect(refused('call-1', answer('yes'))).toEqual({
      kind: 'invalid_argument',
      reason: 'invalid_answer',
    });
    expect(refused('call-1', ADVANCE)).toEqual({ kind: 'invalid_state', reason: 'unanswered' });
    act('call-1', answer(true));
    expect(refused('call-1', answer('refund'))).toEqual({
      kind: 'invalid_argument',
      reason: 'invalid_answer',
    });
    expect(answered).toEqual(['call-1']);
    expect(outbox()).toHaveLength(1);
  });

  it('keeps the message of the engine’s refusal', () => {
    call('call-1');
    service.get('call-1');
    act('call-1', ADVANCE);
    expect(() => service.act('call-1', ADVANCE)).toThrow(
      "step 'recording_notice' must be confirmed before moving on",
    );
  });
});

describe('answers', () => {
  it('stores each answer with the question as asked and the answer as read back', () => {
    call('call-1');
    service.get('call-1');
    toTopic('call-1');
    clock += 30_000;
    const track = act('call-1', answer('address_change'));
    expect(track.step.stepId).toBe('new_address');
    clock += 30_000;
    const address = act('call-1', answer('  東京都千代田区千代田1-1  '));
    const expected = [
      {
        stepId: 'identity_check',
        question:
          'お調べいたしますので、ご本人様確認のため、ご登録のお名前とお電話番号をお伺いできますでしょうか。',
        value: true,
        display: 'はい',
        answeredAt: NOW,
      },
      {
        stepId: 'ask_topic',
        question: '本日はどのようなご用件でしょうか。',
        value: 'address_change',
        display: '住所・お届け先の変更',
        answeredAt: NOW + 30_000,
      },
      {
        stepId: 'new_address',
        question: '新しいご住所を、郵便番号からお願いいたします。',
        value: '東京都千代田区千代田1-1',
        display: '東京都千代田区千代田1-1',
        answeredAt: NOW + 60_000,
      },
    ];
    expect(address.answers).toEqual(expected);
    expect(service.get('call-1')?.answers).toEqual(expected);
    expect(answered).toEqual(['call-1', 'call-1', 'call-1']);
  });

  it('queues the script’s answers for the CRM under one key per call and script', () => {
    call('call-1');
    service.get('call-1');
    toTopic('call-1');
    act('call-1', answer('cancellation'));
    expect(outbox()).toEqual([
      {
        key: 'script:call-1:inbound-inquiry',
        kind: 'script_answers',
        payload: {
          interactionId: 'call-1',
          customerId: 'cust-1',
          customerCrmId: '101',
          scriptId: 'inbound-inquiry',
          answers: {
            identity_check: {
              value: true,
              question:
                'お調べいたしますので、ご本人様確認のため、ご登録のお名前とお電話番号をお伺いできますでしょうか。',
              answer: 'はい',
              at: NOW,
            },
            ask_topic: {
              value: 'cancellation',
              question: '本日はどのようなご用件でしょうか。',
              answer: '解約・キャンセル',
              at: NOW,
            },
          },
        },
      },
    ]);
  });

  it('reads answers back in the agent’s language: Yes / No and the choice’s label', () => {
    locale = 'en';
    call('call-1');
    expect(service.get('call-1')?.step.say).toBe(
      'Thank you for calling Sample Direct customer service. This is 佐藤 speaking.',
    );
    toTopic('call-1');
    const track = act('call-1', answer('missing_delivery'));
    expect(track.answers.map((a) => [a.question, a.display])).toEqual([
      [
        'So that I can look into this, may I have the name and phone number registered with us to confirm your identity?',
        'Yes',
      ],
      ['How can I help you today?', 'Delivery has not arrived'],
    ]);
    // A "no", and a number.
    call('call-2', { reason: 'inquiry' });
    service.get('call-2');
    act('call-2', ADVANCE);
    act('call-2', CONFIRM);
    act('call-2', ADVANCE);
    act('call-2', CONFIRM);
    const no = act('call-2', answer(false));
    expect(no.step.stepId).toBe('end_unverified');
    expect(no.answers.map((a) => a.display)).toEqual(['No']);
    locale = 'ja';
    call('call-3', { reason: 'order', segment: 'heavy' });
    service.get('call-3');
    act('call-3', ADVANCE);
    act('call-3', CONFIRM);
    act('call-3', ADVANCE);
    act('call-3', CONFIRM);
    expect(act('call-3', answer(false)).answers.map((a) => a.display)).toEqual(['いいえ']);
  });

  it('does not move when the answer cannot be stored (the outbox refuses)', () => {
    call('call-1');
    service.get('call-1');
    act('call-1', ADVANCE);
    act('call-1', CONFIRM);
    act('call-1', ADVANCE);
    act('call-1', CONFIRM);
    db.exec(`CREATE TEMP TRIGGER refuse_outbox BEFORE INSERT ON outbox
               BEGIN SELECT RAISE(ABORT, 'disk says no'); END;`);
    const before = { track: service.get('call-1'), row: sessions.get('call-1') };
    const sent = emitted.length;
    expect(() => service.act('call-1', answer(true))).toThrow('disk says no');
    expect(service.get('call-1')).toEqual(before.track);
    expect(service.get('call-1')?.step.stepId).toBe('identity_check');
    expect(sessions.get('call-1')).toEqual(before.row);
    expect(emitted.length).toBe(sent);
    expect(answered).toEqual([]);
    expect(db.prepare('SELECT count(*) FROM script_answers').pluck().get()).toBe(0);
  });

  it('fills a read-back of an earlier answer into the question ({{answers.…}})', () => {
    call('call-1');
    service.get('call-1');
    toTopic('call-1');
    act('call-1', answer('address_change'));
    const confirm = act('call-1', answer('東京都千代田区千代田1-1'));
    expect(confirm.step.stepId).toBe('confirm_address');
    expect(confirm.step.ask).toBe(
      '復唱いたします。東京都千代田区千代田1-1、でお間違いないでしょうか。',
    );
    const done = act('call-1', answer(true));
    expect(done.answers.at(-1)?.question).toBe(
      '復唱いたします。東京都千代田区千代田1-1、でお間違いないでしょうか。',
    );
  });
});

describe('switchTo', () => {
  it('switches scripts keeping the first one’s session and answers to come back to', () => {
    call('call-1');
    service.get('call-1');
    const topic = toTopic('call-1');
    const order = service.switchTo('call-1', 'inbound-order');
    expect(emitted.at(-1)).toBe(order);
    expect(order).toMatchObject({
      script: { id: 'inbound-order' },
      chosenBy: 'agent',
      position: 1,
      answers: [],
      step: { stepId: 'greeting' },
    });
    // The alternatives are still those of the call.
    expect(ids(order)).toEqual(ids(topic));
    act('call-1', ADVANCE);
    expect(Object.keys(sessions.get('call-1')!.sessions).sort()).toEqual([
      'inbound-inquiry',
      'inbound-order',
    ]);
    expect(sessions.get('call-1')).toMatchObject({ scriptId: 'inbound-order', chosenBy: 'agent' });

    const again = service.switchTo('call-1', 'inbound-inquiry');
    expect(again).toEqual({ ...topic, chosenBy: 'agent' });
    // And back to the order script where it was left.
    expect(service.switchTo('call-1', 'inbound-order').step.stepId).toBe('recording_notice');
  });

  it('switching to the script already on screen changes nothing but the chooser', () => {
    call('call-1');
    service.get('call-1');
    const moved = act('call-1', ADVANCE);
    expect(service.switchTo('call-1', 'inbound-inquiry')).toEqual({ ...moved, chosenBy: 'agent' });
  });

  it('refuses a script that is not loaded', () => {
    call('call-1');
    service.get('call-1');
    let error: unknown;
    try {
      service.switchTo('call-1', 'no-such-script');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(TalkTrackError);
    expect(error).toMatchObject({
      kind: 'not_found',
      reason: 'no_script',
      message: "no script 'no-such-script' is loaded",
    });
    expect(service.get('call-1')?.script.id).toBe('inbound-inquiry');
  });
});

describe('callChanged', () => {
  it('chooses again for an untouched automatic choice when the campaign becomes known', () => {
    writeFileSync(
      join(extra, 'outbound-any.yaml'),
      `id: outbound-any
version: 1
title: { ja: 架電（共通）, en: Outbound (any) }
languages: [ja, en]
match: { direction: outbound }
start: hello
steps:
  - id: hello
    say: { ja: もしもし, en: Hello }
    end: { disposition: completed }
`,
    );
    restart();
    call('call-out', { direction: 'outbound', reason: null, campaign: null });
    expect(service.get('call-out')?.script.id).toBe('outbound-any');
    call('call-out', { direction: 'outbound', reason: null, campaign: 'renewal' });
    service.callChanged('call-out');
    expect(emitted).toHaveLength(1);
    expect(emitted[0]).toMatchObject({
      script: { id: 'outbound-renewal' },
      chosenBy: 'auto',
      fit: { campaign: 'renewal' },
      position: 1,
    });
    expect(service.get('call-out')).toEqual(emitted[0]);
    expect(sessions.get('call-out')).toMatchObject({
      scriptId: 'outbound-renewal',
      chosenBy: 'auto',
    });
    expect(Object.keys(sessions.get('call-out')!.sessions)).toEqual(['outbound-renewal']);
  });

  it('chooses again when a customer is assigned (a new caller turns out to be heavy)', () => {
    call('call-1', { reason: 'order', segment: 'new' }, { customer: null });
    expect(service.get('call-1')?.script.id).toBe('inbound-order');
    call('call-1', { reason: 'order', segment: 'heavy' });
    service.callChanged('call-1');
    expect(emitted.map((t) => t.script.id)).toEqual(['inbound-repeat-order']);
  });

  it('re-sends, without restarting, when the facts change but the choice does not', () => {
    call('call-1');
    service.get('call-1');
    call('call-1', { segment: 'heavy' });
    service.callChanged('call-1');
    expect(emitted).toHaveLength(1);
    expect(emitted[0]).toMatchObject({
      script: { id: 'inbound-inquiry' },
      fit: { segment: 'heavy' },
      position: 1,
    });
  });

  it('sends nothing when the facts are the same', () => {
    call('call-1');
    service.get('call-1');
    service.callChanged('call-1');
    expect(emitted).toEqual([]);
  });

  it('never changes a script the agent has touched', () => {
    call('call-1', { reason: 'order', segment: 'new' });
    service.get('call-1');
    act('call-1', ADVANCE);
    const sent = emitted.length;
    call('call-1', { reason: 'order', segment: 'heavy' });
    service.callChanged('call-1');
    // Re-sent (the facts on screen changed), on the same script and step.
    expect(emitted.length).toBe(sent + 1);
    expect(emitted.at(-1)).toMatchObject({
      script: { id: 'inbound-order' },
      step: { stepId: 'recording_notice' },
    });
    const track = service.get('call-1')!;
    expect(track.script.id).toBe('inbound-order');
    expect(track.step.stepId).toBe('recording_notice');
    expect(track.fit.segment).toBe('heavy');
  });

  it('never changes a script the agent switched to', () => {
    call('call-1', { reason: 'order', segment: 'new' });
    service.get('call-1');
    service.switchTo('call-1', 'inbound-general');
    const sent = emitted.length;
    call('call-1', { reason: 'order', segment: 'heavy' });
    service.callChanged('call-1');
    expect(emitted.length).toBe(sent + 1);
    expect(emitted.at(-1)?.script.id).toBe('inbound-general');
    expect(service.get('call-1')).toMatchObject({
      script: { id: 'inbound-general' },
      chosenBy: 'agent',
    });
  });

  it('ignores a call whose track was never asked for', () => {
    call('call-1');
    service.callChanged('call-1');
    expect(emitted).toEqual([]);
    expect(asked).toEqual([]);
    expect(sessions.get('call-1')).toBeNull();
  });
});

describe('refresh', () => {
  it('re-sends every track in the agent’s new language, where each one is', () => {
    call('call-1');
    call('call-2', { reason: 'order', segment: 'heavy' });
    service.get('call-1');
    service.get('call-2');
    act('call-1', ADVANCE);
    emitted.length = 0;
    locale = 'en';
    service.refresh();
    expect(emitted.map((t) => [t.callId, t.script.title, t.step.stepId, t.step.say])).toEqual([
      [
        'call-1',
        'Inquiries (cancellation, address change, return, missing delivery)',
        'recording_notice',
        'Please note that this call is recorded to help us improve our service.',
      ],
      [
        'call-2',
        'Repeat order (inbound, existing customer)',
        'greeting',
        'Thank you for calling Sample Direct. This is 佐藤 speaking.',
      ],
    ]);
    expect(emitted.map((t) => t.position)).toEqual([2, 1]);
    expect(emitted[0]?.alternatives[0]?.title).toBe(emitted[0]?.script.title);
    for (const t of emitted) expect(TalkTrack.parse(t)).toEqual(t);
  });

  it('restarts an untouched track on a reloaded script; a touched one stays on its version', () => {
    tiny({ a: '質問A' });
    restart();
    call('call-t1', { reason: 'consultation' });
    call('call-t2', { reason: 'consultation' });
    expect(service.get('call-t1')?.script.id).toBe('tiny');
    service.get('call-t2');
    act('call-t1', answer(true));
    emitted.length = 0;

    tiny({ version: 2, a: '質問A（改訂）' });
    library.reload();
    service.refresh();
    expect(
      emitted.map((t) => [t.callId, t.script.version, t.step.stepId, t.step.ask ?? t.step.say]),
    ).toEqual([
      ['call-t1', 1, 'b', '説明B'],
      ['call-t2', 2, 'a', '質問A（改訂）'],
    ]);
    expect(sessions.get('call-t2')?.sessions.tiny?.version).toBe(2);
    expect(sessions.get('call-t1')?.sessions.tiny?.version).toBe(1);
    // The touched track still walks its version to the end.
    expect(act('call-t1', ADVANCE).step).toMatchObject({ stepId: 'bye', kind: 'end' });
  });

  it('leaves an untouched track alone when its script did not change', () => {
    call('call-1');
    service.get('call-1');
    const row = sessions.get('call-1');
    clock += 1000;
    library.reload();
    service.refresh();
    expect(emitted).toHaveLength(1);
    expect(emitted[0]?.position).toBe(1);
    expect(sessions.get('call-1')).toEqual(row);
  });
});

describe('after a restart of core', () => {
  it('restores where each call was, with its answers', () => {
    call('call-1');
    service.get('call-1');
    toTopic('call-1');
    const before = act('call-1', { type: 'openObjection', objectionId: 'obj_expensive' });
    restart();
    asked = [];
    expect(service.get('call-1')).toEqual(before);
    expect(asked).toEqual(['call-1']);
    expect(act('call-1', { type: 'closeObjection' }).step.stepId).toBe('ask_topic');
  });

  it('restores the scripts switched away from, and who chose', () => {
    call('call-1');
    service.get('call-1');
    const topic = toTopic('call-1');
    service.switchTo('call-1', 'inbound-order');
    act('call-1', ADVANCE);
    restart();
    expect(service.get('call-1')).toMatchObject({
      script: { id: 'inbound-order' },
      chosenBy: 'agent',
      step: { stepId: 'recording_notice' },
    });
    expect(service.switchTo('call-1', 'inbound-inquiry')).toEqual({
      ...topic,
      chosenBy: 'agent',
    });
  });

  it('starts afresh when the stored step is gone from the script (answers stay)', () => {
    tiny();
    restart();
    call('call-t', { reason: 'consultation' });
    service.get('call-t');
    expect(act('call-t', answer(true)).step.stepId).toBe('b');
    tiny({ b: 'b_renamed' }); // same version, the step on screen is gone
    restart();
    const track = service.get('call-t')!;
    expect(track).toMatchObject({
      script: { id: 'tiny', version: 1 },
      chosenBy: 'auto',
      position: 1,
      step: { stepId: 'a', answer: null },
    });
    expect(track.answers.map((a) => [a.stepId, a.display])).toEqual([['a', 'はい']]);
    expect(sessions.get('call-t')?.sessions.tiny).toMatchObject({ current: 'a', history: [] });
  });

  it('starts afresh on the new version when the script changed version meanwhile', () => {
    tiny();
    restart();
    call('call-t', { reason: 'consultation' });
    service.get('call-t');
    act('call-t', answer(true));
    tiny({ version: 2 });
    restart();
    expect(service.get('call-t')).toMatchObject({
      script: { id: 'tiny', version: 2 },
      position: 1,
      step: { stepId: 'a' },
    });
  });

  it('starts afresh, with a warning, when the stored row cannot be read', () => {
    call('call-1');
    service.get('call-1');
    toTopic('call-1');
    db.prepare("UPDATE script_sessions SET sessions = '{' WHERE interaction_id = 'call-1'").run();
    restart();
    logged = [];
    const track = service.get('call-1')!;
    expect(track).toMatchObject({ position: 1, step: { stepId: 'greeting' } });
    expect(track.answers.map((a) => a.stepId)).toEqual(['identity_check']);
    expect(logged).toEqual([
      {
        level: 'warn',
        msg: 'stored talk-track session is unreadable; starting afresh',
        fields: { interactionId: 'call-1' },
      },
    ]);
    expect(sessions.get('call-1')?.sessions['inbound-inquiry']?.current).toBe('greeting');
  });
});

describe('memory', () => {
  it('keeps the most recently moved calls in memory and reads the others back from SQLite', () => {
    restart(2);
    for (const id of ['c1', 'c2', 'c3']) call(id);
    service.get('c1');
    clock += 1000;
    act('c1', ADVANCE);
    clock += 1000;
    service.get('c2');
    clock += 1000;
    service.get('c3'); // three calls: c1, moved longest ago, leaves memory
    asked = [];
    expect(service.get('c3')?.position).toBe(1);
    expect(service.get('c2')?.position).toBe(1);
    expect(asked).toEqual([]);
    const c1 = service.get('c1')!;
    expect(asked).toEqual(['c1']); // read back
    expect(c1).toMatchObject({ position: 2, step: { stepId: 'recording_notice' } });
    expect(act('c1', CONFIRM).step.confirmed).toBe(true);
  });

  it('holds to the limit when calls are read back too', () => {
    restart(2);
    for (const id of ['c1', 'c2', 'c3']) call(id);
    for (const id of ['c1', 'c2', 'c3']) {
      clock += 1000;
      service.get(id);
    }
    clock += 1000;
    service.get('c1'); // read back: c2, the oldest now, leaves memory
    asked = [];
    service.get('c3');
    service.get('c1');
    expect(asked).toEqual([]);
    service.get('c2');
    expect(asked).toEqual(['c2']);
  });
});

describe('with the real call-info source', () => {
  it('keeps an untouched inbound script when the call ends (the reason is not logged)', () => {
    // As core wires it: the board's live call, then its timeline row once it ended.
    const board = new Map<string, Call>();
    const source = createCallInfoSource({
      db,
      liveCall: (id) => board.get(id),
      customers: createCustomerRepo(db, { now: () => clock }),
      attempts: createAttemptRepo(db, { now: () => clock }),
      callbacks: createCallbackRepo(db, null, { now: () => clock }),
      campaigns: createCampaignRepo(db, { now: () => clock }),
    });
    const live: Call = {
      id: 'call-1',
      direction: 'inbound',
      state: 'active',
      onHold: false,
      remoteHold: false,
      muted: false,
      consultFor: null,
      conferenceId: null,
      transfer: null,
      quality: null,
      sipStatus: null,
      remote: {
        raw: '0355550101',
        e164: HOME,
        display: '03-5555-0101',
        anonymous: false,
        displayName: null,
      },
      reason: 'inquiry',
      pop: { customer: yamada, lastContacts: [] },
      startedAt: NOW,
      answeredAt: NOW + 5000,
      endedAt: null,
      outcome: null,
      endReason: null,
    };
    board.set('call-1', live);
    // The service gets what the real source says about the call.
    infos.set('call-1', source('call-1')!);
    expect(infos.get('call-1')?.facts.reason).toBe('inquiry');
    expect(service.get('call-1')?.script.id).toBe('inbound-inquiry');

    // Hang-up: the board drops the call and logs it, then core tells the service.
    board.delete('call-1');
    createInteractionRepo(db).logCall({
      id: 'call-1',
      customerId: 'cust-1',
      kind: 'call',
      direction: 'inbound',
      number: HOME,
      startedAt: NOW,
      answeredAt: NOW + 5000,
      endedAt: NOW + 30_000,
      durationSec: 25,
      outcome: 'answered',
      endReason: 'remote hung up',
    });
    infos.set('call-1', source('call-1')!);
    service.callChanged('call-1');
    // Wrap-up goes on with the script chosen for the call, not the catch-all.
    expect(service.get('call-1')?.script.id).toBe('inbound-inquiry');
  });
});
