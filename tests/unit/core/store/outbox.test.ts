import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { openDatabase, type Database } from '../../../../main/core/store/db';
import { createOutboxRepo, type OutboxRepo } from '../../../../main/core/store/outbox';
import type { OutboxPayload } from '../../../../main/core/sync/crm/adapter';

let db: Database;
let repo: OutboxRepo;
let clock: number;
let keys: number;

beforeEach(() => {
  db = openDatabase(':memory:');
  clock = 1_700_000_000_000;
  keys = 0;
  repo = createOutboxRepo(db, { now: () => clock, newKey: () => `key-${++keys}` });
});
afterEach(() => db.close());

function note(
  noteId: string,
  version = 1,
  body = 'お電話ありがとうございました',
): OutboxPayload<'note'> {
  return {
    noteId,
    version,
    customerId: 'cust-1',
    customerCrmId: '101',
    interactionId: null,
    body,
    savedAt: clock,
  };
}

function optOut(e164: string, scope: 'marketing' | 'all' = 'all'): OutboxPayload<'opt_out'> {
  return {
    customerId: 'cust-1',
    customerCrmId: null,
    e164,
    scope,
    source: 'agent',
    reason: '本人の希望',
    at: clock,
  };
}

function callLog(id: string, outcome: string): OutboxPayload<'call_log'> {
  return {
    interactionId: id,
    customerId: null,
    customerCrmId: null,
    direction: 'inbound',
    number: '+81355550101',
    startedAt: clock,
    answeredAt: clock + 5000,
    endedAt: clock + 65_000,
    durationSec: 60,
    outcome,
  };
}

interface RawRow {
  seq: number;
  key: string;
  kind: string;
  entity: string;
  payload: string;
  lane: number;
  state: string;
  attempts: number;
  next_at: number;
  last_error: string | null;
  created_at: number;
}

function rows(): RawRow[] {
  return db.prepare<[], RawRow>('SELECT * FROM outbox ORDER BY seq').all();
}

describe('enqueue', () => {
  it('stores a validated row with a new key, its lane, entity and creation time', () => {
    const key = repo.enqueue('note', 'note:n-1', note('n-1'));
    expect(key).toBe('key-1');
    expect(rows()).toEqual([
      {
        seq: 1,
        key: 'key-1',
        kind: 'note',
        entity: 'note:n-1',
        payload: JSON.stringify(note('n-1')),
        lane: 1,
        state: 'pending',
        attempts: 0,
        next_at: 0,
        last_error: null,
        created_at: clock,
      },
    ]);
    expect(repo.pendingCount()).toBe(1);
    expect(repo.hasPending('note:n-1')).toBe(true);
    expect(repo.hasPending('note:n-2')).toBe(false);
  });

  it('uses a random UUID when no key source is given', () => {
    const plain = createOutboxRepo(db);
    const a = plain.enqueue('note', 'note:n-1', note('n-1'));
    const b = plain.enqueue('note', 'note:n-1', note('n-1', 2));
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(b).not.toBe(a);
  });

  it('refuses a payload the adapter could not read, and writes nothing', () => {
    const bad = [
      () => repo.enqueue('note', 'note:n-1', { ...note('n-1'), version: 0 }),
      () => repo.enqueue('note', 'note:n-1', { ...note('n-1'), version: 1.5 }),
      () => repo.enqueue('note', 'note:n-1', { ...note('n-1'), body: undefined as never }),
      () =>
        repo.enqueue('opt_out', 'optout:x', { ...optOut('+81355550101'), scope: 'none' as never }),
      () =>
        repo.enqueue('opt_out', 'optout:x', {
          ...optOut('+81355550101'),
          reason: 'x'.repeat(2001),
        }),
      () =>
        repo.enqueue('call_log', 'call:c', {
          ...callLog('c', 'ok'),
          direction: 'sideways' as never,
        }),
      () => repo.enqueue('nonsense' as never, 'x', {} as never),
    ];
    for (const f of bad) expect(f).toThrow();
    expect(bad[0]).toThrow(ZodError);
    expect(rows()).toEqual([]);
  });

  it('stores only the fields of the payload schema', () => {
    repo.enqueue('note', 'note:n-1', { ...note('n-1'), secret: 'token' } as never);
    expect(JSON.parse(rows()[0]!.payload)).toEqual(note('n-1'));
  });

  it('re-enqueueing a fixed key replaces the pending row instead of adding one', () => {
    expect(repo.enqueue('call_log', 'call:c1', callLog('c1', 'ringing'), 'call:c1')).toBe(
      'call:c1',
    );
    const first = rows()[0]!;
    clock += 1000;
    repo.enqueue('call_log', 'call:c1', callLog('c1', 'answered'), 'call:c1');
    const after = rows();
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ seq: first.seq, key: 'call:c1', state: 'pending' });
    expect(JSON.parse(after[0]!.payload)).toEqual(callLog('c1', 'answered'));
    expect(repo.next(clock)?.item.payload).toMatchObject({ outcome: 'answered' });
  });

  it('re-enqueueing a fixed key makes a row in backoff due now, and brings a dead one back', () => {
    repo.enqueue('call_log', 'call:c1', callLog('c1', 'a'), 'call:c1');
    repo.enqueue('call_log', 'call:c2', callLog('c2', 'a'), 'call:c2');
    const r1 = repo.next(clock)!;
    repo.retryLater(r1.seq, clock + 60_000, 'server said 503');
    const r2row = repo.next(clock)!;
    expect(r2row.item.key).toBe('call:c2');
    repo.bury(r2row.seq, 'rejected');
    expect(repo.next(clock)).toBeNull();

    repo.enqueue('call_log', 'call:c1', callLog('c1', 'b'), 'call:c1');
    repo.enqueue('call_log', 'call:c2', callLog('c2', 'b'), 'call:c2');
    expect(repo.deadCount()).toBe(0);
    expect(repo.pendingCount()).toBe(2);
    expect(repo.next(clock)?.item.key).toBe('call:c1');
  });
});

describe('next', () => {
  it('takes opt-outs first, then the rest oldest first', () => {
    repo.enqueue('note', 'note:n-1', note('n-1'));
    repo.enqueue('call_log', 'call:c1', callLog('c1', 'a'), 'call:c1');
    repo.enqueue('opt_out', 'optout:+81355550101', optOut('+81355550101', 'marketing'));
    repo.enqueue('note', 'note:n-1', note('n-1', 2));
    repo.enqueue('opt_out', 'optout:+81355550102', optOut('+81355550102'));

    const order: string[] = [];
    for (let row = repo.next(clock); row; row = repo.next(clock)) {
      order.push(`${row.item.kind}:${row.item.key}`);
      expect(repo.acknowledge(row.seq)).toBe(true);
    }
    expect(order).toEqual([
      'opt_out:key-2',
      'opt_out:key-4',
      'note:key-1',
      'call_log:call:c1',
      'note:key-3',
    ]);
    expect(repo.pendingCount()).toBe(0);
    expect(repo.nextDueAt()).toBeNull();
  });

  it('returns the parsed item, its entity and attempts', () => {
    const key = repo.enqueue('note', 'note:n-1', note('n-1'));
    expect(repo.next(clock)).toEqual({
      seq: 1,
      entity: 'note:n-1',
      attempts: 0,
      item: { key, kind: 'note', payload: note('n-1'), createdAt: clock },
    });
  });

  it('skips rows that are not due yet; nextDueAt is the earliest pending one', () => {
    repo.enqueue('opt_out', 'optout:+81355550101', optOut('+81355550101'));
    repo.enqueue('note', 'note:n-1', note('n-1'));
    expect(repo.nextDueAt()).toBe(0);
    const opt = repo.next(clock)!;
    repo.retryLater(opt.seq, clock + 5000, 'timeout');
    // The opt-out waits; the note is due and goes ahead of it meanwhile.
    expect(repo.next(clock)?.item.kind).toBe('note');
    const n = repo.next(clock)!;
    repo.retryLater(n.seq, clock + 2000, 'timeout');
    expect(repo.next(clock)).toBeNull();
    expect(repo.nextDueAt()).toBe(clock + 2000);
    expect(repo.next(clock + 2000)?.item.kind).toBe('note');
    expect(repo.next(clock + 5000)?.item.kind).toBe('opt_out');
  });
});

describe('retryLater, bury, revive', () => {
  it('retryLater counts the attempt and keeps the error (bounded)', () => {
    repo.enqueue('note', 'note:n-1', note('n-1'));
    const row = repo.next(clock)!;
    repo.retryLater(row.seq, clock + 1000, 'e'.repeat(5000));
    repo.retryLater(row.seq, clock + 3000, 'server 503');
    expect(rows()[0]).toMatchObject({
      attempts: 2,
      next_at: clock + 3000,
      last_error: 'server 503',
      state: 'pending',
    });
    expect(repo.next(clock + 3000)?.attempts).toBe(2);
    repo.retryLater(row.seq, 0, 'x'.repeat(5000));
    expect(rows()[0]!.last_error).toHaveLength(1000);
  });

  it('bury parks a row as a dead letter: kept, shown, not pushed, not pending', () => {
    repo.enqueue('note', 'note:n-1', note('n-1'));
    repo.enqueue('note', 'note:n-2', note('n-2'));
    const row = repo.next(clock)!;
    repo.bury(row.seq, 'GAIA_IL01: field is required');
    expect(repo.deadCount()).toBe(1);
    expect(repo.pendingCount()).toBe(1);
    expect(repo.hasPending('note:n-1')).toBe(false);
    expect(repo.next(clock)?.item.key).toBe('key-2');
    expect(repo.deadLetters()).toEqual([
      {
        key: 'key-1',
        kind: 'note',
        attempts: 1,
        error: 'GAIA_IL01: field is required',
        createdAt: clock,
      },
    ]);
    expect(rows()).toHaveLength(2);
  });

  it('revive puts one dead row, or all, back in the queue with fresh attempts', () => {
    for (const id of ['n-1', 'n-2', 'n-3']) repo.enqueue('note', `note:${id}`, note(id));
    for (let row = repo.next(clock); row; row = repo.next(clock)) repo.bury(row.seq, 'no');
    expect(repo.deadCount()).toBe(3);
    expect(repo.deadLetters(2).map((d) => d.key)).toEqual(['key-1', 'key-2']);

    expect(repo.revive('key-2')).toBe(1);
    expect(repo.revive('key-2')).toBe(0);
    expect(repo.revive('unknown')).toBe(0);
    expect(repo.next(clock)).toMatchObject({ attempts: 0, item: { key: 'key-2' } });
    expect(repo.revive()).toBe(2);
    expect(repo.deadCount()).toBe(0);
    expect(repo.pendingCount()).toBe(3);
    // Back in their original order.
    const order: string[] = [];
    for (let row = repo.next(clock); row; row = repo.next(clock)) {
      order.push(row.item.key);
      repo.acknowledge(row.seq);
    }
    expect(order).toEqual(['key-1', 'key-2', 'key-3']);
  });

  it('revive does not touch pending rows waiting for their backoff', () => {
    repo.enqueue('note', 'note:n-1', note('n-1'));
    const row = repo.next(clock)!;
    repo.retryLater(row.seq, clock + 60_000, 'timeout');
    expect(repo.revive()).toBe(0);
    expect(rows()[0]).toMatchObject({ attempts: 1, next_at: clock + 60_000 });
  });
});

describe('acknowledge', () => {
  it('deletes only the acknowledged row', () => {
    repo.enqueue('note', 'note:n-1', note('n-1'));
    repo.enqueue('note', 'note:n-2', note('n-2'));
    const row = repo.next(clock)!;
    expect(repo.acknowledge(row.seq, row.item)).toBe(true);
    expect(rows().map((r) => r.key)).toEqual(['key-2']);
    expect(repo.acknowledge(row.seq, row.item)).toBe(false);
  });

  it('keeps a fixed-key row replaced while its push was in flight, so the new payload goes out', () => {
    repo.enqueue('call_log', 'call:c1', callLog('c1', 'ringing'), 'call:c1');
    const inFlight = repo.next(clock)!;
    // The call is logged again (it ended) while the CRM is writing the first version.
    repo.enqueue('call_log', 'call:c1', callLog('c1', 'answered'), 'call:c1');
    expect(repo.acknowledge(inFlight.seq, inFlight.item)).toBe(false);
    const again = repo.next(clock)!;
    expect(again.item.payload).toMatchObject({ outcome: 'answered' });
    expect(repo.acknowledge(again.seq, again.item)).toBe(true);
    expect(repo.pendingCount()).toBe(0);
  });
});
