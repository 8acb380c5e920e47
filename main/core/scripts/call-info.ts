// What a talk track needs to know about a call: the facts its script is chosen on, and the
// customer's and callback's data its texts and branches use. Read from the live call on the
// board, or — for a call already ended (wrap-up after a restart) — from its timeline row.
import { DateTime } from 'luxon';
import type { Call, CustomerSummary, Locale } from '../../../preload/contract';
import type { AttemptRepo } from '../store/attempts';
import type { CallbackRepo } from '../store/callbacks';
import type { CampaignRepo } from '../store/campaigns';
import type { CustomerRepo } from '../store/customers';
import type { Database } from '../store/db';
import type { CallFacts } from './choose-script';
import type { ContextValue, ScriptContext } from './engine';

export interface CallInfo {
  callId: string;
  /** On the board now (false: read back from the timeline after it ended). */
  live: boolean;
  facts: CallFacts;
  customer: CustomerSummary | null;
  /** E.164 when known, else as received. */
  number: string;
  purchaseCount: number;
  /** The customer's latest contact before this call (epoch ms), null = none. */
  lastContactAt: number | null;
  callback: {
    dueAt: number;
    timeZone: string | null;
    campaignName: Partial<Record<Locale, string>>;
    note: string | null;
  } | null;
}

export interface CallInfoDeps {
  db: Database;
  liveCall: (callId: string) => Call | undefined;
  customers: Pick<CustomerRepo, 'getById'>;
  attempts: Pick<AttemptRepo, 'byInteraction'>;
  callbacks: Pick<CallbackRepo, 'get'>;
  campaigns: Pick<CampaignRepo, 'get'>;
}

const DAY_MS = 86_400_000;

/**
 * Builds CallInfo for a call id; null when the call is unknown (neither live nor logged as a
 * call) or is a consultation leg (a colleague on the line, not a customer: no talk track).
 */
export function createCallInfoSource(deps: CallInfoDeps): (callId: string) => CallInfo | null {
  const logged = deps.db.prepare<
    [string],
    { customerId: string | null; direction: 'inbound' | 'outbound'; number: string }
  >(
    "SELECT customer_id AS customerId, direction, number FROM interactions WHERE id = ? AND kind = 'call'",
  );
  const orders = deps.db
    .prepare<[string], number>(
      "SELECT count(*) FROM interactions WHERE customer_id = ? AND kind = 'order'",
    )
    .pluck();
  const lastContact = deps.db
    .prepare<[string, string], number | null>(
      'SELECT max(started_at) FROM interactions WHERE customer_id = ? AND id != ?',
    )
    .pluck();

  return (callId) => {
    const live = deps.liveCall(callId);
    if (live?.consultFor) return null;
    let base: Pick<CallInfo, 'customer' | 'number'> & Pick<CallFacts, 'direction' | 'reason'>;
    if (live) {
      base = {
        customer: live.pop.customer,
        number: live.remote.e164 ?? live.remote.raw,
        direction: live.direction,
        reason: live.reason,
      };
    } else {
      const row = logged.get(callId);
      if (!row) return null;
      base = {
        customer: row.customerId ? deps.customers.getById(row.customerId) : null,
        number: row.number,
        direction: row.direction,
        reason: null,
      };
    }
    const attempt = base.direction === 'outbound' ? deps.attempts.byInteraction(callId) : undefined;
    const cb = attempt?.callbackId ? deps.callbacks.get(attempt.callbackId) : undefined;
    const campaign = cb ? deps.campaigns.get(cb.campaignId) : undefined;
    const customerId = base.customer?.id ?? null;
    return {
      callId,
      live: live !== undefined,
      facts: {
        direction: base.direction,
        reason: base.reason,
        campaign: campaign?.kind ?? null,
        segment: base.customer?.segment ?? 'new',
      },
      customer: base.customer,
      number: base.number,
      purchaseCount: customerId ? (orders.get(customerId) ?? 0) : 0,
      lastContactAt: customerId ? (lastContact.get(customerId, callId) ?? null) : null,
      callback: cb
        ? {
            dueAt: cb.dueAt,
            timeZone: cb.timeZone,
            campaignName: campaign?.name ?? {},
            note: cb.note,
          }
        : null,
    };
  };
}

/** The values a script's texts and conditions see, in the agent's language. */
export function scriptContext(
  info: CallInfo,
  lang: Locale,
  now: number,
  agentName: string | null,
): ScriptContext {
  const c = info.customer;
  const customer: Record<string, ContextValue> = {
    name: c?.name ?? null,
    nameKana: c?.nameKana ?? null,
    segment: info.facts.segment,
    phone: c?.phone ?? info.number,
    purchaseCount: info.purchaseCount,
    lastContactDays:
      info.lastContactAt === null
        ? null
        : Math.max(0, Math.floor((now - info.lastContactAt) / DAY_MS)),
  };
  const cb = info.callback;
  const callback: Record<string, ContextValue> | null = cb && {
    dueAt: DateTime.fromMillis(cb.dueAt, { zone: cb.timeZone ?? 'Asia/Tokyo' })
      .setLocale(lang)
      .toLocaleString(DateTime.DATETIME_MED),
    campaign: cb.campaignName[lang] ?? Object.values(cb.campaignName)[0] ?? null,
    note: cb.note,
  };
  return { customer, callback, agent: { name: agentName } };
}
