// Ringback and keypad feedback tones over a fake AudioContext.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCallTones } from '../../../renderer/media/call-tones';
import { createRinger } from '../../../renderer/media/ringer';

afterEach(() => vi.useRealTimers());

function fakeContext() {
  const oscillators: Array<{ hz: number; stop: ReturnType<typeof vi.fn> }> = [];
  const node = () => ({ connect: vi.fn((n: unknown) => n), gain: gainParam() });
  const gainParam = () => ({
    value: 0,
    setValueAtTime: vi.fn(),
    exponentialRampToValueAtTime: vi.fn(),
  });
  const ctx = {
    state: 'running',
    currentTime: 0,
    destination: {},
    setSinkId: vi.fn(async () => {}),
    resume: vi.fn(async () => {}),
    createGain: () => node(),
    createOscillator: () => {
      const o = {
        type: 'sine',
        frequency: { value: 0 },
        connect: vi.fn((n: unknown) => n),
        start: vi.fn(),
        stop: vi.fn(),
        get hz() {
          return o.frequency.value;
        },
      };
      oscillators.push(o);
      return o;
    },
  };
  return { ctx, oscillators, make: () => ctx as unknown as AudioContext };
}

describe('call tones', () => {
  it('Japanese ringback: 400 Hz at 16 Hz, a burst every 3 s until stopped', () => {
    vi.useFakeTimers();
    const f = fakeContext();
    const tones = createCallTones(f.make);
    tones.startRingback();
    expect(tones.ringingBack).toBe(true);
    expect(f.oscillators.map((o) => o.hz)).toEqual([400, 16]);
    vi.advanceTimersByTime(3_000);
    expect(f.oscillators).toHaveLength(4);
    tones.stopRingback();
    expect(tones.ringingBack).toBe(false);
    vi.advanceTimersByTime(9_000);
    expect(f.oscillators).toHaveLength(4);
  });

  it('keypad feedback plays the DTMF pair of the key', () => {
    const f = fakeContext();
    const tones = createCallTones(f.make);
    tones.dtmf('5');
    tones.dtmf('#');
    expect(f.oscillators.map((o) => o.hz)).toEqual([770, 1336, 941, 1477]);
  });

  it('tones and the ringer follow their own output devices (setSinkId)', () => {
    const call = fakeContext();
    const tones = createCallTones(call.make);
    tones.setSink('headset');
    tones.dtmf('1');
    expect(call.ctx.setSinkId).toHaveBeenCalledWith('headset');
    const ring = fakeContext();
    const ringer = createRinger(ring.make);
    ringer.setSink('pc-speaker');
    ringer.start();
    expect(ring.ctx.setSinkId).toHaveBeenCalledWith('pc-speaker');
    ringer.setSink(null);
    expect(ring.ctx.setSinkId).toHaveBeenLastCalledWith('');
    ringer.stop();
  });
});
