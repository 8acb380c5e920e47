// The headset state machine: headset reports and call changes in, app commands and LED
// output reports out. Pure: time comes in with each event, the state is plain data, and
// the WebHID glue only forwards events and carries out what a step returns.
//
// Rules (issue #4):
// - LEDs follow the calls (headset-calls.ts ledsFor); a report is sent whole, only when its
//   bytes change, and again after every call update that follows a command (so a headset
//   that changed its own state hears the host's answer even when the app refused) and
//   after a replug.
// - Hook switch. Absolute (the value is the state): an edge that disagrees with the off-hook
//   LED is the agent's; going off-hook answers the ringing call, going on-hook hangs up the
//   focus call; an edge that agrees with the LED is the device catching up and means
//   nothing. Relative (a toggle press): off-hook LED off → answer, on → hang up. With only
//   held calls (the LED is on, no call to hang up) the press answers a ringing call; held
//   calls are never hung up from the headset.
// - Hook reports within echoWindowMs of a change of the off-hook LED are ignored: headsets
//   echo the LED as a hook report, sometimes late (Jabra, Poly). The same holds for Phone
//   Mute after a change of the mute LED.
// - Phone Mute: a press flips the focus call's mute; an absolute edge sets it.
// - Hook-on never rejects a ringing call (an absolute hook is already on-hook while it
//   rings; a toggle press then means answer). No standard usage means "reject": Line Busy
//   Tone is a state (Jabra raises it while its line is in a call), so by default the
//   headset does not reject at all (the screen and keys do). A device known to send Flash
//   or Line Busy Tone for its reject gesture can be configured (rejectWith): that control
//   then rejects a ringing call while no call is off-hook. Otherwise Flash answers the
//   ringing call (the waiting call when one is talking: core holds the other). Redial sends
//   nothing.
// - A button with nothing to act on gets the LEDs sent back, so the headset returns to the
//   app's state. A report equal to the previous one of its ID is ignored. The same command
//   is not issued twice before the calls change.

import { focusCall, ledsFor, ringingCall, type HeadsetCall } from './headset-calls';
import type { TelephonyControls, TelephonyInput } from './telephony-controls';
import {
  LEDS_OFF,
  buildOutputReports,
  readTelephonyInputs,
  type LedState,
  type OutputReport,
} from './telephony-reports';

export type HeadsetCommand =
  | { type: 'answer'; callId: string }
  | { type: 'hangup'; callId: string }
  | { type: 'reject'; callId: string }
  | { type: 'setMute'; callId: string; muted: boolean };

export type HeadsetEvent =
  /** A telephony headset was opened (first time or after a replug). */
  | { type: 'connected'; controls: TelephonyControls; now: number }
  | { type: 'disconnected'; now: number }
  /** WebHID inputreport: the report ID and the bytes after it. */
  | { type: 'input'; reportId: number; data: Uint8Array | DataView; now: number }
  /** The calls changed (every call not yet ended). */
  | { type: 'calls'; calls: readonly HeadsetCall[]; now: number };

export interface HeadsetConfig {
  /** How long after we change the off-hook (or mute) LED its hook (mute) reports are echoes. */
  echoWindowMs: number;
  /** The control a device sends to reject a ringing call, if it has one. */
  rejectWith: 'flash' | 'lineBusyTone' | null;
}

export const DEFAULT_HEADSET_CONFIG: HeadsetConfig = { echoWindowMs: 500, rejectWith: null };

export interface HeadsetState {
  /** The open device's controls; null while none is connected. */
  controls: TelephonyControls | null;
  calls: HeadsetCall[];
  /** What the LEDs show for `calls`. */
  leds: LedState;
  /** The bytes last sent per output report ID. */
  sent: Record<number, number[]>;
  /** The bytes last received per input report ID (duplicates are dropped). */
  received: Record<number, number[]>;
  /** Last value of each absolute input; absent until the device first reports it. */
  inputs: Partial<Record<TelephonyInput, number>>;
  /** When the off-hook / mute LED last changed (ms), for the echo window. */
  offHookChangedAt: number | null;
  muteChangedAt: number | null;
  /** Commands issued since the calls last changed, as keys. */
  issued: string[];
}

export interface HeadsetStep {
  state: HeadsetState;
  commands: HeadsetCommand[];
  reports: OutputReport[];
}

export function initialHeadsetState(): HeadsetState {
  return {
    controls: null,
    calls: [],
    leds: { ...LEDS_OFF },
    sent: {},
    received: {},
    inputs: {},
    offHookChangedAt: null,
    muteChangedAt: null,
    issued: [],
  };
}

export function headsetStep(
  state: HeadsetState,
  event: HeadsetEvent,
  config: HeadsetConfig = DEFAULT_HEADSET_CONFIG,
): HeadsetStep {
  switch (event.type) {
    case 'connected': {
      // A new device knows nothing: forget what it sent and what we sent, send it all.
      const next: HeadsetState = {
        ...state,
        controls: event.controls,
        sent: {},
        received: {},
        inputs: {},
        offHookChangedAt: event.now,
        muteChangedAt: event.now,
      };
      return send(next, [], true);
    }
    case 'disconnected':
      return {
        state: { ...state, controls: null, sent: {}, received: {}, inputs: {} },
        commands: [],
        reports: [],
      };
    case 'calls':
      return onCalls(state, event.calls, event.now);
    case 'input':
      return onInput(state, event.reportId, bytesOf(event.data), event.now, config);
  }
}

function onCalls(state: HeadsetState, calls: readonly HeadsetCall[], now: number): HeadsetStep {
  const leds = ledsFor(calls);
  const next: HeadsetState = {
    ...state,
    calls: calls.map((c) => ({ ...c })),
    leds,
    offHookChangedAt: leds.offHook !== state.leds.offHook ? now : state.offHookChangedAt,
    muteChangedAt: leds.mute !== state.leds.mute ? now : state.muteChangedAt,
    issued: [],
  };
  return send(next, [], state.issued.length > 0);
}

/** A change of one input in one report: an absolute edge (to on / off) or a relative press. */
type Change = { kind: 'on' | 'off' | 'press'; relative: boolean };

function onInput(
  state: HeadsetState,
  reportId: number,
  data: Uint8Array,
  now: number,
  config: HeadsetConfig,
): HeadsetStep {
  const controls = state.controls;
  if (!controls) return { state, commands: [], reports: [] };
  const previous = state.received[reportId];
  if (previous && sameBytes(previous, data)) return { state, commands: [], reports: [] };
  const values = readTelephonyInputs(controls, reportId, data);
  const inputs = { ...state.inputs };
  const changes: Partial<Record<TelephonyInput, Change>> = {};
  for (const [name, value] of Object.entries(values ?? {}) as [TelephonyInput, number][]) {
    const relative = controls.inputs[name]?.relative === true;
    if (relative) {
      if (value !== 0) changes[name] = { kind: 'press', relative };
      continue;
    }
    // Unknown counts as 0, the rest state (on-hook, unmuted): the first report may well be
    // the agent lifting the hook; an echo of the LEDs sent on connecting falls in the window.
    const before = inputs[name] ?? 0;
    inputs[name] = value;
    if ((before !== 0) !== (value !== 0))
      changes[name] = { kind: value !== 0 ? 'on' : 'off', relative };
  }

  const commands: HeadsetCommand[] = [];
  const issued = [...state.issued];
  const issue = (command: HeadsetCommand) => {
    const key = commandKey(command);
    if (issued.includes(key)) return;
    issued.push(key);
    commands.push(command);
  };
  let echo = false;
  const { leds, calls } = state;
  const ringing = ringingCall(calls);
  const focus = focusCall(calls);
  const within = (at: number | null) => at !== null && now - at < config.echoWindowMs;

  const hook = changes.hookSwitch;
  if (hook) {
    const wantsOffHook = hook.kind === 'press' ? !leds.offHook : hook.kind === 'on';
    const disagrees = wantsOffHook !== leds.offHook;
    if (within(state.offHookChangedAt)) echo ||= !hook.relative && disagrees;
    else if (disagrees && wantsOffHook) {
      if (ringing) issue({ type: 'answer', callId: ringing.id });
      else echo = true;
    } else if (disagrees) {
      if (focus) issue({ type: 'hangup', callId: focus.id });
      // Only held calls keep the off-hook LED on: the press means "take the ringing call".
      else if (ringing) issue({ type: 'answer', callId: ringing.id });
      else echo = true;
    }
  }

  if (ringing) {
    // Reject only a call that rings alone: beside a talking call Flash takes the waiting one.
    const rejects = (name: 'flash' | 'lineBusyTone') =>
      config.rejectWith === name && !leds.offHook && isOnOrPress(changes[name]);
    if (rejects('flash') || rejects('lineBusyTone')) issue({ type: 'reject', callId: ringing.id });
    else if (isOnOrPress(changes.flash)) issue({ type: 'answer', callId: ringing.id });
  }

  const mute = changes.phoneMute;
  if (mute) {
    const wantsMuted = mute.kind === 'press' ? !leds.mute : mute.kind === 'on';
    const disagrees = wantsMuted !== leds.mute;
    if (within(state.muteChangedAt)) echo ||= !mute.relative && disagrees;
    else if (disagrees) {
      if (focus) issue({ type: 'setMute', callId: focus.id, muted: wantsMuted });
      else echo = true;
    }
  }

  const next: HeadsetState = {
    ...state,
    received: { ...state.received, [reportId]: [...data] },
    inputs,
    issued,
  };
  return send(next, commands, echo);
}

/** The output reports whose bytes changed (all of them when forced), and the new state. */
function send(state: HeadsetState, commands: HeadsetCommand[], force: boolean): HeadsetStep {
  if (!state.controls) return { state, commands, reports: [] };
  const reports = buildOutputReports(state.controls, state.leds).filter((r) => {
    const last = state.sent[r.reportId];
    return force || !last || !sameBytes(last, r.data);
  });
  if (reports.length === 0) return { state, commands, reports };
  const sent = { ...state.sent };
  for (const r of reports) sent[r.reportId] = [...r.data];
  return { state: { ...state, sent }, commands, reports };
}

const isOnOrPress = (c: Change | undefined): boolean => c !== undefined && c.kind !== 'off';

const commandKey = (c: HeadsetCommand): string =>
  c.type === 'setMute' ? `${c.type}:${c.callId}:${c.muted}` : `${c.type}:${c.callId}`;

function bytesOf(data: Uint8Array | DataView): Uint8Array {
  return data instanceof Uint8Array
    ? data
    : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

function sameBytes(a: readonly number[], b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
