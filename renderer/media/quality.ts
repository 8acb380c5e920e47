// Call quality from WebRTC stats: loss, jitter and RTT, and an estimated MOS from a simplified
// E-model (ITU-T G.107, as Cole & Rosenbluth reduce it for VoIP): R = 93.2 − Id − Ie-eff.
import type { CallQuality } from '../../preload/contract';

/** Cumulative counters read from one getStats() report. */
export interface RawQuality {
  packetsReceived: number;
  packetsLost: number;
  /** Seconds, as getStats reports it. */
  jitterS: number;
  /** Seconds; null when neither RTCP nor ICE has measured it yet. */
  rttS: number | null;
}

/** Delay impairment Id from the one-way mouth-to-ear delay in ms. */
export function delayImpairment(oneWayMs: number): number {
  const d = Math.max(0, oneWayMs);
  return 0.024 * d + (d > 177.3 ? 0.11 * (d - 177.3) : 0);
}

/**
 * Effective equipment impairment from packet loss (%). Opus / G.711 with packet-loss
 * concealment: Ie = 0, Bpl = 25.1, random loss (BurstR = 1).
 */
export function lossImpairment(lossPct: number, ie = 0, bpl = 25.1): number {
  const p = Math.min(100, Math.max(0, lossPct));
  return ie + ((95 - ie) * p) / (p + bpl);
}

/** MOS (1–4.5) from the rating factor R (G.107 Annex B). */
export function mosFromR(r: number): number {
  if (r <= 0) return 1;
  if (r >= 100) return 4.5;
  return 1 + 0.035 * r + 7e-6 * r * (r - 60) * (100 - r);
}

/**
 * Estimated MOS. The one-way delay is half the RTT plus the jitter buffer (about twice the
 * jitter) plus a fixed 20 ms for packetisation and codec lookahead.
 */
export function estimateMos(q: { lossPct: number; jitterMs: number; rttMs: number | null }) {
  const oneWay = (q.rttMs ?? 0) / 2 + 2 * q.jitterMs + 20;
  const r = 93.2 - delayImpairment(oneWay) - lossImpairment(q.lossPct);
  return Math.round(mosFromR(r) * 100) / 100;
}

/** Quality over the interval between two samples (loss from the counters' deltas). */
export function qualityBetween(prev: RawQuality | null, cur: RawQuality): CallQuality {
  const received = cur.packetsReceived - (prev?.packetsReceived ?? 0);
  const lost = Math.max(0, cur.packetsLost - (prev?.packetsLost ?? 0));
  const expected = received + lost;
  const lossPct = expected > 0 ? Math.min(100, (lost / expected) * 100) : 0;
  const jitterMs = Math.min(60_000, Math.max(0, cur.jitterS * 1000));
  const rttMs = cur.rttS === null ? null : Math.min(60_000, Math.max(0, cur.rttS * 1000));
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    mos: Math.min(5, Math.max(1, estimateMos({ lossPct, jitterMs, rttMs }))),
    lossPct: round(lossPct),
    jitterMs: round(jitterMs),
    rttMs: rttMs === null ? null : round(rttMs),
  };
}

type Stat = { type: string; kind?: string; state?: string; nominated?: boolean } & Record<
  string,
  unknown
>;

/** The counters that matter from a getStats() report (audio only). */
export function readRawQuality(report: { forEach(cb: (r: Stat) => void): void }): RawQuality {
  const q: RawQuality = { packetsReceived: 0, packetsLost: 0, jitterS: 0, rttS: null };
  let pairRtt: number | null = null;
  report.forEach((r) => {
    if (r.type === 'inbound-rtp' && (r.kind ?? 'audio') === 'audio') {
      q.packetsReceived += Number(r.packetsReceived ?? 0);
      q.packetsLost += Math.max(0, Number(r.packetsLost ?? 0));
      q.jitterS = Math.max(q.jitterS, Number(r.jitter ?? 0));
    } else if (r.type === 'remote-inbound-rtp' && typeof r.roundTripTime === 'number') {
      q.rttS = r.roundTripTime;
    } else if (
      r.type === 'candidate-pair' &&
      r.nominated &&
      r.state === 'succeeded' &&
      typeof r.currentRoundTripTime === 'number'
    ) {
      pairRtt = r.currentRoundTripTime;
    }
  });
  q.rttS ??= pairRtt;
  return q;
}

/** Colour band for the meter: good ≥ 4.0, fair ≥ 3.6, else poor. */
export function mosBand(mos: number): 'good' | 'fair' | 'poor' {
  return mos >= 4 ? 'good' : mos >= 3.6 ? 'fair' : 'poor';
}
