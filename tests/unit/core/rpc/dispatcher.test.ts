import { describe, expect, it } from 'vitest';
import { methodNames, methods, type MethodName } from '../../../../preload/contract';
import { createDispatcher, RpcFailure, type Handlers } from '../../../../main/core/rpc/dispatcher';
import { fakeHandlers } from '../../../infra/fake-handlers';

const valid: { [M in MethodName]: unknown } = {
  hello: {},
  answerCall: { callId: 'c1' },
  rejectCall: { callId: 'c1' },
  hangupCall: { callId: 'c1' },
  dial: { target: '03-5555-0101' },
  holdCall: { callId: 'c1' },
  resumeCall: { callId: 'c1' },
  switchLine: { callId: 'c1' },
  setMute: { callId: 'c1', muted: true },
  sendDtmf: { callId: 'c1', tones: '123#' },
  blindTransfer: { callId: 'c1', target: 'sip:1002@pbx.example.jp' },
  startConsult: { callId: 'c1', target: '＋８１ ９０ １２３４ ５６７８' },
  completeTransfer: { callId: 'c1', consultCallId: 'c2' },
  conference: { callIds: ['c1', 'c2'] },
  reportQuality: { callId: 'c1', quality: { mos: 4.2, lossPct: 0.5, jitterMs: 12, rttMs: 40 } },
  getTimeline: { customerId: 'cust-1', limit: 5 },
  setLocale: { locale: 'en' },
  setPhoneSettings: { dtmfMode: 'info' },
  saveNote: { customerId: 'cust-1', interactionId: null, body: 'お客様は午後希望\n' },
  getNotes: { customerId: 'cust-1' },
  setOptOut: { number: '090-1234-5678', customerId: null, scope: 'all', reason: null },
  getCrmSettings: {},
  testCrmConnection: {
    kind: 'kintone',
    baseUrl: 'https://example.cybozu.com',
    apps: { customers: 1, activities: 2, callbacks: 3 },
    token: 'abc123',
  },
  setCrmSettings: { kind: 'local' },
  getSyncStatus: {},
  syncNow: {},
  getDeadLetters: {},
  retryDeadLetters: { key: 'k-1' },
  getCampaigns: {},
  getQueue: { filter: { owner: 'me', dialableOnly: true, search: '山田' }, offset: 0, limit: 100 },
  getCallback: { callbackId: 'cb-1' },
  nextCallback: {},
  dialCallback: { callbackId: 'cb-1' },
  skipCallback: { callbackId: 'cb-1', reason: 'not_now' },
  scheduleCallback: {
    customerId: 'cust-1',
    number: '090-1234-5678',
    dueAt: 1_800_000_000_000,
    timeZone: 'Asia/Tokyo',
    owner: 'me',
    interactionId: 'c-1',
  },
  setDisposition: { interactionId: 'c-1', code: 'call_me_at', rescheduleAt: 1_800_000_000_000 },
  importOptOuts: { csv: '番号,範囲\n090-1234-5678,all\n', scope: 'all' },
  checkNumber: { number: '03-5555-0101' },
  getTalkTrack: { callId: 'c-1' },
  switchScript: { callId: 'c-1', scriptId: 'inbound-inquiry' },
  talkTrackAction: {
    callId: 'c-1',
    at: { stepId: 'ask_topic', position: 4 },
    action: { type: 'answer', value: 'cancel' },
  },
  listScripts: {},
};

const AT = { stepId: 'ask_topic', position: 4 };

// Malformed shapes every method must refuse (in addition to per-method ones below).
const generic: unknown[] = [null, 'x', 42, [], { __proto__: null, extra: 1 }, { unexpected: true }];
const specific: { [M in MethodName]: unknown[] } = {
  hello: [{ a: 1 }],
  answerCall: [
    {},
    { callId: '' },
    { callId: 5 },
    { callId: '<script>' },
    { callId: 'x'.repeat(200) },
    { callId: 'c1', more: 1 },
  ],
  rejectCall: [{}, { callId: null }, { callId: '../etc' }],
  hangupCall: [{}, { callId: ['c1'] }],
  dial: [
    {},
    { target: '' },
    { target: '   ' },
    { target: 'rm -rf /' },
    { target: '1'.repeat(200) },
    { target: '<sip:x@y>' },
  ],
  holdCall: [{}, { callId: 1 }],
  resumeCall: [{ callId: '' }],
  switchLine: [{ callId: 'a b' }],
  setMute: [{ callId: 'c1' }, { callId: 'c1', muted: 'yes' }],
  sendDtmf: [
    { callId: 'c1', tones: '' },
    { callId: 'c1', tones: 'E' },
    { callId: 'c1', tones: '1'.repeat(65) },
  ],
  blindTransfer: [{ callId: 'c1' }, { callId: 'c1', target: 'hello world' }],
  startConsult: [{ callId: 'c1', target: '' }],
  completeTransfer: [{ callId: 'c1' }, { consultCallId: 'c2' }],
  conference: [
    { callIds: [] },
    { callIds: ['c1'] },
    { callIds: ['c1', 'c2', 'c3'] },
    { callIds: 'c1,c2' },
  ],
  reportQuality: [
    { callId: 'c1' },
    { callId: 'c1', quality: { mos: 9, lossPct: 0, jitterMs: 0, rttMs: null } },
    { callId: 'c1', quality: { mos: 4, lossPct: -1, jitterMs: 0, rttMs: null } },
  ],
  getTimeline: [
    {},
    { customerId: 'c', limit: 0 },
    { customerId: 'c', limit: 1e6 },
    { customerId: 'c', limit: 1.5 },
  ],
  setLocale: [{}, { locale: 'fr' }, { locale: 'JA' }],
  setPhoneSettings: [
    { dtmfMode: 'sip' },
    { autoAnswer: 1 },
    { audio: { microphoneId: 5 } },
    { other: true },
  ],
  saveNote: [
    { customerId: 'c', interactionId: null },
    { customerId: 'c', interactionId: null, body: 'x'.repeat(20_001) },
    { noteId: '../x', customerId: null, interactionId: null, body: '' },
    { customerId: 'c', body: 'no interactionId' },
  ],
  getNotes: [{}, { customerId: '' }],
  setOptOut: [
    { number: '0312345678', customerId: null, scope: 'sometimes', reason: null },
    { number: 'rm -rf', customerId: null, scope: 'all', reason: null },
    { number: '0312345678', scope: 'all', reason: null },
  ],
  getCrmSettings: [{ kind: 'local' }],
  testCrmConnection: [
    { kind: 'salesforce' },
    { kind: 'kintone', baseUrl: 'https://x.cybozu.com' },
    {
      kind: 'kintone',
      baseUrl: 'https://x.cybozu.com',
      apps: { customers: 0, activities: 1, callbacks: 1 },
    },
    { kind: 'local', token: 'x' },
  ],
  setCrmSettings: [
    {},
    { kind: 'kintone', baseUrl: '', apps: { customers: 1, activities: 1, callbacks: 1 } },
  ],
  getSyncStatus: [{ now: true }],
  syncNow: [{ force: 1 }],
  getDeadLetters: [{ all: true }],
  retryDeadLetters: [{ key: 5 }, { key: 'k'.repeat(65) }],
  getCampaigns: [{ all: true }],
  getQueue: [
    { limit: 0 },
    { limit: 501 },
    { offset: -1 },
    { filter: { owner: 'them' } },
    { filter: { search: 'x'.repeat(65) } },
    { filter: { extra: 1 } },
  ],
  getCallback: [{}, { callbackId: '' }],
  nextCallback: [{ campaignId: 'x' }],
  dialCallback: [{}, { callbackId: 'a b' }, { callbackId: 'cb-1', target: '110' }],
  skipCallback: [{ callbackId: 'cb-1' }, { callbackId: 'cb-1', reason: 'bored' }],
  scheduleCallback: [
    { customerId: null, number: '0312345678', dueAt: -1, owner: 'me' },
    { customerId: null, number: '0312345678', dueAt: 1, owner: 'everyone' },
    { customerId: null, number: '0312345678', dueAt: 1, owner: 'me', timeZone: 'Not a zone!' },
    { customerId: null, number: 'call me', dueAt: 1, owner: 'me' },
  ],
  setDisposition: [
    { interactionId: 'c-1' },
    { interactionId: 'c-1', code: 'DROP TABLE' },
    { interactionId: 'c-1', code: 'done', rescheduleAt: 'tomorrow' },
  ],
  importOptOuts: [{ csv: 'x' }, { csv: 'x'.repeat(5_000_001), scope: 'all' }, { scope: 'all' }],
  checkNumber: [{}, { number: 'DROP TABLE' }],
  getTalkTrack: [{ callId: 'bad id!' }],
  switchScript: [{ callId: 'c-1' }, { callId: 'c-1', scriptId: 'x'.repeat(65) }],
  talkTrackAction: [
    { callId: 'c-1', action: { type: 'advance' } }, // no `at`
    { callId: 'c-1', at: { stepId: 'a', position: 0 }, action: { type: 'advance' } },
    { callId: 'c-1', at: AT, action: { type: 'jump', to: 'end' } },
    { callId: 'c-1', at: AT, action: { type: 'answer' } },
    { callId: 'c-1', at: AT, action: { type: 'answer', value: { nested: true } } },
    { callId: 'c-1', at: AT, action: { type: 'answer', value: 'x'.repeat(4001) } },
    { callId: 'c-1', at: AT, action: { type: 'advance', extra: 1 } },
  ],
  listScripts: [{ all: true }],
};

const handlers = (): Handlers => fakeHandlers();

describe('dispatcher', () => {
  it('covers every contract method in these tests', () => {
    expect(Object.keys(valid).sort()).toEqual([...methodNames].sort());
    expect(Object.keys(specific).sort()).toEqual(Object.keys(methods).sort());
  });

  it.each(methodNames)('%s accepts its valid arguments', async (method) => {
    const res = await createDispatcher(handlers())(method, valid[method]);
    expect(res.ok).toBe(true);
  });

  it.each(methodNames)('%s rejects malformed arguments with invalid_argument', async (method) => {
    const h = handlers();
    const dispatch = createDispatcher(h);
    for (const args of [...generic, ...specific[method]]) {
      const res = await dispatch(method, args);
      expect(res, `${method} ${JSON.stringify(args)}`).toMatchObject({
        ok: false,
        error: { code: 'invalid_argument' },
      });
    }
    // the handler never saw bad input
    expect(h[method]).not.toHaveBeenCalled();
  });

  it('says where an argument failed', async () => {
    const res = await createDispatcher(handlers())('getTimeline', { customerId: 'c', limit: 0 });
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.error.issues?.[0]?.path).toBe('limit');
  });

  it.each([undefined, null, 42, 'nope', '__proto__', 'constructor', 'toString'])(
    'unknown method %s gets unknown_method',
    async (method) => {
      const res = await createDispatcher(handlers())(method, {});
      expect(res).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    },
  );

  it('maps RpcFailure to its code and hides internal errors', async () => {
    const h = handlers();
    h.answerCall = async () => {
      throw new RpcFailure('not_found', 'no such call');
    };
    h.hangupCall = async () => {
      throw new Error('secret internals at /home/agent');
    };
    const seen: string[] = [];
    const dispatch = createDispatcher(h, (m) => seen.push(m));
    expect(await dispatch('answerCall', { callId: 'c9' })).toEqual({
      ok: false,
      error: { code: 'not_found', message: 'no such call' },
    });
    const res = await dispatch('hangupCall', { callId: 'c9' });
    expect(res).toEqual({ ok: false, error: { code: 'internal', message: 'hangupCall failed' } });
    expect(seen).toEqual(['hangupCall']);
  });
});
