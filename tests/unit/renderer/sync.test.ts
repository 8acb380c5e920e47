// The store mirrors main: hello() replaces it, events update it.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApi } from '../../../renderer/api';
import {
  createAgentStore,
  selectCurrentCall,
  selectRingingCall,
} from '../../../renderer/app/store/agent-store';
import { startSync } from '../../../renderer/app/sync';
import { fakeBridge } from './fake-bridge';
import {
  entry,
  helloResult,
  kintoneSync,
  note,
  ringingCall,
  unknownCall,
  yamada,
} from './fixtures';

const settle = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

function setup(bridge = fakeBridge()) {
  const store = createAgentStore();
  const stop = startSync({ bridge, api: createApi(bridge), store, endedLingerMs: 1_000 });
  return { bridge, store, stop };
}

afterEach(() => vi.useRealTimers());

describe('sync: hello and events → store', () => {
  it('hello() fills phone, locale and calls, and focuses the ringing customer', async () => {
    const bridge = fakeBridge({
      hello: () => helloResult({ locale: 'en', calls: [ringingCall()] }),
      getTimeline: () => [entry('t-old', { startedAt: 1_000 })],
    });
    const { store } = setup(bridge);
    await settle();
    const s = store.getState();
    expect(s.version).toBe('0.1.0');
    expect(s.phone?.registration).toBe('registered');
    expect(s.locale).toBe('en');
    expect(Object.keys(s.calls)).toEqual(['call-1']);
    expect(selectRingingCall(s)?.id).toBe('call-1');
    expect(s.focusedCustomer).toEqual(yamada);
    // The pop's last contacts plus the fetched timeline, newest first.
    expect(s.timelines['cust-1']?.map((e) => e.id)).toEqual(['t-1', 't-2', 't-old']);
    expect(bridge.calls('getTimeline')).toEqual([{ customerId: 'cust-1', limit: 50 }]);
  });

  it('phone.status and locale.changed replace their slice', async () => {
    const { bridge, store } = setup();
    await settle();
    bridge.emit('phone.status', {
      registration: 'failed',
      aor: 'sip:1001@pbx',
      error: { code: 'auth_failed', message: '401' },
      since: 5,
    });
    bridge.emit('locale.changed', { locale: 'en' });
    expect(store.getState().phone?.registration).toBe('failed');
    expect(store.getState().locale).toBe('en');
  });

  it('call.updated upserts; ended stays briefly, then the call is dropped', async () => {
    vi.useFakeTimers();
    const { bridge, store } = setup();
    await settle();
    bridge.emit('call.updated', ringingCall());
    bridge.emit('call.updated', ringingCall({ state: 'active', answeredAt: 10 }));
    let s = store.getState();
    expect(s.calls['call-1']?.state).toBe('active');
    expect(selectRingingCall(s)).toBeNull();
    expect(selectCurrentCall(s)?.id).toBe('call-1');

    bridge.emit('call.updated', ringingCall({ state: 'ended', endedAt: 20, outcome: 'answered' }));
    expect(store.getState().calls['call-1']?.state).toBe('ended');
    vi.advanceTimersByTime(999);
    expect(store.getState().calls['call-1']).toBeDefined();
    vi.advanceTimersByTime(1);
    s = store.getState();
    expect(s.calls).toEqual({});
    expect(s.selectedCallId).toBeNull();
    // The customer stays in view so the agent sees the call land on the timeline.
    expect(s.focusedCustomer?.id).toBe('cust-1');
  });

  it('timeline.added adds the entry to that customer, once, newest first', async () => {
    const { bridge, store } = setup();
    await settle();
    bridge.emit('call.updated', ringingCall());
    await settle();
    const fresh = entry('t-new', { startedAt: Date.now() });
    bridge.emit('timeline.added', { customerId: 'cust-1', entry: fresh });
    bridge.emit('timeline.added', { customerId: 'cust-1', entry: fresh });
    bridge.emit('timeline.added', { customerId: null, entry: entry('t-nobody') });
    expect(store.getState().timelines['cust-1']?.map((e) => e.id)).toEqual(['t-new', 't-1', 't-2']);
  });

  it('an unknown caller clears the customer focus', async () => {
    const { bridge, store } = setup();
    await settle();
    bridge.emit('call.updated', ringingCall());
    bridge.emit('call.updated', unknownCall());
    expect(store.getState().focusedCustomer).toBeNull();
  });

  it('calls hello() again after a reconnect and replaces the calls', async () => {
    let calls = [ringingCall()];
    const bridge = fakeBridge({ hello: () => helloResult({ calls }) });
    const { store } = setup(bridge);
    await settle();
    expect(Object.keys(store.getState().calls)).toEqual(['call-1']);
    calls = [];
    bridge.setConnection('reconnecting');
    expect(store.getState().connection).toBe('reconnecting');
    bridge.reconnect();
    await settle();
    expect(bridge.calls('hello')).toHaveLength(2);
    expect(store.getState().calls).toEqual({});
    expect(store.getState().connection).toBe('open');
  });

  it('a failing timeline fetch is recorded, not thrown', async () => {
    const bridge = fakeBridge({
      getTimeline: () => ({ code: 'internal', message: 'db locked' }),
    });
    const { store } = setup(bridge);
    await settle();
    bridge.emit('call.updated', ringingCall());
    await settle();
    expect(store.getState().timelineError).toBe('db locked');
    expect(store.getState().timelines['cust-1']).toHaveLength(2); // the pop's entries still show
  });
});

describe('sync: notes and the CRM status → store', () => {
  it('follows the current call for notes (sticky after it ends) and fetches its customer’s notes', async () => {
    const bridge = fakeBridge({ getNotes: () => [note('n-1')] });
    const { store } = setup(bridge);
    await settle();
    expect(store.getState().notesCall).toBeNull();
    bridge.emit('call.updated', ringingCall());
    await settle();
    expect(store.getState().notesCall?.id).toBe('call-1');
    expect(bridge.calls('getNotes')).toEqual([{ customerId: 'cust-1' }]);
    expect(store.getState().notesByCustomer['cust-1']?.map((n) => n.noteId)).toEqual(['n-1']);
    // Updates of the same call do not fetch again.
    bridge.emit('call.updated', ringingCall({ state: 'active', answeredAt: 10 }));
    bridge.emit('call.updated', ringingCall({ state: 'ended', endedAt: 20, outcome: 'answered' }));
    await settle();
    expect(bridge.calls('getNotes')).toHaveLength(1);
    expect(store.getState().notesCall?.state).toBe('ended');
    store.getState().removeCall('call-1');
    expect(store.getState().notesCall?.id).toBe('call-1'); // wrap-up: the card stays
    // The next call takes its place; an unknown caller has no notes to fetch.
    bridge.emit('call.updated', unknownCall());
    await settle();
    expect(store.getState().notesCall?.id).toBe('call-unknown');
    expect(bridge.calls('getNotes')).toHaveLength(1);
  });

  it('note.updated merges by noteId (a higher version wins) and records CRM acks', async () => {
    const { bridge, store } = setup();
    await settle();
    bridge.emit('note.updated', note('n-1', { version: 2, synced: false, body: 'v2' }));
    bridge.emit('note.updated', note('n-1', { version: 1, synced: true, body: 'v1' }));
    expect(store.getState().notesByCustomer['cust-1']).toEqual([
      note('n-1', { version: 2, synced: false, body: 'v2' }),
    ]);
    expect(store.getState().noteAcks).toEqual({ 'n-1': 1 });
    bridge.emit('note.updated', note('n-1', { version: 2, synced: true, body: 'v2' }));
    expect(store.getState().notesByCustomer['cust-1']?.[0]?.synced).toBe(true);
    expect(store.getState().noteAcks).toEqual({ 'n-1': 2 });
    // A note without a customer (unknown caller) only counts for its ack.
    bridge.emit('note.updated', note('n-2', { customerId: null, version: 1 }));
    expect(Object.keys(store.getState().notesByCustomer)).toEqual(['cust-1']);
    expect(store.getState().noteAcks['n-2']).toBe(1);
  });

  it('getSyncStatus at start and after a reconnect; sync.status in between', async () => {
    const bridge = fakeBridge({
      hello: () => helloResult({ calls: [ringingCall()] }),
      getSyncStatus: () => kintoneSync({ pending: 1 }),
    });
    const { store } = setup(bridge);
    await settle();
    expect(store.getState().syncStatus).toEqual(kintoneSync({ pending: 1 }));
    bridge.emit('sync.status', kintoneSync({ state: 'offline', pending: 4 }));
    expect(store.getState().syncStatus?.state).toBe('offline');
    bridge.setConnection('reconnecting');
    bridge.reconnect();
    await settle();
    expect(bridge.calls('getSyncStatus')).toHaveLength(2);
    expect(store.getState().syncStatus?.pending).toBe(1);
    // The notes of the call in view are fetched again too (missed while disconnected).
    expect(bridge.calls('getNotes')).toEqual([{ customerId: 'cust-1' }, { customerId: 'cust-1' }]);
  });
});
