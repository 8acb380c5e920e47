// Whether a callback may be dialled now, and if not, every reason why: the queue shows the
// agent all of them at once rather than one per attempt.
import type { CallbackStatus, Campaign, DialBlock, OptOutLevel } from '../../../preload/contract';
import { windowBlocks } from './calling-window';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

export interface DialFacts {
  now: number;
  campaign: Campaign;
  callback: {
    status: CallbackStatus;
    dueAt: number;
    nextAt: number | null;
    expiresAt: number | null;
    attempts: number;
    promised: boolean;
  };
  /** Strongest level over the number and the customer. */
  optOut: OptOutLevel;
  zones: readonly string[];
  /** The customer's (or number's) last attempt, any campaign. */
  lastAttemptAt: number | null;
  /** Since localDayStart(zones[0], now). */
  customerAttemptsToday: number;
  /** In the 7 × 24 h before now. */
  customerAttemptsWeek: number;
  /** pickCallerId(...) did not say 'capped'. */
  callerIdAvailable: boolean;
  /** Latest pre-contact notice for this customer and campaign. */
  noticeSentAt: number | null;
}

/** 'all' forbids every call; 'marketing' forbids marketing campaigns only. */
export function optOutForbids(level: OptOutLevel, marketing: boolean): boolean {
  return level === 'all' || (level === 'marketing' && marketing);
}

/** Every reason the callback may not be dialled now, in DialBlock order; [] = dial. */
export function dialBlocks(f: DialFacts): DialBlock[] {
  const { now, campaign: c, callback: cb } = f;
  const blocks: DialBlock[] = [];
  if (optOutForbids(f.optOut, c.marketing)) blocks.push('opted_out');
  blocks.push(...windowBlocks(c.window, f.zones, now));
  if (cb.attempts >= c.maxAttempts) blocks.push('attempt_limit');
  if (f.customerAttemptsToday >= c.maxPerCustomerPerDay) blocks.push('customer_day_limit');
  if (f.customerAttemptsWeek >= c.maxPerCustomerPerWeek) blocks.push('customer_week_limit');
  if (f.lastAttemptAt !== null && now - f.lastAttemptAt < c.minIntervalMin * MINUTE_MS) {
    blocks.push('too_soon');
  }
  if (!f.callerIdAvailable) blocks.push('caller_id_cap');
  if (
    c.noticeDaysBefore !== null &&
    (f.noticeSentAt === null || now - f.noticeSentAt < c.noticeDaysBefore * DAY_MS)
  ) {
    blocks.push('notice_missing');
  }
  if (now < (cb.nextAt ?? cb.dueAt)) blocks.push('not_due');
  if (cb.expiresAt !== null && now >= cb.expiresAt) blocks.push('expired');
  if (cb.status !== 'pending') blocks.push('closed');
  return blocks;
}

/** A manual dial by the agent is a service call: only an 'all' opt-out refuses it. */
export function manualDialBlocks(level: OptOutLevel): DialBlock[] {
  return optOutForbids(level, false) ? ['opted_out'] : [];
}
