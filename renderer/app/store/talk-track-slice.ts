// The talk tracks of the calls as core reports them (getTalkTrack, the action results and
// 'talkTrack.updated', merged by call id), what the agent typed into an answer field (kept
// until the answer is taken, whatever the screen does meanwhile), the request in flight and
// the last refusal per call, and the script folder's state for the settings panel.
import type { StateCreator } from 'zustand/vanilla';
import type {
  MethodResult,
  RpcErrorCode,
  TalkTrack,
  TalkTrackAction,
} from '../../../preload/contract';
import type { AgentState } from './agent-store';

export interface TalkTrackError {
  code: RpcErrorCode;
  message: string;
  /** The engine's code for a refusal (mandatory_unconfirmed, unanswered…), else null. */
  reason: string | null;
  /** The screen's own check, already in the agent's words (a number out of range…). */
  text?: string;
}

/** A request in flight for a call's talk track. */
export type TalkTrackBusy = TalkTrackAction['type'] | 'switch';

export type ScriptList = MethodResult<'listScripts'>;

export interface TalkTrackSlice {
  /** By call id; null = core has no script for the call (none fits, none loaded). */
  talkTracks: Record<string, TalkTrack | null>;
  /** getTalkTrack in flight, by call id. */
  talkTrackLoading: Record<string, true>;
  /** getTalkTrack failed, by call id (not retried until asked). */
  talkTrackLoadErrors: Record<string, TalkTrackError>;
  talkTrackBusy: Record<string, TalkTrackBusy>;
  /** The last refusal (core's or the screen's own check), by call id. */
  talkTrackErrors: Record<string, TalkTrackError>;
  /** Typed answers not yet taken, by draftKey(callId, scriptId, stepId). */
  talkDrafts: Record<string, string>;
  scriptList: ScriptList | null;
  scriptListLoading: boolean;
  scriptListError: TalkTrackError | null;

  putTalkTrack(callId: string, track: TalkTrack | null): void;
  setTalkTrackLoading(callId: string, on: boolean): void;
  setTalkTrackLoadError(callId: string, error: TalkTrackError | null): void;
  setTalkTrackBusy(callId: string, busy: TalkTrackBusy | null): void;
  setTalkTrackError(callId: string, error: TalkTrackError | null): void;
  setTalkDraft(key: string, value: string | null): void;
  /** Forget everything about these calls (gone, and their wrap-up closed). */
  dropTalkTracks(callIds: readonly string[]): void;
  setScriptList(list: ScriptList): void;
  setScriptListLoading(on: boolean): void;
  setScriptListError(error: TalkTrackError | null): void;
}

/** Where a typed answer is kept: one per call, script and step. */
export const draftKey = (callId: string, scriptId: string, stepId: string): string =>
  `${callId}|${scriptId}|${stepId}`;

function without<T>(record: Record<string, T>, key: string): Record<string, T> {
  if (!(key in record)) return record;
  const { [key]: _gone, ...rest } = record;
  return rest;
}

function withValue<T>(record: Record<string, T>, key: string, value: T | null): Record<string, T> {
  return value === null ? without(record, key) : { ...record, [key]: value };
}

export const createTalkTrackSlice: StateCreator<AgentState, [], [], TalkTrackSlice> = (set) => ({
  talkTracks: {},
  talkTrackLoading: {},
  talkTrackLoadErrors: {},
  talkTrackBusy: {},
  talkTrackErrors: {},
  talkDrafts: {},
  scriptList: null,
  scriptListLoading: false,
  scriptListError: null,

  putTalkTrack: (callId, track) =>
    set((s) =>
      s.talkTracks[callId] === track ? s : { talkTracks: { ...s.talkTracks, [callId]: track } },
    ),
  setTalkTrackLoading: (callId, on) =>
    set((s) => ({ talkTrackLoading: withValue(s.talkTrackLoading, callId, on ? true : null) })),
  setTalkTrackLoadError: (callId, error) =>
    set((s) => {
      const next = withValue(s.talkTrackLoadErrors, callId, error);
      return next === s.talkTrackLoadErrors ? s : { talkTrackLoadErrors: next };
    }),
  setTalkTrackBusy: (callId, busy) =>
    set((s) => {
      const next = withValue(s.talkTrackBusy, callId, busy);
      return next === s.talkTrackBusy ? s : { talkTrackBusy: next };
    }),
  setTalkTrackError: (callId, error) =>
    set((s) => {
      const next = withValue(s.talkTrackErrors, callId, error);
      return next === s.talkTrackErrors ? s : { talkTrackErrors: next };
    }),
  setTalkDraft: (key, value) =>
    set((s) => {
      if ((s.talkDrafts[key] ?? null) === value) return s;
      return { talkDrafts: withValue(s.talkDrafts, key, value) };
    }),
  dropTalkTracks: (callIds) =>
    set((s) => {
      const ids = new Set(callIds);
      const callOf = (draft: string) => draft.slice(0, draft.indexOf('|'));
      const prune = <T>(r: Record<string, T>, id: (k: string) => string = (k) => k) =>
        Object.keys(r).some((k) => ids.has(id(k)))
          ? Object.fromEntries(Object.entries(r).filter(([k]) => !ids.has(id(k))))
          : r;
      const next = {
        talkTracks: prune(s.talkTracks),
        talkTrackLoading: prune(s.talkTrackLoading),
        talkTrackLoadErrors: prune(s.talkTrackLoadErrors),
        talkTrackBusy: prune(s.talkTrackBusy),
        talkTrackErrors: prune(s.talkTrackErrors),
        talkDrafts: prune(s.talkDrafts, callOf),
      };
      const same = (Object.keys(next) as (keyof typeof next)[]).every((k) => next[k] === s[k]);
      return same ? s : next;
    }),
  setScriptList: (scriptList) => set({ scriptList, scriptListError: null }),
  setScriptListLoading: (scriptListLoading) => set({ scriptListLoading }),
  setScriptListError: (scriptListError) => set({ scriptListError }),
});
