// The test ring in the headset machine, on the Jabra Link 380c's LED report (report 2, byte 0:
// off-hook bit 0, mute bit 2, ring bit 3, hold bit 4, ringer bit 7): ring and ringer for
// testRingMs with no call, then the LEDs as the calls say; never over a call.
import { describe, expect, it } from 'vitest';
import { fixtureControls } from '../../../infra/hid-fixtures';
import { call, headsetDriver, sentBytes } from './headset-driver';

const jabra = fixtureControls('jabra-link-380c');
const RING_AND_RINGER = [2, 0x88, 0x00];
const DARK = [2, 0x00, 0x00];

function connected() {
  const h = headsetDriver();
  expect(sentBytes(h.step({ type: 'connected', controls: jabra, now: 0 }))).toEqual([DARK]);
  return h;
}

describe('test ring (Jabra Link 380c)', () => {
  it('ring LED and ringer for 3 s, then dark again', () => {
    const h = connected();
    expect(sentBytes(h.step({ type: 'testRing', now: 1000 }))).toEqual([RING_AND_RINGER]);
    expect(h.state.testRingUntil).toBe(4000);
    // Woken early: nothing changes, the end stays where it was.
    expect(h.step({ type: 'tick', now: 3999 }).reports).toEqual([]);
    expect(h.state.testRingUntil).toBe(4000);
    expect(sentBytes(h.step({ type: 'tick', now: 4000 }))).toEqual([DARK]);
    expect(h.state.testRingUntil).toBeNull();
    // A late tick after the end does nothing.
    expect(h.step({ type: 'tick', now: 5000 }).reports).toEqual([]);
  });

  it('pressed again while on, it rings 3 s from the second press', () => {
    const h = connected();
    h.step({ type: 'testRing', now: 1000 });
    expect(h.step({ type: 'testRing', now: 2000 }).reports).toEqual([]); // same bytes
    expect(h.step({ type: 'tick', now: 4000 }).reports).toEqual([]);
    expect(sentBytes(h.step({ type: 'tick', now: 5000 }))).toEqual([DARK]);
  });

  it('refused during a call: the LEDs keep showing the call', () => {
    const h = connected();
    expect(sentBytes(h.step({ type: 'calls', calls: [call('c1', 'active')], now: 500 }))).toEqual([
      [2, 0x01, 0x00],
    ]);
    expect(h.step({ type: 'testRing', now: 1000 })).toMatchObject({ commands: [], reports: [] });
    expect(h.state.testRingUntil).toBeNull();
  });

  it('a call arriving during the test takes the LEDs over at once', () => {
    const h = connected();
    h.step({ type: 'testRing', now: 1000 });
    // It rings already: the same bytes, nothing to send; the test is over.
    const ringing = h.step({ type: 'calls', calls: [call('c1', 'ringing')], now: 1500 });
    expect(ringing.reports).toEqual([]);
    expect(h.state.testRingUntil).toBeNull();
    // The test's end does not darken the real ring.
    expect(h.step({ type: 'tick', now: 4000 }).reports).toEqual([]);
    // Answered: off-hook only.
    expect(sentBytes(h.step({ type: 'calls', calls: [call('c1', 'active')], now: 4100 }))).toEqual([
      [2, 0x01, 0x00],
    ]);
  });

  it('the hook lifted during the test answers nothing; the headset is told the test LEDs', () => {
    const h = connected();
    h.step({ type: 'testRing', now: 1000 });
    const r = h.step({
      type: 'input',
      reportId: 2,
      data: Uint8Array.of(0x01, 0x00),
      now: 2000,
    });
    expect(r.commands).toEqual([]);
    expect(sentBytes(r)).toEqual([RING_AND_RINGER]);
  });

  it('unplugged during the test: over; plugged back, the LEDs are dark', () => {
    const h = connected();
    h.step({ type: 'testRing', now: 1000 });
    h.step({ type: 'disconnected', now: 1500 });
    expect(h.state.testRingUntil).toBeNull();
    expect(sentBytes(h.step({ type: 'connected', controls: jabra, now: 2000 }))).toEqual([DARK]);
  });

  it('without a headset (or one with media keys only) there is nothing to test', () => {
    const h = headsetDriver();
    expect(h.step({ type: 'testRing', now: 0 }).reports).toEqual([]);
    expect(h.state.testRingUntil).toBeNull();
  });
});
