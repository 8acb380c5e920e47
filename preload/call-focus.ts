// Which call a one-button control acts on: the headset's hook switch and media keys in the
// renderer (renderer/headset) and the shell's global shortcuts in main (main/electron). One
// rule for both, pure, here where both sides may import it.
import type { Call } from './contract';

export type LineState = 'ringing' | 'dialing' | 'active' | 'held';

/** A call as a one-button control sees it. */
export interface Line {
  id: string;
  /** ringing: inbound, ringing here; dialing: outbound, not answered yet. */
  state: LineState;
  muted: boolean;
  startedAt: number;
}

/** What of a call the rules read. */
export type LineSource = Pick<
  Call,
  'id' | 'direction' | 'state' | 'onHold' | 'muted' | 'startedAt'
>;

/** Core's calls → lines (ended calls drop out). */
export function linesFrom(calls: readonly LineSource[]): Line[] {
  const out: Line[] = [];
  for (const c of calls) {
    const state = lineStateOf(c);
    if (state) out.push({ id: c.id, state, muted: c.muted, startedAt: c.startedAt });
  }
  return out;
}

function lineStateOf(c: LineSource): LineState | null {
  if (c.state === 'ended') return null;
  if (c.direction === 'outbound') return c.state === 'active' ? activeOrHeld(c) : 'dialing';
  if (c.state === 'ringing') return 'ringing';
  // connecting: our 200 OK is out, the ACK not in yet; to the agent the call is answered.
  return activeOrHeld(c);
}

const activeOrHeld = (c: LineSource): LineState => (c.onHold ? 'held' : 'active');

/** The call hook-off (or Flash) answers: the oldest ringing one. */
export function ringingLine(lines: readonly Line[]): Line | null {
  let best: Line | null = null;
  for (const c of lines)
    if (c.state === 'ringing' && (!best || c.startedAt < best.startedAt)) best = c;
  return best;
}

/**
 * The call hook-on hangs up and mute acts on: the newest talking call, else the newest one
 * being dialed. Held calls are never the target: hanging up a call on hold from one button
 * is too easy to do by mistake.
 */
export function focusLine(lines: readonly Line[]): Line | null {
  const newest = (state: LineState) => {
    let best: Line | null = null;
    for (const c of lines)
      if (c.state === state && (!best || c.startedAt >= best.startedAt)) best = c;
    return best;
  };
  return newest('active') ?? newest('dialing');
}

/** Off-hook: some call is talking, being dialed or on hold (the off-hook LED lit). */
export const isOffHook = (lines: readonly Line[]): boolean =>
  lines.some((c) => c.state !== 'ringing');

export type ToggleCommand = { type: 'answer' | 'hangup'; callId: string };

/**
 * A toggle press (Play/Pause, a relative hook switch): it answers the ringing call — during
 * call waiting too: core holds the call on the line, so one press never drops a customer
 * while another call waits — else hangs up the focus call. null: nothing to act on.
 */
export function togglePress(lines: readonly Line[]): ToggleCommand | null {
  const ringing = ringingLine(lines);
  if (ringing) return { type: 'answer', callId: ringing.id };
  const focus = focusLine(lines);
  return focus && { type: 'hangup', callId: focus.id };
}
