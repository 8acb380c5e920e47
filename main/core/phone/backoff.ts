// Retry delays for reconnecting / re-registering. Exponential, capped, with jitter so a
// floor of agents does not hammer the SIP server in lockstep after it restarts.

export interface BackoffOptions {
  /** First delay (attempt 0), ms. */
  initialMs: number;
  /** Upper bound, ms. */
  maxMs: number;
  /** 0..1 source; injectable for tests. */
  random?: () => number;
}

/** "Equal jitter": half the exponential step is fixed, half random — never 0, never > maxMs. */
export function backoffDelay(attempt: number, opts: BackoffOptions): number {
  const random = opts.random ?? Math.random;
  const step = Math.min(opts.maxMs, opts.initialMs * 2 ** Math.min(Math.max(attempt, 0), 30));
  return Math.round(step / 2 + (step / 2) * random());
}
