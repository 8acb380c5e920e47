// The seam between the sync engine and a CRM. The engine owns ordering, retries, backoff,
// dead letters and cursors; an adapter only turns one outbox item into the CRM's requests and
// one cursor into a page of records, and says how a failure should be treated (CrmError).
// Kept CRM-neutral on purpose: kintone is first, Salesforce next (composite upserts by an
// external id field, SystemModstamp + Id as the pull cursor fit the same shape).
import { z } from 'zod';
import { OptOutLevel } from '../../../../preload/contract';

/** What the agent did that the CRM must learn. Opt-outs are pushed before everything else. */
export const OutboxKind = z.enum([
  'opt_out',
  'call_log',
  'note',
  'disposition',
  'callback',
  'script_answers',
]);
export type OutboxKind = z.infer<typeof OutboxKind>;

export const OptOutScope = z.enum(['marketing', 'all']);
export type OptOutScope = z.infer<typeof OptOutScope>;
/** Strength order: none < marketing < all. An opt-out only ever moves right. */
export { OptOutLevel };

/** Payloads, one per kind. Times are epoch ms; numbers E.164. */
export const OutboxPayloads = {
  opt_out: z.object({
    customerId: z.string().nullable(),
    /** The customer's CRM record id when known (pulled customers). */
    customerCrmId: z.string().nullable(),
    e164: z.string(),
    scope: OptOutScope,
    source: z.enum(['agent', 'crm', 'import']),
    reason: z.string().max(2000).nullable(),
    at: z.number(),
  }),
  call_log: z.object({
    interactionId: z.string(),
    customerId: z.string().nullable(),
    customerCrmId: z.string().nullable(),
    direction: z.enum(['inbound', 'outbound']),
    number: z.string(),
    startedAt: z.number(),
    answeredAt: z.number().nullable(),
    endedAt: z.number().nullable(),
    durationSec: z.number().nullable(),
    outcome: z.string().nullable(),
  }),
  note: z.object({
    noteId: z.string(),
    version: z.number().int().positive(),
    customerId: z.string().nullable(),
    customerCrmId: z.string().nullable(),
    interactionId: z.string().nullable(),
    body: z.string(),
    savedAt: z.number(),
  }),
  disposition: z.object({
    interactionId: z.string(),
    customerId: z.string().nullable(),
    customerCrmId: z.string().nullable(),
    code: z.string(),
    at: z.number(),
  }),
  callback: z.object({
    callbackId: z.string(),
    customerId: z.string().nullable(),
    customerCrmId: z.string().nullable(),
    e164: z.string(),
    dueAt: z.number(),
    status: z.string(),
  }),
  script_answers: z.object({
    interactionId: z.string(),
    customerId: z.string().nullable(),
    customerCrmId: z.string().nullable(),
    scriptId: z.string(),
    answers: z.record(z.string(), z.unknown()),
  }),
} satisfies Record<OutboxKind, z.ZodType>;
export type OutboxPayload<K extends OutboxKind> = z.infer<(typeof OutboxPayloads)[K]>;

/** One queued change. `key` is the idempotency key made on this device (a UUID). */
export type OutboxItem = {
  [K in OutboxKind]: { key: string; kind: K; payload: OutboxPayload<K>; createdAt: number };
}[OutboxKind];

export interface PushAck {
  /** The CRM's record id for what was written (kept for links and later updates). */
  remoteId: string;
  /** The record's revision after the write, when the CRM has revisions. */
  revision: string | null;
}

/**
 * A server-side position: the CRM's own modification time (as the CRM formats it, never a
 * client clock) and record id as the tie-breaker. The engine stores it opaque.
 */
export const PullCursor = z.object({ updatedAt: z.string(), id: z.string() });
export type PullCursor = z.infer<typeof PullCursor>;

export type PullStream = 'customers' | 'activities';

export interface CrmCustomer {
  /** The CRM's record id. The local customer id is derived from it by the engine. */
  crmId: string;
  revision: string | null;
  name: string;
  nameKana: string | null;
  segment: 'new' | 'repeat' | 'heavy' | 'dormant';
  /** As stored in the CRM (any format); normalized by the engine. */
  phones: string[];
  optOut: OptOutLevel;
  updatedAt: string;
}

/** Another channel's interaction (email, chat, order, ticket…), or a call logged elsewhere. */
export interface CrmActivity {
  crmId: string;
  customerCrmId: string | null;
  /** 'other': a record the timeline does not show (dispositions, talk-track answers, opt-out audits). */
  kind: 'call' | 'email' | 'chat' | 'order' | 'ticket' | 'note' | 'other';
  direction: 'inbound' | 'outbound';
  /** Epoch ms of when it happened (the CRM's field, not its modification time). */
  at: number;
  summary: string | null;
  /** The idempotency key when this record was written by an agent desktop (ours included). */
  syncKey: string | null;
  updatedAt: string;
}

export interface PullPage<T> {
  records: T[];
  /** The position after the last record of this page (null: nothing new, keep the old one). */
  cursor: PullCursor | null;
  /** True when the CRM has nothing after this page. */
  done: boolean;
  /** Total records still to come after the cursor the page was asked with, when known. */
  total?: number;
}

export type ConnectionCheck =
  | { ok: true; detail: string }
  | {
      ok: false;
      code:
        'bad_domain' | 'unreachable' | 'bad_token' | 'no_permission' | 'bad_config' | 'bad_reply';
      message: string;
    };

export interface CrmAdapter {
  readonly kind: 'local' | 'kintone';
  /** Reaches the CRM with the configured credentials and mapping; never throws. */
  check(): Promise<ConnectionCheck>;
  /** Writes one change. Must be idempotent on item.key (a retry after a lost reply is normal). */
  push(item: OutboxItem): Promise<PushAck>;
  /** Records modified at or after `since` (look-back applied by the engine), oldest first. */
  pullCustomers(since: PullCursor | null, limit: number): Promise<PullPage<CrmCustomer>>;
  pullActivities(since: PullCursor | null, limit: number): Promise<PullPage<CrmActivity>>;
}

export type CrmErrorKind =
  | 'network' // connection refused/reset, DNS, TLS: retry with backoff
  | 'timeout' // no reply in time: retry (the write may have happened: push is idempotent)
  | 'rate_limited' // 429: retry after retryAfterMs
  | 'server' // 5xx: retry with backoff
  | 'bad_reply' // unparsable/unexpected body: retry with backoff, shown as an error
  | 'conflict' // revision mismatch: re-read and retry soon
  | 'rejected' // other 4xx: permanent for this item → dead letter
  | 'auth'; // 401/403, wrong token/permission: pauses all pushing until settings change (items stay)

export class CrmError extends Error {
  readonly kind: CrmErrorKind;
  readonly status: number | null;
  readonly retryAfterMs: number | null;
  /** The CRM's error code (kintone: GAIA_…, CB_…), for the agent's error detail. */
  readonly crmCode: string | null;
  constructor(
    kind: CrmErrorKind,
    message: string,
    opts: {
      status?: number | null;
      retryAfterMs?: number | null;
      crmCode?: string | null;
      cause?: unknown;
    } = {},
  ) {
    super(message, { cause: opts.cause });
    this.name = 'CrmError';
    this.kind = kind;
    this.status = opts.status ?? null;
    this.retryAfterMs = opts.retryAfterMs ?? null;
    this.crmCode = opts.crmCode ?? null;
  }

  /** Whether the engine should try the same item again later on its own. */
  get transient(): boolean {
    return this.kind !== 'rejected' && this.kind !== 'auth';
  }
}
