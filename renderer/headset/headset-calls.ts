// The calls as the headset sees them, which call a button acts on, and what the LEDs must
// show for them. Kept apart from the machine so the WebHID glue and the tests share one
// definition of "the call the headset acts on".

import {
  focusLine,
  isOffHook,
  linesFrom,
  ringingLine,
  type Line,
  type LineState,
} from '../../preload/call-focus';
import type { LedState } from './telephony-reports';

// The headset's names for the shared one-button rules (preload/call-focus.ts).
export type HeadsetCallState = LineState;
export type HeadsetCall = Line;
export const headsetCallsFrom = linesFrom;
export const ringingCall = ringingLine;
export const focusCall = focusLine;

/**
 * The LEDs for a set of calls: ring while an inbound call rings; off-hook while any call is
 * talking, being dialed or on hold; mute as the focus call's mute; hold while a call is held.
 * The ringer (a tone in the ear) only when no call is off-hook, so a waiting call does not
 * ring over a conversation: the ring LED shows it. The Microphone LED is left off: devices
 * disagree on what it means.
 */
export function ledsFor(calls: readonly HeadsetCall[]): LedState {
  const ringing = calls.some((c) => c.state === 'ringing');
  const offHook = isOffHook(calls);
  return {
    offHook,
    ring: ringing,
    mute: focusCall(calls)?.muted ?? false,
    hold: calls.some((c) => c.state === 'held'),
    microphone: false,
    ringer: ringing && !offHook,
  };
}
