// kintone query strings the adapter sends, and the cursor arithmetic around them.
//
// Why the cursor query looks the way it does: kintone keeps 更新日時 (UPDATED_TIME) to the
// minute (values come back as …T10:42:00Z), so a busy app has many records per timestamp and
// the record id must break ties. We ask for `t > T or (t >= T and $id > N)` rather than using
// `=` on a datetime: `>`/`>=` mean the same thing at any granularity the server keeps, and the
// rows at exactly T with id <= N that a coarser server might still send are dropped by
// `isAfter` on our side, so a page never repeats the cursor's own record.
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { PullCursor } from '../adapter';

/** kintone returns at most 500 records per request. */
export const MAX_LIMIT = 500;

/** A string literal for a query: double quotes, with `\` and `"` escaped. */
export function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function clampLimit(limit: number): number {
  if (!Number.isFinite(limit)) return MAX_LIMIT;
  return Math.min(MAX_LIMIT, Math.max(1, Math.floor(limit)));
}

const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/;
// 0: "before the first record at that time" (the sync engine's look-back start).
const RECORD_ID = /^(?:0|[1-9]\d{0,18})$/;

/** Throws when a stored cursor could not have come from kintone (it goes into a query). */
export function checkCursor(cursor: PullCursor): void {
  if (!DATETIME.test(cursor.updatedAt) || Number.isNaN(Date.parse(cursor.updatedAt))) {
    throw new Error(`cursor time is not a kintone datetime: "${cursor.updatedAt.slice(0, 40)}"`);
  }
  if (!RECORD_ID.test(cursor.id)) {
    throw new Error(`cursor id is not a kintone record id: "${cursor.id.slice(0, 40)}"`);
  }
}

/** Records at or after the cursor in (updated time, $id) order. */
export function pullQuery(updatedAtField: string, since: PullCursor | null, limit: number): string {
  const order = `order by ${updatedAtField} asc, $id asc limit ${clampLimit(limit)}`;
  if (!since) return order;
  checkCursor(since);
  const t = quote(since.updatedAt);
  return `(${updatedAtField} > ${t} or (${updatedAtField} >= ${t} and $id > ${since.id})) ${order}`;
}

/** Whether a record at (updatedAt, id) lies strictly after the cursor. */
export function isAfter(rec: PullCursor, cursor: PullCursor | null): boolean {
  if (!cursor) return true;
  const a = Date.parse(rec.updatedAt);
  const b = Date.parse(cursor.updatedAt);
  if (a !== b) return a > b;
  return BigInt(rec.id) > BigInt(cursor.id);
}

/**
 * The ways a CRM operator may have typed one number: E.164, the national format with and
 * without hyphens. kintone's `=` on text is an exact match, so we ask for each.
 */
export function phoneCandidates(e164: string): string[] {
  const out = new Set<string>([e164]);
  const parsed = parsePhoneNumberFromString(e164);
  if (parsed) {
    const national = parsed.formatNational();
    out.add(national);
    out.add(national.replace(/[^\d]/g, ''));
    out.add(parsed.formatInternational());
  }
  return [...out].filter((s) => s.length > 0);
}

/** Customers whose phone fields hold the number in any of its usual spellings. */
export function phoneLookupQuery(phoneFields: string[], e164: string, limit: number): string {
  const terms: string[] = [];
  for (const field of phoneFields) {
    for (const c of phoneCandidates(e164)) terms.push(`${field} = ${quote(c)}`);
  }
  return `(${terms.join(' or ')}) order by $id asc limit ${clampLimit(limit)}`;
}
