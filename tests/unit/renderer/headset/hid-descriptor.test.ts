// The report descriptor parser on real descriptors (the Jabra Link 380c capture, the USB-IF
// keyboard and mouse), on each HID 1.11 rule it follows, and on broken input.
import { describe, expect, it } from 'vitest';
import {
  HidDescriptorError,
  MAX_COLLECTION_DEPTH,
  parseReportDescriptor,
} from '../../../../renderer/headset/hid-descriptor';
import { describeCollection, describeItem, reportIds } from './hid-describe';
import { fixtureCollections } from '../../../infra/hid-fixtures';

describe('Jabra Link 380c (real capture)', () => {
  const collections = fixtureCollections('jabra-link-380c');

  it('has three top-level collections: telephony headset, vendor, consumer control', () => {
    expect(collections.map((c) => [c.usagePage, c.usage, c.type])).toEqual([
      [0x0b, 0x05, 1],
      [0xff00, 0x01, 1],
      [0x0c, 0x01, 1],
    ]);
    // As Chromium's own test of this descriptor lists them.
    expect(collections.map(reportIds)).toEqual([
      { input: [2], output: [2], feature: [] },
      { input: [5, 4], output: [5, 4], feature: [4] },
      { input: [1], output: [], feature: [] },
    ]);
  });

  it('telephony headset: every item, usage, size and flag', () => {
    const keypad = '4x1 Data,Array,Abs,Null 000B00B0-000B00BB';
    expect(describeCollection(collections[0]!)).toEqual({
      usage: '000B:0005',
      type: 1,
      input: {
        2: [
          // Hook switch, line busy tone, line: flagged Constant yet carrying the controls.
          '1x3 Const,Var,Abs,NoPref 000B0020 000B0097 000B002A',
          // Phone mute, flash, redial, speed dial: relative (toggles).
          '1x4 Const,Var,Rel 000B002F 000B0021 000B0024 000B0050',
          keypad,
          // Usage 0x07 read under the Telephony page before Usage Page (Button): Chromium
          // reports it as Telephony Programmable Button, and so do we.
          '1x1 Data,Var,Abs 000B0007',
          '1x4 Const,Array,Abs',
        ],
      },
      output: {
        2: [
          // Off-Hook, Speaker, Mute, Ring, Hold, Microphone, On-Line.
          '1x7 Data,Var,Abs,NoPref 00080017 0008001E 00080009 00080018 00080020 00080021 0008002A',
          // Ringer.
          '1x1 Data,Var,Abs,NoPref 000B009E',
          '1x8 Const,Array,Abs',
        ],
      },
      feature: {},
      children: [
        {
          usage: '000B:0006',
          type: 2,
          input: { 2: [keypad] },
          output: {},
          feature: {},
          children: [],
        },
      ],
    });
  });

  it('vendor collection mirrors the telephony usages on pages 0xFF30/0xFF40', () => {
    const vendor = describeCollection(collections[1]!);
    expect(vendor.input[5]).toEqual(['8x62 Data,Var,Abs,Buf FF000001']);
    expect(vendor.output[5]).toEqual(['8x62 Data,Var,Abs,Buf FF000001']);
    expect(vendor.input[4]).toEqual([
      '1x4 Const,Var,Abs,NoPref FF300020 FF30FFFB FF300097 FF30002A',
      '1x5 Const,Var,Rel FF30002F FF300021 FF300024 FF30FFFD FF300050',
      '4x1 Data,Array,Abs,Null FF3000B0-FF3000BB',
      '1x1 Const,Var,Abs,NoPref FF30FFFC',
      '1x2 Const,Array,Abs',
    ]);
    expect(vendor.output[4]).toEqual([
      '1x7 Data,Var,Abs,NoPref FF400017 FF40FFFB FF400009 FF400018 FF400020 FF400021 FF40002A',
      '1x1 Data,Var,Abs,NoPref FF30009E',
      '1x8 Const,Array,Abs',
    ]);
    expect(vendor.feature[4]).toEqual(['1x1 Data,Var,Abs,NoPref FF30FFFF', '1x7 Const,Array,Abs']);
    expect(vendor.children.map((c) => [c.usage, c.type])).toEqual([['FF30:0006', 2]]);
  });

  it('consumer control: the media keys in report 1', () => {
    expect(describeCollection(collections[2]!).input).toEqual({
      1: [
        '1x9 Data,Var,Abs 000C00EA 000C00E9 000C00E2 000C00CD 000C00B7 000C00B5 000C00B6 000C00B3 000C00B4',
        '1x7 Const,Array,Abs',
      ],
    });
  });

  it('fills every HIDReportItem member', () => {
    const hook = collections[0]!.inputReports[0]!.items[0]!;
    expect(hook).toEqual({
      isAbsolute: true,
      isArray: false,
      isBufferedBytes: false,
      isConstant: true,
      isLinear: true,
      isRange: false,
      isVolatile: false,
      hasNull: false,
      hasPreferredState: false,
      wrap: false,
      usages: [0x000b0020, 0x000b0097, 0x000b002a],
      usageMinimum: 0,
      usageMaximum: 0,
      reportSize: 1,
      reportCount: 3,
      unitExponent: 0,
      unitSystem: 'none',
      unitFactorLengthExponent: 0,
      unitFactorMassExponent: 0,
      unitFactorTimeExponent: 0,
      unitFactorTemperatureExponent: 0,
      unitFactorCurrentExponent: 0,
      unitFactorLuminousIntensityExponent: 0,
      logicalMinimum: 0,
      logicalMaximum: 1,
      physicalMinimum: 0,
      physicalMaximum: 0,
      strings: [],
    });
  });
});

describe('devices without a telephony page (USB-IF examples, via Chromium)', () => {
  it('keyboard: modifiers, reserved byte, 6-key array; LEDs out', () => {
    const [keyboard, ...rest] = fixtureCollections('keyboard');
    expect(rest).toEqual([]);
    expect(describeCollection(keyboard!)).toEqual({
      usage: '0001:0006',
      type: 1,
      input: {
        0: [
          '1x8 Data,Var,Abs 000700E0-000700E7',
          '8x1 Const,Var,Abs',
          '8x6 Data,Array,Abs 00070000-00070065',
        ],
      },
      output: { 0: ['1x5 Data,Var,Abs 00080001-00080005', '3x1 Const,Var,Abs'] },
      feature: {},
      children: [],
    });
  });

  it('mouse: a physical pointer collection, relative X/Y with a signed range', () => {
    const [mouse] = fixtureCollections('mouse');
    const summary = describeCollection(mouse!);
    expect(summary.usage).toBe('0001:0002');
    expect(summary.children.map((c) => [c.usage, c.type])).toEqual([['0001:0001', 0]]);
    // Items belong to the pointer and to the application collection around it.
    const items = [
      '1x3 Data,Var,Abs 00090001-00090003',
      '5x1 Const,Var,Abs',
      '8x2 Data,Var,Rel 00010030 00010031',
    ];
    expect(summary.input[0]).toEqual(items);
    expect(summary.children[0]!.input[0]).toEqual(items);
    const xy = mouse!.inputReports[0]!.items[2]!;
    expect([xy.logicalMinimum, xy.logicalMaximum]).toEqual([-127, 127]);
  });
});

/** Parses a descriptor given as hex text. */
const parse = (hex: string) =>
  parseReportDescriptor(
    Uint8Array.from(
      hex
        .trim()
        .split(/\s+/)
        .map((b) => parseInt(b, 16)),
    ),
  );

describe('HID 1.11 items', () => {
  it('Push saves the globals and Pop restores them; Report ID stays as Chromium keeps it', () => {
    const [c] = parse(`
      05 0B 09 05 A1 01 15 00 25 01 75 01 95 01
      A4 75 08 95 02 85 07 09 20 81 02 B4
      09 2F 81 02
      C0`);
    expect(c!.inputReports.map((r) => [r.reportId, r.items.map(describeItem)])).toEqual([
      [7, ['8x2 Data,Var,Abs 000B0020', '1x1 Data,Var,Abs 000B002F']],
    ]);
  });

  it('a 4-byte usage carries its own page (extended usage)', () => {
    const [c] = parse('05 0C 09 01 A1 01 0B 20 00 0B 00 75 01 95 01 81 02 C0');
    expect(c!.inputReports[0]!.items[0]!.usages).toEqual([0x000b0020]);
    expect([c!.usagePage, c!.usage]).toEqual([0x0c, 0x01]);
  });

  it('a collection takes the page of its 4-byte usage', () => {
    const [c] = parse('0B 05 00 0B 00 A1 01 C0');
    expect([c!.usagePage, c!.usage]).toEqual([0x0b, 0x05]);
  });

  it('Usage Minimum/Maximum make a range; equal bounds do not', () => {
    const [c] = parse('05 09 09 01 A1 01 19 01 29 01 75 01 95 01 81 02 19 01 29 04 95 04 81 02 C0');
    const [single, range] = c!.inputReports[0]!.items;
    expect([single!.isRange, range!.isRange]).toEqual([false, true]);
    expect([range!.usageMinimum, range!.usageMaximum]).toEqual([0x00090001, 0x00090004]);
  });

  it('a Report ID change starts a new report; the old one can be continued', () => {
    const [c] = parse(`
      05 0B 09 05 A1 01 75 01 95 01
      85 01 09 20 81 02 85 02 09 2F 81 02 85 01 09 21 81 02
      C0`);
    expect(c!.inputReports.map((r) => [r.reportId, r.items.length])).toEqual([
      [1, 2],
      [2, 1],
    ]);
  });

  it('long items are skipped; locals end at each main item', () => {
    const [c] = parse('05 0B 09 05 A1 01 FE 03 10 AA BB CC 09 20 75 01 95 01 81 02 95 01 81 03 C0');
    const [hook, pad] = c!.inputReports[0]!.items;
    expect(hook!.usages).toEqual([0x000b0020]);
    expect(pad!.usages).toEqual([]);
  });

  it('logical bounds are signed by their own width; 4-byte values too', () => {
    const [c] = parse(
      '05 01 09 04 A1 01 16 00 80 26 FF 7F 37 00 00 00 80 75 10 95 01 09 30 81 02 C0',
    );
    const x = c!.inputReports[0]!.items[0]!;
    expect([x.logicalMinimum, x.logicalMaximum, x.physicalMinimum]).toEqual([
      -32768, 32767, -2147483648,
    ]);
  });

  it('unit and unit exponent unpacked as Blink does', () => {
    // Unit 0xE121 (SI linear, cm²·g·s⁻²: energy), Unit Exponent 0xE (-2).
    const [c] = parse('05 01 09 01 A1 01 66 21 E1 55 0E 75 08 95 01 81 02 C0');
    const item = c!.inputReports[0]!.items[0]!;
    expect([item.unitSystem, item.unitFactorLengthExponent, item.unitFactorMassExponent]).toEqual([
      'si-linear',
      2,
      1,
    ]);
    expect([item.unitFactorTimeExponent, item.unitExponent]).toEqual([-2, -2]);
  });

  it('an empty descriptor has no collections', () => {
    expect(parseReportDescriptor(new Uint8Array(0))).toEqual([]);
  });
});

describe('broken descriptors give an error, never a loop', () => {
  const cases: [string, string, RegExp][] = [
    ['truncated item', '05 0B 09', /byte 2: truncated item 0x09/],
    ['truncated 4-byte item', '05 0B 0B 20 00', /byte 2: truncated item/],
    ['truncated long item', '05 0B FE 05 00 01', /byte 2: long item needs 5 data bytes/],
    [
      'End Collection without Collection',
      '05 0B C0',
      /byte 2: End Collection without a Collection/,
    ],
    [
      'Collection never closed',
      '05 0B 09 05 A1 01 A1 02 C0',
      /byte 4: 1 collection\(s\) never closed/,
    ],
    ['Pop without Push', '05 0B B4', /Pop without a Push/],
    ['Report Size absurd', '76 2C 01', /Report Size 300 exceeds 256 bits/],
    ['Report Count absurd', '97 70 11 01 00', /Report Count 70000 exceeds 65535/],
    ['report too long', 'A1 01 75 FF 96 FF FF 81 02 C0', /Input report 0 grows to .* bytes/],
    ['Report ID 0', '85 00', /Report ID 0 is outside 1–255/],
    ['Report ID above 255', '86 00 01', /Report ID 256 is outside 1–255/],
    ['main item outside a collection', '75 01 95 01 81 02', /Input item outside any collection/],
    ['usage page above 16 bits', '07 00 00 01 00', /Usage Page 0x00010000 exceeds 16 bits/],
  ];
  it.each(cases)('%s', (_name, hex, message) => {
    expect(() => parse(hex)).toThrow(HidDescriptorError);
    expect(() => parse(hex)).toThrow(message);
  });

  it(`collections nested deeper than ${MAX_COLLECTION_DEPTH}`, () => {
    const deep = new Uint8Array(MAX_COLLECTION_DEPTH + 1).fill(0xa0);
    expect(() => parseReportDescriptor(deep)).toThrow(/nested deeper than 50/);
    const ok = Uint8Array.from([
      ...new Array<number>(MAX_COLLECTION_DEPTH).fill(0xa0),
      ...new Array<number>(MAX_COLLECTION_DEPTH).fill(0xc0),
    ]);
    expect(parseReportDescriptor(ok)).toHaveLength(1);
  });

  it('a descriptor longer than a device can send', () => {
    expect(() => parseReportDescriptor(new Uint8Array(0x10000))).toThrow(/exceeds 65535/);
  });

  it('values that are not bytes', () => {
    expect(() => parseReportDescriptor([0x05, 0x100])).toThrow(/byte 1: not a byte: 256/);
  });

  it('the error carries the offset of the item at fault', () => {
    try {
      parse('05 0B 09 05 A1 01 C0 C0');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(HidDescriptorError);
      expect((e as HidDescriptorError).offset).toBe(7);
    }
  });
});
