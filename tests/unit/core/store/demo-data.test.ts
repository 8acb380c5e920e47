import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Segment } from '../../../../preload/contract';
import { createPopLookup } from '../../../../main/core/customers/pop';
import { normalizePhone } from '../../../../main/core/customers/phone-number';
import { createCustomerRepo } from '../../../../main/core/store/customers';
import { openDatabase, type Database } from '../../../../main/core/store/db';
import { generateCustomers, seedDemoData } from '../../../../main/core/store/demo-data';
import { useTempDir } from './temp-dir';

const tempDir = useTempDir();
let db: Database;

beforeEach(() => {
  db = openDatabase(':memory:');
});
afterEach(() => db.close());

const DEMO = new URL('../../../../assets/demo/customers.json', import.meta.url);

describe('seedDemoData', () => {
  it('loads the demo customers and their calls into an empty database', () => {
    const { customers } = seedDemoData(db);
    expect(customers).toBeGreaterThanOrEqual(20);
    expect(createCustomerRepo(db).count()).toBe(customers);

    const segments = db.prepare('SELECT DISTINCT segment FROM customers').pluck().all();
    expect(new Set(segments)).toEqual(new Set(Segment.options));
    const directions = db.prepare('SELECT DISTINCT direction FROM interactions').pluck().all();
    expect(new Set(directions)).toEqual(new Set(['inbound', 'outbound']));
  });

  it('pops 山田 太郎 for the lab caller 0355550101, with a non-empty timeline', () => {
    seedDemoData(db);
    const lab = normalizePhone('0355550101').e164;
    expect(lab).toBe('+81355550101');
    const p = createPopLookup(db)('+81355550101');
    expect(p.customer).toMatchObject({
      name: '山田 太郎',
      nameKana: 'ヤマダ タロウ',
      segment: 'heavy',
      phone: '+81355550101',
    });
    expect(p.lastContacts.length).toBeGreaterThan(1);
    expect(new Set(p.lastContacts.map((e) => e.direction))).toEqual(
      new Set(['inbound', 'outbound']),
    );
  });

  it('keeps the demo timeline recent: times are relative to now', () => {
    const now = 1_800_000_000_000;
    seedDemoData(db, { now: () => now });
    const newest = db.prepare('SELECT max(started_at) FROM interactions').pluck().get() as number;
    expect(newest).toBeLessThan(now);
    expect(newest).toBeGreaterThan(now - 24 * 3600_000);
  });

  it('is idempotent and never seeds a database that already has customers', () => {
    const first = seedDemoData(db);
    expect(seedDemoData(db)).toEqual({ customers: 0 });
    expect(createCustomerRepo(db).count()).toBe(first.customers);

    const other = openDatabase(':memory:');
    createCustomerRepo(other).upsert({
      id: 'real-1',
      name: '本物 顧客',
      segment: 'new',
      phones: ['090-1234-5678'],
    });
    expect(seedDemoData(other)).toEqual({ customers: 0 });
    expect(createCustomerRepo(other).count()).toBe(1);
    other.close();
  });

  it('refuses a bad demo file with a clear error and writes nothing', () => {
    const file = join(tempDir(), 'customers.json');
    const demo = JSON.parse(readFileSync(DEMO, 'utf8'));
    demo.customers[1].segment = 'vip';
    writeFileSync(file, JSON.stringify(demo));
    expect(() => seedDemoData(db, { file })).toThrow(/Demo data .*customers\.json is invalid/);
    expect(() => seedDemoData(db, { file })).toThrow(/customers\[1\]\.segment/);

    demo.customers[1].segment = 'new';
    demo.customers[2].phones = ['not a number'];
    writeFileSync(file, JSON.stringify(demo));
    expect(() => seedDemoData(db, { file })).toThrow(/"not a number" is not a valid phone number/);

    writeFileSync(file, '{ "customers": [');
    expect(() => seedDemoData(db, { file })).toThrow(/could not be read/);
    expect(createCustomerRepo(db).count()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM interactions').pluck().get()).toBe(0);
  });
});

describe('generateCustomers', () => {
  it('bulk-inserts customers with unique valid mobile numbers that findByPhone hits', () => {
    const { sampleNumbers } = generateCustomers(db, 20_000, { seed: 7 });
    const repo = createCustomerRepo(db);
    expect(repo.count()).toBe(20_000);
    expect(sampleNumbers.length).toBeGreaterThanOrEqual(3);
    for (const n of sampleNumbers) {
      expect(normalizePhone(n).e164).toBe(n);
      expect(n).toMatch(/^\+8190[1-9]\d{7}$/);
      expect(repo.findByPhone(n)).toMatchObject({ phone: n });
    }
    const distinct = db.prepare('SELECT count(DISTINCT e164) FROM customer_phones').pluck().get();
    expect(distinct).toBe(20_000);
    const malformed = db
      .prepare("SELECT count(*) FROM customer_phones WHERE e164 NOT GLOB '+8190[1-9]???????'")
      .pluck()
      .get();
    expect(malformed).toBe(0);
    const segments = db.prepare('SELECT DISTINCT segment FROM customers').pluck().all();
    expect(new Set(segments)).toEqual(new Set(Segment.options));
    const times = db.prepare('SELECT DISTINCT typeof(created_at) FROM customers').pluck().all();
    expect(times).toEqual(['integer']);
    const sample = db
      .prepare<[], string>('SELECT e164 FROM customer_phones ORDER BY random() LIMIT 50')
      .pluck()
      .all();
    for (const n of sample) expect(normalizePhone(n).e164).toBe(n);
  });

  it('is deterministic per seed and coexists with other data', () => {
    seedDemoData(db);
    const a = generateCustomers(db, 100, { seed: 1 });
    const b = generateCustomers(db, 100, { seed: 2 });
    expect(a.sampleNumbers).not.toEqual(b.sampleNumbers);

    const again = openDatabase(':memory:');
    expect(generateCustomers(again, 100, { seed: 1 })).toEqual(a);
    again.close();
    expect(createCustomerRepo(db).findByPhone('+81355550101')?.name).toBe('山田 太郎');
  });

  it('handles zero and refuses impossible sizes', () => {
    expect(generateCustomers(db, 0)).toEqual({ sampleNumbers: [] });
    expect(() => generateCustomers(db, -1)).toThrow(RangeError);
    expect(() => generateCustomers(db, 1.5)).toThrow(RangeError);
  });
});
