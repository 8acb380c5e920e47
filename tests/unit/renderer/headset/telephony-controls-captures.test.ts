// The parser and telephony discovery on real captures beyond the Jabra Link 380c (issue 4): a
// Dell SP325 speakerphone (a Linux sysfs dump) and a Polycom CX300 USB desk phone (a macOS IO
// registry dump); sources and licences in tests/fixtures/hid/README.md. Every expected value
// here was worked out from the descriptor bytes by hand (and checked with a separate byte
// walker), not read back from the parser.
import { describe, expect, it } from 'vitest';
import { layoutOf } from '../../../../renderer/headset/hid-report-layout';
import type { HidCollectionInfo, HidReportInfo } from '../../../../renderer/headset/hid-types';
import { discoverTelephony } from '../../../../renderer/headset/telephony-controls';
import { fixtureBytes, fixtureCollections } from '../../../infra/hid-fixtures';

const ids = (reports: HidReportInfo[]) => reports.map((r) => r.reportId);
const lengths = (reports: HidReportInfo[]) =>
  reports.map((r) => [r.reportId, layoutOf(r).byteLength]);
const pageUsage = (c: HidCollectionInfo) => [c.usagePage, c.usage, c.type];

/** A one-bit input field of a variable item, as discoverTelephony reports it. */
const bit = (usage: number, reportId: number, bitOffset: number, relative: boolean) => ({
  usage,
  reportId,
  bitOffset,
  bitSize: 1,
  relative,
  constant: false,
  array: null,
});
const led = (usage: number, reportId: number, bitOffset: number) => ({
  usage,
  reportId,
  bitOffset,
  bitSize: 1,
});

describe('Dell SP325 speakerphone (real capture, 413c:8223)', () => {
  const collections = fixtureCollections('dell-sp325');

  it('is the 211 bytes dumped from the device', () => {
    expect(fixtureBytes('dell-sp325')).toHaveLength(211);
  });

  it('parses into five top-level application collections, telephony last', () => {
    expect(collections.map(pageUsage)).toEqual([
      [0x0c, 0x01, 1], // Consumer Control
      [0xff13, 0x01, 1],
      [0xff14, 0x01, 1],
      [0xff99, 0x01, 1], // the Teams vendor page
      [0x0b, 0x05, 1], // Telephony Headset
    ]);
    expect(collections.every((c) => c.children.length === 0)).toBe(true);
  });

  it('puts each report in its own collection, with the lengths its items add up to', () => {
    const [consumer, ff13, ff14, ff99, telephony] = collections;
    expect(lengths(consumer!.inputReports)).toEqual([[0x0c, 1]]);
    expect(lengths(ff13!.outputReports)).toEqual([[0x06, 61]]);
    expect(lengths(ff13!.inputReports)).toEqual([[0x07, 61]]);
    expect(lengths(ff14!.inputReports)).toEqual([[0x10, 5]]);
    expect(lengths(ff99!.featureReports)).toEqual([[0x9a, 63]]);
    expect(lengths(ff99!.inputReports)).toEqual([[0x9b, 1]]);
    expect(lengths(telephony!.inputReports)).toEqual([[0x05, 1]]);
    expect(lengths(telephony!.outputReports)).toEqual([[0x05, 1]]);
    expect(telephony!.featureReports).toEqual([]);
  });

  it('reads Usage 0x07 before the switch to the Button page as Telephony 0x07 (bit 7)', () => {
    // 09 07 05 09 09 01 75 01 95 01 81 02: the same pattern as the Jabra Link 380c.
    const items = collections[4]!.inputReports[0]!.items;
    expect(items.map((i) => [i.usages, i.reportCount, i.isAbsolute])).toEqual([
      [[0x000b0020], 1, true], // Hook Switch, Input (Data,Var,Abs,NoPref)
      [[0x000b002f], 1, false], // Phone Mute, Input (Data,Var,Rel)
      [[0x000b0024, 0x000b0021, 0x000b0097, 0x000b002a, 0x000b0050], 5, false],
      [[0x000b0007, 0x00090001], 1, true],
    ]);
  });

  const found = discoverTelephony(collections);
  if (found.kind !== 'telephony') throw new Error(found.reason);
  const { controls } = found;

  it('drives the Telephony Headset collection (the fifth), with no other candidate', () => {
    expect([controls.usagePage, controls.usage, controls.path]).toEqual([0x0b, 0x05, [4]]);
    expect(found.others).toEqual([]);
  });

  it('inputs: report 5; hook switch absolute at bit 0, the rest relative', () => {
    expect(controls.inputs).toEqual({
      hookSwitch: bit(0x000b0020, 5, 0, false),
      phoneMute: bit(0x000b002f, 5, 1, true),
      redial: bit(0x000b0024, 5, 2, true),
      flash: bit(0x000b0021, 5, 3, true),
      lineBusyTone: bit(0x000b0097, 5, 4, true),
    });
    expect(controls.inputReports).toEqual([{ reportId: 5, byteLength: 1 }]);
  });

  it('outputs: five LEDs in output report 5 (the same ID as the input), no ringer', () => {
    // LED Off-Line (0x0008002A) sits at bit 5 and is not one we drive; bits 6-7 are padding.
    expect(controls.outputs).toEqual({
      offHook: led(0x00080017, 5, 0),
      mute: led(0x00080009, 5, 1),
      ring: led(0x00080018, 5, 2),
      hold: led(0x00080020, 5, 3),
      microphone: led(0x00080021, 5, 4),
    });
    expect(controls.outputReports).toEqual([{ reportId: 5, byteLength: 1 }]);
  });

  it('also lists the eight consumer keys of report 0x0C', () => {
    expect(found.consumer).toEqual({
      volumeUp: bit(0x000c00e9, 0x0c, 0, false),
      volumeDown: bit(0x000c00ea, 0x0c, 1, false),
      mute: bit(0x000c00e2, 0x0c, 2, false),
      playPause: bit(0x000c00cd, 0x0c, 3, false),
      nextTrack: bit(0x000c00b5, 0x0c, 4, false),
      previousTrack: bit(0x000c00b6, 0x0c, 5, false),
      play: bit(0x000c00b0, 0x0c, 6, false),
      pause: bit(0x000c00b1, 0x0c, 7, false),
    });
  });
});

describe('Polycom CX300 USB desk phone (real capture, 095d:9201)', () => {
  const collections = fixtureCollections('polycom-cx300');
  const [phone, vendor] = collections;

  it('is the 529 bytes read from the device', () => {
    expect(fixtureBytes('polycom-cx300')).toHaveLength(529);
  });

  it('parses into a Telephony Phone and a vendor collection, each of logical collections', () => {
    expect(collections.map(pageUsage)).toEqual([
      [0x0b, 0x01, 1],
      [0xff99, 0x01, 1],
    ]);
    expect(phone!.children.map((c) => c.type)).toEqual([2, 2, 2, 2, 2, 2]);
    expect(vendor!.children.map((c) => c.type)).toEqual([2, 2, 2, 2, 2, 2, 2]);
    // The keypad: a Telephony Key Pad logical collection inside the input one.
    expect(phone!.children[1]!.children.map(pageUsage)).toEqual([[0x0b, 0x06, 2]]);
  });

  it('lists report IDs in order of first appearance, with the lengths its items add up to', () => {
    expect(lengths(phone!.inputReports)).toEqual([[0x01, 7]]); // 8 bytes on the wire with the ID
    expect(lengths(phone!.outputReports)).toEqual([[0x02, 1]]);
    expect(ids(phone!.featureReports)).toEqual([0x04, 0x03, 0x0a, 0x18]);
    expect(lengths(phone!.featureReports)).toEqual([
      [0x04, 7],
      [0x03, 63],
      [0x0a, 46],
      [0x18, 33],
    ]);
    expect(vendor!.inputReports).toEqual([]);
    expect(lengths(vendor!.outputReports)).toEqual([
      [0x13, 1],
      [0x14, 2],
      [0x15, 17], // a flag byte and eight UTF-16 characters
      [0x16, 2],
    ]);
    expect(lengths(vendor!.featureReports)).toEqual([
      [0x11, 4],
      [0x12, 4],
      [0x17, 4],
    ]);
  });

  it('reads the keypad array, the 16-bit vendor usages and the signed and 4-byte limits', () => {
    const input = phone!.inputReports[0]!.items;
    const keypad = input.find((i) => i.isArray)!;
    expect(keypad).toMatchObject({
      isRange: true,
      usageMinimum: 0x000b00b0, // Phone Key 0
      usageMaximum: 0x000b00bc, // Phone Key A
      logicalMinimum: 1,
      logicalMaximum: 13,
      reportSize: 4,
      reportCount: 1,
    });
    // 06 99 FF 0A 1E FF: a two-byte Usage takes the page in force, it is not an extended usage.
    expect(input.some((i) => i.usages.includes(0xff99ff1e))).toBe(true);

    const status = vendor!.outputReports.find((r) => r.reportId === 0x16)!.items;
    // 15 FF 25 01 ... 0A 1C FF 91 26: Logical Minimum -1, Output (Data,Var,Rel,NoPref).
    expect(status.find((i) => i.usages.includes(0xff99ff1c))).toMatchObject({
      logicalMinimum: -1,
      logicalMaximum: 1,
      isAbsolute: false,
      hasPreferredState: false,
      reportSize: 2,
    });
    const keepalive = vendor!.featureReports.find((r) => r.reportId === 0x17)!.items;
    // 27 FF FF 00 00: a four-byte Logical Maximum of 65535.
    expect(keepalive.map((i) => [i.usages, i.logicalMaximum, i.reportSize])).toEqual([
      [[0xff990064], 65535, 16],
      [[0xff990065], 255, 8],
    ]);
  });

  const found = discoverTelephony(collections);
  if (found.kind !== 'telephony') throw new Error(found.reason);
  const { controls } = found;

  it('drives the Telephony Phone collection', () => {
    expect([controls.usagePage, controls.usage, controls.path]).toEqual([0x0b, 0x01, [0]]);
    expect(found.others).toEqual([]);
    expect(found.consumer).toEqual({});
  });

  it('inputs: report 1; hook switch, flash and redial absolute, phone mute relative at bit 4', () => {
    // Bit 3 is Speed Dial (0x000B0050), bit 5 Programmable Button/Button 1, bit 6 vendor 0xFF1E.
    expect(controls.inputs).toEqual({
      hookSwitch: bit(0x000b0020, 1, 0, false),
      flash: bit(0x000b0021, 1, 1, false),
      redial: bit(0x000b0024, 1, 2, false),
      phoneMute: bit(0x000b002f, 1, 4, true),
    });
    expect(controls.inputReports).toEqual([{ reportId: 1, byteLength: 7 }]);
  });

  it('outputs: the off-hook LED alone, in output report 2 (not the input report ID)', () => {
    expect(controls.outputs).toEqual({ offHook: led(0x00080017, 2, 0) });
    expect(controls.outputReports).toEqual([{ reportId: 2, byteLength: 1 }]);
  });
});
