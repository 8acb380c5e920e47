// What the screen is told about the headset (the WebHID glue's onStatus, kept in the store).

import type { MediaKey } from './media-keys';
import type { TelephonyInput, TelephonyOutput } from './telephony-controls';

export interface HeadsetStatus {
  /** WebHID is there (Chromium, Electron); without it no HID headset can be used. */
  supported: boolean;
  /** The open device, or null. */
  device: { name: string; vendorId: number; productId: number } | null;
  /** telephony: hook, mute… and lights; mediaKeys: Play/Pause and Mute only, no lights. */
  kind: 'telephony' | 'mediaKeys' | null;
  /** Its telephony buttons (what they can do) and lights. */
  inputs: TelephonyInput[];
  outputs: TelephonyOutput[];
  /** For kind mediaKeys: the keys that act on calls. */
  mediaKeys: MediaKey[];
  /** The test ring is on. */
  testing: boolean;
}

export const NO_HEADSET: HeadsetStatus = {
  supported: false,
  device: null,
  kind: null,
  inputs: [],
  outputs: [],
  mediaKeys: [],
  testing: false,
};

/** What choosing a headset came to (the picker needs a user gesture in a browser). */
export type ChooseResult =
  | { kind: 'connected'; name: string }
  | { kind: 'cancelled' }
  /** The picked device has neither telephony controls nor media keys. */
  | { kind: 'unusable'; name: string }
  | { kind: 'unsupported' }
  | { kind: 'failed'; message: string };

/** The headset as the screen drives it. */
export interface HeadsetControls {
  /** Asks the user for a headset (a user gesture is needed the first time in a browser). */
  choose(): Promise<ChooseResult>;
  /** Lights the ring LED and the ringer for a few seconds; false when it cannot (a call, no lights). */
  testRing(): boolean;
  /** A media key the window received (the keyboard's, or a headset's reaching us as a key). */
  mediaKey(key: MediaKey): void;
}
