// An in-memory AgentBridge: tests answer requests with handlers and push events like main.
import { vi, type Mock } from 'vitest';
import type {
  AgentBridge,
  EventName,
  EventPayload,
  MethodName,
  MethodArgs,
  MethodResult,
  RpcError,
  RpcResponse,
} from '../../../preload/contract';
import type { ConnectionEvents, ConnectionState } from '../../../renderer/ws-bridge';
import { helloResult, localSync, NOW, queueItem } from './fixtures';

/** A handler answers at once, or later with a promise (a slow save, a reply held by a test). */
type Handler<M extends MethodName> = (
  args: MethodArgs<M>,
) => MethodResult<M> | RpcError | Promise<MethodResult<M> | RpcError>;
export type Handlers = { [M in MethodName]?: Handler<M> };

export interface FakeBridge extends AgentBridge, ConnectionEvents {
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  reconnect(): void;
  setConnection(state: ConnectionState): void;
  handlers: Handlers;
  invoke: Mock<(method: MethodName, args: unknown) => Promise<RpcResponse>>;
  calls(method: MethodName): unknown[];
}

const isRpcError = (v: unknown): v is RpcError =>
  typeof v === 'object' && v !== null && 'code' in v && 'message' in v && !('ok' in v);

export function fakeBridge(handlers: Handlers = {}): FakeBridge {
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const conn = new Set<(s: ConnectionState) => void>();
  const reconn = new Set<() => void>();
  let state: ConnectionState = 'open';
  const versions = new Map<string, number>();
  let notes = 0;
  const all: Handlers = {
    hello: () => helloResult(),
    answerCall: () => ({ ok: true }),
    rejectCall: () => ({ ok: true }),
    hangupCall: () => ({ ok: true }),
    getTimeline: () => [],
    setLocale: () => ({ ok: true }),
    holdCall: () => ({ ok: true }),
    resumeCall: () => ({ ok: true }),
    switchLine: () => ({ ok: true }),
    setMute: () => ({ ok: true }),
    sendDtmf: () => ({ ok: true }),
    dial: () => ({ callId: 'call-out' }),
    blindTransfer: () => ({ ok: true }),
    startConsult: () => ({ consultCallId: 'call-consult' }),
    completeTransfer: () => ({ ok: true }),
    conference: () => ({ conferenceId: 'conf-1' }),
    reportQuality: () => ({ ok: true }),
    setPhoneSettings: (patch) => ({ ...helloResult().settings, ...patch }),
    // Like main: a new note without noteId, then one more version per save.
    saveNote: (a) => {
      const noteId = a.noteId ?? `note-${++notes}`;
      const version = (versions.get(noteId) ?? 0) + 1;
      versions.set(noteId, version);
      return {
        noteId,
        customerId: a.customerId,
        interactionId: a.interactionId,
        version,
        body: a.body,
        savedAt: NOW,
        synced: false,
      };
    },
    getNotes: () => [],
    setOptOut: (a) => ({ e164: a.number, scope: a.scope }),
    getSyncStatus: () => localSync(),
    syncNow: () => ({ ok: true }),
    getDeadLetters: () => [],
    retryDeadLetters: () => ({ requeued: 0 }),
    getCrmSettings: () => ({ kind: 'local', baseUrl: null, apps: null, hasToken: false }),
    testCrmConnection: () => ({ ok: true, detail: 'local CRM' }),
    setCrmSettings: (a) =>
      a.kind === 'local'
        ? { kind: 'local', baseUrl: null, apps: null, hasToken: false }
        : { kind: 'kintone', baseUrl: a.baseUrl, apps: a.apps, hasToken: a.token !== undefined },
    // Outbound: no campaigns and an empty queue unless a test says otherwise.
    getCampaigns: () => [],
    getQueue: () => ({ total: 0, items: [] }),
    getCallback: (a) => ({ code: 'not_found', message: `no callback ${a.callbackId}` }),
    nextCallback: () => ({ item: null }),
    dialCallback: () => ({ callId: 'call-cb' }),
    skipCallback: () => ({ ok: true }),
    scheduleCallback: (a) => queueItem('cb-new', { number: a.number, dueAt: a.dueAt }),
    setDisposition: () => ({ callback: null }),
    importOptOuts: () => ({ added: 0, unchanged: 0, rejected: [], callbacksCancelled: 0 }),
    checkNumber: (a) => ({ e164: a.number.startsWith('+') ? a.number : null, optOut: 'none' }),
    // Talk tracks: no script for any call unless a test says otherwise (see
    // talk-track/fake-talk-tracks.ts for a core that walks scripts).
    getTalkTrack: () => ({ talkTrack: null }),
    switchScript: (a) => ({ code: 'not_found', message: `no talk track for ${a.callId}` }),
    talkTrackAction: (a) => ({ code: 'not_found', message: `no talk track for ${a.callId}` }),
    listScripts: () => ({ scripts: [], problems: [] }),
    ...handlers,
  };
  const invoke = vi.fn(async (method: MethodName, args: unknown): Promise<RpcResponse> => {
    const h = all[method] as ((a: unknown) => unknown) | undefined;
    if (!h) return { ok: false, error: { code: 'unknown_method', message: method } };
    let result = h(args);
    if (result instanceof Promise) result = await result;
    return isRpcError(result) ? { ok: false, error: result } : { ok: true, result };
  });
  return {
    handlers: all,
    invoke,
    calls: (method) => invoke.mock.calls.filter(([m]) => m === method).map(([, a]) => a),
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener as (p: unknown) => void);
      return () => set.delete(listener as (p: unknown) => void);
    },
    serveMedia: () => () => {},
    emit(event, payload) {
      for (const l of listeners.get(event) ?? []) l(payload);
    },
    onConnection(l) {
      conn.add(l);
      l(state);
      return () => conn.delete(l);
    },
    onReconnected(l) {
      reconn.add(l);
      return () => reconn.delete(l);
    },
    setConnection(s) {
      state = s;
      for (const l of conn) l(s);
    },
    reconnect() {
      this.setConnection('open');
      for (const l of reconn) l();
    },
  } as FakeBridge;
}
