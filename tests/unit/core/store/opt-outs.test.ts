import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCustomerRepo } from '../../../../main/core/store/customers';
import { openDatabase, type Database } from '../../../../main/core/store/db';
import {
  createOptOutRepo,
  stronger,
  type OptOutInput,
  type OptOutRepo,
} from '../../../../main/core/store/opt-outs';
import { createOutboxRepo, type OutboxRepo } from '../../../../main/core/store/outbox';
import type { OutboxItem } from '../../../../main/core/sync/crm/adapter';

const YAMADA = '+81355550101';
const YAMADA_MOBILE = '+819012345678';
const SATO = '+81612345678';

let db: Database;
let outbox: OutboxRepo;
let optOuts: OptOutRepo;
let clock: number;

beforeEach(() => {
  db = openDatabase(':memory:');
  clock = 1_700_000_000_000;
  createCustomerRepo(db).upsert({
    id: 'cust-1',
    name: '山田 太郎',
    segment: 'heavy',
    phones: ['03-5555-0101', '090-1234-5678'],
    crmId: '101',
  });
  outbox = createOutboxRepo(db, { now: () => clock });
  optOuts = createOptOutRepo(db, outbox, { now: () => clock });
});
afterEach(() => db.close());

function input(over: Partial<OptOutInput> = {}): OptOutInput {
  return {
    e164: YAMADA,
    customerId: 'cust-1',
    scope: 'marketing',
    source: 'agent',
    reason: '営業電話は不要とのこと',
    ...over,
  };
}

/** Pending outbox items, in push order; acknowledges them so the next call sees new ones. */
function drain(): OutboxItem[] {
  const out: OutboxItem[] = [];
  for (let row = outbox.next(Number.MAX_SAFE_INTEGER); row;) {
    out.push(row.item);
    outbox.acknowledge(row.seq);
    row = outbox.next(Number.MAX_SAFE_INTEGER);
  }
  return out;
}

interface OptOutRow {
  id: string;
  e164: string;
  customer_id: string | null;
  scope: string;
  source: string;
  reason: string | null;
  created_at: number;
}

function optOutRows(): OptOutRow[] {
  return db.prepare<[], OptOutRow>('SELECT * FROM opt_outs ORDER BY created_at, rowid').all();
}

describe('stronger', () => {
  it('orders none < marketing < all', () => {
    expect(stronger('none', 'marketing')).toBe('marketing');
    expect(stronger('marketing', 'all')).toBe('all');
    expect(stronger('all', 'marketing')).toBe('all');
    expect(stronger('all', 'none')).toBe('all');
    expect(stronger('none', 'none')).toBe('none');
  });
});

describe('record', () => {
  it('starts at none and records an agent opt-out, queued for the CRM', () => {
    expect(optOuts.levelFor(YAMADA)).toBe('none');
    expect(optOuts.record(input())).toBe(true);
    expect(optOuts.levelFor(YAMADA)).toBe('marketing');
    expect(optOuts.levelFor(YAMADA_MOBILE)).toBe('none');
    expect(optOuts.levelForCustomer('cust-1')).toBe('marketing');
    expect(optOuts.count()).toBe(1);
    const row = outbox.next(clock)!;
    expect(row.entity).toBe(`optout:${YAMADA}`);
    expect(row.item).toMatchObject({
      kind: 'opt_out',
      payload: {
        customerId: 'cust-1',
        customerCrmId: '101',
        e164: YAMADA,
        scope: 'marketing',
        source: 'agent',
        reason: '営業電話は不要とのこと',
        at: clock,
      },
    });
  });

  it('marketing then all: both recorded and both queued', () => {
    expect(optOuts.record(input({ scope: 'marketing' }))).toBe(true);
    clock += 1000;
    expect(optOuts.record(input({ scope: 'all', reason: null }))).toBe(true);
    expect(optOuts.levelFor(YAMADA)).toBe('all');
    expect(optOutRows().map((r) => r.scope)).toEqual(['marketing', 'all']);
    expect(drain().map((i) => i.kind === 'opt_out' && i.payload.scope)).toEqual([
      'marketing',
      'all',
    ]);
  });

  it('all then marketing: the weaker decision is ignored and nothing is queued', () => {
    expect(optOuts.record(input({ scope: 'all' }))).toBe(true);
    drain();
    for (const source of ['agent', 'crm', 'import'] as const) {
      expect(optOuts.record(input({ scope: 'marketing', source }))).toBe(false);
      expect(optOuts.record(input({ scope: 'all', source }))).toBe(false);
    }
    expect(optOuts.levelFor(YAMADA)).toBe('all');
    expect(optOuts.count()).toBe(1);
    expect(drain()).toEqual([]);
  });

  it('the same level again is not a new decision', () => {
    optOuts.record(input());
    expect(optOuts.record(input({ reason: 'again' }))).toBe(false);
    expect(optOuts.count()).toBe(1);
    expect(outbox.pendingCount()).toBe(1);
  });

  it('a decision from the CRM is recorded but not sent back; an import is sent', () => {
    expect(optOuts.record(input({ source: 'crm', scope: 'all', reason: null }))).toBe(true);
    expect(optOuts.levelFor(YAMADA)).toBe('all');
    expect(outbox.pendingCount()).toBe(0);
    expect(optOuts.record(input({ e164: SATO, customerId: null, source: 'import' }))).toBe(true);
    expect(drain()).toEqual([
      expect.objectContaining({
        kind: 'opt_out',
        payload: expect.objectContaining({ e164: SATO, customerCrmId: null, source: 'import' }),
      }),
    ]);
  });

  it("levelForCustomer is the strongest over the customer's own numbers", () => {
    optOuts.record(input({ e164: YAMADA, scope: 'marketing' }));
    optOuts.record(input({ e164: YAMADA_MOBILE, scope: 'all' }));
    optOuts.record(input({ e164: SATO, customerId: null, scope: 'all' }));
    expect(optOuts.levelForCustomer('cust-1')).toBe('all');
    expect(optOuts.levelFor(YAMADA)).toBe('marketing');
    expect(optOuts.levelForCustomer('cust-unknown')).toBe('none');
  });

  it('if the opt-out cannot be written, nothing is queued', () => {
    expect(() => optOuts.record(input({ scope: 'everything' as never }))).toThrow(/CHECK/);
    expect(optOuts.count()).toBe(0);
    expect(outbox.pendingCount()).toBe(0);
  });

  it('if the outbox refuses it, the opt-out is not recorded either (one transaction)', () => {
    const failing = createOptOutRepo(
      db,
      {
        ...outbox,
        enqueue: () => {
          throw new Error('disk full');
        },
      },
      { now: () => clock },
    );
    expect(() => failing.record(input())).toThrow('disk full');
    expect(optOuts.levelFor(YAMADA)).toBe('none');
    expect(optOuts.count()).toBe(0);
  });
});

describe('rows are never changed or removed (schema triggers)', () => {
  beforeEach(() => {
    optOuts.record(input({ scope: 'marketing' }));
    optOuts.record(input({ scope: 'all' }));
  });

  it.each([
    ["UPDATE opt_outs SET scope = 'marketing'", /cannot be changed/],
    ["UPDATE opt_outs SET e164 = '+810000000000'", /cannot be changed/],
    ['UPDATE opt_outs SET reason = NULL', /cannot be changed/],
    ['DELETE FROM opt_outs', /cannot be removed/],
    ["DELETE FROM opt_outs WHERE scope = 'all'", /cannot be removed/],
  ])('refuses %s', (sql, message) => {
    const before = optOutRows();
    expect(() => db.exec(sql)).toThrow(message);
    expect(optOutRows()).toEqual(before);
    expect(optOuts.levelFor(YAMADA)).toBe('all');
  });

  // db.ts turns on recursive_triggers, so REPLACE's implicit delete meets the trigger too.
  it('refuses INSERT OR REPLACE over an existing row', () => {
    const all = optOutRows().find((r) => r.scope === 'all')!;
    try {
      db.prepare(
        `INSERT OR REPLACE INTO opt_outs (id, e164, customer_id, scope, source, reason, created_at)
         VALUES (?, ?, NULL, 'marketing', 'crm', NULL, 0)`,
      ).run(all.id, YAMADA);
    } catch {
      // refused: what we want
    }
    expect(optOuts.levelFor(YAMADA)).toBe('all');
  });
});
