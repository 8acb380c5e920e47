// What becomes of a callback after an attempt or the agent's disposition: its next status
// and, while it stays pending, when it may next be tried.
import type {
  AttemptOutcome,
  CallbackStatus,
  Campaign,
  DispositionEffect,
} from '../../../preload/contract';
import { formatLocal, nextWindowOpen, windowBlock } from './calling-window';
import { CENTRE_ZONE } from './time-zones';

const MINUTE_MS = 60_000;

export interface NextStep {
  status: CallbackStatus;
  /** When it may next be tried; null for every status but 'pending'. */
  nextAt: number | null;
  /** Set when the customer chose a new time. */
  dueAt?: number;
  promised?: boolean;
}

interface StepBase {
  now: number;
  campaign: Campaign;
  /** attempts counts the attempt just made. */
  callback: { attempts: number; expiresAt: number | null };
  zones: readonly string[];
}

// The first moment the window opens at or after `earliest`, unless the callback expires
// first (or the window stays shut for the whole look-ahead).
function pendingFrom(base: StepBase, earliest: number): NextStep {
  const nextAt = nextWindowOpen(base.campaign.window, base.zones, earliest);
  const expiresAt = base.callback.expiresAt;
  if (nextAt === null || (expiresAt !== null && nextAt >= expiresAt)) {
    return { status: 'expired', nextAt: null };
  }
  return { status: 'pending', nextAt };
}

export function afterCallOutcome(input: StepBase & { outcome: AttemptOutcome }): NextStep {
  const { now, campaign, callback, outcome } = input;
  switch (outcome) {
    case 'answered':
      return { status: 'wrap_up', nextAt: null };
    case 'refused_dial':
      // Nothing rang, so no retry delay: look again from the next minute.
      return pendingFrom(input, now + MINUTE_MS);
    case 'no_answer':
    case 'busy':
    case 'voicemail':
    case 'failed': {
      if (callback.attempts >= campaign.maxAttempts) return { status: 'exhausted', nextAt: null };
      const waitMin = Math.max(campaign.retryAfterMin[outcome], campaign.minIntervalMin);
      return pendingFrom(input, now + waitMin * MINUTE_MS);
    }
  }
}

export function afterDisposition(
  input: StepBase & { effect: DispositionEffect; rescheduleAt?: number },
): NextStep {
  switch (input.effect) {
    case 'done':
      return { status: 'done', nextAt: null };
    case 'retry':
      return afterCallOutcome({ ...input, outcome: 'no_answer' });
    case 'reschedule':
      return reschedule(input, input.rescheduleAt);
    case 'stop':
      return { status: 'stopped', nextAt: null };
    case 'opt_out':
      return { status: 'opted_out', nextAt: null };
  }
}

// The customer chose the time, so it is kept as given (a promise), but it must still be a
// time the campaign may call them.
function reschedule(base: StepBase, at: number | undefined): NextStep {
  if (at === undefined || !Number.isFinite(at)) {
    throw new RangeError('reschedule needs rescheduleAt (epoch ms)');
  }
  if (at <= base.now) {
    throw new RangeError(
      `reschedule time ${new Date(at).toISOString()} is not in the future (now ${new Date(base.now).toISOString()})`,
    );
  }
  const { window } = base.campaign;
  for (const zone of base.zones.length > 0 ? base.zones : [CENTRE_ZONE]) {
    const block = windowBlock(window, [zone], at);
    if (block !== null) {
      throw new RangeError(
        `reschedule time ${formatLocal(zone, at)} ${zone} is outside the calling window ` +
          `(${window.start}–${window.end}, days ${window.days.join(',')}` +
          `${window.holidays ? '' : ', not on holidays'}): ${block}`,
      );
    }
  }
  return { status: 'pending', promised: true, dueAt: at, nextAt: at };
}
