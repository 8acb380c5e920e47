// In-dialog liveness of established calls: the decision part, pure (calls.ts sends the
// probes and owns the timers).
//
// Why: a call whose far end vanished — its BYE lost while our connection to the SIP server
// was down, or the far end crashed — would otherwise stay 'active' until the agent hangs up.
// Every established call sends an in-dialog OPTIONS every `intervalMs` (RFC 3261 11 / 12.2.1:
// a non-target-refresh request inside the dialog, routed by its route set like a BYE). The
// outcome of our own re-INVITEs (hold, resume, media refresh after a reconnect) counts the
// same way, so a re-INVITE is a probe too.
//
// The rule:
// - 481 Call/Transaction Does Not Exist: the far end says the dialog is gone → end now.
// - 408 Request Timeout, 502/503/504 (what a proxy says, or what SIP.js reports for a
//   transport error, when the request did not reach the far end), Kamailio/OpenSIPS's 477
//   (sending to the next hop failed) and 478 (unresolvable destination), or no final response
//   within the probe timeout: a miss. RFC 3261 12.2.1.2 lets a UAC end the dialog on the first one;
//   we end on the second in a row, the second probe sent at once (not an interval later).
//   One unanswered OPTIONS already means the proxy's own retransmissions (UDP: ~7 in 8 s)
//   got nothing back, so a second one costs only one more timeout of detection time, while
//   a single miss can be a blip (a proxy restarting between the two legs, a PBX busy for a
//   few seconds) — and dropping a live customer call is much worse than a few more seconds
//   of a dead one. Worst case: interval + 2 × timeout (30 + 8 + 8 s by default).
// - Any other final response (200, 405, 415, 488, 501…) comes from a UA that knows the
//   dialog: alive, misses reset.
// - Probes are only sent, and misses only counted, while our transport is up; a probe that
//   was in flight when the transport dropped does not count.

export type ProbeVerdict = 'alive' | 'miss' | 'gone';

/** Misses in a row that end the call. */
export const PROBE_MISSES_TO_END = 2;

/** Defaults: one probe every 30 s, a probe unanswered for 8 s is a miss. */
export const DEFAULT_PROBE_INTERVAL_MS = 30_000;
export const DEFAULT_PROBE_TIMEOUT_MS = 8_000;

/** The end reason of a call whose far end is gone (the renderer localizes by outcome). */
export const CALL_LOST_REASON = 'call lost: the other party is gone';

/** Statuses that say the request never reached the far end (a proxy's, or SIP.js's own). */
const NOT_REACHED = new Set([408, 477, 478, 502, 503, 504]);

/** A final status of an in-dialog request (OPTIONS or re-INVITE), or 'timeout'. */
export function classifyProbe(result: number | 'timeout'): ProbeVerdict {
  if (result === 'timeout') return 'miss';
  if (result === 481) return 'gone';
  if (NOT_REACHED.has(result)) return 'miss';
  return 'alive';
}

export interface ProbeStep {
  /** Misses in a row after this result. */
  misses: number;
  /** schedule: next probe an interval from now; retry: probe again now; end: end the call. */
  action: 'schedule' | 'retry' | 'end';
}

/** What to do after a probe result, given the misses in a row before it. */
export function probeStep(missesBefore: number, verdict: ProbeVerdict): ProbeStep {
  if (verdict === 'alive') return { misses: 0, action: 'schedule' };
  if (verdict === 'gone') return { misses: missesBefore, action: 'end' };
  const misses = missesBefore + 1;
  return { misses, action: misses >= PROBE_MISSES_TO_END ? 'end' : 'retry' };
}
