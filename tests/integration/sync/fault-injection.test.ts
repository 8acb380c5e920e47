// Exactly once through every failure: the real store, outbox and sync engine pushing through
// the real kintone adapter to the stateful fake kintone, which times out, cuts connections
// (before and after applying a write), answers 429 with Retry-After, 500 and broken JSON,
// delivers requests twice, and goes down for a while. Every note version, call log and
// opt-out made meanwhile must end up in the CRM once: 0 lost, 0 duplicated.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../main/core/log';
import { createCustomerRepo } from '../../../main/core/store/customers';
import { openDatabase, type Database } from '../../../main/core/store/db';
import { createInteractionRepo } from '../../../main/core/store/interactions';
import { createNoteRepo, type NoteRepo } from '../../../main/core/store/notes';
import { createOptOutRepo, type OptOutRepo } from '../../../main/core/store/opt-outs';
import { createOutboxRepo, type OutboxRepo } from '../../../main/core/store/outbox';
import { KintoneAdapter } from '../../../main/core/sync/crm/kintone/adapter';
import { KintoneConfig } from '../../../main/core/sync/crm/kintone/config';
import { createCursorRepo } from '../../../main/core/sync/cursors';
import { createSyncEngine, type SyncEngine } from '../../../main/core/sync/sync-engine';
import { callCentreApps, KintoneFake, type FakeToken } from '../../infra/kintone-fake';
import { waitUntil } from '../../infra/process';

const APPS = { customers: 31, activities: 32, callbacks: 33 };
const mapping = KintoneConfig.parse({ baseUrl: 'http://localhost', apps: APPS });
const TOKENS = { customers: 'faultCust01', activities: 'faultAct01', callbacks: 'faultCb01' };
const tokens: FakeToken[] = [
  { token: TOKENS.customers, app: APPS.customers, view: true, add: true, edit: true },
  { token: TOKENS.activities, app: APPS.activities, view: true, add: true, edit: true },
  { token: TOKENS.callbacks, app: APPS.callbacks, view: true, add: true, edit: true },
];

describe('sync through faults (real adapter, stateful fake kintone)', () => {
  let fake: KintoneFake;
  let db: Database;
  let outbox: OutboxRepo;
  let notes: NoteRepo;
  let optOuts: OptOutRepo;
  let engine: SyncEngine;
  let interactions: ReturnType<typeof createInteractionRepo>;
  const expected = new Map<string, string>(); // sync key → activity type label
  let calls = 0;

  beforeAll(async () => {
    fake = await KintoneFake.start({ apps: callCentreApps(mapping), tokens, mapping });
    fake.seedCustomers(50);
    db = openDatabase(':memory:');
    outbox = createOutboxRepo(db);
    interactions = createInteractionRepo(db, { outbox });
    const customers = createCustomerRepo(db);
    notes = createNoteRepo(db, outbox);
    optOuts = createOptOutRepo(db, outbox);
    engine = createSyncEngine({
      db,
      adapter: new KintoneAdapter({
        config: { baseUrl: fake.baseUrl, apps: APPS },
        tokens: TOKENS,
        timeoutMs: 400,
      }),
      outbox,
      cursors: createCursorRepo(db),
      apply: { customers, interactions, optOuts, log: silentLogger, isOwnKey: () => false },
      log: silentLogger,
      backoff: { initialMs: 20, maxMs: 300 },
      pullIntervalMs: 3_600_000,
    });
    // The first round pulls the customers, so opt-outs can name their CRM records.
    engine.start();
    await engine.syncNow();
    expect(customers.count()).toBe(50);
  });

  afterAll(async () => {
    await engine?.stop();
    db?.close();
    await fake?.close();
  });

  const labels = mapping.values.activityType;
  function note(customer: number, body: string, noteId?: string): string {
    const n = notes.save({ noteId, customerId: `crm-${customer}`, interactionId: null, body });
    const key = db
      .prepare<[string, number], string>(
        'SELECT sync_key FROM note_versions WHERE note_id = ? AND version = ?',
      )
      .pluck()
      .get(n.noteId, n.version)!;
    expected.set(key, labels.note);
    engine.kick();
    return n.noteId;
  }
  function callLog(customer: number): void {
    const id = `call-${++calls}`;
    interactions.logCall({
      id,
      customerId: `crm-${customer}`,
      kind: 'call',
      direction: calls % 2 ? 'inbound' : 'outbound',
      number: '+81355550101',
      startedAt: 1_700_000_000_000 + calls * 60_000,
      answeredAt: 1_700_000_000_000 + calls * 60_000 + 5_000,
      endedAt: 1_700_000_000_000 + calls * 60_000 + 65_000,
      durationSec: 60,
      outcome: 'answered',
      endReason: 'agent hung up',
      quality: null,
    });
    expected.set(`call:${id}`, labels.call_log);
    engine.kick();
  }
  function optOut(customer: number, scope: 'marketing' | 'all', e164: string): void {
    const before = outbox.pendingCount() + outbox.deadCount();
    optOuts.record({ e164, customerId: `crm-${customer}`, scope, source: 'agent', reason: null });
    const key = db
      .prepare<[], string>("SELECT key FROM outbox WHERE kind = 'opt_out' ORDER BY seq DESC")
      .pluck()
      .get();
    if (outbox.pendingCount() + outbox.deadCount() > before && key) {
      expected.set(key, labels.opt_out);
    }
    engine.kick();
  }
  const drained = () =>
    waitUntil(() => outbox.pendingCount() === 0, {
      timeoutMs: 30_000,
      intervalMs: 50,
      what: 'the outbox to drain',
    });

  it('every fault on the way: each change reaches kintone exactly once', async () => {
    const faults = [
      'timeout',
      'reset',
      { reset: 'after-write' },
      { status: 429, retryAfterSec: 1 },
      { status: 500 },
      { status: 503 },
      'malformed',
      'duplicate',
    ] as const;
    for (const f of faults) fake.failNext(2, f);
    const a = note(1, 'ご住所変更の依頼');
    note(1, 'ご住所変更の依頼。新住所は千代田区丸の内 1-1-1', a);
    for (let i = 0; i < 6; i++) callLog(2 + i);
    const b = note(3, '返品');
    for (let i = 0; i < 5; i++) note(3, `返品の理由: サイズ違い (${i})`, b);
    optOut(4, 'marketing', '+819000000004');
    optOut(5, 'all', '+819000000005');
    await drained();
    expect(outbox.deadCount()).toBe(0);
    expect(fake.stats().faults).toMatchObject({ timeout: 2, reset: 2, malformed: 2 });
    // Requests delivered twice (a proxy retrying): replaying them adds nothing.
    const replies = await fake.replayDuplicates();
    expect(replies.length).toBeGreaterThan(0);
    expectExactlyOnce();
  });

  it('the CRM down for a while and back: nothing made meanwhile is lost or doubled', async () => {
    await fake.down();
    const c = note(6, '不在。夕方に折り返し希望');
    for (let i = 0; i < 4; i++) callLog(10 + i);
    note(6, '不在。夕方 17 時以降に折り返し希望', c);
    optOut(7, 'all', '+819000000007');
    await waitUntil(() => engine.status().state === 'offline', {
      timeoutMs: 10_000,
      intervalMs: 20,
      what: 'the engine to notice the CRM is down',
    });
    expect(engine.status().pending).toBeGreaterThanOrEqual(7);
    await new Promise((r) => setTimeout(r, 800)); // several failed rounds with backoff
    await fake.up();
    await engine.syncNow();
    await drained();
    await waitUntil(() => engine.status().state === 'idle', {
      timeoutMs: 5000,
      intervalMs: 20,
      what: `the engine to settle (${JSON.stringify(engine.status())})`,
    });
    expect(engine.status()).toMatchObject({ pending: 0, deadLetters: 0, lastError: null });
    expectExactlyOnce();
  });

  function expectExactlyOnce(): void {
    const seen = new Map<string, number>();
    for (const r of fake.writtenRecords(APPS.activities)) {
      const key = r.values[mapping.fields.activities.syncKey]!;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    const lost = [...expected.keys()].filter((k) => !seen.has(k));
    const doubled = [...seen].filter(([, n]) => n > 1).map(([k]) => k);
    const unknown = [...seen.keys()].filter((k) => !expected.has(k));
    expect({ lost, doubled, unknown }).toEqual({ lost: [], doubled: [], unknown: [] });
    for (const r of fake.writtenRecords(APPS.activities)) {
      const key = r.values[mapping.fields.activities.syncKey]!;
      expect(r.values[mapping.fields.activities.type], key).toBe(expected.get(key));
    }
  }
});
