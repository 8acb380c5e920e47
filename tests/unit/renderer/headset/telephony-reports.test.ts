// Reading telephony inputs from reports and writing whole LED reports, on the Jabra map
// and on layouts with multi-byte and array fields.
import { describe, expect, it } from 'vitest';
import { parseReportDescriptor } from '../../../../renderer/headset/hid-descriptor';
import { readBits, writeBits } from '../../../../renderer/headset/hid-report-layout';
import { discoverTelephony } from '../../../../renderer/headset/telephony-controls';
import {
  LEDS_OFF,
  buildInputReport,
  buildOutputReports,
  readTelephonyInputs,
} from '../../../../renderer/headset/telephony-reports';
import { fixtureControls } from '../../../infra/hid-fixtures';

describe('bit fields, little endian', () => {
  it('reads and writes fields across byte boundaries', () => {
    const data = new Uint8Array(3);
    writeBits(data, 4, 12, 0xabc);
    expect([...data]).toEqual([0xc0, 0xab, 0x00]);
    expect(readBits(data, 4, 12)).toBe(0xabc);
    writeBits(data, 20, 4, 0xf);
    expect([...data]).toEqual([0xc0, 0xab, 0xf0]);
    writeBits(data, 4, 12, 0);
    expect([...data]).toEqual([0x00, 0x00, 0xf0]);
  });

  it('a 32-bit field stays unsigned; bits past the end read 0 and are not written', () => {
    const data = new Uint8Array(4);
    writeBits(data, 0, 32, 0xfedcba98);
    expect(readBits(data, 0, 32)).toBe(0xfedcba98);
    expect(readBits(data, 28, 8)).toBe(0x0f);
    writeBits(data, 30, 8, 0xff);
    expect(data.length).toBe(4);
  });
});

describe('Jabra Link 380c reports', () => {
  const controls = fixtureControls('jabra-link-380c');

  it('reads hook (bit 0) and mute (bit 3) from input report 2', () => {
    expect(readTelephonyInputs(controls, 2, Uint8Array.of(0x09, 0x00))).toEqual({
      hookSwitch: 1,
      lineBusyTone: 0,
      phoneMute: 1,
      flash: 0,
      redial: 0,
    });
    expect(readTelephonyInputs(controls, 1, Uint8Array.of(0x08, 0x00))).toBeNull();
  });

  it('builds input reports of the right length', () => {
    expect([...buildInputReport(controls, 2, { hookSwitch: 1, phoneMute: 1 })]).toEqual([
      0x09, 0x00,
    ]);
    expect([...buildInputReport(controls, 2, { lineBusyTone: 1, redial: 1 })]).toEqual([
      0x22, 0x00,
    ]);
    expect(() => buildInputReport(controls, 1, {})).toThrow(/report 1/);
  });

  it('builds the whole LED report: 2 bytes, only our bits set', () => {
    expect(buildOutputReports(controls, LEDS_OFF)).toEqual([
      { reportId: 2, data: Uint8Array.of(0, 0) },
    ]);
    const all = {
      offHook: true,
      ring: true,
      mute: true,
      hold: true,
      microphone: true,
      ringer: true,
    };
    // Speaker (bit 1) and On-Line (bit 6) are not ours: they stay 0.
    expect(buildOutputReports(controls, all)).toEqual([
      { reportId: 2, data: Uint8Array.of(0xbd, 0) },
    ]);
  });
});

describe('other layouts', () => {
  it('a hook switch and mute listed in an array input', () => {
    // Telephony Headset, one 8-bit array field of {Hook Switch, Phone Mute}, logical 1–2.
    const bytes = [0x05, 0x0b, 0x09, 0x05, 0xa1, 0x01, 0x15, 0x01, 0x25, 0x02, 0x75, 0x08];
    bytes.push(0x95, 0x02, 0x09, 0x20, 0x09, 0x2f, 0x81, 0x00, 0xc0);
    const found = discoverTelephony(parseReportDescriptor(bytes));
    if (found.kind !== 'telephony') throw new Error(found.reason);
    const c = found.controls;
    expect(c.inputs.hookSwitch).toMatchObject({
      reportId: 0,
      bitOffset: 0,
      bitSize: 8,
      array: { count: 2, value: 1 },
    });
    expect(c.inputs.phoneMute).toMatchObject({ array: { count: 2, value: 2 } });
    expect(readTelephonyInputs(c, 0, Uint8Array.of(0, 2))).toEqual({ hookSwitch: 0, phoneMute: 1 });
    expect(readTelephonyInputs(c, 0, Uint8Array.of(1, 2))).toEqual({ hookSwitch: 1, phoneMute: 1 });
    expect([...buildInputReport(c, 0, { hookSwitch: 1, phoneMute: 1 })]).toEqual([1, 2]);
  });

  it('LEDs over two output reports: one whole report per ID', () => {
    const c = fixtureControls('synthetic-absolute-mute');
    expect(buildOutputReports(c, { ...LEDS_OFF, offHook: true, ringer: true })).toEqual([
      { reportId: 3, data: Uint8Array.of(0x02) },
      { reportId: 4, data: Uint8Array.of(0x02) },
    ]);
  });
});
