// The outbound half of the desk, in main: every dial — from the queue or typed by hand — goes
// through here, and every rule is checked here before any INVITE, whatever the screen did.
// An attempt row is written before the INVITE (a trigger refuses one for an opted-out
// number, so even a bug above cannot ring them); the call's end and the agent's disposition
// decide what happens to the callback next.
import type {
  Attempt,
  AttemptOutcome,
  Campaign,
  OptOutImportResult,
  OptOutScope,
  QueueFilter,
  QueueItem,
  SkipReason,
  TimelineEntry,
} from '../../../preload/contract';
import type { Logger } from '../log';
import { resolveDialTarget } from '../phone/calls';
import { RpcFailure } from '../rpc/dispatcher';
import { isOptOutRefusal, type AttemptRepo } from '../store/attempts';
import type { CallbackRepo, CallbackRow } from '../store/callbacks';
import type { CampaignRepo } from '../store/campaigns';
import { crmIdLookup } from '../store/customers';
import type { Database } from '../store/db';
import type { OptOutRepo } from '../store/opt-outs';
import type { OutboxRepo } from '../store/outbox';
import { ACCOUNT_CALLER_ID } from './caller-id';
import { windowBlock } from './calling-window';
import { manualDialBlocks, optOutForbids } from './dial-rules';
import { afterCallOutcome, afterDisposition, type NextStep } from './next-step';
import { parseOptOutCsv } from './opt-out-csv';
import type { Queue } from './queue';
import { customerZones, isValidZone } from './time-zones';

export interface OutboundDeps {
  db: Database;
  queue: Queue;
  callbacks: CallbackRepo;
  attempts: AttemptRepo;
  campaigns: CampaignRepo;
  optOuts: OptOutRepo;
  outbox: OutboxRepo;
  /** Places the call (the phone service); resolves with the call id. */
  dial: (target: string, opts: { callerId?: string }) => Promise<string>;
  /** The customer who owns this number, if any (the pop's answer). */
  customerFor: (e164: string) => string | null;
  /** Who is dialling (the SIP address of record), for the attempt log. */
  agent: () => string | null;
  now: () => number;
  log: Logger;
  /** The queue changed: pending and ready counts for the screen. */
  onChanged: (counts: { pending: number; dialableNow: number }) => void;
}

/** How often callbacks past their expiry are closed. */
const EXPIRY_INTERVAL_MS = 60_000;
/** A skipped callback comes back after this long. */
const SKIP_DELAY_MS = 30 * 60_000;
/** The campaign for callbacks promised on calls that came from no campaign. */
const REQUESTED = 'requested';
/** A promised time a little in the past (the dialog was open a while) is still fine. */
const PAST_GRACE_MS = 5 * 60_000;

export interface OutboundService {
  campaigns(): Campaign[];
  page(filter: QueueFilter, offset: number, limit: number): { total: number; items: QueueItem[] };
  callback(id: string): { item: QueueItem; attempts: Attempt[] };
  next(): QueueItem | null;
  dialCallback(id: string): Promise<string>;
  /** A dial typed or clicked by the agent: only an 'all' opt-out refuses it. */
  dialManual(target: string): Promise<string>;
  /** Throws 'refused' for a transfer or consult target that opted out of all calls. */
  guardTarget(target: string): void;
  skip(id: string, reason: SkipReason, note?: string): void;
  schedule(input: {
    customerId: string | null;
    number: string;
    dueAt: number;
    timeZone?: string;
    campaignId?: string;
    owner: 'me' | 'pool';
    note?: string;
    interactionId?: string;
  }): QueueItem;
  setDisposition(input: {
    interactionId: string;
    code: string;
    callbackId?: string;
    rescheduleAt?: number;
    note?: string;
  }): QueueItem | null;
  importOptOuts(csv: string, scope: OptOutScope): OptOutImportResult;
  checkNumber(number: string): {
    e164: string | null;
    optOut: ReturnType<Queue['optOutLevel']>;
  };
  /** Feed every call written to the timeline: finishes the attempt it belongs to. */
  callLogged(entry: TimelineEntry): void;
  /** Tells the screen the queue changed. */
  changed(): void;
  /** Stops the expiry timer. */
  close(): void;
  /**
   * Hook for the opt-out repository, inside the transaction that recorded a stronger opt-out
   * from any source: the number's (and customer's) pending callbacks are cancelled with it.
   */
  optOutRecorded(o: { e164: string; customerId: string | null; scope: OptOutScope }): void;
}

export function createOutboundService(deps: OutboundDeps): OutboundService {
  const { db, queue, callbacks, attempts, campaigns, optOuts, outbox, log, now } = deps;
  const crmIdOf = crmIdLookup(db);
  const saveDisposition = db.prepare(
    `INSERT INTO dispositions (interaction_id, code, campaign_id, note, set_at)
     VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (interaction_id) DO UPDATE SET
       code = excluded.code, campaign_id = excluded.campaign_id, note = excluded.note,
       set_at = excluded.set_at`,
  );

  function changed(): void {
    // Also runs from a microtask after an opt-out's transaction, possibly after close().
    if (!db.open) return;
    const c = callbacks.counts(now());
    deps.onChanged({ pending: c.pending, dialableNow: c.readyNow });
  }

  function requireCallback(id: string): CallbackRow {
    const row = callbacks.get(id);
    if (!row) throw new RpcFailure('not_found', `no callback ${id}`);
    return row;
  }

  function requireCampaign(id: string): Campaign {
    const c = campaigns.get(id);
    if (!c) throw new RpcFailure('not_found', `no campaign ${id}`);
    return c;
  }

  function refuse(reason: string, message: string): never {
    throw new RpcFailure('refused', message, reason);
  }

  function apply(row: CallbackRow, step: NextStep): CallbackRow {
    return callbacks.update(row.id, {
      status: step.status,
      nextAt: step.nextAt,
      ...(step.dueAt !== undefined ? { dueAt: step.dueAt } : {}),
      ...(step.promised !== undefined ? { promised: step.promised } : {}),
    });
  }

  /** Writes the attempt before the INVITE; the schema's trigger is the last guard. */
  function startAttempt(input: Parameters<AttemptRepo['start']>[0]): Attempt {
    try {
      return attempts.start(input);
    } catch (err) {
      if (isOptOutRefusal(err)) {
        log.warn('dial refused by the opt-out guard in the database', { e164: input.e164 });
        refuse('opted_out', 'this number has opted out of calls');
      }
      throw err;
    }
  }

  /** Checks, picks the caller ID and writes the attempt in one transaction. */
  const prepareQueuedDial = db.transaction((id: string) => {
    const t = now();
    const row = requireCallback(id);
    const campaign = requireCampaign(row.campaignId);
    const blocks = queue.blocksFor(row, t);
    if (blocks.length > 0) {
      log.info('queued dial refused', { callbackId: id, blocks });
      refuse(blocks[0]!, `cannot dial this callback now: ${blocks.join(', ')}`);
    }
    const pick = queue.callerIdFor(campaign, t);
    if (pick.kind === 'capped') refuse('caller_id_cap', 'every caller ID reached its daily cap');
    const callerId = pick.kind === 'number' ? pick.number : ACCOUNT_CALLER_ID;
    const attempt = startAttempt({
      callbackId: row.id,
      customerId: row.customerId,
      e164: row.e164,
      callerId,
      agent: deps.agent(),
      marketing: campaign.marketing,
    });
    callbacks.update(row.id, { status: 'dialing', attempts: row.attempts + 1 });
    return { row, campaign, attempt, callerId: pick.kind === 'number' ? pick.number : undefined };
  });

  /** A dial that failed before any call existed: the attempt counts as failed. */
  function dialFailed(attempt: Attempt, row: CallbackRow | null, campaign: Campaign | null): void {
    db.transaction(() => {
      attempts.finish(attempt.id, { outcome: 'failed', durationSec: null });
      if (row && campaign) {
        const fresh = requireCallback(row.id);
        apply(
          fresh,
          afterCallOutcome({
            now: now(),
            campaign,
            callback: { attempts: fresh.attempts, expiresAt: fresh.expiresAt },
            outcome: 'failed',
            zones: queue.zonesOf(fresh),
          }),
        );
      }
    })();
  }

  const outcomeOf = (entry: TimelineEntry): AttemptOutcome => {
    switch (entry.outcome) {
      case 'answered':
      case 'busy':
      case 'no_answer':
        return entry.outcome;
      default:
        return 'failed';
    }
  };

  // No call outlives core: a callback still 'dialing' at start was cut off by a crash or a
  // kill mid-call. Its attempt counts as failed and the callback goes back to the queue
  // (retried inside its window), instead of staying stuck where no one can dial it.
  const leftDialing = db
    .prepare<[], string>("SELECT id FROM callbacks WHERE status = 'dialing'")
    .pluck()
    .all();
  for (const id of leftDialing) {
    const row = requireCallback(id);
    const campaign = campaigns.get(row.campaignId) ?? null;
    const open = attempts.forCallback(id).find((a) => a.outcome === null);
    if (open) dialFailed(open, row, campaign);
    if (requireCallback(id).status === 'dialing') callbacks.update(id, { status: 'pending' });
    log.warn('callback left dialing by the last run released', { callbackId: id });
  }

  // Past their expiry: closed once a minute, off the request path (finding them walks every
  // pending row). Until then the queue already skips them and shows them as 'expired'.
  function expire(): void {
    if (!db.open) return;
    const n = callbacks.expireDue(now());
    if (n > 0) {
      log.info('callbacks expired', { expired: n });
      changed();
    }
  }

  expire();
  const expiry = setInterval(expire, EXPIRY_INTERVAL_MS);
  expiry.unref();

  /** The E.164 number in what the agent typed or clicked (null: not a phone number). */
  const e164Of = (target: string): string | null =>
    resolveDialTarget(target, 'dial.invalid')?.remote.e164 ?? null;

  /**
   * A number the agent typed, clicked or transfers to: refused when it opted out of all calls.
   * Extensions and SIP addresses without a phone number are colleagues (null).
   */
  function manualTarget(target: string): { e164: string; customerId: string | null } | null {
    const e164 = e164Of(target);
    if (!e164) return null;
    const customerId = deps.customerFor(e164);
    const blocks = manualDialBlocks(queue.optOutLevel(e164, customerId));
    if (blocks.length > 0) {
      log.info('manual dial refused', { blocks });
      refuse(blocks[0]!, 'this number has opted out of all calls');
    }
    return { e164, customerId };
  }

  /** Callbacks cancelled by opt-outs since start (the import reports its share). */
  let cancelledByOptOuts = 0;

  return {
    campaigns: () => campaigns.list(),
    page: (filter, offset, limit) => queue.page(filter, now(), offset, limit),
    callback(id) {
      const row = requireCallback(id);
      return { item: queue.item(row, now()), attempts: attempts.forCallback(id) };
    },
    next: () => queue.next(now()),

    async dialCallback(id) {
      const { row, campaign, attempt, callerId } = prepareQueuedDial(id);
      changed();
      let callId: string;
      try {
        callId = await deps.dial(row.e164, callerId ? { callerId } : {});
      } catch (err) {
        dialFailed(attempt, row, campaign);
        changed();
        throw err;
      }
      attempts.link(attempt.id, callId);
      log.info('callback dialled', { callbackId: id, callId, attempt: row.attempts + 1 });
      return callId;
    },

    guardTarget(target) {
      manualTarget(target);
    },

    async dialManual(target) {
      const who = manualTarget(target);
      if (!who) return deps.dial(target, {});
      const { e164, customerId } = who;
      const attempt = startAttempt({
        callbackId: null,
        customerId,
        e164,
        callerId: ACCOUNT_CALLER_ID,
        agent: deps.agent(),
        marketing: false,
      });
      let callId: string;
      try {
        callId = await deps.dial(target, {});
      } catch (err) {
        dialFailed(attempt, null, null);
        throw err;
      }
      attempts.link(attempt.id, callId);
      return callId;
    },

    skip(id, reason, note) {
      const row = requireCallback(id);
      if (row.status !== 'pending') {
        throw new RpcFailure('invalid_state', `callback ${id} is ${row.status}, not pending`);
      }
      const t = now();
      callbacks.update(id, {
        skipReason: note ? `${reason}: ${note}` : reason,
        skippedAt: t,
        nextAt: Math.max(row.nextAt ?? row.dueAt, t + SKIP_DELAY_MS),
      });
      log.info('callback skipped', { callbackId: id, reason });
      changed();
    },

    schedule(input) {
      const e164 = e164Of(input.number);
      if (!e164) throw new RpcFailure('invalid_argument', `${input.number} is not a phone number`);
      if (input.timeZone !== undefined && !isValidZone(input.timeZone)) {
        throw new RpcFailure('invalid_argument', `unknown time zone ${input.timeZone}`);
      }
      const campaign = requireCampaign(input.campaignId ?? REQUESTED);
      const t = now();
      if (input.dueAt < t - PAST_GRACE_MS) {
        throw new RpcFailure('invalid_argument', 'the callback time is in the past');
      }
      const customerId = input.customerId ?? deps.customerFor(e164);
      if (optOutForbids(queue.optOutLevel(e164, customerId), campaign.marketing)) {
        refuse('opted_out', 'this customer has opted out of these calls');
      }
      const zones = input.timeZone ? [input.timeZone] : customerZones(null, e164);
      const closed = windowBlock(campaign.window, zones, input.dueAt);
      if (closed) refuse(closed, `the campaign does not call at that time (${closed})`);
      const row = callbacks.create({
        customerId,
        e164,
        campaign,
        owner: input.owner,
        promised: campaign.kind === 'requested',
        dueAt: input.dueAt,
        timeZone: input.timeZone ?? null,
        note: input.note ?? null,
      });
      log.info('callback scheduled', { callbackId: row.id, campaign: campaign.id });
      changed();
      return queue.item(row, t);
    },

    setDisposition(input) {
      const t = now();
      const result = db.transaction((): CallbackRow | null => {
        const attempt = attempts.byInteraction(input.interactionId);
        const callbackId = input.callbackId ?? attempt?.callbackId ?? null;
        const row = callbackId ? requireCallback(callbackId) : null;
        const campaign = requireCampaign(row?.campaignId ?? REQUESTED);
        const disposition = campaign.dispositions.find((d) => d.code === input.code);
        if (!disposition) {
          throw new RpcFailure(
            'invalid_argument',
            `${input.code} is not a disposition of campaign ${campaign.id}`,
          );
        }
        if (disposition.effect === 'reschedule' && input.rescheduleAt === undefined) {
          throw new RpcFailure('invalid_argument', `${input.code} needs the time to call back`);
        }
        const customerId = row?.customerId ?? attempt?.customerId ?? null;
        saveDisposition.run(input.interactionId, input.code, campaign.id, input.note ?? null, t);
        outbox.enqueue('disposition', `disposition:${input.interactionId}`, {
          interactionId: input.interactionId,
          customerId,
          customerCrmId: crmIdOf(customerId),
          code: input.code,
          at: t,
        });
        if (attempt) attempts.setDisposition(attempt.id, input.code);
        const e164 = row?.e164 ?? attempt?.e164 ?? null;

        if (disposition.effect === 'opt_out' && e164) {
          // Said no to calls: every outbound call, not just this campaign's.
          optOuts.record({
            e164,
            customerId,
            scope: 'all',
            source: 'agent',
            reason: `disposition ${input.code}`,
          });
        }
        if (row) {
          const fresh = requireCallback(row.id);
          if (fresh.status === 'opted_out') return fresh;
          let step: NextStep;
          try {
            step = afterDisposition({
              now: t,
              campaign,
              callback: { attempts: fresh.attempts, expiresAt: fresh.expiresAt },
              effect: disposition.effect,
              rescheduleAt: input.rescheduleAt,
              zones: queue.zonesOf(fresh),
            });
          } catch (err) {
            if (err instanceof RangeError) throw new RpcFailure('invalid_argument', err.message);
            throw err;
          }
          return apply(fresh, step);
        }
        if (disposition.effect === 'reschedule' && e164 && input.rescheduleAt !== undefined) {
          // A call from no callback (inbound, typed by hand): the promise becomes one.
          return callbacks.create({
            customerId,
            e164,
            campaign,
            owner: 'me',
            promised: true,
            dueAt: input.rescheduleAt,
            note: input.note ?? null,
          });
        }
        return null;
      })();
      changed();
      return result ? queue.item(result, t) : null;
    },

    importOptOuts(csv, scope) {
      const parsed = parseOptOutCsv(csv, scope);
      let added = 0;
      let unchanged = 0;
      const cancelledBefore = cancelledByOptOuts;
      db.transaction(() => {
        for (const row of parsed.rows) {
          const customerId = deps.customerFor(row.e164);
          if (
            optOuts.record({
              e164: row.e164,
              customerId,
              scope: row.scope,
              source: 'import',
              reason: row.reason,
            })
          ) {
            added++;
          } else {
            unchanged++;
          }
        }
      })();
      log.info('opt-outs imported', { added, unchanged, rejected: parsed.rejected.length });
      if (added > 0) changed();
      const callbacksCancelled = cancelledByOptOuts - cancelledBefore;
      return { added, unchanged, rejected: parsed.rejected, callbacksCancelled };
    },

    checkNumber(number) {
      const e164 = e164Of(number);
      if (!e164) return { e164: null, optOut: 'none' };
      return { e164, optOut: queue.optOutLevel(e164, deps.customerFor(e164)) };
    },

    callLogged(entry) {
      if (entry.kind !== 'call' || entry.direction !== 'outbound') return;
      const attempt = attempts.byInteraction(entry.id);
      if (!attempt || attempt.outcome !== null) return;
      const outcome = outcomeOf(entry);
      db.transaction(() => {
        attempts.finish(attempt.id, { outcome, durationSec: entry.durationSec });
        if (!attempt.callbackId) return;
        const row = callbacks.get(attempt.callbackId);
        const campaign = row ? campaigns.get(row.campaignId) : undefined;
        if (!row || !campaign || row.status !== 'dialing') return;
        apply(
          row,
          afterCallOutcome({
            now: now(),
            campaign,
            callback: { attempts: row.attempts, expiresAt: row.expiresAt },
            outcome,
            zones: queue.zonesOf(row),
          }),
        );
      })();
      changed();
    },
    changed,
    close: () => clearInterval(expiry),
    optOutRecorded(o) {
      const n = callbacks.cancelPending({
        e164: o.e164,
        customerId: o.customerId,
        marketingOnly: o.scope === 'marketing',
      });
      cancelledByOptOuts += n;
      if (n > 0) {
        log.info('callbacks cancelled by an opt-out', { cancelled: n, scope: o.scope });
        // Inside the opt-out's transaction (a CRM pull, an import…): tell the screen once it
        // has committed.
        queueMicrotask(changed);
      }
    },
  };
}
