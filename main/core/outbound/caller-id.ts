// Which number the customer sees. Carriers and handset apps flag a number that places too
// many calls a day as spam, so each campaign spreads its calls over its caller IDs, always
// taking the least used, and stops at the daily cap rather than burn a number.
import type { Campaign } from '../../../preload/contract';
import { localDayStart } from './calling-window';
import { CENTRE_ZONE } from './time-zones';

export type CallerIdPick =
  { kind: 'account' } | { kind: 'number'; number: string } | { kind: 'capped' };

/** Usage key for "the SIP account's own number". */
export const ACCOUNT_CALLER_ID = '';

/** Start of the centre's day (Japan time), from which daily usage is counted. */
export function callerIdDayStart(at: number): number {
  return localDayStart(CENTRE_ZONE, at);
}

/** The caller ID for the next call, given each number's calls so far today. */
export function pickCallerId(
  campaign: Campaign,
  usedToday: ReadonlyMap<string, number>,
): CallerIdPick {
  const cap = campaign.callerIdDailyCap;
  if (campaign.callerIds.length === 0) {
    return (usedToday.get(ACCOUNT_CALLER_ID) ?? 0) >= cap
      ? { kind: 'capped' }
      : { kind: 'account' };
  }
  let best: string | null = null;
  let bestUsed = cap;
  for (const number of campaign.callerIds) {
    const used = usedToday.get(number) ?? 0;
    // Strictly fewer: on a tie the number listed first wins.
    if (used < bestUsed) {
      best = number;
      bestUsed = used;
    }
  }
  return best === null ? { kind: 'capped' } : { kind: 'number', number: best };
}
