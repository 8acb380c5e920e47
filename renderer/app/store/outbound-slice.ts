// The outbound half of the desk as the screen knows it: the campaigns, the callback queue in
// pages (fetched as the agent scrolls; total kept so the scrollbar is right), the callback on
// the card (picked in the list or previewed with "Next"), the preview countdown, progressive
// mode, which calls came from which callback, the calls waiting for their result (wrap-up),
// the schedule dialog, the do-not-call import, and manual-dial number checks.
import type { StateCreator } from 'zustand/vanilla';
import type {
  Attempt,
  Campaign,
  OptOutImportResult,
  OptOutLevel,
  QueueItem,
  RpcErrorCode,
} from '../../../preload/contract';
import type { AgentState } from './agent-store';

export interface OutboundError {
  code: RpcErrorCode;
  message: string;
  /** For 'refused': the rule (a DialBlock) main named. */
  reason: string | null;
}

export type OwnerFilter = 'all' | 'me' | 'pool';

/** The list's filters as the agent set them (sent to getQueue as a QueueFilter). */
export interface QueueView {
  campaignId: string | null;
  owner: OwnerFilter;
  dialableOnly: boolean;
  search: string;
}

export const DEFAULT_VIEW: QueueView = {
  campaignId: null,
  owner: 'all',
  dialableOnly: false,
  search: '',
};

/** A page of the list, and the queue version it was fetched at. */
export interface QueuePage {
  gen: number;
  items: QueueItem[];
}

export interface CallbackDetail {
  item: QueueItem;
  /** Newest first. */
  attempts: Attempt[];
}

/** The callback on the card: clicked in the list, or previewed by "Next" (main's pick). */
export interface CallbackCard {
  item: QueueItem;
  via: 'list' | 'next';
}

export interface Countdown {
  callbackId: string;
  /** Epoch ms at which the call is placed. */
  endsAt: number;
  seconds: number;
}

/** A call placed from a callback (dialCallback's answer). */
export interface DialOrigin {
  callbackId: string;
  campaignId: string;
  item: QueueItem;
}

/** A call that ended and waits for the agent's result (disposition). */
export interface WrapUp {
  callId: string;
  callbackId: string | null;
  campaignId: string | null;
  customerId: string | null;
  name: string | null;
  /** The number to call back (E.164 when known); null for a withheld number. */
  number: string | null;
  display: string;
  timeZone: string | null;
  endedAt: number;
  saving: boolean;
  error: OutboundError | null;
}

/** What the schedule dialog is about: a call, a callback, or a customer. */
export interface ScheduleRequest {
  customerId: string | null;
  name: string | null;
  number: string;
  display: string;
  /** The customer's zone when known (a callback's timeZone); else from the number. */
  timeZone: string | null;
  campaignId?: string;
  interactionId?: string;
  note?: string;
}

export type NumberCheck =
  | { status: 'pending' }
  | { status: 'done'; e164: string | null; optOut: OptOutLevel }
  | { status: 'error' };

/** The right-hand column shows the customer of the call, or the callback queue. */
export type WorkTab = 'customer' | 'queue';

export type OutboundAction =
  'campaigns' | 'queue' | 'detail' | 'next' | 'dial' | 'skip' | 'schedule' | 'import';

export interface OutboundSlice {
  campaigns: Campaign[] | null;
  /** The agent's own zone (injectable: tests and agents abroad). */
  agentZone: string;
  workTab: WorkTab;
  queueView: QueueView;
  /** Bumped when the filters change: pages of an older list are dropped. */
  queueSeq: number;
  /** Bumped by 'queue.changed': pages of an older version are refetched (and shown meanwhile). */
  queueGen: number;
  /** From getQueue's answer; null until the first page of this list arrived. */
  queueTotal: number | null;
  queuePages: Record<number, QueuePage>;
  queueLoading: Record<number, true>;
  /** From 'queue.changed': how many wait, how many could be dialled now. */
  queueCounts: { pending: number; dialableNow: number } | null;
  card: CallbackCard | null;
  /** The card's "skip — why?" menu is open. */
  skipOpen: boolean;
  callbackDetails: Record<string, CallbackDetail>;
  countdown: Countdown | null;
  /** The last "Next" found nothing dialable. */
  nextEmpty: boolean;
  progressive: boolean;
  /** A dialCallback request in flight (its callback id). */
  dialingCallbackId: string | null;
  /** dialCallback answered with this call id, which main has not reported yet. */
  placingCallId: string | null;
  /** Calls placed from callbacks, by call id. */
  dialOrigins: Record<string, DialOrigin>;
  /** Calls waiting for a result, by call id. */
  wrapUps: Record<string, WrapUp>;
  scheduleRequest: ScheduleRequest | null;
  /** The last callback scheduled (the confirmation line). */
  scheduled: QueueItem | null;
  importResult: OptOutImportResult | null;
  /** checkNumber answers by the number as typed. */
  numberChecks: Record<string, NumberCheck>;
  /** Requests in flight: 'campaigns', 'next', 'skip', 'schedule', 'import', 'detail:<id>'. */
  outboundPending: Record<string, true>;
  outboundErrors: Partial<Record<OutboundAction, OutboundError & { callbackId?: string }>>;

  setCampaigns(campaigns: Campaign[]): void;
  setAgentZone(zone: string): void;
  setWorkTab(tab: WorkTab): void;
  setQueueView(view: QueueView): void;
  /** 'queue.changed' (or a reconnect): the pages are stale. */
  queueChanged(counts: { pending: number; dialableNow: number } | null): void;
  putQueuePage(
    page: number,
    at: { seq: number; gen: number },
    total: number,
    items: QueueItem[],
    pageSize: number,
  ): void;
  setQueueLoading(page: number, on: boolean): void;
  setCard(card: CallbackCard | null): void;
  setSkipOpen(open: boolean): void;
  putCallbackDetail(detail: CallbackDetail): void;
  setCountdown(countdown: Countdown | null): void;
  setNextEmpty(empty: boolean): void;
  setProgressive(on: boolean): void;
  setDialingCallback(callbackId: string | null): void;
  setPlacingCall(callId: string | null): void;
  addDialOrigin(callId: string, origin: DialOrigin): void;
  putWrapUp(wrapUp: WrapUp): void;
  patchWrapUp(callId: string, patch: Partial<WrapUp>): void;
  removeWrapUps(callIds: string[]): void;
  setScheduleRequest(request: ScheduleRequest | null): void;
  setScheduled(item: QueueItem | null): void;
  setImportResult(result: OptOutImportResult | null): void;
  setNumberCheck(number: string, check: NumberCheck): void;
  clearNumberChecks(): void;
  setOutboundPending(key: string, on: boolean): void;
  setOutboundError(
    action: OutboundAction,
    error: (OutboundError & { callbackId?: string }) | null,
  ): void;
}

/** The zone of the machine the agent sits at. */
export function localZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export const createOutboundSlice: StateCreator<AgentState, [], [], OutboundSlice> = (set) => ({
  campaigns: null,
  agentZone: localZone(),
  workTab: 'customer',
  queueView: DEFAULT_VIEW,
  queueSeq: 0,
  queueGen: 0,
  queueTotal: null,
  queuePages: {},
  queueLoading: {},
  queueCounts: null,
  card: null,
  skipOpen: false,
  callbackDetails: {},
  countdown: null,
  nextEmpty: false,
  progressive: false,
  dialingCallbackId: null,
  placingCallId: null,
  dialOrigins: {},
  wrapUps: {},
  scheduleRequest: null,
  scheduled: null,
  importResult: null,
  numberChecks: {},
  outboundPending: {},
  outboundErrors: {},

  setCampaigns: (campaigns) => set({ campaigns }),
  setAgentZone: (agentZone) => set({ agentZone }),
  setWorkTab: (workTab) => set({ workTab }),
  setQueueView: (queueView) =>
    set((s) => ({
      queueView,
      queueSeq: s.queueSeq + 1,
      queueTotal: null,
      queuePages: {},
      queueLoading: {},
    })),
  queueChanged: (counts) =>
    set((s) => ({ queueGen: s.queueGen + 1, queueCounts: counts ?? s.queueCounts })),
  putQueuePage: (page, at, total, items, pageSize) =>
    set((s) => {
      if (at.seq !== s.queueSeq) return s; // an answer about a list no longer shown
      const old = s.queuePages[page];
      if (old && old.gen > at.gen) return s;
      const queuePages: Record<number, QueuePage> = {};
      // Pages past a shrunken end are gone from the list.
      for (const [k, v] of Object.entries(s.queuePages))
        if (Number(k) * pageSize < total) queuePages[Number(k)] = v;
      queuePages[page] = { gen: at.gen, items };
      return { queuePages, queueTotal: total };
    }),
  setQueueLoading: (page, on) =>
    set((s) => {
      const { [page]: _old, ...rest } = s.queueLoading;
      return { queueLoading: on ? { ...rest, [page]: true } : rest };
    }),
  setCard: (card) => set({ card, skipOpen: false }),
  setSkipOpen: (skipOpen) => set({ skipOpen }),
  putCallbackDetail: (detail) =>
    set((s) => ({
      callbackDetails: { ...s.callbackDetails, [detail.item.id]: detail },
      // The card shows the freshest copy of its callback.
      card: s.card && s.card.item.id === detail.item.id ? { ...s.card, item: detail.item } : s.card,
    })),
  setCountdown: (countdown) => set({ countdown }),
  setNextEmpty: (nextEmpty) => set({ nextEmpty }),
  setProgressive: (progressive) => set({ progressive }),
  setDialingCallback: (dialingCallbackId) => set({ dialingCallbackId }),
  setPlacingCall: (placingCallId) => set({ placingCallId }),
  addDialOrigin: (callId, origin) =>
    set((s) => ({ dialOrigins: { ...s.dialOrigins, [callId]: origin } })),
  putWrapUp: (w) => set((s) => ({ wrapUps: { ...s.wrapUps, [w.callId]: w } })),
  patchWrapUp: (callId, patch) =>
    set((s) => {
      const old = s.wrapUps[callId];
      return old ? { wrapUps: { ...s.wrapUps, [callId]: { ...old, ...patch } } } : s;
    }),
  removeWrapUps: (callIds) =>
    set((s) => {
      if (!callIds.some((id) => id in s.wrapUps)) return s;
      const wrapUps = { ...s.wrapUps };
      for (const id of callIds) delete wrapUps[id];
      return { wrapUps };
    }),
  setScheduleRequest: (scheduleRequest) => set({ scheduleRequest }),
  setScheduled: (scheduled) => set({ scheduled }),
  setImportResult: (importResult) => set({ importResult }),
  setNumberCheck: (number, check) =>
    set((s) => ({ numberChecks: { ...s.numberChecks, [number]: check } })),
  clearNumberChecks: () =>
    set((s) => (Object.keys(s.numberChecks).length ? { numberChecks: {} } : s)),
  setOutboundPending: (key, on) =>
    set((s) => {
      const { [key]: _old, ...rest } = s.outboundPending;
      return { outboundPending: on ? { ...rest, [key]: true } : rest };
    }),
  setOutboundError: (action, error) =>
    set((s) => {
      if (!error && !(action in s.outboundErrors)) return s;
      const { [action]: _old, ...rest } = s.outboundErrors;
      return { outboundErrors: error ? { ...rest, [action]: error } : rest };
    }),
});

// ---------- selectors (primitives or objects already in the store) ----------

/** Some call is not over yet (ringing, connecting, talking, on hold). */
export function selectOnCall(s: AgentState): boolean {
  for (const c of Object.values(s.calls)) if (c.state !== 'ended') return true;
  return s.placingCallId !== null;
}

export const selectInWrapUp = (s: AgentState): boolean => Object.keys(s.wrapUps).length > 0;

/** Free for the next callback: no call under way, no result owed, no dial in flight. */
export const selectAvailable = (s: AgentState): boolean =>
  !selectOnCall(s) && !selectInWrapUp(s) && s.dialingCallbackId === null;

/** The campaign whose results close a call that came from no callback (main's rule). */
export function defaultCampaign(campaigns: readonly Campaign[] | null): Campaign | null {
  if (!campaigns?.length) return null;
  return (
    campaigns.find((c) => c.id === 'requested') ??
    campaigns.find((c) => c.kind === 'requested') ??
    campaigns[0] ??
    null
  );
}
