// Retry delays for reconnecting / re-registering. Growing, capped, with jitter so a floor of
// agents does not hammer the SIP server in lockstep after it restarts.
//
// The growth factor is 2 unless told; registration.ts uses 1.5, because the time to recover
// after the server is back is bounded by the retry gap in force at that moment. A SIP server
// restart (crash + supervisor restart) takes ~1–3 s; with ×2 from 1 s the gaps after 3 s are
// 2–4 s, so recovery could take 7 s, beyond the 5 s goal. With ×1.5 the gaps are 0.5–1,
// 0.75–1.5, 1.1–2.25, 1.7–3.4 s, … and still reach the cap (30 s) after ~9 failures, so a long
// outage costs the server one attempt per agent per 15–30 s. "Equal jitter" spreads each gap
// over [step/2, step]: 200 agents that lost the server at the same instant retry over a
// window half the step wide, not all at once.

export interface BackoffOptions {
  /** First delay (attempt 0), ms. */
  initialMs: number;
  /** Upper bound, ms. */
  maxMs: number;
  /** Growth per failed attempt. Default 2. */
  factor?: number;
  /** 0..1 source; injectable for tests. */
  random?: () => number;
}

/** "Equal jitter": half the step is fixed, half random — never 0, never > maxMs. */
export function backoffDelay(attempt: number, opts: BackoffOptions): number {
  const random = opts.random ?? Math.random;
  const factor = opts.factor && opts.factor >= 1 ? opts.factor : 2;
  const n = Math.min(Math.max(Math.floor(attempt) || 0, 0), 60);
  const step = Math.min(opts.maxMs, opts.initialMs * factor ** n);
  return Math.round(step / 2 + (step / 2) * random());
}
