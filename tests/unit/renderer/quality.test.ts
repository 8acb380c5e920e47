// The simplified E-model (ITU-T G.107) on known points, and stats → quality.
import { describe, expect, it } from 'vitest';
import {
  delayImpairment,
  estimateMos,
  lossImpairment,
  mosBand,
  mosFromR,
  qualityBetween,
  readRawQuality,
} from '../../../renderer/media/quality';

describe('E-model', () => {
  it('MOS from R on G.107 points', () => {
    expect(mosFromR(0)).toBe(1);
    expect(mosFromR(-5)).toBe(1);
    expect(mosFromR(100)).toBe(4.5);
    expect(mosFromR(93.2)).toBeCloseTo(4.41, 2); // default R: the best a narrowband call gets
    expect(mosFromR(80)).toBeCloseTo(4.02, 2); // "satisfied" boundary
    expect(mosFromR(70)).toBeCloseTo(3.6, 2); // "some users dissatisfied"
    expect(mosFromR(50)).toBeCloseTo(2.58, 2);
  });

  it('delay impairment: linear, then the knee at 177.3 ms', () => {
    expect(delayImpairment(0)).toBe(0);
    expect(delayImpairment(100)).toBeCloseTo(2.4, 5);
    expect(delayImpairment(177.3)).toBeCloseTo(4.2552, 4);
    expect(delayImpairment(277.3)).toBeCloseTo(17.6552, 4);
  });

  it('loss impairment with PLC (Bpl 25.1): half of 95 at 25.1 % loss', () => {
    expect(lossImpairment(0)).toBe(0);
    expect(lossImpairment(25.1)).toBeCloseTo(47.5, 5);
    expect(lossImpairment(1)).toBeCloseTo(3.64, 2);
  });

  it('estimated MOS: clean LAN ≈ 4.4, degrading with loss and delay', () => {
    expect(estimateMos({ lossPct: 0, jitterMs: 0, rttMs: 0 })).toBe(4.4);
    expect(estimateMos({ lossPct: 0, jitterMs: 0, rttMs: null })).toBe(4.4);
    expect(estimateMos({ lossPct: 1, jitterMs: 5, rttMs: 50 })).toBeCloseTo(4.29, 2);
    // Ie-eff 15.78, one-way 160 ms → Id 3.84, R 73.58.
    expect(estimateMos({ lossPct: 5, jitterMs: 20, rttMs: 200 })).toBeCloseTo(3.76, 2);
    expect(estimateMos({ lossPct: 30, jitterMs: 60, rttMs: 600 })).toBeLessThan(2);
    expect(mosBand(4.3)).toBe('good');
    expect(mosBand(3.8)).toBe('fair');
    expect(mosBand(3.1)).toBe('poor');
  });
});

describe('stats → quality', () => {
  const report = (rows: Array<Record<string, unknown>>) =>
    new Map(rows.map((r, i) => [String(i), r])) as unknown as Parameters<typeof readRawQuality>[0];

  it('reads inbound loss and jitter, RTT from RTCP or else the nominated candidate pair', () => {
    const withRtcp = readRawQuality(
      report([
        {
          type: 'inbound-rtp',
          kind: 'audio',
          packetsReceived: 990,
          packetsLost: 10,
          jitter: 0.004,
        },
        { type: 'inbound-rtp', kind: 'video', packetsReceived: 5, packetsLost: 5 },
        { type: 'remote-inbound-rtp', kind: 'audio', roundTripTime: 0.05 },
        { type: 'candidate-pair', nominated: true, state: 'succeeded', currentRoundTripTime: 0.02 },
      ]),
    );
    expect(withRtcp).toEqual({ packetsReceived: 990, packetsLost: 10, jitterS: 0.004, rttS: 0.05 });
    const iceOnly = readRawQuality(
      report([
        { type: 'inbound-rtp', kind: 'audio', packetsReceived: 10, packetsLost: 0, jitter: 0 },
        { type: 'candidate-pair', nominated: false, state: 'succeeded', currentRoundTripTime: 0.9 },
        { type: 'candidate-pair', nominated: true, state: 'succeeded', currentRoundTripTime: 0.02 },
      ]),
    );
    expect(iceOnly.rttS).toBe(0.02);
  });

  it('loss over the interval from the counters’ deltas', () => {
    const prev = { packetsReceived: 1000, packetsLost: 0, jitterS: 0, rttS: null };
    const cur = { packetsReceived: 1090, packetsLost: 10, jitterS: 0.012, rttS: 0.08 };
    const q = qualityBetween(prev, cur);
    expect(q.lossPct).toBe(10);
    expect(q.jitterMs).toBe(12);
    expect(q.rttMs).toBe(80);
    expect(q.mos).toBe(estimateMos({ lossPct: 10, jitterMs: 12, rttMs: 80 }));
    // Nothing received (on hold): no loss, RTT unknown.
    expect(qualityBetween(cur, cur)).toMatchObject({ lossPct: 0, rttMs: 80 });
  });
});
