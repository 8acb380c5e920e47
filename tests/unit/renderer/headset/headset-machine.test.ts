// The headset state machine driven by input reports built from the Jabra Link 380c's
// control map (and a few other layouts), checking the exact LED report bytes at each step.
import { describe, expect, it } from 'vitest';
import { parseReportDescriptor } from '../../../../renderer/headset/hid-descriptor';
import { DEFAULT_HEADSET_CONFIG } from '../../../../renderer/headset/headset-machine';
import { discoverTelephony } from '../../../../renderer/headset/telephony-controls';
import {
  buildInputReport,
  type TelephonyInputValues,
} from '../../../../renderer/headset/telephony-reports';
import { asDataView, call, headsetDriver, sentBytes } from './headset-driver';
import { fixtureControls } from '../../../infra/hid-fixtures';

const jabra = fixtureControls('jabra-link-380c');
/** Jabra input report 2 (2 bytes: hook bit 0, mute bit 3…) as WebHID hands it over. */
const jabraInput = (values: TelephonyInputValues, now: number) =>
  ({
    type: 'input',
    reportId: 2,
    data: asDataView(buildInputReport(jabra, 2, values)),
    now,
  }) as const;

/** Jabra output report 2, byte 0: off-hook bit 0, mute bit 2, ring bit 3, hold bit 4, ringer bit 7. */
const LEDS = {
  off: [2, 0x00, 0x00],
  ringing: [2, 0x88, 0x00],
  offHook: [2, 0x01, 0x00],
  muted: [2, 0x05, 0x00],
};

describe('Jabra Link 380c: ring → hook off → answered → mute → hook on → ended', () => {
  it('issues the commands and sends the exact LED reports at each step', () => {
    const h = headsetDriver();
    expect(sentBytes(h.step({ type: 'connected', controls: jabra, now: 0 }))).toEqual([LEDS.off]);

    // An inbound call rings: ring LED and ringer on.
    const ring = h.step({ type: 'calls', calls: [call('c1', 'ringing')], now: 1000 });
    expect(sentBytes(ring)).toEqual([LEDS.ringing]);

    // Hook off (bit 0 goes 1): answer the ringing call; LEDs wait for core.
    const hookOff = h.step(jabraInput({ hookSwitch: 1 }, 2000));
    expect(hookOff.commands).toEqual([{ type: 'answer', callId: 'c1' }]);
    expect(hookOff.reports).toEqual([]);

    // Core says active: off-hook on, ring and ringer off.
    expect(sentBytes(h.step({ type: 'calls', calls: [call('c1', 'active')], now: 2100 }))).toEqual([
      LEDS.offHook,
    ]);
    // The headset repeating its state is a duplicate: nothing.
    expect(h.step(jabraInput({ hookSwitch: 1 }, 2200))).toMatchObject({
      commands: [],
      reports: [],
    });

    // Mute pressed (relative bit 3, hook still 1), then released.
    const press = h.step(jabraInput({ hookSwitch: 1, phoneMute: 1 }, 3000));
    expect(press.commands).toEqual([{ type: 'setMute', callId: 'c1', muted: true }]);
    expect(h.step(jabraInput({ hookSwitch: 1 }, 3050)).commands).toEqual([]);

    // Core says muted: mute LED on.
    const muted = h.step({
      type: 'calls',
      calls: [call('c1', 'active', { muted: true })],
      now: 3100,
    });
    expect(sentBytes(muted)).toEqual([LEDS.muted]);

    // Hook on: hang up.
    const hookOn = h.step(jabraInput({ hookSwitch: 0 }, 4000));
    expect(hookOn.commands).toEqual([{ type: 'hangup', callId: 'c1' }]);

    // Core says ended: every LED off.
    expect(sentBytes(h.step({ type: 'calls', calls: [], now: 4100 }))).toEqual([LEDS.off]);
  });

  it('a second mute press unmutes', () => {
    const h = headsetDriver();
    h.step({ type: 'connected', controls: jabra, now: 0 });
    h.step({ type: 'calls', calls: [call('c1', 'active', { muted: true })], now: 1000 });
    expect(h.step(jabraInput({ phoneMute: 1 }, 2000)).commands).toEqual([
      { type: 'setMute', callId: 'c1', muted: false },
    ]);
  });
});

describe('spurious hook reports after the app changes the off-hook LED', () => {
  /** Answered on screen, ended by the caller, and a new call rings right away. */
  function afterScreenAnswerAndHangup(echoWindowMs: number) {
    const h = headsetDriver({ ...DEFAULT_HEADSET_CONFIG, echoWindowMs });
    h.step({ type: 'connected', controls: jabra, now: 0 });
    h.step({ type: 'calls', calls: [call('c1', 'ringing')], now: 1000 });
    h.step({ type: 'calls', calls: [call('c1', 'active')], now: 2000 });
    // The Jabra echoes the off-hook LED as its hook switch: agrees with the LED, nothing.
    expect(h.step(jabraInput({ hookSwitch: 1 }, 2050)).commands).toEqual([]);
    h.step({ type: 'calls', calls: [], now: 3000 });
    expect(sentBytes(h.step({ type: 'calls', calls: [call('c2', 'ringing')], now: 3010 }))).toEqual(
      [LEDS.ringing],
    );
    h.step(jabraInput({ hookSwitch: 0 }, 3100)); // echo of "off-hook LED off"
    // A late echo of the earlier off-hook LED.
    return { h, late: h.step(jabraInput({ hookSwitch: 1 }, 3200)) };
  }

  it('within the window (500 ms by default) it answers nothing; the LEDs are sent again', () => {
    const { h, late } = afterScreenAnswerAndHangup(500);
    expect(late.commands).toEqual([]);
    expect(sentBytes(late)).toEqual([LEDS.ringing]);
    // The headset falls back in line; later, the agent really goes off-hook.
    expect(h.step(jabraInput({ hookSwitch: 0 }, 3300)).commands).toEqual([]);
    expect(h.step(jabraInput({ hookSwitch: 1 }, 5000)).commands).toEqual([
      { type: 'answer', callId: 'c2' },
    ]);
  });

  it('without the window the same late echo would answer the new call', () => {
    expect(afterScreenAnswerAndHangup(0).late.commands).toEqual([{ type: 'answer', callId: 'c2' }]);
  });

  it('a toggle hook (Poly-style) pressed within the window is ignored', () => {
    const h = headsetDriver();
    h.step({ type: 'connected', controls: toggleHook, now: 0 });
    h.step({ type: 'calls', calls: [call('c1', 'active')], now: 1000 });
    expect(h.step(toggleInput({ hookSwitch: 1 }, 1200))).toMatchObject({
      commands: [],
      reports: [],
    });
    h.step(toggleInput({}, 1300));
    expect(h.step(toggleInput({ hookSwitch: 1 }, 2000)).commands).toEqual([
      { type: 'hangup', callId: 'c1' },
    ]);
  });
});

/** A headset whose hook switch and mute are toggles (relative), report 1. */
const toggleHook = (() => {
  const bytes = [
    0x05, 0x0b, 0x09, 0x05, 0xa1, 0x01, 0x85, 0x01, 0x15, 0x00, 0x25, 0x01, 0x75, 0x01,
  ];
  bytes.push(0x95, 0x01, 0x09, 0x20, 0x81, 0x06, 0x09, 0x2f, 0x81, 0x06, 0x95, 0x06, 0x81, 0x01);
  bytes.push(0x05, 0x08, 0x09, 0x17, 0x09, 0x09, 0x09, 0x18, 0x95, 0x03, 0x91, 0x22);
  bytes.push(0x95, 0x05, 0x91, 0x01, 0xc0);
  const found = discoverTelephony(parseReportDescriptor(bytes));
  if (found.kind !== 'telephony') throw new Error(found.reason);
  return found.controls;
})();
const toggleInput = (values: TelephonyInputValues, now: number) =>
  ({ type: 'input', reportId: 1, data: buildInputReport(toggleHook, 1, values), now }) as const;

describe('toggle (relative) hook switch', () => {
  it('a press answers while ringing (never rejects), the next hangs up', () => {
    const h = headsetDriver();
    h.step({ type: 'connected', controls: toggleHook, now: 0 });
    h.step({ type: 'calls', calls: [call('c1', 'ringing')], now: 1000 });
    expect(h.step(toggleInput({ hookSwitch: 1 }, 2000)).commands).toEqual([
      { type: 'answer', callId: 'c1' },
    ]);
    h.step(toggleInput({}, 2050));
    h.step({ type: 'calls', calls: [call('c1', 'active')], now: 2100 });
    h.step(toggleInput({ hookSwitch: 1 }, 3000));
    expect(h.state.issued).toEqual(['hangup:c1']);
  });

  it('duplicate reports are dropped: a press repeated without a release is one press', () => {
    const h = headsetDriver();
    h.step({ type: 'connected', controls: toggleHook, now: 0 });
    h.step({ type: 'calls', calls: [call('c1', 'ringing')], now: 1000 });
    expect(h.step(toggleInput({ hookSwitch: 1 }, 2000)).commands).toHaveLength(1);
    h.step({ type: 'calls', calls: [call('c1', 'active')], now: 2100 });
    // Same bytes again: not a second press, so no hang-up.
    expect(h.step(toggleInput({ hookSwitch: 1 }, 3000)).commands).toEqual([]);
  });

  it('the same command is not issued twice before the calls change', () => {
    const h = headsetDriver();
    h.step({ type: 'connected', controls: toggleHook, now: 0 });
    h.step({ type: 'calls', calls: [call('c1', 'ringing')], now: 1000 });
    h.step(toggleInput({ hookSwitch: 1 }, 2000));
    h.step(toggleInput({}, 2050));
    expect(h.step(toggleInput({ hookSwitch: 1 }, 2100)).commands).toEqual([]);
  });
});

describe('buttons with nothing to act on get the LEDs back', () => {
  it('hook off with no call: no command, the whole LED report is sent again', () => {
    const h = headsetDriver();
    h.step({ type: 'connected', controls: jabra, now: 0 });
    const r = h.step(jabraInput({ hookSwitch: 1 }, 1000));
    expect(r.commands).toEqual([]);
    expect(sentBytes(r)).toEqual([LEDS.off]);
  });

  it('mute with no call: no command, LEDs sent again', () => {
    const h = headsetDriver();
    h.step({ type: 'connected', controls: jabra, now: 0 });
    const r = h.step(jabraInput({ phoneMute: 1 }, 1000));
    expect([r.commands, sentBytes(r)]).toEqual([[], [LEDS.off]]);
  });

  it('hook on with only a held call: nothing is hung up', () => {
    const h = headsetDriver();
    h.step({ type: 'connected', controls: jabra, now: 0 });
    expect(sentBytes(h.step({ type: 'calls', calls: [call('c1', 'held')], now: 100 }))).toEqual([
      [2, 0x11, 0x00], // off-hook + hold
    ]);
    h.step(jabraInput({ hookSwitch: 1 }, 1000));
    const r = h.step(jabraInput({ hookSwitch: 0 }, 2000));
    expect([r.commands, sentBytes(r)]).toEqual([[], [[2, 0x11, 0x00]]]);
  });

  it('held call and a new call ringing: the button answers the ringing call', () => {
    const h = headsetDriver();
    h.step({ type: 'connected', controls: jabra, now: 0 });
    h.step({ type: 'calls', calls: [call('c1', 'held'), call('c2', 'ringing')], now: 100 });
    h.step(jabraInput({ hookSwitch: 1 }, 1000)); // in step with the off-hook LED: nothing
    expect(h.step(jabraInput({ hookSwitch: 0 }, 2000)).commands).toEqual([
      { type: 'answer', callId: 'c2' },
    ]);
  });

  it('a command the app refuses: the next call update resends the unchanged LEDs', () => {
    const h = headsetDriver();
    h.step({ type: 'connected', controls: jabra, now: 0 });
    h.step({ type: 'calls', calls: [call('c1', 'ringing')], now: 1000 });
    h.step(jabraInput({ hookSwitch: 1 }, 2000));
    const still = h.step({ type: 'calls', calls: [call('c1', 'ringing')], now: 2100 });
    expect(sentBytes(still)).toEqual([LEDS.ringing]);
    // With no command pending an unchanged update sends nothing.
    expect(h.step({ type: 'calls', calls: [call('c1', 'ringing')], now: 2200 }).reports).toEqual(
      [],
    );
  });
});

describe('reject, flash, call waiting', () => {
  it('by default nothing rejects: Line Busy Tone is a state (Jabra: "in a call")', () => {
    const h = headsetDriver();
    h.step({ type: 'connected', controls: jabra, now: 0 });
    h.step({ type: 'calls', calls: [call('c1', 'ringing')], now: 1000 });
    expect(h.step(jabraInput({ lineBusyTone: 1 }, 2000)).commands).toEqual([]);
  });

  it.each(['lineBusyTone', 'flash'] as const)(
    'configured to reject with %s: rejects a call ringing alone, never a waiting one',
    (rejectWith) => {
      const h = headsetDriver({ ...DEFAULT_HEADSET_CONFIG, rejectWith });
      h.step({ type: 'connected', controls: jabra, now: 0 });
      h.step({ type: 'calls', calls: [call('c1', 'ringing')], now: 1000 });
      expect(h.step(jabraInput({ [rejectWith]: 1 }, 2000)).commands).toEqual([
        { type: 'reject', callId: 'c1' },
      ]);
      h.step(jabraInput({}, 2050));
      h.step({ type: 'calls', calls: [call('c0', 'active'), call('c1', 'ringing')], now: 3000 });
      const waiting = h.step(jabraInput({ [rejectWith]: 1 }, 4000)).commands;
      expect(waiting).toEqual(rejectWith === 'flash' ? [{ type: 'answer', callId: 'c1' }] : []);
    },
  );

  it('during a call a second call rings: ring LED on, ringer off; Flash answers it', () => {
    const h = headsetDriver();
    h.step({ type: 'connected', controls: jabra, now: 0 });
    h.step({ type: 'calls', calls: [call('c1', 'active')], now: 1000 });
    h.step(jabraInput({ hookSwitch: 1 }, 1100));
    const waiting = h.step({
      type: 'calls',
      calls: [call('c1', 'active'), call('c2', 'ringing', { startedAt: 5 })],
      now: 2000,
    });
    expect(sentBytes(waiting)).toEqual([[2, 0x09, 0x00]]); // off-hook + ring
    expect(h.step(jabraInput({ hookSwitch: 1, flash: 1 }, 3000)).commands).toEqual([
      { type: 'answer', callId: 'c2' },
    ]);
  });

  it('hook on during call waiting hangs up the talking call, not the waiting one', () => {
    const h = headsetDriver();
    h.step({ type: 'connected', controls: jabra, now: 0 });
    h.step({ type: 'calls', calls: [call('c1', 'active')], now: 1000 });
    h.step(jabraInput({ hookSwitch: 1 }, 1100));
    h.step({ type: 'calls', calls: [call('c1', 'active'), call('c2', 'ringing')], now: 2000 });
    expect(h.step(jabraInput({ hookSwitch: 0 }, 3000)).commands).toEqual([
      { type: 'hangup', callId: 'c1' },
    ]);
  });

  it('hook off answers the oldest ringing call; hook on hangs up a call being dialed', () => {
    const h = headsetDriver();
    h.step({ type: 'connected', controls: jabra, now: 0 });
    h.step({
      type: 'calls',
      calls: [call('new', 'ringing', { startedAt: 20 }), call('old', 'ringing', { startedAt: 10 })],
      now: 1000,
    });
    expect(h.step(jabraInput({ hookSwitch: 1 }, 2000)).commands).toEqual([
      { type: 'answer', callId: 'old' },
    ]);
    expect(sentBytes(h.step({ type: 'calls', calls: [call('d1', 'dialing')], now: 3000 }))).toEqual(
      [LEDS.offHook],
    );
    expect(h.step(jabraInput({ hookSwitch: 0 }, 4000)).commands).toEqual([
      { type: 'hangup', callId: 'd1' },
    ]);
  });
});

describe('replug', () => {
  it('resends the whole LED state to the new device; its first echo is not a command', () => {
    const h = headsetDriver();
    h.step({ type: 'connected', controls: jabra, now: 0 });
    h.step({ type: 'calls', calls: [call('c1', 'active', { muted: true })], now: 1000 });
    h.step(jabraInput({ hookSwitch: 1 }, 1100));
    expect(h.step({ type: 'disconnected', now: 2000 }).reports).toEqual([]);
    // Unplugged: reports go nowhere, inputs are not read.
    expect(
      h.step({ type: 'calls', calls: [call('c1', 'active', { muted: true })], now: 2500 }).reports,
    ).toEqual([]);
    expect(h.step(jabraInput({ hookSwitch: 0 }, 2600)).commands).toEqual([]);
    expect(sentBytes(h.step({ type: 'connected', controls: jabra, now: 3000 }))).toEqual([
      LEDS.muted,
    ]);
    expect(h.step(jabraInput({ hookSwitch: 1 }, 3050)).commands).toEqual([]);
  });

  it('a ringing call while replugging: a hook report right after connecting does not answer', () => {
    const h = headsetDriver();
    h.step({ type: 'calls', calls: [call('c1', 'ringing')], now: 0 });
    expect(sentBytes(h.step({ type: 'connected', controls: jabra, now: 1000 }))).toEqual([
      LEDS.ringing,
    ]);
    expect(h.step(jabraInput({ hookSwitch: 1 }, 1100)).commands).toEqual([]);
  });
});

describe('absolute mute (synthetic layout)', () => {
  const controls = fixtureControls('synthetic-absolute-mute');
  const input = (values: TelephonyInputValues, now: number) =>
    ({ type: 'input', reportId: 2, data: buildInputReport(controls, 2, values), now }) as const;

  it('the mute state follows the switch; LEDs go out in two whole reports', () => {
    const h = headsetDriver();
    expect(sentBytes(h.step({ type: 'connected', controls, now: 0 }))).toEqual([
      [3, 0],
      [4, 0],
    ]);
    expect(sentBytes(h.step({ type: 'calls', calls: [call('c1', 'ringing')], now: 1000 }))).toEqual(
      [[4, 0x03]],
    );
    h.step(input({ hookSwitch: 1 }, 2000));
    expect(sentBytes(h.step({ type: 'calls', calls: [call('c1', 'active')], now: 2100 }))).toEqual([
      [3, 0x02],
      [4, 0x00],
    ]);
    expect(h.step(input({ hookSwitch: 1, phoneMute: 1 }, 3000)).commands).toEqual([
      { type: 'setMute', callId: 'c1', muted: true },
    ]);
    expect(
      sentBytes(
        h.step({ type: 'calls', calls: [call('c1', 'active', { muted: true })], now: 3100 }),
      ),
    ).toEqual([
      [3, 0x03],
      [4, 0x00], // unchanged, sent again: a command preceded this update
    ]);
    expect(h.step(input({ hookSwitch: 1 }, 4000)).commands).toEqual([
      { type: 'setMute', callId: 'c1', muted: false },
    ]);
  });
});
