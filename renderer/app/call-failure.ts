// Why an outbound call did not connect, from the outcome and the final SIP status.
import type { Call } from '../../preload/contract';

export type CallFailure =
  | 'busy'
  | 'no_answer'
  | 'not_found'
  | 'unavailable'
  | 'declined'
  | 'forbidden'
  | 'cancelled'
  | 'failed';

export function callFailure(call: Pick<Call, 'outcome' | 'sipStatus'>): CallFailure | null {
  const s = call.sipStatus;
  if (s === 486 || s === 600) return 'busy';
  if (s === 404 || s === 604 || s === 484 || s === 410) return 'not_found';
  if (s === 408 || s === 480) return 'no_answer';
  if (s === 603) return 'declined';
  if (s === 403 || s === 401 || s === 407) return 'forbidden';
  if (s === 487) return 'cancelled';
  if (s !== null && (s === 502 || s === 503 || s === 504 || s >= 500)) return 'unavailable';
  if (call.outcome === 'busy') return 'busy';
  if (call.outcome === 'no_answer') return 'no_answer';
  if (call.outcome === 'failed') return 'failed';
  return null;
}
