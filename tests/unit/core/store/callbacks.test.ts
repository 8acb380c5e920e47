import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_CAMPAIGN_BY_KIND } from '../../../../main/core/outbound/default-campaigns';
import {
  CallbackNotFoundError,
  createCallbackRepo,
  InvalidCallbackError,
  searchPatterns,
  type CallbackRepo,
  type CallbackRow,
  type CreateCallbackInput,
} from '../../../../main/core/store/callbacks';
import { createAttemptRepo } from '../../../../main/core/store/attempts';
import { createCampaignRepo } from '../../../../main/core/store/campaigns';
import { createCustomerRepo } from '../../../../main/core/store/customers';
import { openDatabase, type Database } from '../../../../main/core/store/db';
import { seedDemoData } from '../../../../main/core/store/demo-data';
import { createNoticeRepo } from '../../../../main/core/store/notices';
import { createOutboxRepo, type OutboxRepo } from '../../../../main/core/store/outbox';
import type { OutboxItem } from '../../../../main/core/sync/crm/adapter';

const MIN = 60_000;
const NOW = 1_700_000_000_000;
const { requested: REQUESTED, renewal: RENEWAL, nps: NPS } = DEFAULT_CAMPAIGN_BY_KIND;

let db: Database;
let outbox: OutboxRepo;
let repo: CallbackRepo;
let clock: number;
let ids: number;

beforeEach(() => {
  db = openDatabase(':memory:');
  clock = NOW;
  ids = 0;
  const customers = createCustomerRepo(db, { now: () => clock });
  customers.upsert({
    id: 'cust-1',
    name: '山田 太郎',
    nameKana: 'ヤマダ タロウ',
    segment: 'heavy',
    phones: ['03-5555-0101', '090-1111-0101'],
    crmId: '101',
  });
  customers.upsert({
    id: 'cust-2',
    name: '佐藤 花子',
    nameKana: 'サトウ ハナコ',
    segment: 'repeat',
    phones: ['090-1234-5678'],
  });
  customers.upsert({
    id: 'cust-3',
    name: 'John Smith',
    segment: 'new',
    phones: ['+1 212-555-0123'],
  });
  outbox = createOutboxRepo(db, { now: () => clock });
  repo = createCallbackRepo(db, outbox, { now: () => clock, newId: () => `cb-${++ids}` });
});
afterEach(() => db.close());

function make(over: Partial<CreateCallbackInput> & { id?: string } = {}): CallbackRow {
  const { id, ...rest } = over;
  const r = createCallbackRepo(db, outbox, { now: () => clock, newId: () => id ?? `cb-${++ids}` });
  return r.create({
    customerId: 'cust-1',
    e164: '+81355550101',
    campaign: RENEWAL,
    owner: 'me',
    promised: false,
    dueAt: NOW - 10 * MIN,
    ...rest,
  });
}

function drain(): OutboxItem[] {
  const out: OutboxItem[] = [];
  for (let row = outbox.next(Number.MAX_SAFE_INTEGER); row;) {
    out.push(row.item);
    outbox.acknowledge(row.seq);
    row = outbox.next(Number.MAX_SAFE_INTEGER);
  }
  return out;
}

const idsOf = (rows: Iterable<CallbackRow>) => [...rows].map((r) => r.id);

describe('create and get', () => {
  it('stores a pending callback with the campaign copied in, and queues it for the CRM', () => {
    const row = repo.create({
      customerId: 'cust-1',
      e164: '+81355550101',
      campaign: RENEWAL,
      owner: 'pool',
      priority: 3,
      promised: false,
      dueAt: NOW + 60 * MIN,
      expiresAt: NOW + 7 * 24 * 60 * MIN,
      note: '更新期限は今月末',
    });
    expect(row).toEqual({
      id: 'cb-1',
      customerId: 'cust-1',
      e164: '+81355550101',
      campaignId: 'renewal',
      kind: 'renewal',
      owner: 'pool',
      priority: 3,
      promised: false,
      dueAt: NOW + 60 * MIN,
      expiresAt: NOW + 7 * 24 * 60 * MIN,
      timeZone: null,
      status: 'pending',
      attempts: 0,
      nextAt: null,
      marketing: true,
      note: '更新期限は今月末',
      skipReason: null,
      skippedAt: null,
      createdAt: NOW,
      updatedAt: NOW,
    } satisfies CallbackRow);
    expect(repo.get('cb-1')).toEqual(row);
    expect(repo.get('nope')).toBeUndefined();
    const [item, ...rest] = drain();
    expect(rest).toEqual([]);
    expect(item).toMatchObject({
      key: 'callback:cb-1',
      kind: 'callback',
      payload: {
        callbackId: 'cb-1',
        customerId: 'cust-1',
        customerCrmId: '101',
        e164: '+81355550101',
        dueAt: NOW + 60 * MIN,
        status: 'pending',
      },
    });
  });

  it('a service campaign is not marketing; defaults: priority 0, no expiry, no note', () => {
    const row = repo.create({
      customerId: null,
      e164: '+819012345678',
      campaign: REQUESTED,
      owner: 'me',
      promised: true,
      dueAt: NOW,
    });
    expect(row).toMatchObject({
      customerId: null,
      marketing: false,
      promised: true,
      priority: 0,
      expiresAt: null,
      note: null,
      campaignId: 'requested',
    });
  });

  it("timeZone is the callback's own, else its customer's", () => {
    db.prepare("UPDATE customers SET time_zone = 'America/New_York' WHERE id = 'cust-3'").run();
    const us = make({ customerId: 'cust-3', e164: '+12125550123' });
    expect(us.timeZone).toBe('America/New_York');
    const own = make({ customerId: 'cust-3', e164: '+12125550123', timeZone: 'America/Chicago' });
    expect(own.timeZone).toBe('America/Chicago');
    expect(make().timeZone).toBeNull();
  });

  it.each<[string, Partial<CreateCallbackInput>, RegExp]>([
    ['a number not in E.164', { e164: '03-5555-0101' }, /number/],
    ['an unknown owner', { owner: 'team' as never }, /owner/],
    ['a fractional priority', { priority: 1.5 }, /priority/],
    ['a negative time', { dueAt: -1 }, /dueAt/],
    ['a bad time zone', { timeZone: 'Tokyo time' }, /timeZone/],
    ['an overlong note', { note: 'あ'.repeat(2001) }, /note/],
  ])('refuses %s and writes nothing', (_, over, message) => {
    expect(() => make(over)).toThrow(InvalidCallbackError);
    expect(() => make(over)).toThrow(message);
    expect(db.prepare('SELECT count(*) FROM callbacks').pluck().get()).toBe(0);
    expect(outbox.pendingCount()).toBe(0);
  });

  it('an unknown customer is refused by the foreign key, and nothing is queued', () => {
    expect(() => make({ customerId: 'ghost' })).toThrow(/FOREIGN KEY/);
    expect(outbox.pendingCount()).toBe(0);
  });

  it('if the outbox refuses, the callback is not stored either (one transaction)', () => {
    const failing = createCallbackRepo(
      db,
      {
        ...outbox,
        enqueue: () => {
          throw new Error('disk full');
        },
      },
      { now: () => clock },
    );
    expect(() =>
      failing.create({
        customerId: 'cust-1',
        e164: '+81355550101',
        campaign: RENEWAL,
        owner: 'me',
        promised: false,
        dueAt: NOW,
      }),
    ).toThrow('disk full');
    expect(db.prepare('SELECT count(*) FROM callbacks').pluck().get()).toBe(0);
  });

  it('with no outbox (demo data), nothing is queued', () => {
    const local = createCallbackRepo(db, null, { now: () => clock });
    local.create({
      customerId: 'cust-1',
      e164: '+81355550101',
      campaign: RENEWAL,
      owner: 'me',
      promised: false,
      dueAt: NOW,
    });
    expect(outbox.pendingCount()).toBe(0);
  });
});

describe('update', () => {
  it('changes only the given fields and re-queues the whole callback under its fixed key', () => {
    make();
    drain();
    clock += 5 * MIN;
    const row = repo.update('cb-1', { status: 'dialing', attempts: 1, nextAt: undefined });
    expect(row).toMatchObject({ status: 'dialing', attempts: 1, nextAt: null, updatedAt: clock });
    clock += MIN;
    repo.update('cb-1', { status: 'pending', nextAt: clock + 120 * MIN });
    const skipped = repo.update('cb-1', { skipReason: 'not_now', skippedAt: clock, owner: 'pool' });
    expect(skipped).toMatchObject({
      status: 'pending',
      attempts: 1,
      nextAt: clock + 120 * MIN,
      skipReason: 'not_now',
      skippedAt: clock,
      owner: 'pool',
    });
    // Three changes, one pending row: the CRM gets the latest state.
    expect(outbox.pendingCount()).toBe(1);
    expect(drain()).toEqual([
      expect.objectContaining({
        key: 'callback:cb-1',
        payload: expect.objectContaining({ status: 'pending', dueAt: NOW - 10 * MIN }),
      }),
    ]);
    const moved = repo.update('cb-1', { dueAt: NOW + 60 * MIN, promised: true, nextAt: null });
    expect(moved).toMatchObject({ dueAt: NOW + 60 * MIN, promised: true, nextAt: null });
  });

  it('throws for an unknown callback, and for an invalid value (nothing written)', () => {
    expect(() => repo.update('nope', { status: 'done' })).toThrow(CallbackNotFoundError);
    make();
    drain();
    expect(() => repo.update('cb-1', { status: 'finished' as never })).toThrow(/status/);
    expect(() => repo.update('cb-1', { attempts: -1 })).toThrow(/attempts/);
    expect(() => repo.update('cb-1', { nextAt: 1.5 })).toThrow(/nextAt/);
    expect(repo.get('cb-1')?.status).toBe('pending');
    expect(outbox.pendingCount()).toBe(0);
  });
});

describe('candidates: the queue order', () => {
  beforeEach(() => {
    // Created in a scrambled order, so insertion order cannot pass for queue order.
    make({ id: 'ready-me-p0', priority: 0, dueAt: NOW - 60 * MIN });
    make({ id: 'promised-pool', owner: 'pool', promised: true, dueAt: NOW - 30 * MIN });
    make({ id: 'later-promised', promised: true, dueAt: NOW + 10 * MIN });
    make({ id: 'ready-me-p5-late', priority: 5, dueAt: NOW - 10 * MIN });
    make({ id: 'promised-me-2', promised: true, dueAt: NOW - 5 * MIN, campaign: REQUESTED });
    make({ id: 'ready-pool-p9', owner: 'pool', priority: 9, dueAt: NOW - 100 * MIN });
    make({ id: 'promised-me-1', promised: true, dueAt: NOW - 10 * MIN, campaign: REQUESTED });
    make({ id: 'ready-me-p5-early', priority: 5, dueAt: NOW - 20 * MIN });
    make({ id: 'retry-later', priority: 9, dueAt: NOW - 60 * MIN });
    repo.update('retry-later', { nextAt: NOW + 30 * MIN, attempts: 1 });
    make({ id: 'retry-now', priority: 1, dueAt: NOW - 60 * MIN });
    repo.update('retry-now', { nextAt: NOW - 5 * MIN, attempts: 1 });
    make({ id: 'promised-retrying', promised: true, dueAt: NOW - 20 * MIN });
    repo.update('promised-retrying', { nextAt: NOW + 20 * MIN, attempts: 1 });
    make({ id: 'expired', priority: 99, dueAt: NOW - 60 * MIN, expiresAt: NOW - MIN });
    make({ id: 'expires-later', priority: -1, dueAt: NOW - 60 * MIN, expiresAt: NOW + MIN });
    make({ id: 'done', priority: 99, dueAt: NOW - 60 * MIN });
    repo.update('done', { status: 'done' });
    make({ id: 'dialing', priority: 99, dueAt: NOW - 60 * MIN });
    repo.update('dialing', { status: 'dialing' });
    make({ id: 'future', priority: 50, dueAt: NOW + 5 * MIN });
  });

  it('promised-due first (own before pool, earliest promise), then own before pool by priority and due', () => {
    expect(idsOf(repo.candidates(NOW))).toEqual([
      'promised-me-1',
      'promised-me-2',
      'promised-pool',
      'ready-me-p5-early',
      'ready-me-p5-late',
      'retry-now',
      'ready-me-p0',
      'expires-later',
      'ready-pool-p9',
    ]);
  });

  it('moves with the clock: due promises, retries and expiry', () => {
    const later = NOW + 30 * MIN;
    expect(idsOf(repo.candidates(later))).toEqual([
      'promised-retrying', // its retry time came; promised the earliest
      'promised-me-1',
      'promised-me-2',
      'later-promised',
      'promised-pool',
      'future',
      'retry-later',
      'ready-me-p5-early',
      'ready-me-p5-late',
      'retry-now',
      'ready-me-p0',
      'ready-pool-p9',
    ]);
  });

  it('is lazy: the caller can stop and write, and later chunks see its changes', () => {
    const it = repo.candidates(NOW);
    expect(it.next().value?.id).toBe('promised-me-1');
    // No statement is left open: writing while the walk is suspended works.
    repo.update('promised-me-2', { status: 'dialing' });
    expect(idsOf(it)[0]).toBe('promised-me-2'); // already in the first chunk
    expect(idsOf(repo.candidates(NOW))).not.toContain('promised-me-2');
  });
});

describe('candidates across many chunks', () => {
  it('yields every ready callback exactly once, in queue order', () => {
    const rows: CallbackRow[] = [];
    db.transaction(() => {
      for (let i = 0; i < 300; i++) {
        rows.push(
          make({
            id: `cb-${String(i).padStart(3, '0')}`,
            owner: i % 3 === 0 ? 'pool' : 'me',
            priority: i % 4,
            promised: i % 10 === 0,
            // Many ties on (priority, due): the id breaks them.
            dueAt: NOW - (i % 7) * MIN,
          }),
        );
      }
    })();
    const rank = (r: CallbackRow) => [
      r.promised ? 0 : 1,
      r.owner === 'me' ? 0 : 1,
      r.promised ? 0 : -r.priority,
      r.dueAt,
    ];
    const expected = [...rows]
      .sort((a, b) => {
        const x = rank(a);
        const y = rank(b);
        for (let k = 0; k < x.length; k++) if (x[k] !== y[k]) return x[k]! - y[k]!;
        return a.id < b.id ? -1 : 1;
      })
      .map((r) => r.id);
    expect(idsOf(repo.candidates(NOW))).toEqual(expected);
  });

  it('a row changed mid-walk is neither skipped nor repeated by the seek', () => {
    db.transaction(() => {
      for (let i = 0; i < 100; i++) make({ id: `x-${String(i).padStart(3, '0')}`, priority: 1 });
    })();
    const seen: string[] = [];
    for (const row of repo.candidates(NOW)) {
      seen.push(row.id);
      repo.update(row.id, { status: 'dialing' }); // as the dialer would
    }
    expect(seen).toHaveLength(100);
    expect(new Set(seen).size).toBe(100);
  });
});

describe('page: the list view', () => {
  beforeEach(() => {
    make({ id: 'a-ready', priority: 1, dueAt: NOW - 30 * MIN });
    make({ id: 'b-promised', promised: true, dueAt: NOW - 5 * MIN, campaign: REQUESTED });
    make({
      id: 'c-sato-later',
      customerId: 'cust-2',
      e164: '+819012345678',
      dueAt: NOW + 30 * MIN,
      campaign: NPS,
    });
    make({
      id: 'd-pool',
      owner: 'pool',
      dueAt: NOW - 60 * MIN,
      customerId: null,
      e164: '+81612345678',
    });
    make({
      id: 'e-smith-later',
      customerId: 'cust-3',
      e164: '+12125550123',
      dueAt: NOW + 10 * MIN,
    });
    make({ id: 'f-wrap-up', customerId: 'cust-2', e164: '+819012345678', dueAt: NOW - 90 * MIN });
    repo.update('f-wrap-up', { status: 'wrap_up' });
    make({ id: 'g-expired', dueAt: NOW - 90 * MIN, expiresAt: NOW - MIN });
    make({ id: 'h-done', dueAt: NOW - 90 * MIN });
    repo.update('h-done', { status: 'done' });
    make({ id: 'i-opted-out', dueAt: NOW - 90 * MIN });
    repo.update('i-opted-out', { status: 'opted_out' });
  });

  const ALL = [
    'f-wrap-up',
    'b-promised',
    'a-ready',
    'd-pool',
    'e-smith-later',
    'c-sato-later',
    'g-expired',
  ];

  it('under way first, then ready in queue order, then the rest by time; closed ones never', () => {
    const { total, rows } = repo.page({}, NOW, 0, 50);
    expect(total).toBe(7);
    expect(idsOf(rows)).toEqual(ALL);
  });

  it('pages across the parts with offset and limit', () => {
    for (let offset = 0; offset <= ALL.length; offset++) {
      for (const limit of [0, 1, 2, 3, 10]) {
        const { total, rows } = repo.page({}, NOW, offset, limit);
        expect(total).toBe(7);
        expect(idsOf(rows), `offset ${offset} limit ${limit}`).toEqual(
          ALL.slice(offset, offset + limit),
        );
      }
    }
    expect(() => repo.page({}, NOW, -1, 10)).toThrow(RangeError);
  });

  it('filters by campaign and owner', () => {
    expect(idsOf(repo.page({ campaignId: 'nps' }, NOW, 0, 50).rows)).toEqual(['c-sato-later']);
    expect(repo.page({ campaignId: 'requested' }, NOW, 0, 50)).toMatchObject({ total: 1 });
    const pool = repo.page({ owner: 'pool' }, NOW, 0, 50);
    expect(pool.total).toBe(1);
    expect(idsOf(pool.rows)).toEqual(['d-pool']);
    const mine = repo.page({ owner: 'me', campaignId: 'renewal' }, NOW, 1, 2);
    expect(mine.total).toBe(4);
    expect(idsOf(mine.rows)).toEqual(['a-ready', 'e-smith-later']);
  });

  it.each<[string, string[]]>([
    ['山田', ['b-promised', 'a-ready', 'g-expired']],
    ['山田太郎', ['b-promised', 'a-ready', 'g-expired']], // the stored name has a space
    ['山田　太郎', ['b-promised', 'a-ready', 'g-expired']], // a full-width space typed
    ['花子', ['f-wrap-up', 'c-sato-later']],
    ['サトウ', ['f-wrap-up', 'c-sato-later']],
    ['さとう', ['f-wrap-up', 'c-sato-later']], // hiragana finds the katakana reading
    ['ｻﾄｳ', ['f-wrap-up', 'c-sato-later']], // half-width katakana
    ['smith', ['e-smith-later']],
    ['090-1234', ['f-wrap-up', 'c-sato-later']], // national format
    ['０９０１２３４', ['f-wrap-up', 'c-sato-later']], // full-width digits
    ['5678', ['f-wrap-up', 'd-pool', 'c-sato-later']],
    ['06-1234', ['d-pool']], // a number with no customer
    ['0101', ['b-promised', 'a-ready', 'g-expired']],
    ['%', []],
    ['_', []],
    ['鈴木', []],
  ])('search %j', (search, expected) => {
    const { total, rows } = repo.page({ search }, NOW, 0, 50);
    expect(idsOf(rows)).toEqual(expected);
    expect(total).toBe(expected.length);
  });

  it('an empty search is no filter', () => {
    expect(repo.page({ search: '  ' }, NOW, 0, 50).total).toBe(7);
    expect(searchPatterns('   ')).toBeUndefined();
  });
});

describe('cancelPending (an opt-out)', () => {
  beforeEach(() => {
    make({ id: 'home-mkt', campaign: RENEWAL });
    make({ id: 'home-svc', campaign: REQUESTED, promised: true });
    make({ id: 'mobile-mkt', e164: '+819011110101', campaign: NPS });
    make({ id: 'home-dialing', campaign: NPS });
    repo.update('home-dialing', { status: 'dialing' });
    make({ id: 'home-wrap-up', campaign: NPS });
    repo.update('home-wrap-up', { status: 'wrap_up' });
    make({ id: 'home-done', campaign: NPS });
    repo.update('home-done', { status: 'done' });
    make({ id: 'no-customer', customerId: null, campaign: RENEWAL });
    make({ id: 'other', customerId: 'cust-2', e164: '+819012345678', campaign: RENEWAL });
    drain();
  });

  const statusOf = () =>
    Object.fromEntries(
      db
        .prepare<[], { id: string; status: string }>('SELECT id, status FROM callbacks ORDER BY id')
        .all()
        .map((r) => [r.id, r.status]),
    );

  it("marketing only, by number: the number's marketing callbacks, any customer", () => {
    const before = statusOf();
    clock += MIN;
    const n = repo.cancelPending({ e164: '+81355550101', customerId: null, marketingOnly: true });
    expect(n).toBe(3);
    expect(statusOf()).toEqual({
      ...before,
      'home-mkt': 'opted_out',
      'home-dialing': 'opted_out',
      'no-customer': 'opted_out',
    });
    const items = drain();
    expect(items.map((i) => i.key).sort()).toEqual(
      ['callback:home-dialing', 'callback:home-mkt', 'callback:no-customer'].sort(),
    );
    expect(items.every((i) => i.kind === 'callback' && i.payload.status === 'opted_out')).toBe(
      true,
    );
    expect(repo.get('home-mkt')?.updatedAt).toBe(clock);
  });

  it('all, by customer: every number of the customer, service calls too', () => {
    const before = statusOf();
    const n = repo.cancelPending({
      e164: '+819099999999',
      customerId: 'cust-1',
      marketingOnly: false,
    });
    expect(n).toBe(4);
    expect(statusOf()).toEqual({
      ...before,
      'home-mkt': 'opted_out',
      'home-svc': 'opted_out',
      'mobile-mkt': 'opted_out',
      'home-dialing': 'opted_out',
    });
    expect(outbox.pendingCount()).toBe(4);
  });

  it('all, by number and customer; closed and wrap-up callbacks are left alone', () => {
    const n = repo.cancelPending({
      e164: '+81355550101',
      customerId: 'cust-1',
      marketingOnly: false,
    });
    expect(n).toBe(5);
    const after = statusOf();
    expect(after['home-wrap-up']).toBe('wrap_up');
    expect(after['home-done']).toBe('done');
    expect(after['other']).toBe('pending');
    expect(
      repo.cancelPending({ e164: '+81355550101', customerId: 'cust-1', marketingOnly: false }),
    ).toBe(0);
  });
});

describe('counts and expiry', () => {
  it('counts pending and ready-now callbacks', () => {
    make({ dueAt: NOW - MIN });
    make({ dueAt: NOW + MIN });
    make({ dueAt: NOW - MIN, expiresAt: NOW });
    make({ dueAt: NOW - MIN });
    repo.update('cb-4', { nextAt: NOW + 60 * MIN });
    make({ dueAt: NOW - MIN });
    repo.update('cb-5', { status: 'dialing' });
    expect(repo.counts(NOW)).toEqual({ pending: 4, readyNow: 1 });
    expect(repo.counts(NOW + 60 * MIN)).toEqual({ pending: 4, readyNow: 3 });
  });

  it('expireDue closes pending callbacks past their expiry and queues them', () => {
    make({ dueAt: NOW - MIN, expiresAt: NOW });
    make({ dueAt: NOW - MIN, expiresAt: NOW + MIN });
    make({ dueAt: NOW - MIN, expiresAt: NOW - MIN });
    repo.update('cb-3', { status: 'done' });
    drain();
    expect(repo.expireDue(NOW)).toBe(1);
    expect(repo.get('cb-1')?.status).toBe('expired');
    expect(repo.get('cb-3')?.status).toBe('done');
    expect(drain().map((i) => i.key)).toEqual(['callback:cb-1']);
  });
});

describe('100,000 pending callbacks', () => {
  function fill(n: number): void {
    // Generated inside SQLite, in one transaction.
    db.prepare(
      `WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < @n - 1)
       INSERT INTO callbacks (id, customer_id, e164, campaign_id, kind, owner, priority, promised,
         due_at, expires_at, status, next_at, marketing, created_at, updated_at)
       SELECT printf('bulk-%06d', i), CASE WHEN i % 10 = 0 THEN 'cust-1' END,
              '+8190' || (10000000 + i), 'renewal', 'renewal',
              CASE WHEN i % 5 = 0 THEN 'me' ELSE 'pool' END, i % 7, i % 97 = 0,
              @now + (i % 1000 - 500) * 60000,
              CASE WHEN i % 11 = 0 THEN @now + 3600000 END,
              CASE WHEN i % 13 = 0 THEN 'done' ELSE 'pending' END,
              CASE WHEN i % 3 = 0 THEN @now + 3600000 END, 1, @now, @now
         FROM s`,
    ).run({ n: BigInt(n), now: BigInt(NOW) });
  }

  it('candidates() walks the queue indexes: no sort of the table', () => {
    fill(100_000);
    const spy = vi.spyOn(db, 'prepare');
    const fresh = createCallbackRepo(db, outbox, { now: () => clock });
    const started = performance.now();
    const first = fresh.candidates(NOW).next().value;
    const firstMs = performance.now() - started;
    expect(first).toMatchObject({ promised: true, owner: 'me' });
    // Walk into every part (promised me/pool, ready me/pool), several chunks each.
    const rows = idsOf(fresh.candidates(NOW));
    expect(rows.length).toBeGreaterThan(20_000);
    const sqls = [...new Set(spy.mock.calls.map(([sql]) => sql))].filter((s) => /ORDER BY/.test(s));
    spy.mockRestore();
    expect(sqls.length).toBe(8); // first chunk and resumed chunk, for each of 4 parts
    const params = { now: NOW, k0: 0, k1: 0, k2: '' };
    for (const sql of sqls) {
      const plan = db
        .prepare<typeof params, { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
        .all(params)
        .map((r) => r.detail);
      const text = plan.join('\n');
      expect(text, sql).not.toMatch(/TEMP B-TREE/);
      expect(text, sql).not.toMatch(/^SCAN cb/m);
      expect(text, sql).toMatch(
        /SEARCH cb USING (COVERING )?INDEX callbacks_queue_(promised|ready)/,
      );
    }
    // The first callback comes from an index seek, not a pass over 100,000 rows.
    expect(firstMs).toBeLessThan(50);
  });

  it('page() reaches deep offsets without sorting, and counts stay quick', () => {
    fill(100_000);
    const spy = vi.spyOn(db, 'prepare');
    const fresh = createCallbackRepo(db, outbox, { now: () => clock });
    const { total, rows } = fresh.page({}, NOW, 60_000, 20);
    expect(total).toBe(100_000 - Math.ceil(100_000 / 13));
    expect(rows).toHaveLength(20);
    const sqls = [...new Set(spy.mock.calls.map(([sql]) => sql))].filter(
      (s) => /^\s*SELECT/.test(s) && /callbacks_queue_later/.test(s),
    );
    spy.mockRestore();
    expect(sqls.length).toBeGreaterThan(0);
    for (const sql of sqls) {
      const plan = db
        .prepare(`EXPLAIN QUERY PLAN ${sql}`)
        .all({ now: NOW, limit: 1, offset: 0 }) as { detail: string }[];
      expect(plan.map((r) => r.detail).join('\n')).not.toMatch(/TEMP B-TREE/);
    }
    const readyNow = db
      .prepare(
        `SELECT count(*) FROM callbacks WHERE status = 'pending'
           AND coalesce(next_at, due_at) <= ? AND (expires_at IS NULL OR expires_at > ?)`,
      )
      .pluck()
      .get(NOW, NOW);
    const started = performance.now();
    expect(fresh.counts(NOW)).toEqual({ pending: total, readyNow });
    expect(performance.now() - started).toBeLessThan(200);
  });
});

describe('the demo queue (seedDemoData)', () => {
  const dump = (d: Database) =>
    ['callbacks', 'attempts', 'notices', 'campaigns'].map((t) =>
      d.prepare(`SELECT * FROM ${t} ORDER BY rowid`).all(),
    );

  it('about forty callbacks across every campaign, with history and notices, nothing to push', () => {
    const demo = openDatabase(':memory:');
    try {
      seedDemoData(demo, { now: () => NOW });
      const q = createCallbackRepo(demo, null, { now: () => NOW });
      const all = q.page({}, NOW, 0, 1000);
      expect(all.total).toBeGreaterThanOrEqual(35);
      expect(all.total).toBeLessThanOrEqual(45);
      const rows = all.rows;
      expect(new Set(rows.map((r) => r.campaignId))).toEqual(
        new Set(Object.keys(DEFAULT_CAMPAIGN_BY_KIND)),
      );
      expect(new Set(rows.map((r) => r.owner))).toEqual(new Set(['me', 'pool']));
      expect(new Set(rows.map((r) => r.priority)).size).toBeGreaterThan(3);
      // Promises due around now head the queue.
      const ready = [...q.candidates(NOW)];
      expect(ready.length).toBeGreaterThan(15);
      expect(ready[0]).toMatchObject({ promised: true, owner: 'me' });
      expect(Math.abs(ready[0]!.dueAt - NOW)).toBeLessThan(60 * MIN);
      expect(rows.filter((r) => r.promised && Math.abs(r.dueAt - NOW) <= 60 * MIN).length).toBe(5);
      // History: attempts behind some, a retry waiting, two closed.
      expect(rows.filter((r) => r.attempts > 0).length).toBeGreaterThanOrEqual(5);
      expect(rows.some((r) => r.nextAt !== null && r.nextAt > NOW)).toBe(true);
      expect(
        demo.prepare("SELECT count(*) FROM callbacks WHERE status = 'done'").pluck().get(),
      ).toBe(2);
      const attempts = createAttemptRepo(demo);
      const renewed = demo
        .prepare("SELECT id FROM callbacks WHERE status = 'done' AND campaign_id = 'renewal'")
        .pluck()
        .get() as string;
      expect(attempts.forCallback(renewed)[0]).toMatchObject({
        outcome: 'answered',
        disposition: 'renewed',
      });
      // Notices: some in time, one too recent, one campaign without.
      const notices = createNoticeRepo(demo);
      expect(notices.latest('demo-c001', 'renewal')).toEqual({
        channel: 'dm',
        sentAt: NOW - 5 * 24 * 60 * MIN,
      });
      expect(notices.latest('demo-c017', 'renewal')).toBeNull();
      expect(rows.find((r) => r.customerId === 'demo-c018')?.timeZone).toBe('America/New_York');
      expect(createCampaignRepo(demo).list()).toHaveLength(6);
      expect(createOutboxRepo(demo).pendingCount()).toBe(0);
    } finally {
      demo.close();
    }
  });

  it('is deterministic for a given clock', () => {
    const a = openDatabase(':memory:');
    const b = openDatabase(':memory:');
    try {
      seedDemoData(a, { now: () => NOW });
      seedDemoData(b, { now: () => NOW });
      expect(dump(a)).toEqual(dump(b));
    } finally {
      a.close();
      b.close();
    }
  });
});
