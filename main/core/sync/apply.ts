// Applies pulled CRM records to the local store. Idempotent (the same page twice changes
// nothing more), never overwrites a row with local changes still waiting for the CRM, and
// never weakens an opt-out: the CRM can only add do-not-call decisions here.
import { toE164 } from '../customers/phone-number';
import type { Logger } from '../log';
import type { CustomerRepo } from '../store/customers';
import { InvalidCustomerError } from '../store/customers';
import type { InteractionRepo } from '../store/interactions';
import type { OptOutRepo } from '../store/opt-outs';
import type { OutboxRepo } from '../store/outbox';
import type { CrmActivity, CrmCustomer } from './crm/adapter';

export interface ApplyDeps {
  customers: CustomerRepo;
  interactions: InteractionRepo;
  optOuts: OptOutRepo;
  outbox: OutboxRepo;
  /** True when this key was written by this device (its own records coming back). */
  isOwnKey: (key: string) => boolean;
  log: Logger;
}

export interface ApplyResult {
  applied: number;
  /** Records that could not be used (bad phone, no name…): logged, never fatal. */
  skipped: number;
}

/** The local id of a customer pulled from the CRM. */
export function localCustomerId(crmId: string): string {
  return `crm-${crmId}`;
}

export function applyCustomers(deps: ApplyDeps, records: CrmCustomer[]): ApplyResult {
  let applied = 0;
  let skipped = 0;
  // Nothing waiting for the CRM (the usual case: a round pushes before it pulls): no record
  // can have local edits, so the look-up per record is skipped. Asked again after anything
  // that could queue a change (recording an opt-out); once something is pending, every
  // record is looked up.
  let anyPending = deps.outbox.pendingCount() > 0;
  for (const r of records) {
    const id = localCustomerId(r.crmId);
    // The CRM's do-not-call counts even when the rest of the record cannot be used (no name,
    // one bad number): recorded first, for every number that is valid.
    if (r.optOut !== 'none') {
      for (const raw of r.phones) {
        const e164 = toE164(String(raw));
        if (e164) {
          deps.optOuts.record({
            e164,
            customerId: id,
            scope: r.optOut,
            source: 'crm',
            reason: null,
          });
        }
      }
      anyPending ||= deps.outbox.pendingCount() > 0;
    }
    // Local edits waiting for the CRM win until they are acknowledged; the next pull after
    // that brings the CRM's merged record.
    if (!anyPending || !deps.outbox.hasPending(`customer:${id}`)) {
      try {
        deps.customers.upsert({
          id,
          name: r.name,
          nameKana: r.nameKana,
          segment: r.segment,
          phones: r.phones,
          crmId: r.crmId,
          crmRevision: r.revision,
        });
      } catch (err) {
        if (!(err instanceof InvalidCustomerError)) throw err;
        deps.log.warn('CRM customer skipped', { crmId: r.crmId, reason: err.message });
        skipped++;
        continue;
      }
    }
    applied++;
  }
  return { applied, skipped };
}

export function applyActivities(deps: ApplyDeps, records: CrmActivity[]): ApplyResult {
  let applied = 0;
  for (const r of records) {
    // Our own pushes come back in the pull: the local row is already on the timeline.
    if (r.syncKey && deps.isOwnKey(r.syncKey)) continue;
    // Dispositions, talk-track answers and opt-out audits belong to their call or customer.
    if (r.kind === 'other') continue;
    deps.interactions.applyCrm({
      crmId: r.crmId,
      customerId: r.customerCrmId ? deps.customers.idForCrmId(r.customerCrmId) : null,
      kind: r.kind,
      direction: r.direction,
      at: r.at,
      summary: r.summary,
    });
    applied++;
  }
  return { applied, skipped: 0 };
}
