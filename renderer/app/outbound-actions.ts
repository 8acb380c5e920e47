// What the callback queue, the preview card, the wrap-up and the schedule dialog do. Like the
// call actions: one request of a kind at a time, a failure lands in the store (with main's
// refusal reason), never throws. Main checks every rule again on dial: the screen only
// explains. Progressive mode and the preview countdown live here too, driven by observe()
// (the store's changes, see outbound/outbound-sync.ts).
import {
  AgentRpcError,
  type AgentApi,
  type Call,
  type MethodArgs,
  type OptOutScope,
  type QueueFilter,
  type QueueItem,
  type SkipReason,
} from '../../preload/contract';
import { zoneForNumber } from './outbound/time';
import type { AgentState, AgentStore } from './store/agent-store';
import {
  selectAvailable,
  type OutboundError,
  type QueueView,
  type ScheduleRequest,
} from './store/outbound-slice';

/** Rows per getQueue request (the contract allows up to 500). */
export const PAGE_SIZE = 100;
/** dialCallback answered but main never reported the call: stop waiting for it after this. */
const PLACING_TIMEOUT_MS = 15_000;
/** Progressive mode found nothing (or failed): ask again after this, or on 'queue.changed'. */
const PROGRESSIVE_RETRY_MS = 30_000;

export type ScheduleInput = MethodArgs<'scheduleCallback'>;

export interface OutboundActions {
  loadCampaigns(): Promise<void>;
  /** New filters: the list starts again from the top. */
  setView(patch: Partial<QueueView>): void;
  /** Fetch the pages rows first..last fall in (those missing or older than the queue). */
  ensureRows(first: number, last: number): void;
  /** 'queue.changed', a reconnect, or Retry: the pages are stale, refetch what is shown. */
  refreshQueue(counts?: { pending: number; dialableNow: number }): void;
  /** The agent picked a row: the card shows it (no countdown). */
  open(item: QueueItem): void;
  close(): void;
  loadDetail(callbackId: string): Promise<void>;
  /** Main's next-best callback on the card, with the campaign's preview countdown. */
  next(): Promise<void>;
  stopCountdown(): void;
  dial(callbackId: string): Promise<void>;
  /** true once main recorded the skip. */
  skip(callbackId: string, reason: SkipReason, note?: string): Promise<boolean>;
  setProgressive(on: boolean): void;
  requestSchedule(request: ScheduleRequest): void;
  cancelSchedule(): void;
  schedule(input: ScheduleInput): Promise<boolean>;
  /** Closes a call's wrap-up; 'reschedule' codes need rescheduleAt. */
  setDisposition(callId: string, code: string, rescheduleAt?: number): Promise<boolean>;
  /** A call from no callback: the agent closes its wrap-up without a result. */
  dismissWrapUp(callId: string): void;
  importOptOuts(csv: string, scope: OptOutScope): Promise<void>;
  checkNumber(number: string): Promise<void>;
  /** The store changed (wired by startOutboundSync). */
  observe(): void;
  dispose(): void;
}

export const errorOf = (err: unknown): OutboundError => ({
  code: err instanceof AgentRpcError ? err.code : 'internal',
  message: err instanceof Error ? err.message : String(err),
  reason: err instanceof AgentRpcError ? (err.reason ?? null) : null,
});

/** The filters as getQueue takes them (undefined: no filter). */
export function queueFilterOf(view: QueueView): QueueFilter | undefined {
  const f: QueueFilter = {};
  if (view.campaignId) f.campaignId = view.campaignId;
  if (view.owner !== 'all') f.owner = view.owner;
  if (view.dialableOnly) f.dialableOnly = true;
  const search = view.search.trim().slice(0, 64);
  if (search) f.search = search;
  return Object.keys(f).length > 0 ? f : undefined;
}

export interface OutboundOptions {
  now?: () => number;
}

export function createOutboundActions(
  api: AgentApi,
  store: AgentStore,
  opts: OutboundOptions = {},
): OutboundActions {
  const now = opts.now ?? (() => Date.now());
  let countdownTimer: ReturnType<typeof setTimeout> | null = null;
  let placingTimer: ReturnType<typeof setTimeout> | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  /** Pages whose fetch failed, by "seq:page" → queue version: not retried until it changes. */
  const failed = new Map<string, number>();
  /** Progressive mode may fetch the next callback (once per chance: no request loops). */
  let armed = false;
  let wasAvailable = selectAvailable(store.getState());
  let wasProgressive = store.getState().progressive;
  let lastCalls = store.getState().calls;
  let lastOptOuts = store.getState().optOuts;
  /** A call took the agent from the queue tab: go back there when they are free again. */
  let returnToQueue = false;

  const get = () => store.getState();

  async function loadCampaigns() {
    const s = get();
    if (s.outboundPending.campaigns) return;
    s.setOutboundPending('campaigns', true);
    s.setOutboundError('campaigns', null);
    try {
      const list = await api.getCampaigns({});
      const st = get();
      st.setCampaigns(list);
      // No campaigns (an inbound-only desk): there are no results to ask for.
      if (list.length === 0) st.removeWrapUps(Object.keys(st.wrapUps));
    } catch (err) {
      get().setOutboundError('campaigns', errorOf(err));
    } finally {
      get().setOutboundPending('campaigns', false);
    }
  }

  async function fetchPage(page: number) {
    const s = get();
    const at = { seq: s.queueSeq, gen: s.queueGen };
    const have = s.queuePages[page];
    if (s.queueLoading[page] || (have && have.gen >= at.gen)) return;
    if (failed.get(`${at.seq}:${page}`) === at.gen) return;
    s.setQueueLoading(page, true);
    try {
      const filter = queueFilterOf(s.queueView);
      const r = await api.getQueue({
        ...(filter ? { filter } : {}),
        offset: page * PAGE_SIZE,
        limit: PAGE_SIZE,
      });
      get().putQueuePage(page, at, r.total, r.items, PAGE_SIZE);
      if (get().outboundErrors.queue) get().setOutboundError('queue', null);
    } catch (err) {
      failed.set(`${at.seq}:${page}`, at.gen);
      if (get().queueSeq === at.seq) get().setOutboundError('queue', errorOf(err));
    } finally {
      if (get().queueSeq === at.seq) get().setQueueLoading(page, false);
    }
  }

  async function loadDetail(callbackId: string) {
    const key = `detail:${callbackId}`;
    const s = get();
    if (s.outboundPending[key]) return;
    s.setOutboundPending(key, true);
    try {
      const detail = await api.getCallback({ callbackId });
      get().putCallbackDetail(detail);
      if (get().outboundErrors.detail?.callbackId === callbackId)
        get().setOutboundError('detail', null);
    } catch (err) {
      get().setOutboundError('detail', { ...errorOf(err), callbackId });
    } finally {
      get().setOutboundPending(key, false);
    }
  }

  function stopCountdown() {
    if (countdownTimer) clearTimeout(countdownTimer);
    countdownTimer = null;
    if (get().countdown) get().setCountdown(null);
  }

  function startCountdown(item: QueueItem) {
    stopCountdown();
    const s = get();
    const seconds = s.campaigns?.find((c) => c.id === item.campaignId)?.previewSeconds ?? 0;
    // 0 = the agent presses Dial; a blocked callback is never dialled by a timer.
    if (seconds <= 0 || item.blocked.length > 0 || !selectAvailable(s)) return;
    s.setCountdown({ callbackId: item.id, endsAt: now() + seconds * 1000, seconds });
    countdownTimer = setTimeout(() => {
      countdownTimer = null;
      const st = get();
      if (st.countdown?.callbackId !== item.id) return;
      st.setCountdown(null);
      if (st.card?.item.id === item.id && selectAvailable(st)) void dial(item.id);
    }, seconds * 1000);
  }

  function clearCardErrors() {
    const s = get();
    s.setOutboundError('dial', null);
    s.setOutboundError('skip', null);
    s.setOutboundError('detail', null);
  }

  async function next() {
    const s = get();
    if (s.outboundPending.next || !selectAvailable(s)) return;
    s.setOutboundPending('next', true);
    s.setOutboundError('next', null);
    s.setNextEmpty(false);
    stopCountdown();
    try {
      if (!get().campaigns) await loadCampaigns();
      const { item } = await api.nextCallback({});
      const st = get();
      if (!item) {
        st.setNextEmpty(true);
        return;
      }
      clearCardErrors();
      st.setCard({ item, via: 'next' });
      st.setWorkTab('queue');
      startCountdown(item);
      void loadDetail(item.id);
    } catch (err) {
      get().setOutboundError('next', errorOf(err));
    } finally {
      get().setOutboundPending('next', false);
    }
  }

  async function dial(callbackId: string) {
    const s = get();
    if (s.dialingCallbackId || !selectAvailable(s)) return;
    stopCountdown();
    const item = s.card?.item.id === callbackId ? s.card.item : s.callbackDetails[callbackId]?.item;
    s.setDialingCallback(callbackId);
    s.setOutboundError('dial', null);
    try {
      const { callId } = await api.dialCallback({ callbackId });
      const st = get();
      if (item) st.addDialOrigin(callId, { callbackId, campaignId: item.campaignId, item });
      if (!(callId in st.calls)) {
        st.setPlacingCall(callId);
        if (placingTimer) clearTimeout(placingTimer);
        placingTimer = setTimeout(() => {
          placingTimer = null;
          if (get().placingCallId === callId) get().setPlacingCall(null);
        }, PLACING_TIMEOUT_MS);
      }
      st.selectCall(callId);
      if (get().card?.item.id === callbackId) get().setCard(null);
    } catch (err) {
      get().setOutboundError('dial', { ...errorOf(err), callbackId });
      void loadDetail(callbackId); // its blocks as main sees them now
    } finally {
      get().setDialingCallback(null);
    }
  }

  function autoNext() {
    const s = get();
    if (!s.progressive || !armed || s.card || s.outboundPending.next) return;
    if (!selectAvailable(s) || s.connection !== 'open') return;
    armed = false;
    void next().then(() => {
      const st = get();
      if (!st.progressive || st.card) return;
      // Nothing to call (or it failed): try again later, or when the queue changes.
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = setTimeout(() => {
        retryTimer = null;
        armed = true;
        autoNext();
      }, PROGRESSIVE_RETRY_MS);
    });
  }

  function callEnded(call: Call) {
    if (call.consultFor) return; // a consultation leg is part of the call it serves
    const s = get();
    const origin = s.dialOrigins[call.id];
    // Not answered: main records the attempt's outcome (no answer, busy…) by itself.
    if (call.answeredAt === null) return;
    if (s.campaigns?.length === 0) return;
    const customer = call.pop.customer ?? origin?.item.customer ?? null;
    const number = call.remote.anonymous
      ? null
      : (call.remote.e164 ?? origin?.item.number ?? (call.remote.raw || null));
    s.putWrapUp({
      callId: call.id,
      callbackId: origin?.callbackId ?? null,
      campaignId: origin?.campaignId ?? null,
      customerId: customer?.id ?? null,
      name: customer?.name ?? null,
      number,
      display: call.remote.display || number || '',
      timeZone: origin?.item.timeZone ?? zoneForNumber(number),
      endedAt: call.endedAt ?? now(),
      saving: false,
      error: null,
    });
    if (!s.campaigns) void loadCampaigns();
  }

  function followCalls(calls: AgentState['calls'], prev: AgentState['calls']) {
    let started = false;
    for (const c of Object.values(calls)) {
      const before = prev[c.id];
      if (c.state === 'ended' && before && before.state !== 'ended') callEnded(c);
      if (!before && c.state !== 'ended') started = true;
    }
    const s = get();
    if (s.placingCallId && s.placingCallId in calls) {
      s.setPlacingCall(null);
      if (placingTimer) clearTimeout(placingTimer);
      placingTimer = null;
    }
    // A call came in or went out: its customer (notes, timeline) takes the column.
    if (started && get().workTab === 'queue') {
      returnToQueue = true;
      get().setWorkTab('customer');
    }
  }

  return {
    loadCampaigns,
    setView(patch) {
      const s = get();
      const view = { ...s.queueView, ...patch };
      const same = (Object.keys(view) as (keyof QueueView)[]).every(
        (k) => view[k] === s.queueView[k],
      );
      if (same) return;
      failed.clear();
      s.setQueueView(view);
      s.setOutboundError('queue', null);
    },
    ensureRows(first, last) {
      const s = get();
      const total = s.queueTotal;
      const end = total === null || total === 0 ? 0 : Math.min(last, total - 1);
      const from = Math.floor(Math.max(0, Math.min(first, end)) / PAGE_SIZE);
      const to = Math.floor(end / PAGE_SIZE);
      for (let p = from; p <= to; p++) void fetchPage(p);
    },
    refreshQueue(counts) {
      get().queueChanged(counts ?? null);
      // An opt-out may have arrived (the CRM, an import, a result): ask about numbers again.
      get().clearNumberChecks();
      const card = get().card;
      if (card) void loadDetail(card.item.id);
      armed = true;
      autoNext();
    },
    open(item) {
      stopCountdown();
      clearCardErrors();
      get().setCard({ item, via: 'list' });
      void loadDetail(item.id);
    },
    close() {
      stopCountdown();
      clearCardErrors();
      get().setCard(null);
    },
    loadDetail,
    next,
    stopCountdown,
    dial,
    async skip(callbackId, reason, note) {
      const s = get();
      if (s.outboundPending.skip) return false;
      stopCountdown();
      s.setOutboundPending('skip', true);
      s.setOutboundError('skip', null);
      try {
        const text = note?.trim().slice(0, 500);
        await api.skipCallback({ callbackId, reason, ...(text ? { note: text } : {}) });
        const st = get();
        if (st.card?.item.id === callbackId) st.setCard(null);
        st.setOutboundError('dial', null);
        armed = true; // progressive: the next one
        return true;
      } catch (err) {
        get().setOutboundError('skip', { ...errorOf(err), callbackId });
        return false;
      } finally {
        get().setOutboundPending('skip', false);
        autoNext();
      }
    },
    setProgressive(on) {
      get().setProgressive(on);
      if (!on && retryTimer) {
        clearTimeout(retryTimer);
        retryTimer = null;
      }
    },
    requestSchedule(request) {
      const s = get();
      s.setOutboundError('schedule', null);
      s.setScheduled(null);
      s.setScheduleRequest(request);
      if (!s.campaigns) void loadCampaigns();
    },
    cancelSchedule() {
      get().setScheduleRequest(null);
      get().setOutboundError('schedule', null);
    },
    async schedule(input) {
      const s = get();
      if (s.outboundPending.schedule) return false;
      s.setOutboundPending('schedule', true);
      s.setOutboundError('schedule', null);
      try {
        const item = await api.scheduleCallback(input);
        get().setScheduled(item);
        get().setScheduleRequest(null);
        return true;
      } catch (err) {
        get().setOutboundError('schedule', errorOf(err));
        return false;
      } finally {
        get().setOutboundPending('schedule', false);
      }
    },
    async setDisposition(callId, code, rescheduleAt) {
      const w = get().wrapUps[callId];
      if (!w || w.saving) return false;
      get().patchWrapUp(callId, { saving: true, error: null });
      try {
        await api.setDisposition({
          interactionId: callId,
          code,
          ...(w.callbackId ? { callbackId: w.callbackId } : {}),
          ...(rescheduleAt !== undefined ? { rescheduleAt } : {}),
        });
        get().removeWrapUps([callId]);
        return true;
      } catch (err) {
        get().patchWrapUp(callId, { saving: false, error: errorOf(err) });
        return false;
      }
    },
    dismissWrapUp(callId) {
      const w = get().wrapUps[callId];
      if (w && !w.callbackId && !w.saving) get().removeWrapUps([callId]);
    },
    async importOptOuts(csv, scope) {
      const s = get();
      if (s.outboundPending.import) return;
      s.setOutboundPending('import', true);
      s.setOutboundError('import', null);
      s.setImportResult(null);
      try {
        get().setImportResult(await api.importOptOuts({ csv, scope }));
        get().clearNumberChecks();
      } catch (err) {
        get().setOutboundError('import', errorOf(err));
      } finally {
        get().setOutboundPending('import', false);
      }
    },
    async checkNumber(number) {
      if (get().numberChecks[number]) return;
      get().setNumberCheck(number, { status: 'pending' });
      try {
        const r = await api.checkNumber({ number });
        get().setNumberCheck(number, { status: 'done', e164: r.e164, optOut: r.optOut });
      } catch {
        get().setNumberCheck(number, { status: 'error' });
      }
    },
    observe() {
      // Listeners may be told of changes out of order (a listener before this one sets state
      // while the first change is being announced): compare with what this one saw last.
      const seen = get();
      if (seen.calls !== lastCalls) {
        const before = lastCalls;
        lastCalls = seen.calls;
        followCalls(seen.calls, before);
      }
      // A do-not-call just registered: what the dial buttons knew is out of date.
      if (seen.optOuts !== lastOptOuts) {
        lastOptOuts = seen.optOuts;
        get().clearNumberChecks();
      }
      const st = get();
      const available = selectAvailable(st);
      if (!available && st.countdown) stopCountdown();
      if (available !== wasAvailable) {
        wasAvailable = available;
        if (available) {
          armed = true;
          if (returnToQueue) {
            returnToQueue = false;
            st.setWorkTab('queue');
          }
        }
      }
      if (st.progressive !== wasProgressive) {
        wasProgressive = st.progressive;
        if (st.progressive) armed = true;
      }
      autoNext();
    },
    dispose() {
      for (const t of [countdownTimer, placingTimer, retryTimer]) if (t) clearTimeout(t);
      countdownTimer = placingTimer = retryTimer = null;
    },
  };
}
