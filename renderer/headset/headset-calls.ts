// The calls as the headset sees them, which call a button acts on, and what the LEDs must
// show for them. Kept apart from the machine so the WebHID glue and the tests share one
// definition of "the call the headset acts on".

import type { Call } from '../../preload/contract';
import type { LedState } from './telephony-reports';

export type HeadsetCallState = 'ringing' | 'dialing' | 'active' | 'held';

export interface HeadsetCall {
  id: string;
  /** ringing: inbound, ringing here; dialing: outbound, not answered yet. */
  state: HeadsetCallState;
  muted: boolean;
  startedAt: number;
}

/** Core's calls → the headset's view (ended calls drop out). */
export function headsetCallsFrom(calls: readonly Call[]): HeadsetCall[] {
  const out: HeadsetCall[] = [];
  for (const c of calls) {
    const state = headsetStateOf(c);
    if (state) out.push({ id: c.id, state, muted: c.muted, startedAt: c.startedAt });
  }
  return out;
}

function headsetStateOf(c: Call): HeadsetCallState | null {
  if (c.state === 'ended') return null;
  if (c.direction === 'outbound') return c.state === 'active' ? activeOrHeld(c) : 'dialing';
  if (c.state === 'ringing') return 'ringing';
  // connecting: our 200 OK is out, the ACK not in yet; to the agent the call is answered.
  return activeOrHeld(c);
}

const activeOrHeld = (c: Call): HeadsetCallState => (c.onHold ? 'held' : 'active');

/** The call hook-off (or Flash) answers and Line Busy Tone rejects: the oldest ringing one. */
export function ringingCall(calls: readonly HeadsetCall[]): HeadsetCall | null {
  let best: HeadsetCall | null = null;
  for (const c of calls)
    if (c.state === 'ringing' && (!best || c.startedAt < best.startedAt)) best = c;
  return best;
}

/**
 * The call hook-on hangs up and mute acts on: the newest talking call, else the newest one
 * being dialed. Held calls are never the target: hanging up a call on hold from a headset
 * button is too easy to do by mistake.
 */
export function focusCall(calls: readonly HeadsetCall[]): HeadsetCall | null {
  const newest = (state: HeadsetCallState) => {
    let best: HeadsetCall | null = null;
    for (const c of calls)
      if (c.state === state && (!best || c.startedAt >= best.startedAt)) best = c;
    return best;
  };
  return newest('active') ?? newest('dialing');
}

/**
 * The LEDs for a set of calls: ring while an inbound call rings; off-hook while any call is
 * talking, being dialed or on hold; mute as the focus call's mute; hold while a call is held.
 * The ringer (a tone in the ear) only when no call is off-hook, so a waiting call does not
 * ring over a conversation: the ring LED shows it. The Microphone LED is left off: devices
 * disagree on what it means.
 */
export function ledsFor(calls: readonly HeadsetCall[]): LedState {
  const ringing = calls.some((c) => c.state === 'ringing');
  const offHook = calls.some((c) => c.state !== 'ringing');
  return {
    offHook,
    ring: ringing,
    mute: focusCall(calls)?.muted ?? false,
    hold: calls.some((c) => c.state === 'held'),
    microphone: false,
    ringer: ringing && !offHook,
  };
}
