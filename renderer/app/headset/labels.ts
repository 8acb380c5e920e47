// How the headset's controls are named and ordered on screen.
import type { MediaKey } from '../../headset/media-keys';
import type { TelephonyInput, TelephonyOutput } from '../../headset/telephony-controls';

/** Buttons in the order an agent cares about them (the device's own order is arbitrary). */
export const INPUT_ORDER: readonly TelephonyInput[] = [
  'hookSwitch',
  'phoneMute',
  'flash',
  'redial',
  'lineBusyTone',
];
/** The Microphone LED is left out: the app never lights it (devices disagree on its meaning). */
export const OUTPUT_ORDER: readonly TelephonyOutput[] = [
  'offHook',
  'ring',
  'ringer',
  'mute',
  'hold',
];
export const MEDIA_KEY_ORDER: readonly MediaKey[] = ['playPause'];

/** Only those the device has, in screen order. */
export const inOrder = <K extends string>(order: readonly K[], has: readonly K[]): K[] =>
  order.filter((k) => has.includes(k));

/** vid:pid as Chromium writes it in audio labels (4 lower-case hex digits each). */
export const usbIdText = (d: { vendorId: number; productId: number }): string =>
  `${hex4(d.vendorId)}:${hex4(d.productId)}`;

const hex4 = (n: number) => n.toString(16).padStart(4, '0');
