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
// - Media keys (media-keys.ts), for a headset without telephony controls and for the
//   keyboard's Play/Pause: Play/Pause is a toggle hook press, Mute a mute press, through the
//   same rules. The same key within mediaKeyDedupMs is one press seen twice (the HID report
//   and the key event the OS makes of it). While a telephony headset is open the keyboard's
//   media keys are ignored: its own consumer keys reach the OS and would double its hook.
// - Test ring: with no call, ring LED and ringer on for testRingMs, then the LEDs as the
//   calls say. A call ends it at once. The glue wakes the machine with 'tick' at
//   testRingUntil.

import { togglePress } from '../../preload/call-focus';
import { focusCall, ledsFor, ringingCall, type HeadsetCall } from './headset-calls';
import {
  readMediaKeyPresses,
  type MediaKey,
  type MediaKeyFields,
  type MediaKeyValues,
} from './media-keys';
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
  /** A headset without telephony controls, with media keys, was opened. */
  | { type: 'connectedMediaKeys'; keys: MediaKeyFields; now: number }
  | { type: 'disconnected'; now: number }
  /** WebHID inputreport: the report ID and the bytes after it. */
  | { type: 'input'; reportId: number; data: Uint8Array | DataView; now: number }
  /** The calls changed (every call not yet ended). */
  | { type: 'calls'; calls: readonly HeadsetCall[]; now: number }
  /** A media key the window received as a key event. */
  | { type: 'mediaKey'; key: MediaKey; now: number }
  /** The agent asks for the test ring. */
  | { type: 'testRing'; now: number }
  /** Time passed (the glue's timer for testRingUntil). */
  | { type: 'tick'; now: number };

export interface HeadsetConfig {
  /** How long after we change the off-hook (or mute) LED its hook (mute) reports are echoes. */
  echoWindowMs: number;
  /** The control a device sends to reject a ringing call, if it has one. */
  rejectWith: 'flash' | 'lineBusyTone' | null;
  /** How long the test ring lasts. */
  testRingMs: number;
  /** The same media key again within this is the same press (HID report and key event). */
  mediaKeyDedupMs: number;
}

export const DEFAULT_HEADSET_CONFIG: HeadsetConfig = {
  echoWindowMs: 500,
  rejectWith: null,
  testRingMs: 3_000,
  mediaKeyDedupMs: 300,
};

/** What the LEDs show during the test ring. */
const TEST_RING_LEDS: LedState = { ...LEDS_OFF, ring: true, ringer: true };

export interface HeadsetState {
  /** The open device's controls; null while none (or a media-key headset) is connected. */
  controls: TelephonyControls | null;
  /** The open media-key headset's keys and their last values; null unless one is open. */
  mediaKeys: { fields: MediaKeyFields; values: MediaKeyValues } | null;
  /** When each media key last counted as a press (either source), for the dedup window. */
  mediaKeyAt: Partial<Record<MediaKey, number>>;
  /** While the test ring is on: when it ends. */
  testRingUntil: number | null;
  calls: HeadsetCall[];
  /** What the LEDs show for `calls` (the test ring aside). */
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
    mediaKeys: null,
    mediaKeyAt: {},
    testRingUntil: null,
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
        ...unplugged(state),
        controls: event.controls,
        offHookChangedAt: event.now,
        muteChangedAt: event.now,
      };
      return send(next, [], true);
    }
    case 'connectedMediaKeys':
      return nothing({ ...unplugged(state), mediaKeys: { fields: event.keys, values: {} } });
    case 'disconnected':
      return nothing(unplugged(state));
    case 'calls':
      return onCalls(state, event.calls, event.now);
    case 'input':
      return onInput(state, event.reportId, bytesOf(event.data), event.now, config);
    case 'mediaKey':
      return onMediaKey(state, event.key, event.now, config);
    case 'testRing':
      return onTestRing(state, event.now, config);
    case 'tick':
      if (state.testRingUntil === null || event.now < state.testRingUntil) return nothing(state);
      return send({ ...state, testRingUntil: null }, [], false);
  }
}

/** No device: nothing sent or received is remembered, and no test ring. */
const unplugged = (state: HeadsetState): HeadsetState => ({
  ...state,
  controls: null,
  mediaKeys: null,
  sent: {},
  received: {},
  inputs: {},
  testRingUntil: null,
});

const nothing = (state: HeadsetState): HeadsetStep => ({ state, commands: [], reports: [] });

function onCalls(state: HeadsetState, calls: readonly HeadsetCall[], now: number): HeadsetStep {
  const leds = ledsFor(calls);
  const next: HeadsetState = {
    ...state,
    calls: calls.map((c) => ({ ...c })),
    leds,
    offHookChangedAt: leds.offHook !== state.leds.offHook ? now : state.offHookChangedAt,
    muteChangedAt: leds.mute !== state.leds.mute ? now : state.muteChangedAt,
    issued: [],
    // The test is for a quiet moment: a call takes the LEDs over at once.
    testRingUntil: calls.length > 0 ? null : state.testRingUntil,
  };
  return send(next, [], state.issued.length > 0);
}

function onTestRing(state: HeadsetState, now: number, config: HeadsetConfig): HeadsetStep {
  const outputs = state.controls?.outputs;
  if (!outputs || (!outputs.ring && !outputs.ringer) || state.calls.length > 0)
    return nothing(state);
  return send({ ...state, testRingUntil: now + config.testRingMs }, [], false);
}

/** A change of one input in one report: an absolute edge (to on / off) or a relative press. */
type Change = { kind: 'on' | 'off' | 'press'; relative: boolean };
type Changes = Partial<Record<TelephonyInput, Change>>;

function onInput(
  state: HeadsetState,
  reportId: number,
  data: Uint8Array,
  now: number,
  config: HeadsetConfig,
): HeadsetStep {
  const { controls, mediaKeys } = state;
  const previous = state.received[reportId];
  if (previous && sameBytes(previous, data)) return nothing(state);
  const received = { ...state.received, [reportId]: [...data] };
  if (controls) {
    const { changes, inputs } = telephonyChanges(controls, state.inputs, reportId, data);
    const decided = decide(state, changes, now, config);
    const next: HeadsetState = { ...state, received, inputs, issued: decided.issued };
    return send(next, decided.commands, decided.echo);
  }
  if (mediaKeys) {
    const { fields, values: before } = mediaKeys;
    const { presses, values } = readMediaKeyPresses(fields, before, reportId, data);
    const next: HeadsetState = { ...state, received, mediaKeys: { fields, values } };
    return onMediaKeyPresses(next, presses, now, config);
  }
  return nothing(state);
}

/** The telephony inputs of one report as edges and presses, and the absolute values now. */
function telephonyChanges(
  controls: TelephonyControls,
  before: HeadsetState['inputs'],
  reportId: number,
  data: Uint8Array,
): { changes: Changes; inputs: HeadsetState['inputs'] } {
  const values = readTelephonyInputs(controls, reportId, data);
  const inputs = { ...before };
  const changes: Changes = {};
  for (const [name, value] of Object.entries(values ?? {}) as [TelephonyInput, number][]) {
    const relative = controls.inputs[name]?.relative === true;
    if (relative) {
      if (value !== 0) changes[name] = { kind: 'press', relative };
      continue;
    }
    // Unknown counts as 0, the rest state (on-hook, unmuted): the first report may well be
    // the agent lifting the hook; an echo of the LEDs sent on connecting falls in the window.
    const was = inputs[name] ?? 0;
    inputs[name] = value;
    if ((was !== 0) !== (value !== 0))
      changes[name] = { kind: value !== 0 ? 'on' : 'off', relative };
  }
  return { changes, inputs };
}

function onMediaKey(
  state: HeadsetState,
  key: MediaKey,
  now: number,
  config: HeadsetConfig,
): HeadsetStep {
  // A telephony headset's consumer keys also reach the OS as key events: its hook rules.
  if (state.controls) return nothing(state);
  return onMediaKeyPresses(state, [key], now, config);
}

/** Media-key presses as hook and mute presses, each key once within the dedup window. */
function onMediaKeyPresses(
  state: HeadsetState,
  presses: readonly MediaKey[],
  now: number,
  config: HeadsetConfig,
): HeadsetStep {
  const mediaKeyAt = { ...state.mediaKeyAt };
  const changes: Changes = {};
  for (const key of presses) {
    const last = mediaKeyAt[key];
    if (last !== undefined && now - last < config.mediaKeyDedupMs) continue;
    mediaKeyAt[key] = now;
    changes.hookSwitch = { kind: 'press', relative: true };
  }
  const decided = decide(state, changes, now, config);
  return send({ ...state, mediaKeyAt, issued: decided.issued }, decided.commands, decided.echo);
}

/**
 * The commands input changes ask for (one rule set for telephony buttons and media keys), and
 * whether the headset must be sent the LEDs again (it disagrees with them, or pressed in vain).
 */
function decide(
  state: HeadsetState,
  changes: Changes,
  now: number,
  config: HeadsetConfig,
): { commands: HeadsetCommand[]; issued: string[]; echo: boolean } {
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
  if (hook?.kind === 'press') {
    // A toggle (relative hook, Play/Pause): the one-button rule shared with the shell's
    // global shortcuts. Within the window it is the headset's echo.
    if (!within(state.offHookChangedAt)) {
      const press = togglePress(calls);
      if (press) issue(press);
      else echo = true;
    }
  } else if (hook) {
    const wantsOffHook = hook.kind === 'on';
    const disagrees = wantsOffHook !== leds.offHook;
    if (within(state.offHookChangedAt)) echo ||= disagrees;
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
  return { commands, issued, echo };
}

/** The output reports whose bytes changed (all of them when forced), and the new state. */
function send(state: HeadsetState, commands: HeadsetCommand[], force: boolean): HeadsetStep {
  if (!state.controls) return { state, commands, reports: [] };
  const leds = state.testRingUntil === null ? state.leds : TEST_RING_LEDS;
  const reports = buildOutputReports(state.controls, leds).filter((r) => {
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
