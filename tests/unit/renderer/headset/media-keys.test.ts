// The media-key fallback: a headset without telephony controls (the synthetic consumer-only
// fixture: report 1 Volume Up bit 0, Volume Down bit 1, relative Mute bit 2; report 2 one
// 16-bit array slot where Play/Pause arrives as 0x00CD) and the keyboard's Play/Pause key,
// through the machine's hook rules. Consumer Mute is left to the OS (its volume mute).
import { describe, expect, it } from 'vitest';
import {
  MEDIA_KEYS,
  mediaKeysOf,
  readMediaKeyPresses,
} from '../../../../renderer/headset/media-keys';
import { discoverTelephony } from '../../../../renderer/headset/telephony-controls';
import { fixtureCollections, fixtureControls } from '../../../infra/hid-fixtures';
import { call, headsetDriver, sentBytes } from './headset-driver';

const keys = mediaKeysOf(discoverTelephony(fixtureCollections('synthetic-consumer-only-headset')))!;
const PLAY_PAUSE = Uint8Array.of(0xcd, 0x00);
const NO_KEY = Uint8Array.of(0x00, 0x00);
const MUTE = Uint8Array.of(0x04);
const VOLUME_UP = Uint8Array.of(0x01);
const NOTHING = Uint8Array.of(0x00);

const input = (reportId: number, data: Uint8Array, now: number) =>
  ({ type: 'input', reportId, data, now }) as const;

function mediaHeadset() {
  const h = headsetDriver();
  expect(h.step({ type: 'connectedMediaKeys', keys, now: 0 }).reports).toEqual([]);
  return h;
}

describe('mediaKeysOf', () => {
  it('takes Play/Pause of a device without telephony controls, not its Mute', () => {
    expect(MEDIA_KEYS).toEqual(['playPause']);
    expect(Object.keys(keys)).toEqual(['playPause']);
    expect(keys.playPause).toMatchObject({ reportId: 2, bitSize: 16, array: { value: 0xcd } });
  });

  it('none for a telephony headset (its consumer keys stay the OS’s) or a keyboard', () => {
    expect(mediaKeysOf(discoverTelephony(fixtureCollections('jabra-link-380c')))).toBeNull();
    expect(mediaKeysOf(discoverTelephony(fixtureCollections('keyboard')))).toBeNull();
  });

  it('an array key is pressed once while held; keys it does not take are no presses', () => {
    const down = readMediaKeyPresses(keys, {}, 2, PLAY_PAUSE);
    expect(down.presses).toEqual(['playPause']);
    expect(readMediaKeyPresses(keys, down.values, 2, PLAY_PAUSE).presses).toEqual([]);
    expect(readMediaKeyPresses(keys, {}, 1, MUTE).presses).toEqual([]);
    expect(readMediaKeyPresses(keys, {}, 1, VOLUME_UP).presses).toEqual([]);
  });
});

describe('a consumer-only headset drives the calls', () => {
  it('Play/Pause answers the ringing call, then hangs up; Mute is left alone; no report is ever sent', () => {
    const h = mediaHeadset();
    expect(h.step({ type: 'calls', calls: [call('c1', 'ringing')], now: 1000 }).reports).toEqual(
      [],
    );

    expect(h.step(input(2, PLAY_PAUSE, 2000)).commands).toEqual([{ type: 'answer', callId: 'c1' }]);
    expect(h.step(input(2, NO_KEY, 2100))).toMatchObject({ commands: [], reports: [] });
    h.step({ type: 'calls', calls: [call('c1', 'active')], now: 2200 });

    // Its Mute key is the system's volume mute: the app takes no action on it.
    expect(h.step(input(1, MUTE, 3000)).commands).toEqual([]);
    h.step(input(1, NOTHING, 4050));
    expect(h.step(input(1, VOLUME_UP, 4500)).commands).toEqual([]); // volume stays the system's

    const hangup = h.step(input(2, PLAY_PAUSE, 5000));
    expect(hangup).toMatchObject({ commands: [{ type: 'hangup', callId: 'c1' }], reports: [] });
  });

  it('a press right after the call changed is not taken (the echo window, as for a hook)', () => {
    const h = mediaHeadset();
    h.step({ type: 'calls', calls: [call('c1', 'ringing')], now: 1000 });
    h.step({ type: 'calls', calls: [call('c1', 'active')], now: 2000 }); // answered on screen
    expect(h.step(input(2, PLAY_PAUSE, 2200)).commands).toEqual([]);
  });

  it('the same press as a HID report and as a key event counts once', () => {
    const h = mediaHeadset();
    h.step({ type: 'calls', calls: [call('c1', 'ringing')], now: 1000 });
    expect(h.step(input(2, PLAY_PAUSE, 2000)).commands).toEqual([{ type: 'answer', callId: 'c1' }]);
    h.step({ type: 'calls', calls: [call('c1', 'active')], now: 2010 }); // core was quick
    expect(h.step({ type: 'mediaKey', key: 'playPause', now: 2020 }).commands).toEqual([]);
    // Later, a real second press hangs up.
    h.step(input(2, NO_KEY, 2100));
    expect(h.step(input(2, PLAY_PAUSE, 3000)).commands).toEqual([{ type: 'hangup', callId: 'c1' }]);
  });
});

describe('the keyboard’s Play/Pause', () => {
  it('without a headset it answers the ringing call, then hangs up the talking one', () => {
    const h = headsetDriver();
    h.step({ type: 'calls', calls: [call('c1', 'ringing')], now: 1000 });
    expect(h.step({ type: 'mediaKey', key: 'playPause', now: 2000 })).toEqual({
      state: h.state,
      commands: [{ type: 'answer', callId: 'c1' }],
      reports: [],
    });
    h.step({ type: 'calls', calls: [call('c1', 'active')], now: 2100 });
    expect(h.step({ type: 'mediaKey', key: 'playPause', now: 3000 }).commands).toEqual([
      { type: 'hangup', callId: 'c1' },
    ]);
  });

  it('answers the oldest ringing call and never hangs up a held one, as the hook does', () => {
    const h = headsetDriver();
    h.step({
      type: 'calls',
      calls: [call('held', 'held'), call('new', 'ringing', { startedAt: 9 })],
      now: 1000,
    });
    expect(h.step({ type: 'mediaKey', key: 'playPause', now: 2000 }).commands).toEqual([
      { type: 'answer', callId: 'new' },
    ]);
  });

  it('is ignored while a telephony headset is open (its hook does the work)', () => {
    const h = headsetDriver();
    const jabra = fixtureControls('jabra-link-380c');
    h.step({ type: 'connected', controls: jabra, now: 0 });
    expect(sentBytes(h.step({ type: 'calls', calls: [call('c1', 'ringing')], now: 1000 }))).toEqual(
      [[2, 0x88, 0x00]],
    );
    expect(h.step({ type: 'mediaKey', key: 'playPause', now: 2000 })).toMatchObject({
      commands: [],
      reports: [],
    });
  });
});
