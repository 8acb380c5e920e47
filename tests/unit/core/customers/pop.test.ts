import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Pop } from '../../../../preload/contract';
import { createPopLookup, type PopLookup } from '../../../../main/core/customers/pop';
import { createCustomerRepo } from '../../../../main/core/store/customers';
import { openDatabase, type Database } from '../../../../main/core/store/db';
import { createInteractionRepo, type CallLogEntry } from '../../../../main/core/store/interactions';

let db: Database;
let pop: PopLookup;

function call(id: string, startedAt: number, over: Partial<CallLogEntry> = {}): CallLogEntry {
  return {
    id,
    kind: 'call',
    direction: 'inbound',
    number: '+81355550101',
    startedAt,
    answeredAt: null,
    endedAt: startedAt + 10_000,
    durationSec: 0,
    outcome: 'missed',
    customerId: 'yamada',
    endReason: null,
    ...over,
  };
}

beforeEach(() => {
  db = openDatabase(':memory:');
  createCustomerRepo(db).upsert({
    id: 'yamada',
    name: '山田 太郎',
    nameKana: 'ヤマダ タロウ',
    segment: 'heavy',
    phones: ['+81 3 5555 0101', '090-1111-0101'],
  });
  const log = createInteractionRepo(db);
  // Seven calls with the customer, from both of their numbers and both directions.
  for (let i = 1; i <= 7; i++) {
    log.logCall(
      call(`y${i}`, i * 60_000, {
        direction: i % 2 ? 'inbound' : 'outbound',
        number: i % 3 ? '+81355550101' : '+819011110101',
      }),
    );
  }
  // An unknown caller who has rung twice, and anonymous calls logged with an empty number.
  log.logCall(call('u1', 1000, { customerId: null, number: '+81669991234' }));
  log.logCall(call('u2', 2000, { customerId: null, number: '+81669991234' }));
  log.logCall(call('anon', 3000, { customerId: null, number: '' }));
  pop = createPopLookup(db);
});
afterEach(() => db.close());

describe('pop lookup', () => {
  it('pops a known customer with their last five contacts, newest first', () => {
    const p = pop('+819011110101');
    expect(Pop.parse(p)).toEqual(p);
    expect(p.customer).toEqual({
      id: 'yamada',
      name: '山田 太郎',
      nameKana: 'ヤマダ タロウ',
      segment: 'heavy',
      phone: '+81355550101',
    });
    expect(p.lastContacts.map((e) => e.id)).toEqual(['y7', 'y6', 'y5', 'y4', 'y3']);
  });

  it('shows an unknown caller their history by number', () => {
    const p = pop('+81669991234');
    expect(p.customer).toBeNull();
    expect(p.lastContacts.map((e) => e.id)).toEqual(['u2', 'u1']);
  });

  it('a first-time unknown caller gets an empty pop', () => {
    expect(pop('+81312345678')).toEqual({ customer: null, lastContacts: [] });
  });

  it('anonymous (null) never matches anything, not even other anonymous calls', () => {
    expect(pop(null)).toEqual({ customer: null, lastContacts: [] });
    expect(pop('')).toEqual({ customer: null, lastContacts: [] });
  });

  it('sees a call logged after the lookup was created (statements are reused, not stale)', () => {
    createInteractionRepo(db).logCall(call('y8', 10 * 60_000));
    expect(pop('+81355550101').lastContacts[0]?.id).toBe('y8');
  });
});
