// The kintone queries the adapter sends and the cursor arithmetic around them.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkCursor,
  clampLimit,
  isAfter,
  phoneCandidates,
  phoneLookupQuery,
  pullQuery,
  quote,
} from '../../../../../main/core/sync/crm/kintone/query';

describe('quote', () => {
  it('wraps in double quotes and escapes backslashes and quotes', () => {
    expect(quote('山田')).toBe('"山田"');
    expect(quote('a"b\\c')).toBe('"a\\"b\\\\c"');
  });

  it('never lets a value end the string early', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const q = quote(s);
        // Inside the quotes, every " is preceded by an odd run of backslashes.
        const inner = q.slice(1, -1);
        for (let i = 0; i < inner.length; i++) {
          if (inner[i] !== '"') continue;
          let n = 0;
          for (let j = i - 1; j >= 0 && inner[j] === '\\'; j--) n++;
          if (n % 2 === 0) return false;
        }
        return q.startsWith('"') && q.endsWith('"');
      }),
    );
  });
});

describe('pullQuery', () => {
  it('from the start: everything in (更新日時, $id) order', () => {
    expect(pullQuery('更新日時', null, 100)).toBe('order by 更新日時 asc, $id asc limit 100');
  });

  it('after a cursor: later times, or the same time and a higher id, without = on a datetime', () => {
    expect(pullQuery('更新日時', { updatedAt: '2026-04-01T01:00:00Z', id: '42' }, 500)).toBe(
      '(更新日時 > "2026-04-01T01:00:00Z" or (更新日時 >= "2026-04-01T01:00:00Z" and $id > 42))' +
        ' order by 更新日時 asc, $id asc limit 500',
    );
  });

  it('keeps the limit within kintone’s 1–500', () => {
    expect(clampLimit(0)).toBe(1);
    expect(clampLimit(10_000)).toBe(500);
    expect(clampLimit(Number.NaN)).toBe(500);
    expect(clampLimit(99.7)).toBe(99);
    expect(pullQuery('u', null, 9_999)).toMatch(/limit 500$/);
  });

  it('refuses a cursor that could not have come from kintone (it would go into the query)', () => {
    expect(() => pullQuery('u', { updatedAt: '2026-04-01T01:00:00Z" or 1', id: '1' }, 10)).toThrow(
      /not a kintone datetime/,
    );
    expect(() =>
      pullQuery('u', { updatedAt: '2026-04-01T01:00:00Z', id: '1 or $id > 0' }, 10),
    ).toThrow(/not a kintone record id/);
    expect(() => checkCursor({ updatedAt: '2026-02-30T25:00:00Z', id: '1' })).toThrow();
    expect(() => checkCursor({ updatedAt: '2026-04-01T10:00:00+09:00', id: '7' })).not.toThrow();
    expect(() => checkCursor({ updatedAt: '2026-04-01T10:00:00+0900', id: '7' })).not.toThrow();
  });
});

describe('isAfter', () => {
  const c = { updatedAt: '2026-04-01T01:00:00Z', id: '100' };

  it('orders by time first, then by record id numerically', () => {
    expect(isAfter({ updatedAt: '2026-04-01T01:01:00Z', id: '1' }, c)).toBe(true);
    expect(isAfter({ updatedAt: '2026-04-01T00:59:00Z', id: '999' }, c)).toBe(false);
    expect(isAfter({ updatedAt: '2026-04-01T01:00:00Z', id: '101' }, c)).toBe(true);
    expect(isAfter({ updatedAt: '2026-04-01T01:00:00Z', id: '100' }, c)).toBe(false);
    expect(isAfter({ updatedAt: '2026-04-01T01:00:00Z', id: '99' }, c)).toBe(false);
    expect(isAfter({ updatedAt: '2026-04-01T10:00:00+09:00', id: '101' }, c)).toBe(true);
    expect(isAfter(c, null)).toBe(true);
  });

  it('is a strict total order on (time, id)', () => {
    const pos = fc.record({
      updatedAt: fc
        .integer({ min: 0, max: 10 })
        .map((m) => new Date(Date.UTC(2026, 3, 1, 1, m)).toISOString().replace('.000Z', 'Z')),
      id: fc.integer({ min: 1, max: 50 }).map(String),
    });
    fc.assert(
      fc.property(pos, pos, (a, b) => {
        const same = a.updatedAt === b.updatedAt && a.id === b.id;
        return same ? !isAfter(a, b) && !isAfter(b, a) : isAfter(a, b) !== isAfter(b, a);
      }),
    );
  });
});

describe('phone lookups', () => {
  it('asks for a number in every spelling a Japanese CRM might hold', () => {
    expect(phoneCandidates('+81355550101')).toEqual([
      '+81355550101',
      '03-5555-0101',
      '0355550101',
      '+81 3 5555 0101',
    ]);
    expect(phoneCandidates('+819012345678')).toContain('090-1234-5678');
  });

  it('ors each field with each spelling, quoted', () => {
    const q = phoneLookupQuery(['電話番号', '携帯電話'], '+81355550101', 20);
    expect(q.startsWith('(電話番号 = "+81355550101" or 電話番号 = "03-5555-0101"')).toBe(true);
    expect(q).toContain('携帯電話 = "0355550101"');
    expect(q.endsWith(') order by $id asc limit 20')).toBe(true);
    expect(q.match(/ = /g)).toHaveLength(8);
  });
});
