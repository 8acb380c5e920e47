import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CustomerSummary } from '../../../../preload/contract';
import {
  createCustomerRepo,
  InvalidCustomerError,
  type CustomerRepo,
} from '../../../../main/core/store/customers';
import { openDatabase, type Database } from '../../../../main/core/store/db';

let db: Database;
let repo: CustomerRepo;
let clock: number;

beforeEach(() => {
  db = openDatabase(':memory:');
  clock = 1_700_000_000_000;
  repo = createCustomerRepo(db, { now: () => clock });
});
afterEach(() => db.close());

const yamada = {
  id: 'cust-1',
  name: '山田 太郎',
  nameKana: 'ヤマダ タロウ',
  segment: 'heavy' as const,
  phones: ['03-5555-0101', '０９０－１１１１－０１０１'],
};

describe('customer repository', () => {
  it('finds a customer by any of their numbers, with the primary phone in the summary', () => {
    repo.upsert(yamada);
    const expected = {
      id: 'cust-1',
      name: '山田 太郎',
      nameKana: 'ヤマダ タロウ',
      segment: 'heavy',
      phone: '+81355550101',
    };
    expect(repo.findByPhone('+81355550101')).toEqual(expected);
    expect(repo.findByPhone('+819011110101')).toEqual(expected);
    expect(CustomerSummary.strict().parse(repo.findByPhone('+819011110101'))).toEqual(expected);
    expect(repo.getById('cust-1')).toEqual(expected);
  });

  it('returns null for unknown numbers and ids', () => {
    repo.upsert(yamada);
    expect(repo.findByPhone('+81355550102')).toBeNull();
    expect(repo.findByPhone('03-5555-0101')).toBeNull(); // lookups take E.164 only
    expect(repo.findByPhone('')).toBeNull();
    expect(repo.getById('nobody')).toBeNull();
  });

  it('stores a missing or blank kana as null', () => {
    repo.upsert({ id: 'en-1', name: 'John Smith', segment: 'new', phones: ['+1 212-555-0123'] });
    repo.upsert({ ...yamada, id: 'blank', nameKana: '  ', phones: ['090-1234-5678'] });
    expect(repo.getById('en-1')?.nameKana).toBeNull();
    expect(repo.getById('blank')?.nameKana).toBeNull();
  });

  it('upsert replaces fields and the whole phone list, and keeps created_at', () => {
    repo.upsert(yamada);
    clock += 1000;
    repo.upsert({ ...yamada, name: '山田 太朗', segment: 'repeat', phones: ['080-2345-6789'] });
    expect(repo.count()).toBe(1);
    expect(repo.getById('cust-1')).toMatchObject({
      name: '山田 太朗',
      segment: 'repeat',
      phone: '+818023456789',
    });
    expect(repo.findByPhone('+81355550101')).toBeNull();
    const row = db.prepare('SELECT created_at, updated_at FROM customers').get();
    expect(row).toEqual({ created_at: 1_700_000_000_000, updated_at: 1_700_000_001_000 });
  });

  it('when several customers share a number, returns the most recently updated', () => {
    repo.upsert({ ...yamada, id: 'father', name: '山田 太郎', phones: ['03-5555-0101'] });
    clock += 1;
    repo.upsert({ ...yamada, id: 'daughter', name: '山田 花子', phones: ['03-5555-0101'] });
    expect(repo.findByPhone('+81355550101')?.id).toBe('daughter');
    clock += 1;
    repo.upsert({ ...yamada, id: 'father', name: '山田 太郎', phones: ['03-5555-0101'] });
    expect(repo.findByPhone('+81355550101')?.id).toBe('father');
  });

  it('treats the same number written twice as one phone', () => {
    repo.upsert({ ...yamada, phones: ['03-5555-0101', '+81 3 5555 0101', '０３５５５５０１０１'] });
    expect(db.prepare('SELECT count(*) FROM customer_phones').pluck().get()).toBe(1);
  });

  it.each([
    [{ ...yamada, phones: ['03-5555-0101', 'anonymous'] }, /"anonymous" is not a valid phone/],
    [{ ...yamada, phones: [] }, /at least one phone/],
    [{ ...yamada, id: 'bad id!' }, /id must be/],
    [{ ...yamada, id: '' }, /id must be/],
    [{ ...yamada, name: ' ' }, /name is empty/],
    [{ ...yamada, segment: 'vip' as never }, /segment "vip" is not one of new, repeat/],
  ])('rejects invalid input with a clear error and writes nothing (%#)', (input, message) => {
    expect(() => repo.upsert(input)).toThrow(InvalidCustomerError);
    expect(() => repo.upsert(input)).toThrow(message);
    expect(repo.count()).toBe(0);
  });

  it('a rejected update leaves the existing customer as it was', () => {
    repo.upsert(yamada);
    expect(() => repo.upsert({ ...yamada, name: 'x', phones: ['nope'] })).toThrow();
    expect(repo.getById('cust-1')?.name).toBe('山田 太郎');
    expect(repo.findByPhone('+819011110101')?.id).toBe('cust-1');
  });

  it('counts customers', () => {
    expect(repo.count()).toBe(0);
    repo.upsert(yamada);
    repo.upsert({ ...yamada, id: 'cust-2' });
    expect(repo.count()).toBe(2);
  });

  it('looks numbers up with a point seek on the phone index', () => {
    const plan = db
      .prepare<[], { detail: string }>(
        `EXPLAIN QUERY PLAN SELECT customer_id FROM customer_phones WHERE e164 = '+81355550101'`,
      )
      .all()
      .map((r) => r.detail)
      .join('\n');
    expect(plan).toMatch(/SEARCH customer_phones USING PRIMARY KEY \(e164=\?\)/);
  });
});
