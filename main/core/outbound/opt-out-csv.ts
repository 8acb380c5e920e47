// Reads a do-not-call list: one number per line, optionally its scope and a reason
// (number[,scope[,reason]]). Lists come from other systems and from Excel, so a header line,
// a BOM, full-width digits, Japanese scope words and blank lines are all accepted; a line that
// cannot be read is reported with its line number, never silently dropped.
import { parse } from 'csv-parse/sync';
import type { OptOutScope } from '../../../preload/contract';
import { normalizePhone } from '../customers/phone-number';

export interface OptOutCsvRow {
  line: number;
  e164: string;
  scope: OptOutScope;
  reason: string | null;
}

export interface OptOutCsvResult {
  rows: OptOutCsvRow[];
  rejected: { line: number; value: string; reason: string }[];
}

const SCOPES: Record<string, OptOutScope> = {
  all: 'all',
  全て: 'all',
  すべて: 'all',
  全部: 'all',
  marketing: 'marketing',
  営業: 'marketing',
  マーケティング: 'marketing',
  販促: 'marketing',
};

const MAX_REASON = 2000;

export function parseOptOutCsv(text: string, defaultScope: OptOutScope): OptOutCsvResult {
  const rows: OptOutCsvRow[] = [];
  const rejected: OptOutCsvResult['rejected'] = [];
  let records: { info: { lines: number }; record: string[] }[];
  try {
    records = parse(text, {
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
      info: true,
    }) as unknown as { info: { lines: number }; record: string[] }[];
  } catch (err) {
    // A broken quote makes the rest of the file unreadable: say where, import nothing.
    const line = (err as { lines?: number }).lines ?? 1;
    rejected.push({ line, value: '', reason: `not a readable CSV file: ${message(err)}` });
    return { rows, rejected };
  }

  records.forEach(({ info, record }, i) => {
    const [number = '', scopeCell = '', reasonCell = ''] = record;
    const line = info.lines;
    if (number === '' && record.every((c) => c === '')) return;
    const { e164 } = normalizePhone(number);
    if (!e164) {
      // The first line may be a header (番号,範囲,理由 / number,scope,reason).
      if (i === 0 && !/\d{4}/.test(number)) return;
      rejected.push({ line, value: number.slice(0, 64), reason: 'not a phone number' });
      return;
    }
    const scopeKey = scopeCell.toLowerCase();
    const scope = scopeKey === '' ? defaultScope : SCOPES[scopeKey];
    if (!scope) {
      rejected.push({
        line,
        value: scopeCell.slice(0, 64),
        reason: 'unknown scope (all / marketing, すべて / 営業)',
      });
      return;
    }
    rows.push({ line, e164, scope, reason: reasonCell ? reasonCell.slice(0, MAX_REASON) : null });
  });
  return { rows, rejected };
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
