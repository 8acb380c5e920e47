// The calls the agent sees: each phone call joined with its customer pop, pushed to the
// screen in order, and written to the customer's timeline when it ends. The pop is looked up
// once per call; with the local cache that is synchronous, so the ringing call goes out at
// once. A timeline write that fails (a full disk, a locked file) is kept and retried: the
// record of a call is never silently dropped.
import type { Call, Pop, TimelineEntry } from '../../preload/contract';
import type { Logger } from './log';
import type { PhoneCall } from './phone/phone-service';
import type { CallLogEntry, InteractionRepo } from './store/interactions';

export interface CallBoardDeps {
  popFor: (e164: string | null) => Pop | Promise<Pop>;
  interactions: Pick<InteractionRepo, 'logCall'>;
  onCall: (call: Call) => void;
  onLogged: (customerId: string | null, entry: TimelineEntry) => void;
  log: Logger;
  /** How often unwritten timeline entries are retried. Default 15 s. */
  retryMs?: number;
}

export interface CallBoard {
  /** Feed every PhoneService 'call' event here. */
  update(pc: PhoneCall): void;
  /** Calls that have not ended, as last pushed. */
  list(): Call[];
  get(callId: string): Call | undefined;
  /** Timeline entries not yet written (kept in memory until the store takes them). */
  unwritten(): number;
  /** Tries the unwritten entries once more; stops the retry timer. */
  close(): void;
}

const UNKNOWN: Pop = { customer: null, lastContacts: [] };

export function createCallBoard(deps: CallBoardDeps): CallBoard {
  const { log } = deps;
  const calls = new Map<string, Call>();
  const pops = new Map<string, Pop | Promise<Pop>>();
  // For an asynchronous pop lookup: the chain that keeps a call's updates in order.
  const queues = new Map<string, Promise<void>>();
  const pending: CallLogEntry[] = [];
  let timer: NodeJS.Timeout | null = null;

  function lookup(e164: string | null): Pop | Promise<Pop> {
    try {
      const res = deps.popFor(e164);
      if (!(res instanceof Promise)) return res;
      return res.catch((err: unknown) => (log.warn('pop lookup failed', { err }), UNKNOWN));
    } catch (err) {
      // A broken cache must not hide the call: ring as an unknown caller.
      log.error('pop lookup failed', { err });
      return UNKNOWN;
    }
  }

  function publish(call: Call): void {
    if (call.state === 'ended') {
      calls.delete(call.id);
      pops.delete(call.id);
      queues.delete(call.id);
      pending.push(toLogEntry(call));
      flush();
    } else {
      calls.set(call.id, call);
    }
    deps.onCall(call);
  }

  function flush(): void {
    while (pending.length) {
      const entry = pending[0]!;
      try {
        deps.interactions.logCall(entry);
      } catch (err) {
        log.error('could not write the call to the timeline; will retry', {
          callId: entry.id,
          unwritten: pending.length,
          err,
        });
        timer ??= setInterval(flush, deps.retryMs ?? 15_000);
        timer.unref?.();
        return;
      }
      pending.shift();
      const { customerId, endReason: _reason, ...timelineEntry } = entry;
      deps.onLogged(customerId, timelineEntry);
    }
    if (timer) clearInterval(timer);
    timer = null;
  }

  return {
    update(pc) {
      let pop = pops.get(pc.id);
      if (!pop) {
        pop = lookup(pc.remote.e164);
        pops.set(pc.id, pop);
      }
      const queued = queues.get(pc.id);
      if (!(pop instanceof Promise) && !queued) {
        publish({ ...pc, pop });
        return;
      }
      const settled = pop;
      const next = (queued ?? Promise.resolve()).then(async () =>
        publish({ ...pc, pop: await settled }),
      );
      queues.set(pc.id, next);
    },
    list: () => [...calls.values()],
    get: (callId) => calls.get(callId),
    unwritten: () => pending.length,
    close() {
      flush();
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}

function toLogEntry(call: Call): CallLogEntry {
  return {
    id: call.id,
    kind: 'call',
    direction: call.direction,
    number: call.remote.e164 ?? call.remote.raw,
    startedAt: call.startedAt,
    answeredAt: call.answeredAt,
    endedAt: call.endedAt,
    durationSec:
      call.answeredAt !== null && call.endedAt !== null
        ? Math.max(0, Math.round((call.endedAt - call.answeredAt) / 1000))
        : null,
    outcome: call.outcome,
    quality: call.quality,
    customerId: call.pop.customer?.id ?? null,
    endReason: call.endReason,
  };
}
