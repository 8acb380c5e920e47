// What the talk-track panel does, and how the store follows core. Like the other actions: one
// request per call at a time, a failure lands in the store (with the engine's reason), never
// throws. Core keeps every session: the screen only asks (getTalkTrack when a call wants a
// script, again after a reconnect) and merges what comes back by call id. observe() (wired by
// talk-track-sync.ts) fetches the talk track of a call when it appears and forgets it once the
// call is gone and its wrap-up closed.
import {
  AgentRpcError,
  type AgentApi,
  type Call,
  type TalkTrack,
  type TalkTrackAction,
} from '../../../preload/contract';
import type { AgentState, AgentStore } from '../store/agent-store';
import type { TalkTrackError } from '../store/talk-track-slice';
import { afterPaint } from '../after-paint';

export interface TalkTrackActions {
  /** getTalkTrack for the call (starts its session in core the first time). */
  load(callId: string): Promise<void>;
  /** One move; false when it was refused (the reason is in the store). */
  act(callId: string, action: TalkTrackAction): Promise<boolean>;
  switchScript(callId: string, scriptId: string): Promise<boolean>;
  /**
   * A refusal found on the screen before asking core (an unconfirmed step, an empty answer, a
   * number out of range): the engine's reason, and the words when more precise than it.
   */
  refuse(callId: string, reason: string, text?: string): void;
  dismissError(callId: string): void;
  /** 'talkTrack.updated'. */
  updated(track: TalkTrack): void;
  loadScripts(): Promise<void>;
  /** 'scripts.changed': the list again, and another try for calls that had no script. */
  scriptsChanged(): void;
  /** After a reconnect: core may have moved on (events were missed) — ask again. */
  reloadAll(): void;
  /** The store changed (wired by startTalkTrackSync). */
  observe(): void;
}

export const talkTrackErrorOf = (err: unknown): TalkTrackError => ({
  code: err instanceof AgentRpcError ? err.code : 'internal',
  message: err instanceof Error ? err.message : String(err),
  reason: err instanceof AgentRpcError ? (err.reason ?? null) : null,
});

/**
 * Calls that get a talk track: every call not over (a ringing one too: its pop says which
 * script is offered, and the greeting is on screen the moment the agent answers), except a
 * consultation leg (a colleague, not the customer).
 */
export function wantsTalkTrack(call: Call): boolean {
  return call.state !== 'ended' && !call.consultFor;
}

export function createTalkTrackActions(api: AgentApi, store: AgentStore): TalkTrackActions {
  const get = () => store.getState();
  let lastCalls: AgentState['calls'] | null = null;
  let lastWrapUps: AgentState['wrapUps'] | null = null;
  /** Bumped per call by every answer from core, so an older getTalkTrack answer is dropped. */
  const seq = new Map<string, number>();
  const bump = (callId: string) => {
    const n = (seq.get(callId) ?? 0) + 1;
    seq.set(callId, n);
    return n;
  };

  /** Kept while the call is known or its result is still owed. */
  const kept = (s: AgentState, callId: string) => callId in s.calls || callId in s.wrapUps;

  function put(callId: string, track: TalkTrack | null) {
    if (!kept(get(), callId)) return; // a late answer about a call already forgotten
    bump(callId);
    get().putTalkTrack(callId, track);
  }

  async function load(callId: string) {
    const s = get();
    if (s.talkTrackLoading[callId]) return;
    s.setTalkTrackLoading(callId, true);
    s.setTalkTrackLoadError(callId, null);
    const at = bump(callId);
    try {
      const { talkTrack } = await api.getTalkTrack({ callId });
      if (seq.get(callId) === at) put(callId, talkTrack);
    } catch (err) {
      const e = talkTrackErrorOf(err);
      // A core without talk tracks (or a call it no longer knows): no script, nothing to fix.
      if (e.code === 'unknown_method' || e.code === 'not_found') {
        if (seq.get(callId) === at) put(callId, null);
      } else if (kept(get(), callId)) get().setTalkTrackLoadError(callId, e);
    } finally {
      get().setTalkTrackLoading(callId, false);
    }
  }

  async function run(
    callId: string,
    busy: 'switch' | TalkTrackAction['type'],
    request: () => Promise<TalkTrack>,
  ): Promise<boolean> {
    const s = get();
    if (s.talkTrackBusy[callId]) return false;
    s.setTalkTrackBusy(callId, busy);
    try {
      const track = await request();
      put(callId, track);
      get().setTalkTrackError(callId, null);
      return true;
    } catch (err) {
      if (kept(get(), callId)) get().setTalkTrackError(callId, talkTrackErrorOf(err));
      return false;
    } finally {
      get().setTalkTrackBusy(callId, null);
    }
  }

  function prune(s: AgentState) {
    const gone = new Set<string>();
    for (const r of [
      s.talkTracks,
      s.talkTrackLoading,
      s.talkTrackLoadErrors,
      s.talkTrackBusy,
      s.talkTrackErrors,
    ])
      for (const id of Object.keys(r)) if (!kept(s, id)) gone.add(id);
    for (const k of Object.keys(s.talkDrafts)) {
      const id = k.slice(0, k.indexOf('|'));
      if (!kept(s, id)) gone.add(id);
    }
    if (gone.size === 0) return;
    for (const id of gone) seq.delete(id);
    s.dropTalkTracks([...gone]);
  }

  function fetchMissing(s: AgentState) {
    let wanted = false;
    let ringingOnly = true;
    for (const call of Object.values(s.calls)) {
      if (!wantsTalkTrack(call)) continue;
      wanted = true;
      const ringing = call.state === 'ringing';
      if (!ringing) ringingOnly = false;
      if (call.id in s.talkTracks || s.talkTrackLoading[call.id] || s.talkTrackLoadErrors[call.id])
        continue;
      if (!ringing) void load(call.id);
      // A ringing call: the customer's name comes first. Its script is asked for once the pop
      // is on screen, so neither core's choice nor the re-render holds the name back.
      else
        later(call.id, () => {
          const c = get().calls[call.id];
          if (c && wantsTalkTrack(c) && !(call.id in get().talkTracks)) void load(call.id);
        });
    }
    // The first call with a talk track: the list tells whether "no script fits" is worth saying.
    if (wanted && s.scriptList === null && !s.scriptListLoading && !s.scriptListError) {
      if (!ringingOnly) void loadScripts();
      else
        later('scripts', () => {
          if (get().scriptList === null && !get().scriptListError) void loadScripts();
        });
    }
  }

  /** Work put off until after the next paint, once per key. */
  const deferred = new Set<string>();
  function later(key: string, fn: () => void) {
    if (deferred.has(key)) return;
    deferred.add(key);
    afterPaint(() => {
      deferred.delete(key);
      fn();
    });
  }

  async function loadScripts() {
    const s = get();
    if (s.scriptListLoading) return;
    s.setScriptListLoading(true);
    try {
      get().setScriptList(await api.listScripts({}));
    } catch (err) {
      const e = talkTrackErrorOf(err);
      if (e.code === 'unknown_method') get().setScriptList({ scripts: [], problems: [] });
      else get().setScriptListError(e);
    } finally {
      get().setScriptListLoading(false);
    }
  }

  return {
    load,
    act(callId, action) {
      // The step the agent sees: core refuses the move as stale if its track has moved on.
      const track = get().talkTracks[callId];
      if (!track) return Promise.resolve(false);
      const at = { stepId: track.step.stepId, position: track.position };
      return run(callId, action.type, () => api.talkTrackAction({ callId, at, action }));
    },
    switchScript: (callId, scriptId) =>
      run(callId, 'switch', () => api.switchScript({ callId, scriptId })),
    refuse(callId, reason, text) {
      get().setTalkTrackError(callId, {
        code: 'invalid_state',
        message: reason,
        reason,
        ...(text ? { text } : {}),
      });
    },
    dismissError(callId) {
      get().setTalkTrackError(callId, null);
    },
    updated(track) {
      put(track.callId, track);
    },
    loadScripts,
    scriptsChanged() {
      const s = get();
      if (s.scriptList !== null || s.scriptListError !== null) void loadScripts();
      for (const [callId, track] of Object.entries(s.talkTracks)) {
        const call = s.calls[callId];
        if (track === null && call && wantsTalkTrack(call)) void load(callId);
      }
    },
    reloadAll() {
      const s = get();
      // Live calls and calls in wrap-up (whose end step and suggestion are still wanted).
      for (const id of Object.keys(s.talkTracks)) {
        const call = s.calls[id];
        if ((call && call.state !== 'ended') || id in s.wrapUps) void load(id);
      }
      for (const id of Object.keys(s.talkTrackLoadErrors)) void load(id);
      if (s.scriptList !== null || s.scriptListError !== null) void loadScripts();
    },
    observe() {
      const s = get();
      if (s.calls === lastCalls && s.wrapUps === lastWrapUps) return;
      lastCalls = s.calls;
      lastWrapUps = s.wrapUps;
      prune(s);
      fetchMissing(get());
    },
  };
}
