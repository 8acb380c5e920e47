// Keeps the store a mirror of main: hello() and getSyncStatus() on start and after every
// reconnect replace the state; pushed events update it in between. Also follows the call the
// notes card is about and fetches its customer's notes.
import type { AgentApi, AgentBridge, Call } from '../../preload/contract';
import { connectionEvents } from '../bridge';
import { selectNotesCandidate, type AgentState, type AgentStore } from './store/agent-store';

export interface SyncOptions {
  bridge: AgentBridge;
  api: AgentApi;
  store: AgentStore;
  /** How long an ended call stays on screen (its end reason) before it is dropped. */
  endedLingerMs?: number;
  timelineLimit?: number;
}

export function startSync(opts: SyncOptions): () => void {
  const { bridge, api, store } = opts;
  const lingerMs = opts.endedLingerMs ?? 3_000;
  const limit = opts.timelineLimit ?? 50;
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const conn = connectionEvents(bridge);

  async function loadTimeline(customerId: string) {
    try {
      const entries = await api.getTimeline({ customerId, limit });
      store.getState().mergeTimeline(customerId, entries);
    } catch (err) {
      store.getState().setTimelineError(err instanceof Error ? err.message : String(err));
    }
  }

  /** Show the customer of a call (null for unknown / anonymous callers) with their history. */
  function focusOn(call: Call) {
    const s = store.getState();
    const customer = call.pop.customer;
    s.focusCustomer(customer);
    if (!customer) return;
    // The pop's last contacts show at once; the full timeline follows.
    s.mergeTimeline(customer.id, call.pop.lastContacts);
    void loadTimeline(customer.id);
  }

  function dropLater(callId: string) {
    const timer = setTimeout(() => {
      timers.delete(timer);
      const s = store.getState();
      if (s.calls[callId]?.state === 'ended') s.removeCall(callId);
    }, lingerMs);
    timers.add(timer);
  }

  function applyCall(call: Call) {
    const s = store.getState();
    const isNew = !(call.id in s.calls);
    s.upsertCall(call);
    if (isNew && call.state !== 'ended') focusOn(call);
    if (call.state === 'ended') {
      store.getState().setQuality(call.id, null);
      dropLater(call.id);
    }
  }

  async function hello() {
    try {
      const h = await api.hello({});
      const s = store.getState();
      s.setVersion(h.version);
      s.setPhone(h.phone);
      s.setLocale(h.locale);
      s.replaceCalls(h.calls);
      s.setSettings(h.settings);
      const live = h.calls.filter((c) => c.state !== 'ended');
      const focus = live.find((c) => c.state === 'ringing') ?? live[0];
      if (focus) focusOn(focus);
      for (const c of h.calls) if (c.state === 'ended') dropLater(c.id);
    } catch (err) {
      // The transport retries; a failed hello is retried on the next reconnect.
      console.error('agent: hello failed', err);
    }
  }

  /** Bumped by every 'sync.status' event: a fetched status older than one is dropped. */
  let statusSeq = 0;
  async function loadSyncStatus() {
    const seq = statusSeq;
    try {
      const status = await api.getSyncStatus({});
      if (seq === statusSeq) store.getState().setSyncStatus(status);
    } catch (err) {
      console.warn('agent: getSyncStatus failed', err);
    }
  }

  async function loadNotes(customerId: string) {
    try {
      store.getState().mergeNotes(customerId, await api.getNotes({ customerId }));
    } catch (err) {
      console.warn('agent: getNotes failed', err);
    }
  }

  /** The notes card follows the current (else ringing) call and stays on it after it ends. */
  function followNotesCall(s: AgentState) {
    const candidate = selectNotesCandidate(s);
    if (!candidate || candidate === s.notesCall) return;
    const moved = s.notesCall?.id !== candidate.id;
    s.setNotesCall(candidate);
    const customerId = candidate.pop.customer?.id;
    if (moved && customerId) void loadNotes(customerId);
  }

  function reloadNotes() {
    const customerId = store.getState().notesCall?.pop.customer?.id;
    if (customerId) void loadNotes(customerId);
  }

  const offs = [
    store.subscribe(followNotesCall),
    bridge.on('phone.status', (p) => store.getState().setPhone(p)),
    bridge.on('call.updated', applyCall),
    bridge.on('timeline.added', ({ customerId, entry }) => {
      if (customerId) store.getState().mergeTimeline(customerId, [entry]);
    }),
    bridge.on('locale.changed', ({ locale }) => store.getState().setLocale(locale)),
    bridge.on('settings.changed', (settings) => store.getState().setSettings(settings)),
    bridge.on('sync.status', (status) => {
      statusSeq++;
      store.getState().setSyncStatus(status);
    }),
    bridge.on('note.updated', (note) => store.getState().noteUpdated(note)),
    conn.onConnection((c) => store.getState().setConnection(c)),
    conn.onReconnected(() => {
      void hello();
      void loadSyncStatus();
      reloadNotes();
    }),
  ];
  void hello();
  void loadSyncStatus();

  return () => {
    for (const off of offs) off();
    for (const t of timers) clearTimeout(t);
  };
}
