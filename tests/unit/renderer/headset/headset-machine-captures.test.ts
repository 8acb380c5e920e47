// The headset machine on the other real captures (tests/fixtures/hid): the same call — ring,
// hook off, answered, mute, hook on, ended — with the exact LED report bytes each device's
// layout asks for. The Dell SP325 has an absolute hook and a toggle mute in input report 5
// and its LEDs in output report 5 (no ringer); the Polycom CX300 has its hook in input report
// 1 (mute at bit 4, a toggle) and only an off-hook LED, in output report 2.
import { describe, expect, it } from 'vitest';
import {
  buildInputReport,
  type TelephonyInputValues,
} from '../../../../renderer/headset/telephony-reports';
import { fixtureControls } from '../../../infra/hid-fixtures';
import { asDataView, call, headsetDriver, sentBytes } from './headset-driver';

function device(name: string, reportId: number) {
  const controls = fixtureControls(name);
  const input = (values: TelephonyInputValues, now: number) =>
    ({
      type: 'input',
      reportId,
      data: asDataView(buildInputReport(controls, reportId, values)),
      now,
    }) as const;
  return { controls, input };
}

describe('Dell SP325: ring → hook off → answered → mute → hook on → ended', () => {
  const sp325 = device('dell-sp325', 5);
  // Output report 5, one byte: off-hook bit 0, mute bit 1, ring bit 2, hold bit 3, mic bit 4.
  const LEDS = { off: [5, 0x00], ringing: [5, 0x04], offHook: [5, 0x01], muted: [5, 0x03] };

  it('issues the commands and sends the exact LED reports at each step', () => {
    const h = headsetDriver();
    expect(sentBytes(h.step({ type: 'connected', controls: sp325.controls, now: 0 }))).toEqual([
      LEDS.off,
    ]);
    expect(sentBytes(h.step({ type: 'calls', calls: [call('c1', 'ringing')], now: 1000 }))).toEqual(
      [LEDS.ringing],
    );
    const hookOff = h.step(sp325.input({ hookSwitch: 1 }, 2000));
    expect(hookOff.commands).toEqual([{ type: 'answer', callId: 'c1' }]);
    expect(sentBytes(h.step({ type: 'calls', calls: [call('c1', 'active')], now: 2100 }))).toEqual([
      LEDS.offHook,
    ]);
    // Mute is a toggle at bit 1: press (hook still held), release.
    expect(h.step(sp325.input({ hookSwitch: 1, phoneMute: 1 }, 3000)).commands).toEqual([
      { type: 'setMute', callId: 'c1', muted: true },
    ]);
    expect(h.step(sp325.input({ hookSwitch: 1 }, 3050)).commands).toEqual([]);
    expect(
      sentBytes(
        h.step({ type: 'calls', calls: [call('c1', 'active', { muted: true })], now: 3100 }),
      ),
    ).toEqual([LEDS.muted]);
    expect(h.step(sp325.input({ hookSwitch: 0 }, 4000)).commands).toEqual([
      { type: 'hangup', callId: 'c1' },
    ]);
    expect(sentBytes(h.step({ type: 'calls', calls: [], now: 4100 }))).toEqual([LEDS.off]);
  });
});

describe('Polycom CX300: the same call on a phone with an off-hook LED only', () => {
  const cx300 = device('polycom-cx300', 1);
  // Output report 2, one byte: off-hook bit 0 (the rest constant padding).
  const LEDS = { off: [2, 0x00], offHook: [2, 0x01] };

  it('rings without a ring LED to light, answers, mutes, hangs up', () => {
    const h = headsetDriver();
    expect(sentBytes(h.step({ type: 'connected', controls: cx300.controls, now: 0 }))).toEqual([
      LEDS.off,
    ]);
    // Ringing changes nothing this phone can show.
    expect(sentBytes(h.step({ type: 'calls', calls: [call('c1', 'ringing')], now: 1000 }))).toEqual(
      [],
    );
    expect(h.step(cx300.input({ hookSwitch: 1 }, 2000)).commands).toEqual([
      { type: 'answer', callId: 'c1' },
    ]);
    expect(sentBytes(h.step({ type: 'calls', calls: [call('c1', 'active')], now: 2100 }))).toEqual([
      LEDS.offHook,
    ]);
    expect(h.step(cx300.input({ hookSwitch: 1, phoneMute: 1 }, 3000)).commands).toEqual([
      { type: 'setMute', callId: 'c1', muted: true },
    ]);
    h.step(cx300.input({ hookSwitch: 1 }, 3050));
    // No mute LED: the report after the command is the same off-hook byte (sent whole again
    // after every command, so a phone that went its own way is brought back).
    expect(
      sentBytes(
        h.step({ type: 'calls', calls: [call('c1', 'active', { muted: true })], now: 3100 }),
      ),
    ).toEqual([LEDS.offHook]);
    expect(h.step(cx300.input({ hookSwitch: 0 }, 4000)).commands).toEqual([
      { type: 'hangup', callId: 'c1' },
    ]);
    expect(sentBytes(h.step({ type: 'calls', calls: [], now: 4100 }))).toEqual([LEDS.off]);
  });
});
