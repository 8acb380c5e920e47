import { describe, expect, it } from 'vitest';
import { parseOptOutCsv } from '../../../../main/core/outbound/opt-out-csv';

describe('parseOptOutCsv', () => {
  it('reads numbers in any Japanese format, with scope words in Japanese or English', () => {
    const csv = [
      '\uFEFF番号,範囲,理由',
      '090-1234-5678,すべて,本人から電話で',
      '０３（５５５５）０１０１,営業,',
      '"+81 6 1234 5678",marketing,"DM 不要, 電話も不要"',
      '0120-123-456',
    ].join('\r\n');
    const { rows, rejected } = parseOptOutCsv(csv, 'all');
    expect(rejected).toEqual([]);
    expect(rows).toEqual([
      { line: 2, e164: '+819012345678', scope: 'all', reason: '本人から電話で' },
      { line: 3, e164: '+81355550101', scope: 'marketing', reason: null },
      { line: 4, e164: '+81612345678', scope: 'marketing', reason: 'DM 不要, 電話も不要' },
      { line: 5, e164: '+81120123456', scope: 'all', reason: null },
    ]);
  });

  it('applies the default scope to rows that name none', () => {
    const { rows } = parseOptOutCsv('09012345678\n09087654321,\n', 'marketing');
    expect(rows.map((r) => r.scope)).toEqual(['marketing', 'marketing']);
  });

  it('reports unreadable lines with their line numbers and keeps the good ones', () => {
    const csv = ['090-1234-5678', 'not a number', '', '03-5555-0101,sometimes', '12'].join('\n');
    const { rows, rejected } = parseOptOutCsv(csv, 'all');
    expect(rows.map((r) => r.line)).toEqual([1]);
    expect(rejected).toEqual([
      { line: 2, value: 'not a number', reason: 'not a phone number' },
      { line: 4, value: 'sometimes', reason: expect.stringContaining('unknown scope') },
      { line: 5, value: '12', reason: 'not a phone number' },
    ]);
  });

  it('a header is only skipped on the first line', () => {
    const { rows, rejected } = parseOptOutCsv(
      'number,scope\n09012345678,all\nnumber,scope\n',
      'all',
    );
    expect(rows).toHaveLength(1);
    expect(rejected).toEqual([{ line: 3, value: 'number', reason: 'not a phone number' }]);
  });

  it('a broken quote imports nothing and says where', () => {
    const { rows, rejected } = parseOptOutCsv('09012345678\n"09087654321,all\n', 'all');
    expect(rows).toEqual([]);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]!.reason).toMatch(/not a readable CSV file/);
  });
});
