// Do-not-call. A number's effective level is the strongest decision ever recorded for it:
// rows are only ever added (the schema refuses updates and deletes), so no pull, merge or
// reset can weaken one. The dial path reads levelFor() in main before any INVITE.
import { randomUUID } from 'node:crypto';
import type { OptOutLevel, OptOutScope } from '../sync/crm/adapter';
import { crmIdLookup } from './customers';
import type { Database } from './db';
import type { OutboxRepo } from './outbox';

export interface OptOutInput {
  e164: string;
  customerId: string | null;
  scope: OptOutScope;
  source: 'agent' | 'crm' | 'import';
  reason: string | null;
}

export interface OptOutRepo {
  /**
   * Records the decision when it makes the number's level stronger (else does nothing and
   * returns false). Decisions made here (agent, import) are queued for the CRM in the same
   * transaction; ones that came from the CRM are not sent back.
   */
  record(input: OptOutInput): boolean;
  levelFor(e164: string): OptOutLevel;
  /** Strongest level over the customer's own rows (any of their numbers). */
  levelForCustomer(customerId: string): OptOutLevel;
  count(): number;
}

const RANK: Record<OptOutLevel, number> = { none: 0, marketing: 1, all: 2 };

export function stronger(a: OptOutLevel, b: OptOutLevel): OptOutLevel {
  return RANK[a] >= RANK[b] ? a : b;
}

export interface OptOutRepoOptions {
  now?: () => number;
  /**
   * Runs inside the transaction that records a stronger opt-out, whatever its source (agent,
   * CRM pull, import): the outbound queue cancels the number's pending callbacks there, so
   * the opt-out and the cancellation commit together or not at all.
   */
  onStrengthened?: (o: OptOutInput) => void;
}

export function createOptOutRepo(
  db: Database,
  outbox: OutboxRepo,
  opts: OptOutRepoOptions = {},
): OptOutRepo {
  const now = opts.now ?? Date.now;
  const scopes = db
    .prepare<[string], string>('SELECT DISTINCT scope FROM opt_outs WHERE e164 = ?')
    .pluck();
  const customerScopes = db
    .prepare<[string], string>('SELECT DISTINCT scope FROM opt_outs WHERE customer_id = ?')
    .pluck();
  const insert = db.prepare(
    `INSERT INTO opt_outs (id, e164, customer_id, scope, source, reason, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const crmIdOf = crmIdLookup(db);
  const countAll = db.prepare<[], number>('SELECT count(*) FROM opt_outs').pluck();

  const levelOf = (rows: string[]): OptOutLevel =>
    rows.reduce<OptOutLevel>((acc, s) => stronger(acc, s as OptOutLevel), 'none');

  const record = db.transaction((o: OptOutInput): boolean => {
    const current = levelOf(scopes.all(o.e164));
    if (stronger(current, o.scope) === current) return false;
    const t = now();
    insert.run(`o-${randomUUID()}`, o.e164, o.customerId, o.scope, o.source, o.reason, t);
    if (o.source !== 'crm') {
      outbox.enqueue('opt_out', `optout:${o.e164}`, {
        customerId: o.customerId,
        customerCrmId: crmIdOf(o.customerId),
        e164: o.e164,
        scope: o.scope,
        source: o.source,
        reason: o.reason,
        at: t,
      });
    }
    opts.onStrengthened?.(o);
    return true;
  });

  return {
    record: (o) => record(o),
    levelFor: (e164) => levelOf(scopes.all(e164)),
    levelForCustomer: (id) => levelOf(customerScopes.all(id)),
    count: () => countAll.get() ?? 0,
  };
}
