// Dial attempts: one row per outbound call, written BEFORE its INVITE. The schema refuses the
// row for an opted-out number or customer (trigger attempts_refuse_opted_out), so even a
// dial path that forgot to check cannot call one. The counts here feed the dialing rules:
// the minimum interval, per-customer daily and weekly limits, caller-ID daily caps.
// A dial blocked before any INVITE can be kept for the audit trail (recordRefused); it is
// not a call, so it counts for none of those limits.
import { randomUUID } from 'node:crypto';
import { AttemptOutcome, DispositionCode, E164, type Attempt } from '../../../preload/contract';
import type { Database } from './db';

export interface StartAttemptInput {
  callbackId: string | null;
  customerId: string | null;
  e164: string;
  /** The number shown to the customer; null or '' = the SIP account's own (stored as ''). */
  callerId: string | null;
  agent: string | null;
  /** The campaign's marketing flag (a 'marketing' opt-out refuses marketing attempts only). */
  marketing: boolean;
}

export type AttemptWithTarget = Attempt & { customerId: string | null; e164: string };

export interface AttemptRepo {
  /** Writes the attempt; throws the trigger's SqliteError for an opted-out target. */
  start(input: StartAttemptInput): Attempt;
  /** A dial refused in main before any INVITE, kept for the audit trail (never refused). */
  recordRefused(input: Omit<StartAttemptInput, 'callerId'>): Attempt;
  link(attemptId: string, interactionId: string): void;
  finish(attemptId: string, result: { outcome: AttemptOutcome; durationSec: number | null }): void;
  setDisposition(attemptId: string, code: string): void;
  byInteraction(interactionId: string): AttemptWithTarget | undefined;
  /** Newest first. */
  forCallback(callbackId: string): Attempt[];
  /** Latest attempt at the customer (any of their numbers) or at the number (anyone's). */
  lastAt(who: { customerId: string | null; e164: string }): number | null;
  /** Attempts at the customer or at the number started at or after `since`. */
  countSince(who: { customerId: string | null; e164: string }, since: number): number;
  /** Attempts per caller ID started at or after `since` ('' = the account's own number). */
  callerIdUsage(since: number): Map<string, number>;
}

export class AttemptNotFoundError extends Error {
  readonly code = 'not_found';
  constructor(id: string) {
    super(`no attempt ${id}`);
    this.name = 'AttemptNotFoundError';
  }
}

/** The message the schema's guard raises (0004-outbound.ts). */
const REFUSAL = 'opted out:';

/** True when `err` is the schema refusing an attempt at an opted-out number or customer. */
export function isOptOutRefusal(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  return (
    typeof code === 'string' &&
    code.startsWith('SQLITE_CONSTRAINT') &&
    err.message.startsWith(REFUSAL)
  );
}

interface Row {
  id: string;
  callbackId: string | null;
  customerId: string | null;
  e164: string;
  at: number;
  outcome: AttemptOutcome | null;
  durationSec: number | null;
  disposition: string | null;
  callerId: string | null;
  agent: string | null;
}

const COLUMNS = `id, callback_id AS callbackId, customer_id AS customerId, e164, started_at AS at,
  outcome, duration_sec AS durationSec, disposition, caller_id AS callerId, agent`;
/** What counts as a call for the limits. */
const A_CALL = `outcome IS NOT 'refused_dial'`;

export function createAttemptRepo(
  db: Database,
  opts: { now?: () => number; newId?: () => string } = {},
): AttemptRepo {
  const now = opts.now ?? Date.now;
  const newId = opts.newId ?? (() => `a-${randomUUID()}`);
  const insert = db.prepare(
    `INSERT INTO attempts (id, callback_id, customer_id, e164, started_at, outcome, caller_id,
       agent, marketing)
     VALUES (@id, @callbackId, @customerId, @e164, @at, @outcome, @callerId, @agent, @marketing)`,
  );
  const setInteraction = db.prepare<[string, string]>(
    'UPDATE attempts SET interaction_id = ? WHERE id = ?',
  );
  const setResult = db.prepare<[string, number | null, string]>(
    'UPDATE attempts SET outcome = ?, duration_sec = ? WHERE id = ?',
  );
  const setCode = db.prepare<[string, string]>('UPDATE attempts SET disposition = ? WHERE id = ?');
  const byInteraction = db.prepare<[string], Row>(
    `SELECT ${COLUMNS} FROM attempts WHERE interaction_id = ? ORDER BY started_at DESC LIMIT 1`,
  );
  const byCallback = db.prepare<[string], Row>(
    `SELECT ${COLUMNS} FROM attempts WHERE callback_id = ?
      ORDER BY started_at DESC, rowid DESC`,
  );
  // The customer (any of their numbers) or the number (whoever else it belongs to: a
  // family's landline rings once whichever of them is being called). SQLite answers the OR
  // with both indexes (by customer, by number) and counts each attempt once.
  const lastFor = db
    .prepare<{ c: string | null; e: string }, number | null>(
      `SELECT max(started_at) FROM attempts WHERE (customer_id = @c OR e164 = @e) AND ${A_CALL}`,
    )
    .pluck();
  const sinceFor = db
    .prepare<{ c: string | null; e: string; since: number }, number>(
      `SELECT count(*) FROM attempts
        WHERE (customer_id = @c OR e164 = @e) AND started_at >= @since AND ${A_CALL}`,
    )
    .pluck();
  // A seek per distinct caller ID (there are a handful) instead of a scan of every attempt
  // ever made: the recursive part steps through attempts_by_caller_id one caller ID at a time.
  const usage = db.prepare<{ since: number }, { callerId: string; n: number }>(
    `WITH RECURSIVE ids(callerId) AS (
       SELECT min(caller_id) FROM attempts WHERE caller_id IS NOT NULL
       UNION ALL
       SELECT (SELECT min(caller_id) FROM attempts WHERE caller_id > ids.callerId)
         FROM ids WHERE ids.callerId IS NOT NULL)
     SELECT callerId, (SELECT count(*) FROM attempts
                        WHERE caller_id = ids.callerId AND started_at >= @since
                          AND ${A_CALL}) AS n
       FROM ids WHERE callerId IS NOT NULL`,
  );

  function changed(id: string, changes: number): void {
    if (changes === 0) throw new AttemptNotFoundError(id);
  }

  function write(
    input: Omit<StartAttemptInput, 'callerId'>,
    callerId: string | null,
    outcome: AttemptOutcome | null,
  ): Attempt {
    if (!E164.safeParse(input.e164).success) {
      throw new RangeError(`attempt number ${JSON.stringify(input.e164)} is not E.164`);
    }
    const id = newId();
    const at = now();
    insert.run({
      id,
      callbackId: input.callbackId,
      customerId: input.customerId,
      e164: input.e164,
      at,
      outcome,
      callerId,
      agent: input.agent,
      marketing: input.marketing ? 1 : 0,
    });
    return {
      id,
      callbackId: input.callbackId,
      at,
      outcome,
      durationSec: null,
      disposition: null,
      callerId,
      agent: input.agent,
    };
  }

  return {
    start: (input) => write(input, input.callerId ?? '', null),
    // No caller ID: nothing went out, so it counts for no caller ID's daily cap.
    recordRefused: (input) => write(input, null, 'refused_dial'),
    link: (id, interactionId) => changed(id, setInteraction.run(interactionId, id).changes),
    finish(id, result) {
      const outcome = AttemptOutcome.parse(result.outcome);
      const d = result.durationSec;
      if (d !== null && (!Number.isInteger(d) || d < 0)) {
        throw new RangeError(`attempt duration ${d} must be a non-negative integer or null`);
      }
      changed(id, setResult.run(outcome, d, id).changes);
    },
    setDisposition(id, code) {
      changed(id, setCode.run(DispositionCode.parse(code), id).changes);
    },
    byInteraction(interactionId) {
      const r = byInteraction.get(interactionId);
      return r ? { ...toAttempt(r), customerId: r.customerId, e164: r.e164 } : undefined;
    },
    forCallback: (callbackId) => byCallback.all(callbackId).map(toAttempt),
    lastAt: (who) => lastFor.get({ c: who.customerId, e: who.e164 }) ?? null,
    countSince: (who, since) => sinceFor.get({ c: who.customerId, e: who.e164, since }) ?? 0,
    callerIdUsage(since) {
      const out = new Map<string, number>();
      for (const r of usage.all({ since })) if (r.n > 0) out.set(r.callerId, r.n);
      return out;
    },
  };
}

function toAttempt(r: Row): Attempt {
  return {
    id: r.id,
    callbackId: r.callbackId,
    at: r.at,
    outcome: r.outcome,
    durationSec: r.durationSec,
    disposition: r.disposition,
    callerId: r.callerId,
    agent: r.agent,
  };
}
