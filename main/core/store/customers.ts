// Customers and their phone numbers. Numbers are normalized to E.164 on the way in, so every
// lookup is an exact match on the customer_phones primary key.
import { Id, Segment, type CustomerSummary } from '../../../preload/contract';
import { toE164 } from '../customers/phone-number';
import type { Database } from './db';

export interface CustomerInput {
  id: string;
  name: string;
  nameKana?: string | null;
  segment: Segment;
  /** Any format (03-…, +81…, full-width); the first valid one is the primary phone. */
  phones: string[];
  /** The CRM's record id and revision, for customers pulled from a CRM. */
  crmId?: string | null;
  crmRevision?: string | null;
}

export interface CustomerRepo {
  /** Exact E.164; when several customers share the number, the most recently updated. */
  findByPhone(e164: string): CustomerSummary | null;
  getById(id: string): CustomerSummary | null;
  /** The local id of the customer with this CRM record id. */
  idForCrmId(crmId: string): string | null;
  /** Inserts or replaces the customer and its whole phone list. */
  upsert(c: CustomerInput): void;
  count(): number;
}

/** Bad customer data from a caller (CRM pull, demo file); nothing was written. */
export class InvalidCustomerError extends Error {
  readonly code = 'invalid_customer';
  constructor(message: string) {
    super(message);
    this.name = 'InvalidCustomerError';
  }
}

interface SummaryRow {
  id: string;
  name: string;
  nameKana: string | null;
  segment: Segment;
  phone: string | null;
}

const SUMMARY = `c.id, c.name, c.name_kana AS nameKana, c.segment,
  (SELECT pp.e164 FROM customer_phones pp
    WHERE pp.customer_id = c.id AND pp.is_primary = 1) AS phone`;

export function createCustomerRepo(db: Database, opts: { now?: () => number } = {}): CustomerRepo {
  const now = opts.now ?? Date.now;
  // Prepared once: findByPhone runs on every ringing call.
  const byPhone = db.prepare<[string], SummaryRow>(
    `SELECT ${SUMMARY}
       FROM customer_phones p JOIN customers c ON c.id = p.customer_id
      WHERE p.e164 = ?
      ORDER BY c.updated_at DESC, c.id DESC
      LIMIT 1`,
  );
  const byId = db.prepare<[string], SummaryRow>(
    `SELECT ${SUMMARY} FROM customers c WHERE c.id = ?`,
  );
  const upsertCustomer = db.prepare<
    [string, string, string | null, Segment, number, number, string | null, string | null]
  >(
    `INSERT INTO customers (id, name, name_kana, segment, created_at, updated_at, crm_id,
       crm_revision)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET
       name = excluded.name, name_kana = excluded.name_kana,
       segment = excluded.segment, updated_at = excluded.updated_at,
       crm_id = coalesce(excluded.crm_id, crm_id),
       crm_revision = coalesce(excluded.crm_revision, crm_revision)`,
  );
  const byCrmId = db.prepare<[string], string>('SELECT id FROM customers WHERE crm_id = ?').pluck();
  const deletePhones = db.prepare<[string]>('DELETE FROM customer_phones WHERE customer_id = ?');
  const insertPhone = db.prepare<[string, string, number]>(
    'INSERT INTO customer_phones (e164, customer_id, is_primary) VALUES (?, ?, ?)',
  );
  const countAll = db.prepare<[], number>('SELECT count(*) FROM customers').pluck();

  const writeRows = (c: CustomerInput, nameKana: string | null, phones: string[]) => {
    const t = now();
    upsertCustomer.run(
      c.id,
      c.name,
      nameKana,
      c.segment,
      t,
      t,
      c.crmId ?? null,
      c.crmRevision ?? null,
    );
    deletePhones.run(c.id);
    for (let i = 0; i < phones.length; i++) insertPhone.run(phones[i]!, c.id, i === 0 ? 1 : 0);
  };
  const write = db.transaction(writeRows);

  return {
    findByPhone: (e164) => toSummary(byPhone.get(e164)),
    getById: (id) => toSummary(byId.get(id)),
    idForCrmId: (crmId) => byCrmId.get(crmId) ?? null,
    upsert(c) {
      const phones = validate(c);
      const nameKana = c.nameKana?.trim() || null;
      // Inside the caller's transaction (a sync page: 500 upserts) no savepoint of our own:
      // only the first statement can fail on data (a CRM id another customer holds), before
      // anything is written; the rest cannot (checked input, distinct phones), and an I/O
      // error propagates and rolls the caller back. A savepoint per customer copies every
      // page it touches into the sub-journal, which doubled the cost of a first sync.
      if (db.inTransaction) writeRows(c, nameKana, phones);
      else write(c, nameKana, phones);
    },
    count: () => countAll.get() ?? 0,
  };
}

/** Checks the input and returns its phones as distinct E.164 numbers, primary first. */
function validate(c: CustomerInput): string[] {
  const who = `customer ${JSON.stringify(c.id)}`;
  if (!Id.safeParse(c.id).success) {
    throw new InvalidCustomerError(`${who}: id must be 1-128 characters of A-Z a-z 0-9 . _ : @ -`);
  }
  if (typeof c.name !== 'string' || c.name.trim() === '') {
    throw new InvalidCustomerError(`${who}: name is empty`);
  }
  if (!Segment.safeParse(c.segment).success) {
    throw new InvalidCustomerError(
      `${who}: segment ${JSON.stringify(c.segment)} is not one of ${Segment.options.join(', ')}`,
    );
  }
  // Every customer summary carries a primary phone, and a customer without one can never pop.
  if (!Array.isArray(c.phones) || c.phones.length === 0) {
    throw new InvalidCustomerError(`${who}: needs at least one phone number`);
  }
  const out: string[] = [];
  for (const raw of c.phones) {
    const e164 = toE164(String(raw));
    if (!e164) {
      throw new InvalidCustomerError(`${who}: ${JSON.stringify(raw)} is not a valid phone number`);
    }
    if (!out.includes(e164)) out.push(e164);
  }
  return out;
}

function toSummary(row: SummaryRow | undefined): CustomerSummary | null {
  if (!row) return null;
  return {
    id: row.id,
    name: row.name,
    nameKana: row.nameKana,
    segment: row.segment,
    phone: row.phone ?? '',
  };
}

/**
 * The CRM record id of a local customer (null for none, or an unknown/unsynced customer):
 * what outbox payloads carry so the adapter can link a change to the CRM's record.
 */
export function crmIdLookup(db: Database): (customerId: string | null) => string | null {
  const stmt = db
    .prepare<[string], string | null>('SELECT crm_id FROM customers WHERE id = ?')
    .pluck();
  return (customerId) => (customerId ? (stmt.get(customerId) ?? null) : null);
}
