// Finding the telephony controls in a device's collections: the real Jabra Link 380c
// capture (constant hook switch, relative mute, vendor mirror to ignore), devices without a
// telephony page, and synthetic layouts no public capture covers.
import { describe, expect, it } from 'vitest';
import { parseReportDescriptor } from '../../../../renderer/headset/hid-descriptor';
import { pageOf } from '../../../../renderer/headset/hid-types';
import { discoverTelephony } from '../../../../renderer/headset/telephony-controls';
import { fixtureCollections, fixtureControls } from '../../../infra/hid-fixtures';

describe('Jabra Link 380c (real capture)', () => {
  const found = discoverTelephony(fixtureCollections('jabra-link-380c'));
  if (found.kind !== 'telephony') throw new Error(found.reason);
  const { controls } = found;

  it('takes the standard Telephony Headset collection, not the vendor mirror', () => {
    expect([controls.usagePage, controls.usage, controls.path]).toEqual([0x0b, 0x05, [0]]);
    expect(found.others).toEqual([]);
    const usages = [...Object.values(controls.inputs), ...Object.values(controls.outputs)].map(
      (f) => f.usage,
    );
    expect(new Set(usages.map(pageOf))).toEqual(new Set([0x0b, 0x08]));
    expect(new Set([...Object.values(controls.inputs)].map((f) => f.reportId))).toEqual(
      new Set([2]),
    );
  });

  it('inputs: report 2, bit offsets after the report ID; hook constant absolute, mute relative', () => {
    const input = (usage: number, bitOffset: number, relative: boolean) => ({
      usage,
      reportId: 2,
      bitOffset,
      bitSize: 1,
      relative,
      constant: true,
      array: null,
    });
    expect(controls.inputs).toEqual({
      hookSwitch: input(0x000b0020, 0, false),
      lineBusyTone: input(0x000b0097, 1, false),
      phoneMute: input(0x000b002f, 3, true),
      flash: input(0x000b0021, 4, true),
      redial: input(0x000b0024, 5, true),
    });
    expect(controls.inputReports).toEqual([{ reportId: 2, byteLength: 2 }]);
  });

  it('outputs: the LED bits and the ringer in output report 2, 2 bytes long', () => {
    const output = (usage: number, bitOffset: number) => ({
      usage,
      reportId: 2,
      bitOffset,
      bitSize: 1,
    });
    expect(controls.outputs).toEqual({
      offHook: output(0x00080017, 0),
      mute: output(0x00080009, 2),
      ring: output(0x00080018, 3),
      hold: output(0x00080020, 4),
      microphone: output(0x00080021, 5),
      ringer: output(0x000b009e, 7),
    });
    expect(controls.outputReports).toEqual([{ reportId: 2, byteLength: 2 }]);
  });

  it('also lists the consumer keys of its Consumer Control collection', () => {
    const key = (usage: number, bitOffset: number) => ({
      usage,
      reportId: 1,
      bitOffset,
      bitSize: 1,
      relative: false,
      constant: false,
      array: null,
    });
    expect(found.consumer).toEqual({
      volumeDown: key(0x000c00ea, 0),
      volumeUp: key(0x000c00e9, 1),
      mute: key(0x000c00e2, 2),
      playPause: key(0x000c00cd, 3),
      stop: key(0x000c00b7, 4),
      nextTrack: key(0x000c00b5, 5),
      previousTrack: key(0x000c00b6, 6),
    });
  });

  it('the vendor collection alone is not telephony', () => {
    const vendorOnly = discoverTelephony([fixtureCollections('jabra-link-380c')[1]!]);
    expect(vendorOnly.kind).toBe('none');
  });

  it('works on plain WebHID-like data (a JSON copy of the collections)', () => {
    const copy: unknown = JSON.parse(JSON.stringify(fixtureCollections('jabra-link-380c')));
    expect(discoverTelephony(copy as Parameters<typeof discoverTelephony>[0])).toEqual(found);
  });
});

describe('devices without telephony controls', () => {
  it.each([
    ['keyboard', [{ usagePage: 0x01, usage: 0x06 }]],
    ['mouse', [{ usagePage: 0x01, usage: 0x02 }]],
  ])('%s (real descriptor): "no telephony controls", with what it has', (name, applications) => {
    const found = discoverTelephony(fixtureCollections(name));
    expect(found).toEqual({
      kind: 'none',
      reason: expect.stringMatching(/^no telephony controls: .*the device has 0x0001:/) as unknown,
      applications,
      consumer: {},
    });
  });

  it('a consumer-only headset (synthetic): its media keys for the fallback', () => {
    const found = discoverTelephony(fixtureCollections('synthetic-consumer-only-headset'));
    expect(found.kind).toBe('none');
    const key = (bitOffset: number, relative = false) => ({
      reportId: 1,
      bitOffset,
      bitSize: 1,
      relative,
      constant: false,
      array: null,
    });
    const arrayKey = (id: number) => ({
      usage: 0x000c0000 + id,
      reportId: 2,
      bitOffset: 0,
      bitSize: 16,
      relative: false,
      constant: false,
      array: { count: 1, value: id },
    });
    expect(found.consumer).toEqual({
      volumeUp: { usage: 0x000c00e9, ...key(0) },
      volumeDown: { usage: 0x000c00ea, ...key(1) },
      mute: { usage: 0x000c00e2, ...key(2, true) },
      playPause: arrayKey(0xcd),
      play: arrayKey(0xb0),
      pause: arrayKey(0xb1),
      stop: arrayKey(0xb7),
      nextTrack: arrayKey(0xb5),
      previousTrack: arrayKey(0xb6),
    });
  });

  it('a telephony collection with none of the controls counts as none', () => {
    const bytes = [0x05, 0x0b, 0x09, 0x05, 0xa1, 0x01, 0x75, 0x08, 0x95, 0x01];
    bytes.push(0x06, 0x00, 0xff, 0x09, 0x01, 0x81, 0x02, 0xc0);
    expect(discoverTelephony(parseReportDescriptor(bytes)).kind).toBe('none');
  });
});

describe('synthetic layouts', () => {
  it('nested (EPOS-style): the inner telephony collection; offsets count the vendor byte before it', () => {
    const controls = fixtureControls('synthetic-nested-telephony');
    expect([controls.usagePage, controls.usage, controls.path]).toEqual([0x0b, 0x05, [0, 1]]);
    expect(controls.inputs).toEqual({
      hookSwitch: {
        usage: 0x000b0020,
        reportId: 3,
        bitOffset: 8,
        bitSize: 1,
        relative: false,
        constant: false,
        array: null,
      },
      phoneMute: {
        usage: 0x000b002f,
        reportId: 3,
        bitOffset: 9,
        bitSize: 1,
        relative: true,
        constant: false,
        array: null,
      },
      flash: {
        usage: 0x000b0021,
        reportId: 3,
        bitOffset: 10,
        bitSize: 1,
        relative: true,
        constant: false,
        array: null,
      },
    });
    expect(controls.inputReports).toEqual([{ reportId: 3, byteLength: 2 }]);
    expect(controls.outputs).toEqual({
      offHook: { usage: 0x00080017, reportId: 3, bitOffset: 0, bitSize: 1 },
      mute: { usage: 0x00080009, reportId: 3, bitOffset: 1, bitSize: 1 },
      ring: { usage: 0x00080018, reportId: 3, bitOffset: 2, bitSize: 1 },
    });
    expect(controls.outputReports).toEqual([{ reportId: 3, byteLength: 1 }]);
  });

  it('absolute mute; LEDs over two output reports', () => {
    const controls = fixtureControls('synthetic-absolute-mute');
    expect(controls.inputs.phoneMute).toEqual({
      usage: 0x000b002f,
      reportId: 2,
      bitOffset: 1,
      bitSize: 1,
      relative: false,
      constant: false,
      array: null,
    });
    expect(controls.outputs).toEqual({
      mute: { usage: 0x00080009, reportId: 3, bitOffset: 0, bitSize: 1 },
      offHook: { usage: 0x00080017, reportId: 3, bitOffset: 1, bitSize: 1 },
      ring: { usage: 0x00080018, reportId: 4, bitOffset: 0, bitSize: 1 },
      ringer: { usage: 0x000b009e, reportId: 4, bitOffset: 1, bitSize: 1 },
    });
    expect(controls.outputReports).toEqual([
      { reportId: 3, byteLength: 1 },
      { reportId: 4, byteLength: 1 },
    ]);
  });

  it('two telephony collections: the Headset is driven, the Handset listed', () => {
    const found = discoverTelephony(fixtureCollections('synthetic-two-telephony'));
    if (found.kind !== 'telephony') throw new Error(found.reason);
    expect([found.controls.usage, found.controls.path]).toEqual([0x05, [1]]);
    expect(found.controls.inputs.hookSwitch).toMatchObject({
      reportId: 2,
      bitOffset: 1,
      relative: false,
    });
    expect(found.controls.inputs.phoneMute).toMatchObject({
      reportId: 2,
      bitOffset: 0,
      relative: true,
    });
    expect(found.others.map((c) => [c.usage, c.path, c.inputs.hookSwitch?.reportId])).toEqual([
      [0x04, [0], 1],
    ]);
  });
});
