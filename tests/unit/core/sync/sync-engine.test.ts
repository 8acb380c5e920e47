import { afterEach, describe, expect, it } from 'vitest';
import type { OutboxItem } from '../../../../main/core/sync/crm/adapter';
import { lookBack } from '../../../../main/core/sync/cursors';
import { createHarness, FakeCrm, type Harness } from './fake-crm';

const YAMADA = '+81355550101';
const YAMADA_MOBILE = '+819012345678';
const SATO = '+81612345678';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

function seedCrm(crm: FakeCrm, n = 5): void {
  const people = [
    {
      name: '山田 太郎',
      nameKana: 'ヤマダ タロウ',
      segment: 'heavy',
      phones: ['03-5555-0101', '090-1234-5678'],
    },
    { name: '佐藤 花子', nameKana: 'サトウ ハナコ', segment: 'new', phones: ['06-1234-5678'] },
    { name: '鈴木 一郎', nameKana: null, segment: 'repeat', phones: ['045-123-4567'] },
    {
      name: '高橋 美咲',
      nameKana: 'タカハシ ミサキ',
      segment: 'dormant',
      phones: ['092-123-4567'],
    },
    { name: '田中 健', nameKana: 'タナカ ケン', segment: 'repeat', phones: ['075-123-4567'] },
  ] as const;
  people
    .slice(0, n)
    .forEach((p, i) => crm.putCustomer({ crmId: String(101 + i), ...p, phones: [...p.phones] }));
}

function saveNote(customerId: string | null, body: string, noteId?: string) {
  return h.notes.save({ noteId, customerId, interactionId: null, body });
}

function outboxRows(): {
  key: string;
  kind: string;
  state: string;
  attempts: number;
  next_at: number;
}[] {
  return h.db
    .prepare('SELECT key, kind, state, attempts, next_at FROM outbox ORDER BY seq')
    .all() as never;
}

function count(table: string, where = '1'): number {
  return h.db.prepare(`SELECT count(*) FROM ${table} WHERE ${where}`).pluck().get() as number;
}

function kinds(items: OutboxItem[]): string[] {
  return items.map((i) => (i.kind === 'opt_out' ? `opt_out:${i.payload.scope}` : i.kind));
}

describe('push', () => {
  it('sends opt-outs first, then the rest oldest first, and deletes each on acknowledgement', async () => {
    h = createHarness();
    saveNote(null, 'メモ1');
    h.interactions.logCall({
      id: 'call-1',
      customerId: null,
      kind: 'call',
      direction: 'inbound',
      number: YAMADA,
      startedAt: h.now(),
      answeredAt: h.now() + 3000,
      endedAt: h.now() + 60_000,
      durationSec: 57,
      outcome: 'answered',
      endReason: null,
      quality: null,
    });
    h.optOuts.record({
      e164: YAMADA,
      customerId: null,
      scope: 'marketing',
      source: 'agent',
      reason: null,
    });
    saveNote(null, 'メモ2');
    h.optOuts.record({
      e164: SATO,
      customerId: null,
      scope: 'all',
      source: 'agent',
      reason: '苦情',
    });
    expect(h.engine.status()).toMatchObject({ state: 'idle', pending: 5, deadLetters: 0 });

    await h.start();

    expect(kinds(h.crm.pushCalls)).toEqual([
      'opt_out:marketing',
      'opt_out:all',
      'note',
      'call_log',
      'note',
    ]);
    expect(h.engine.status()).toMatchObject({
      crm: 'kintone',
      state: 'idle',
      pending: 0,
      deadLetters: 0,
      lastSuccessAt: h.now(),
      lastError: null,
    });
    expect(count('outbox')).toBe(0);
    // Acknowledged note versions are marked synced.
    expect(count('note_versions', 'synced_at IS NOT NULL')).toBe(2);
  });

  it('writes every change exactly once on the CRM despite lost replies and retries', async () => {
    h = createHarness();
    const a = saveNote(null, '初回');
    saveNote(null, '第二版', a.noteId);
    saveNote(null, '別のメモ');
    h.optOuts.record({
      e164: YAMADA,
      customerId: null,
      scope: 'all',
      source: 'agent',
      reason: null,
    });
    // The opt-out's first two writes land but their replies are lost; then a note's.
    h.crm.failNext('lost', 'push', 2);
    await h.start();
    expect(h.engine.status()).toMatchObject({ state: 'offline', pending: 4 });
    expect(h.engine.status().lastError?.message).toMatch(/reply lost/);
    await h.fire();
    expect(h.engine.status()).toMatchObject({ state: 'offline', pending: 4 });
    h.crm.onRequest = (_kind, item) => {
      if (item?.kind === 'note' && item.payload.body === '別のメモ' && h.crm.pushCalls.length < 7) {
        h.crm.failNext('lost', 'push');
      }
    };
    await h.fire();
    expect(h.engine.status()).toMatchObject({ state: 'offline', pending: 1 });
    await h.fire();
    expect(h.engine.status()).toMatchObject({ state: 'idle', pending: 0 });

    const versions = h.db.prepare('SELECT sync_key AS key, body FROM note_versions').all() as {
      key: string;
      body: string;
    }[];
    expect(h.crm.items.size).toBe(4); // distinct keys: 3 versions + 1 opt-out
    expect(h.crm.writes).toBe(4 + 2 + 1); // every lost reply costs one extra write, same key
    for (const v of versions) {
      const stored = h.crm.items.get(v.key);
      expect(stored?.item.kind === 'note' && stored.item.payload.body).toBe(v.body);
    }
    expect(h.crm.pushedOptOut(YAMADA)).toBe('all');
    expect(count('note_versions', 'synced_at IS NULL')).toBe(0);
    expect(count('outbox')).toBe(0);
  });

  it('backs off with growing, capped, jittered delays and keeps the item', async () => {
    h = createHarness({ backoff: { initialMs: 1000, maxMs: 8000 } });
    saveNote(null, 'x');
    const jitter = [0, 1, 0.5, 0, 1, 0.25, 0.75];
    const expected = [500, 2000, 3000, 4000, 8000, 5000, 7000];
    h.crm.down = 'server';
    for (let i = 0; i < jitter.length; i++) {
      h.setRandom(() => jitter[i]!);
      if (i === 0) await h.start();
      else await h.fire();
      const [row] = outboxRows();
      expect(row).toMatchObject({ state: 'pending', attempts: i + 1 });
      expect(row!.next_at - h.now()).toBe(expected[i]);
      expect(h.timer()?.ms).toBe(expected[i]);
      expect(h.engine.status()).toMatchObject({ state: 'offline', pending: 1 });
    }
    h.crm.down = null;
    await h.fire();
    expect(h.engine.status()).toMatchObject({ state: 'idle', pending: 0 });
  });

  it('keeps every retry delay within [step/2, step] with random jitter', async () => {
    h = createHarness({ backoff: { initialMs: 1000, maxMs: 60_000 } });
    saveNote(null, 'x');
    h.setRandom(Math.random);
    const pushedAt: number[] = [];
    h.crm.onRequest = (kind) => void (kind === 'push' && pushedAt.push(h.now()));
    h.crm.failNext('network', 'push', 12);
    await h.start();
    while (pushedAt.length < 13) {
      const t = await h.fire();
      expect(t.ms).toBeGreaterThan(0); // never an immediate retry
    }
    const gaps = pushedAt.slice(1).map((t, i) => t - pushedAt[i]!);
    gaps.forEach((gap, n) => {
      const step = Math.min(60_000, 1000 * 2 ** n);
      expect(gap).toBeGreaterThanOrEqual(step / 2);
      expect(gap).toBeLessThanOrEqual(step);
    });
    expect(h.engine.status()).toMatchObject({ state: 'idle', pending: 0 });
    expect(h.crm.items.get(h.crm.pushCalls[0]!.key)?.writes).toBe(1);
  });

  it("honours the CRM's Retry-After when it is longer than the backoff", async () => {
    h = createHarness({ backoff: { initialMs: 1000, maxMs: 60_000 } });
    saveNote(null, 'x');
    h.crm.failNext('rate_limited', 'push', 1, 30_000);
    await h.start();
    expect(outboxRows()[0]!.next_at).toBe(h.now() + 30_000);
    // No request at all before Retry-After has passed (the pull waits too).
    expect(h.timer()?.ms).toBe(30_000);
    expect(h.engine.status().state).toBe('offline');
    const calls = h.crm.pushCalls.length + h.crm.pullCalls.length;
    h.crm.failNext('rate_limited', 'push', 1, 10);
    await h.fire();
    expect(h.crm.pushCalls.length + h.crm.pullCalls.length).toBe(calls + 1);
    // A Retry-After shorter than the backoff does not shorten it.
    expect(outboxRows()[0]!.next_at - h.now()).toBeGreaterThanOrEqual(1000);
    await h.fire();
    expect(h.engine.status()).toMatchObject({ state: 'idle', pending: 0 });
  });

  it('after a failure the whole queue waits, not just the failed item', async () => {
    h = createHarness({ backoff: { initialMs: 1000, maxMs: 60_000 } });
    for (let i = 0; i < 10; i++) saveNote(null, `メモ${i}`);
    h.crm.down = 'network';
    await h.start();
    expect(h.crm.pushCalls).toHaveLength(1);
    const t = h.timer()!;
    expect(t.ms).toBeGreaterThanOrEqual(500);
    // A kick (a new note saved) during the pause does not reach the CRM either.
    saveNote(null, 'while offline');
    h.engine.kick();
    await h.settle();
    expect(h.crm.pushCalls).toHaveLength(1);
    expect(h.timer()!.at).toBe(t.at);
    await h.fire();
    expect(h.crm.pushCalls).toHaveLength(2);
    h.crm.down = null;
    await h.fire();
    expect(h.engine.status()).toMatchObject({ state: 'idle', pending: 0 });
    expect(h.crm.items.size).toBe(11);
  });

  it('Retry-After holds every request, with many items queued', async () => {
    h = createHarness();
    seedCrm(h.crm, 1);
    for (let i = 0; i < 5; i++) saveNote(null, `メモ${i}`);
    h.crm.failNext('rate_limited', 'push', 1, 45_000);
    await h.start();
    expect(h.crm.pushCalls).toHaveLength(1);
    expect(h.crm.pullCalls).toHaveLength(0);
    expect(h.timer()!.ms).toBe(45_000);
    h.engine.kick();
    await h.settle();
    expect(h.crm.pushCalls).toHaveLength(1);
    await h.fire();
    expect(h.crm.items.size).toBe(5);
    expect(h.customers.count()).toBe(1);
    expect(h.engine.status().state).toBe('idle');
  });

  it('parks a refused change as a dead letter, pushes the rest, and sends it when revived', async () => {
    h = createHarness();
    const bad = saveNote(null, '拒否される');
    saveNote(null, 'ok');
    h.optOuts.record({ e164: SATO, customerId: null, scope: 'all', source: 'agent', reason: null });
    h.crm.onRequest = (_k, item) => {
      if (item?.kind === 'note' && item.payload.noteId === bad.noteId)
        h.crm.failNext('rejected', 'push');
    };
    await h.start();
    h.crm.onRequest = null;
    expect(kinds(h.crm.pushCalls)).toEqual(['opt_out:all', 'note', 'note']);
    expect(h.engine.status()).toMatchObject({ state: 'idle', pending: 0, deadLetters: 1 });
    // The error stays on the dead letter (the round itself went on and succeeded).
    const [dead] = h.outbox.deadLetters();
    expect(dead).toMatchObject({ kind: 'note', attempts: 1, error: 'fake CRM: rejected' });
    expect(h.crm.items.has(dead!.key)).toBe(false);
    // Not retried on its own.
    h.advance(24 * 3600_000);
    await h.fire();
    expect(h.crm.items.has(dead!.key)).toBe(false);
    expect(h.outbox.revive(dead!.key)).toBe(1);
    h.engine.kick();
    await h.settle();
    expect(h.crm.items.get(dead!.key)?.item).toMatchObject({ payload: { body: '拒否される' } });
    expect(h.engine.status()).toMatchObject({ pending: 0, deadLetters: 0, state: 'idle' });
    expect(h.notes.versions(bad.noteId)[0]?.synced).toBe(true);
  });

  it('on auth failure: state error, nothing dropped, no retry loop, until syncNow', async () => {
    h = createHarness();
    saveNote(null, 'a');
    saveNote(null, 'b');
    h.crm.down = 'auth';
    await h.start();
    expect(h.engine.status()).toMatchObject({ state: 'error', pending: 2, deadLetters: 0 });
    expect(h.engine.status().lastError?.message).toMatch(/auth/);
    expect(h.crm.pushCalls).toHaveLength(1);
    // Waits for new settings: no timer spinning, no request on a kick.
    expect(h.timer()).toBeNull();
    saveNote(null, 'c');
    h.engine.kick();
    await h.settle();
    expect(h.crm.pushCalls).toHaveLength(1);
    expect(h.engine.status()).toMatchObject({ state: 'error', pending: 3 });

    h.crm.down = null; // the admin fixed the token
    await h.engine.syncNow();
    expect(h.engine.status()).toMatchObject({ state: 'idle', pending: 0, lastError: null });
    expect(h.crm.items.size).toBe(3);
    expect(h.timer()).not.toBeNull();
  });

  it('an auth failure on pull blocks too, until syncNow', async () => {
    h = createHarness();
    seedCrm(h.crm, 1);
    h.crm.failNext('auth', 'pull');
    await h.start();
    expect(h.engine.status().state).toBe('error');
    expect(h.timer()).toBeNull();
    saveNote(null, 'a');
    h.engine.kick();
    await h.settle();
    expect(h.crm.pushCalls).toHaveLength(0);
    await h.engine.syncNow();
    expect(h.engine.status()).toMatchObject({ state: 'idle', pending: 0 });
    expect(h.customers.count()).toBe(1);
  });

  it.each(['network', 'timeout', 'rate_limited', 'server', 'bad_reply', 'crash'] as const)(
    'a %s failure shows offline, keeps the item and retries it later',
    async (mode) => {
      h = createHarness();
      saveNote(null, 'x');
      h.crm.failNext(mode, 'push');
      await h.start();
      expect(h.engine.status()).toMatchObject({ state: 'offline', pending: 1 });
      expect(h.engine.status().lastError).not.toBeNull();
      expect(outboxRows()[0]).toMatchObject({ attempts: 1, state: 'pending' });
      expect(h.timer()!.ms).toBeGreaterThan(0);
      await h.fire();
      expect(h.engine.status()).toMatchObject({ state: 'idle', pending: 0, lastError: null });
      expect(h.crm.items.size).toBe(1);
    },
  );

  it('a conflict is retried soon, without holding up the rest', async () => {
    h = createHarness();
    saveNote(null, 'conflicting');
    saveNote(null, 'other');
    h.crm.failNext('conflict', 'push');
    await h.start();
    expect(h.crm.pushCalls.map((i) => i.kind === 'note' && i.payload.body)).toEqual([
      'conflicting',
      'other',
    ]);
    expect(h.engine.status()).toMatchObject({ pending: 1, deadLetters: 0 });
    expect(h.timer()!.ms).toBe(200);
    await h.fire();
    expect(h.engine.status()).toMatchObject({ state: 'idle', pending: 0 });
    expect(h.crm.items.size).toBe(2);
  });

  it('a conflict that does not clear backs off instead of retrying 5 times a second', async () => {
    h = createHarness({ backoff: { initialMs: 1000, maxMs: 60_000 } });
    saveNote(null, 'always conflicting');
    h.crm.failNext('conflict', 'push', 7);
    await h.start();
    const waits = [h.timer()!.ms];
    for (let i = 0; i < 6; i++) waits.push((await h.fire(), h.timer()!.ms));
    expect(waits.slice(0, 3)).toEqual([200, 200, 200]);
    // Then the usual backoff (jitter 0.5): 3/4 of 8 s, 16 s, 32 s, 60 s (the timer may
    // fire earlier for the minute's pull).
    expect(waits.slice(3, 6)).toEqual([6000, 12_000, 24_000]);
    expect(outboxRows()[0]!.next_at - h.now()).toBe(45_000);
    while (h.crm.items.size === 0) await h.fire();
    expect(h.engine.status()).toMatchObject({ pending: 0, deadLetters: 0 });
  });

  it('a change queued while a push is in flight goes out in the same round', async () => {
    h = createHarness();
    saveNote(null, 'first');
    let once = true;
    h.crm.onRequest = (kind) => {
      if (kind === 'push' && once) {
        once = false;
        saveNote(null, 'typed meanwhile');
        h.engine.kick();
      }
    };
    await h.start();
    expect(h.crm.items.size).toBe(2);
    expect(h.engine.status()).toMatchObject({ state: 'idle', pending: 0 });
  });

  it('a call logged again while its push is in flight is sent again with the new data', async () => {
    h = createHarness();
    const call = {
      id: 'call-1',
      customerId: null,
      kind: 'call' as const,
      direction: 'outbound' as const,
      number: SATO,
      startedAt: h.now(),
      answeredAt: null,
      endedAt: h.now() + 20_000,
      durationSec: null,
      outcome: 'missed' as const,
      endReason: null,
      quality: null,
    };
    h.interactions.logCall(call);
    let once = true;
    h.crm.onRequest = (kind) => {
      if (kind === 'push' && once) {
        once = false;
        h.interactions.logCall({
          ...call,
          answeredAt: h.now() + 5000,
          durationSec: 15,
          outcome: 'answered',
        });
      }
    };
    await h.start();
    const stored = h.crm.items.get('call:call-1');
    expect(stored?.writes).toBe(2);
    expect(stored?.item.kind === 'call_log' && stored.item.payload.outcome).toBe('answered');
    expect(count('outbox')).toBe(0);
  });

  it('a kick from inside a round asks for another round instead of starting one alongside', async () => {
    h = createHarness();
    const call = {
      id: 'call-9',
      customerId: null,
      kind: 'call' as const,
      direction: 'inbound' as const,
      number: YAMADA,
      startedAt: h.now(),
      answeredAt: null,
      endedAt: h.now() + 30_000,
      durationSec: null,
      outcome: 'missed' as const,
      endReason: null,
      quality: null,
    };
    h.interactions.logCall(call);
    let once = true;
    // The CRM call's first (synchronous) part re-logs the call and kicks, as core does.
    h.crm.onRequest = (kind) => {
      if (kind !== 'push' || !once) return;
      once = false;
      h.interactions.logCall({
        ...call,
        answeredAt: h.now() + 2000,
        durationSec: 28,
        outcome: 'answered',
      });
      h.engine.kick();
    };
    await h.start();
    expect(h.crm.maxConcurrent).toBe(1);
    const stored = h.crm.items.get('call:call-9')?.item;
    expect(stored?.kind === 'call_log' && stored.payload.outcome).toBe('answered');
    expect(h.engine.status()).toMatchObject({ state: 'idle', pending: 0 });
  });

  it("shows 'syncing' while it talks to the CRM", async () => {
    h = createHarness();
    saveNote(null, 'x');
    seedCrm(h.crm, 1);
    const seen: string[] = [];
    h.crm.onRequest = () => seen.push(h.engine.status().state);
    await h.start();
    expect(new Set(seen)).toEqual(new Set(['syncing']));
    expect(h.statuses.map((s) => s.state)).toContain('syncing');
    expect(h.statuses.at(-1)).toMatchObject({ state: 'idle', pending: 0 });
  });
});

describe('pull', () => {
  it('reads every page, applies it and stores the cursor', async () => {
    h = createHarness({ pageSize: 2 });
    seedCrm(h.crm);
    await h.start();
    expect(h.customers.count()).toBe(5);
    expect(h.customers.findByPhone(YAMADA_MOBILE)).toMatchObject({
      id: 'crm-101',
      name: '山田 太郎',
      nameKana: 'ヤマダ タロウ',
      segment: 'heavy',
      phone: YAMADA,
    });
    expect(h.customers.idForCrmId('105')).toBe('crm-105');
    const customerPulls = h.crm.pullCalls.filter((c) => c.stream === 'customers');
    const all = [...h.crm.customers.values()];
    expect(customerPulls.map((c) => c.since?.id ?? null)).toEqual([null, '102', '104']);
    expect(h.cursors.get('customers')).toEqual({ updatedAt: all[4]!.updatedAt, id: '105' });
    expect(h.cursors.get('activities')).toBeNull();
    expect(h.engine.status()).toMatchObject({ state: 'idle', initial: null });
  });

  it('reports the first sync progress with the CRM total', async () => {
    h = createHarness({ pageSize: 2 });
    seedCrm(h.crm);
    h.crm.onRequest = () => h.advance(300); // slow enough for every progress update to go out
    await h.start();
    const progress = h.statuses.map((s) => s.initial).filter((i) => i !== null);
    expect(progress).toEqual([
      { done: 2, total: 5 },
      { done: 4, total: 5 },
      { done: 5, total: 5 },
    ]);
    expect(h.engine.status().initial).toBeNull();
    // Later rounds are not a first sync.
    h.crm.putCustomer({ ...h.crm.customers.get('101')!, name: '山田 太朗' });
    const before = h.statuses.length;
    await h.engine.syncNow();
    expect(h.statuses.slice(before).every((s) => s.initial === null)).toBe(true);
  });

  it('an interrupted first sync resumes from its cursor and then clears its progress', async () => {
    h = createHarness({ pageSize: 2 });
    seedCrm(h.crm);
    let pulls = 0;
    h.crm.onRequest = (kind) => {
      if (kind === 'pull' && ++pulls === 2) h.crm.failNext('network', 'pull');
    };
    await h.start();
    expect(h.engine.status()).toMatchObject({ state: 'offline', initial: { done: 2, total: 5 } });
    expect(h.cursors.get('customers')?.id).toBe('102');
    expect(h.customers.count()).toBe(2);
    expect(h.timer()!.ms).toBeGreaterThan(0);
    await h.fire();
    expect(h.customers.count()).toBe(5);
    expect(h.engine.status()).toMatchObject({ state: 'idle', initial: null });
  });

  it('re-reads the look-back window idempotently, and catches a record committed late', async () => {
    h = createHarness({ pageSize: 2, lookBackMs: 60_000 });
    seedCrm(h.crm);
    h.crm.addActivity({
      customerCrmId: '101',
      kind: 'email',
      direction: 'inbound',
      at: h.now() - 3600_000,
      summary: '配送について問い合わせ',
      syncKey: null,
    });
    await h.start();
    const snapshot = () =>
      ['customers', 'customer_phones', 'interactions', 'opt_outs', 'outbox'].map((t) =>
        h.db.prepare(`SELECT * FROM ${t} ORDER BY 1`).all(),
      );
    const before = snapshot();
    const cursor = h.cursors.get('customers')!;
    const pullsBefore = h.crm.pullCalls.length;

    await h.engine.syncNow();
    const again = h.crm.pullCalls.slice(pullsBefore);
    expect(again[0]).toEqual({ stream: 'customers', since: lookBack(cursor, 60_000) });
    expect(Date.parse(again[0]!.since!.updatedAt)).toBe(Date.parse(cursor.updatedAt) - 60_000);
    expect(snapshot()).toEqual(before);
    expect(h.cursors.get('customers')).toEqual(cursor);

    // Committed late with a timestamp before the stored cursor (coarse CRM clocks).
    h.crm.serverMs -= 10_000;
    h.crm.putCustomer({
      crmId: '120',
      name: '伊藤 誠',
      nameKana: 'イトウ マコト',
      segment: 'new',
      phones: ['052-123-4567'],
    });
    await h.engine.syncNow();
    expect(h.customers.idForCrmId('120')).toBe('crm-120');
    // The cursor never moves backwards.
    expect(h.cursors.get('customers')).toEqual(cursor);
  });

  it('applies a page and its cursor in one transaction: a page that fails leaves neither', async () => {
    h = createHarness({ pageSize: 2 });
    seedCrm(h.crm, 2);
    const broken = h.crm.customers.get('102')!;
    h.crm.customers.set('102', { ...broken, optOut: 'bogus' as never });
    await h.start();
    expect(h.customers.count()).toBe(0);
    expect(h.cursors.get('customers')).toBeNull();
    expect(h.engine.status().state).toBe('offline');
    // Not retried in a tight loop.
    expect(h.timer()!.ms).toBeGreaterThan(0);
    h.crm.putCustomer({ ...broken, optOut: 'marketing' });
    await h.fire();
    expect(h.customers.count()).toBe(2);
    expect(h.optOuts.levelFor(SATO)).toBe('marketing');
    expect(h.engine.status().state).toBe('idle');
  });

  it('does not overwrite a customer with a local change waiting for the CRM', async () => {
    h = createHarness();
    seedCrm(h.crm, 1);
    await h.start();
    // A local change about this customer, not yet acknowledged (waiting for its retry).
    h.outbox.enqueue('callback', 'customer:crm-101', {
      callbackId: 'cb-1',
      customerId: 'crm-101',
      customerCrmId: '101',
      e164: YAMADA,
      dueAt: h.now() + 3600_000,
      status: 'pending',
    });
    h.outbox.retryLater(h.outbox.next(h.now())!.seq, h.now() + 3600_000, 'server');
    h.crm.putCustomer({ ...h.crm.customers.get('101')!, name: '山田 次郎', optOut: 'all' });
    const pulls = h.crm.pullCalls.length;
    const t = await h.fire(); // the next scheduled pull
    expect(t.ms).toBe(60_000);
    expect(h.crm.pullCalls.length).toBeGreaterThan(pulls);
    expect(h.crm.pushCalls).toHaveLength(0);
    expect(h.customers.getById('crm-101')?.name).toBe('山田 太郎');
    // The CRM's do-not-call is recorded all the same.
    expect(h.optOuts.levelFor(YAMADA)).toBe('all');
    // Once acknowledged, the next pull (look-back) brings the CRM's record.
    await h.engine.syncNow();
    expect(h.outbox.pendingCount()).toBe(0);
    expect(h.customers.getById('crm-101')?.name).toBe('山田 次郎');
  });

  it('records an opt-out from the CRM on every number of the customer, without sending it back', async () => {
    h = createHarness();
    seedCrm(h.crm, 2);
    h.crm.setOptOut('101', 'marketing');
    await h.start();
    expect(h.optOuts.levelFor(YAMADA)).toBe('marketing');
    expect(h.optOuts.levelFor(YAMADA_MOBILE)).toBe('marketing');
    expect(h.optOuts.levelForCustomer('crm-101')).toBe('marketing');
    expect(h.optOuts.levelFor(SATO)).toBe('none');
    expect(count('opt_outs', "source = 'crm'")).toBe(2);
    expect(h.crm.pushCalls).toHaveLength(0);
    h.crm.setOptOut('101', 'all');
    await h.engine.syncNow();
    expect(h.optOuts.levelFor(YAMADA)).toBe('all');
    expect(h.crm.pushCalls).toHaveLength(0);
  });

  it('records the opt-out of a CRM record that cannot be used as a customer', async () => {
    h = createHarness();
    h.crm.putCustomer({
      crmId: '130',
      name: '   ',
      nameKana: null,
      segment: 'new',
      phones: ['03-5555-0199', 'not a number'],
      optOut: 'all',
    });
    await h.start();
    expect(h.customers.count()).toBe(0);
    expect(h.optOuts.levelFor('+81355550199')).toBe('all');
    expect(h.engine.status().state).toBe('idle');
  });

  it("never weakens a local opt-out when the CRM says 'marketing' or 'none'", async () => {
    h = createHarness();
    seedCrm(h.crm, 1);
    await h.start();
    h.optOuts.record({
      e164: YAMADA,
      customerId: 'crm-101',
      scope: 'all',
      source: 'agent',
      reason: null,
    });
    await h.engine.syncNow();
    expect(h.crm.pushedOptOut(YAMADA)).toBe('all');
    expect(h.crm.customers.get('101')?.optOut).toBe('all');
    for (const level of ['marketing', 'none'] as const) {
      h.crm.setOptOut('101', level); // someone in the CRM resets it
      await h.engine.syncNow();
      expect(h.optOuts.levelFor(YAMADA)).toBe('all');
    }
    // The agent's weaker decision afterwards changes nothing either.
    expect(
      h.optOuts.record({
        e164: YAMADA,
        customerId: 'crm-101',
        scope: 'marketing',
        source: 'agent',
        reason: null,
      }),
    ).toBe(false);
    expect(count('opt_outs', `e164 = '${YAMADA}'`)).toBe(1);
    expect(h.outbox.pendingCount()).toBe(0);
  });

  it('does not duplicate our own records on the timeline when they come back', async () => {
    h = createHarness({ pageSize: 2 });
    seedCrm(h.crm, 1);
    await h.start();
    saveNote('crm-101', '折り返し希望');
    h.interactions.logCall({
      id: 'call-7',
      customerId: 'crm-101',
      kind: 'call',
      direction: 'inbound',
      number: YAMADA,
      startedAt: h.now() - 120_000,
      answeredAt: h.now() - 118_000,
      endedAt: h.now() - 60_000,
      durationSec: 58,
      outcome: 'answered',
      endReason: null,
      quality: { mos: 4.2, lossPct: 0.1, jitterMs: 3, rttMs: 40 },
    });
    // Other channels, and a call logged by a colleague's desktop.
    h.crm.addActivity({
      customerCrmId: '101',
      kind: 'email',
      direction: 'inbound',
      at: h.now() - 7200_000,
      summary: '見積もり依頼',
      syncKey: null,
    });
    h.crm.addActivity({
      customerCrmId: '101',
      kind: 'call',
      direction: 'outbound',
      at: h.now() - 3600_000,
      summary: 'no_answer',
      syncKey: 'call:call-of-a-colleague',
    });
    await h.engine.syncNow();
    expect(h.crm.activities.size).toBe(4);
    const timeline = () =>
      h.interactions.recentForCustomer('crm-101', 50).map((e) => [e.id, e.kind, e.summary]);
    expect(timeline()).toEqual([
      ['call-7', 'call', null],
      [expect.stringMatching(/^crm:/), 'call', 'no_answer'],
      [expect.stringMatching(/^crm:/), 'email', '見積もり依頼'],
    ]);
    await h.engine.syncNow();
    await h.engine.syncNow();
    expect(timeline()).toHaveLength(3);
    expect(count('interactions')).toBe(3);
  });

  it('a pull failure backs off instead of retrying at once', async () => {
    h = createHarness({ backoff: { initialMs: 1000, maxMs: 60_000 } });
    seedCrm(h.crm, 1);
    h.crm.down = 'network';
    await h.start();
    const waits = [h.timer()!.ms];
    for (let i = 0; i < 5; i++) waits.push((await h.fire(), h.timer()!.ms));
    expect(waits.every((w) => w > 0)).toBe(true);
    expect(waits[5]).toBeGreaterThan(waits[0]!);
    expect(h.crm.pullCalls).toHaveLength(6);
    expect(h.engine.status().state).toBe('offline');
    h.crm.down = null;
    await h.fire();
    expect(h.engine.status().state).toBe('idle');
    expect(h.timer()!.ms).toBe(60_000); // back to the pull interval
  });
});

describe('status', () => {
  it('counts pending changes and dead letters, and the last success and error', async () => {
    h = createHarness();
    expect(h.engine.status()).toEqual({
      crm: 'kintone',
      state: 'idle',
      pending: 0,
      deadLetters: 0,
      lastSuccessAt: null,
      lastError: null,
      initial: null,
    });
    saveNote(null, 'a');
    saveNote(null, 'b');
    saveNote(null, 'c');
    expect(h.engine.status().pending).toBe(3);
    h.crm.failNext('rejected', 'push');
    h.crm.failNext('rejected', 'push');
    await h.start();
    expect(h.engine.status()).toMatchObject({
      state: 'idle',
      pending: 0,
      deadLetters: 2,
      lastSuccessAt: h.now(),
    });
    h.advance(1000);
    h.outbox.revive();
    h.crm.down = 'timeout';
    h.engine.kick();
    await h.settle();
    expect(h.engine.status()).toMatchObject({
      state: 'offline',
      pending: 2,
      deadLetters: 0,
      lastSuccessAt: h.now() - 1000,
      lastError: { message: 'fake CRM: timeout', at: h.now() },
    });
    h.crm.down = null;
    await h.engine.syncNow();
    expect(h.engine.status()).toMatchObject({ state: 'idle', pending: 0, lastError: null });
  });
});
