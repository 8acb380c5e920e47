import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TimelineEntry } from '../../../../preload/contract';
import { createCustomerRepo } from '../../../../main/core/store/customers';
import { openDatabase, type Database } from '../../../../main/core/store/db';
import {
  createInteractionRepo,
  type CallLogEntry,
  type InteractionRepo,
} from '../../../../main/core/store/interactions';

let db: Database;
let repo: InteractionRepo;

beforeEach(() => {
  db = openDatabase(':memory:');
  createCustomerRepo(db).upsert({
    id: 'cust-1',
    name: '山田 太郎',
    segment: 'heavy',
    phones: ['03-5555-0101'],
  });
  repo = createInteractionRepo(db);
});
afterEach(() => db.close());

function call(id: string, startedAt: number, over: Partial<CallLogEntry> = {}): CallLogEntry {
  return {
    id,
    kind: 'call',
    direction: 'inbound',
    number: '+81355550101',
    startedAt,
    answeredAt: startedAt + 5000,
    endedAt: startedAt + 65_000,
    durationSec: 60,
    outcome: 'answered',
    customerId: 'cust-1',
    endReason: 'remote hung up',
    ...over,
  };
}

const rows = () => db.prepare('SELECT count(*) FROM interactions').pluck().get();

describe('interaction repository', () => {
  it('returns a customer timeline newest first in the contract shape', () => {
    repo.logCall(call('a', 1000));
    repo.logCall(call('c', 3000, { direction: 'outbound', outcome: 'no_answer' }));
    repo.logCall(call('b', 2000));
    const got = repo.recentForCustomer('cust-1', 10);
    expect(got.map((e) => e.id)).toEqual(['c', 'b', 'a']);
    for (const e of got) expect(TimelineEntry.strict().parse(e)).toEqual(e);
    expect(got[0]).toEqual({
      id: 'c',
      kind: 'call',
      direction: 'outbound',
      number: '+81355550101',
      startedAt: 3000,
      answeredAt: 8000,
      endedAt: 68_000,
      durationSec: 60,
      outcome: 'no_answer',
      quality: null,
      summary: null,
    });
  });

  it('stores the call quality with the call and reads it back', () => {
    const quality = { mos: 4.1, lossPct: 0.8, jitterMs: 12.5, rttMs: null };
    repo.logCall(call('q', 1000, { quality }));
    expect(repo.recentForCustomer('cust-1', 1)[0]?.quality).toEqual(quality);
    // a quality that breaks the contract is refused, nothing written
    expect(() => repo.logCall(call('bad', 2000, { quality: { ...quality, mos: 7 } }))).toThrow();
    expect(rows()).toBe(1);
  });

  it('applies the limit', () => {
    for (let i = 0; i < 8; i++) repo.logCall(call(`call-${i}`, i * 1000));
    expect(repo.recentForCustomer('cust-1', 3).map((e) => e.id)).toEqual([
      'call-7',
      'call-6',
      'call-5',
    ]);
    expect(repo.recentForCustomer('cust-1', 0)).toEqual([]);
    expect(repo.recentForCustomer('cust-1', -1)).toEqual([]);
  });

  it('logging the same id twice updates the row, never duplicates it', () => {
    repo.logCall(
      call('x', 1000, { answeredAt: null, endedAt: null, durationSec: null, outcome: null }),
    );
    repo.logCall(
      call('x', 1000, { outcome: 'answered', durationSec: 42, endReason: 'agent hung up' }),
    );
    expect(rows()).toBe(1);
    expect(repo.recentForCustomer('cust-1', 5)).toEqual([
      expect.objectContaining({ id: 'x', outcome: 'answered', durationSec: 42 }),
    ]);
    expect(db.prepare('SELECT end_reason FROM interactions').pluck().get()).toBe('agent hung up');
  });

  it("finds an unknown caller's history by number", () => {
    repo.logCall(call('u1', 1000, { customerId: null, number: '+81669991234', outcome: 'missed' }));
    repo.logCall(call('u2', 2000, { customerId: null, number: '+81669991234' }));
    repo.logCall(call('k1', 3000));
    expect(repo.recentForNumber('+81669991234', 5).map((e) => e.id)).toEqual(['u2', 'u1']);
    expect(repo.recentForNumber('+81355550101', 5).map((e) => e.id)).toEqual(['k1']);
    expect(repo.recentForCustomer('cust-1', 5).map((e) => e.id)).toEqual(['k1']);
  });

  it('keeps a raw number that could not be normalized', () => {
    repo.logCall(call('anon', 1000, { customerId: null, number: 'anonymous' }));
    expect(repo.recentForNumber('anonymous', 5)).toHaveLength(1);
  });

  it('orders calls that started in the same millisecond by when they were logged', () => {
    repo.logCall(call('first', 5000));
    repo.logCall(call('second', 5000));
    expect(repo.recentForCustomer('cust-1', 5).map((e) => e.id)).toEqual(['first', 'second']);
  });

  it('rejects entries that break the contract, and unknown customers', () => {
    expect(() => repo.logCall(call('bad id', 1000))).toThrow();
    expect(() => repo.logCall(call('neg', -1))).toThrow();
    expect(() => repo.logCall(call('o', 1, { outcome: 'maybe' as never }))).toThrow();
    expect(() => repo.logCall(call('fk', 1000, { customerId: 'nobody' }))).toThrow(/FOREIGN KEY/);
    expect(rows()).toBe(0);
  });

  it('reads both timelines with an index range scan and no sort', () => {
    const plan = (sql: string) =>
      db
        .prepare<[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
        .all()
        .map((r) => r.detail)
        .join('\n');
    const order = 'ORDER BY started_at DESC, rowid ASC LIMIT 5';
    const byCustomer = plan(`SELECT * FROM interactions WHERE customer_id = 'c' ${order}`);
    const byNumber = plan(`SELECT * FROM interactions WHERE number = 'n' ${order}`);
    expect(byCustomer).toMatch(/USING INDEX interactions_by_customer/);
    expect(byNumber).toMatch(/USING INDEX interactions_by_number/);
    expect(byCustomer + byNumber).not.toMatch(/TEMP B-TREE/);
  });
});
