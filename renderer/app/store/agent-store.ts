// The renderer's one store, built from slices (zustand's slices pattern). A vanilla store made
// per app instance and handed down by context, so every test gets a fresh one.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Call } from '../../../preload/contract';
import { createCallsSlice, type CallsSlice } from './calls-slice';
import { createCrmSlice, type CrmSlice } from './crm-slice';
import { createHeadsetSlice, type HeadsetSlice } from './headset-slice';
import { createNotesSlice, type NotesSlice } from './notes-slice';
import { createOutboundSlice, type OutboundSlice } from './outbound-slice';
import { createPhoneSettingsSlice, type PhoneSettingsSlice } from './phone-settings-slice';
import { createPhoneSlice, type PhoneSlice } from './phone-slice';
import { createTalkTrackSlice, type TalkTrackSlice } from './talk-track-slice';
import { createTimelineSlice, type TimelineSlice } from './timeline-slice';
import { createUiSlice, type UiSlice } from './ui-slice';

export type AgentState = PhoneSlice &
  CallsSlice &
  TimelineSlice &
  UiSlice &
  PhoneSettingsSlice &
  NotesSlice &
  CrmSlice &
  OutboundSlice &
  TalkTrackSlice &
  HeadsetSlice;
export type AgentStore = StoreApi<AgentState>;

export function createAgentStore(): AgentStore {
  return createStore<AgentState>()((...a) => ({
    ...createPhoneSlice(...a),
    ...createCallsSlice(...a),
    ...createTimelineSlice(...a),
    ...createUiSlice(...a),
    ...createPhoneSettingsSlice(...a),
    ...createNotesSlice(...a),
    ...createCrmSlice(...a),
    ...createOutboundSlice(...a),
    ...createTalkTrackSlice(...a),
    ...createHeadsetSlice(...a),
  }));
}

// Selectors return objects already in the store (stable references), never new ones.

/** The oldest inbound call still ringing: the one a pop shows and Enter answers. */
export function selectRingingCall(s: AgentState): Call | null {
  let best: Call | null = null;
  for (const c of Object.values(s.calls)) {
    if (
      c.direction === 'inbound' &&
      c.state === 'ringing' &&
      (!best || c.startedAt < best.startedAt)
    )
      best = c;
  }
  return best;
}

/**
 * The call in the "current call" card: the selected one unless it is the ringing pop, or it
 * sits on hold / has ended while another line is live and not held (answering a waiting call
 * or placing a consult call moves the card there); else the newest.
 */
export function selectCurrentCall(s: AgentState): Call | null {
  const isCurrent = (c: Call | undefined): c is Call =>
    !!c && !(c.direction === 'inbound' && c.state === 'ringing');
  const talking = (c: Call) => c.state !== 'ended' && !c.onHold;
  let newest: Call | null = null;
  let newestTalking: Call | null = null;
  for (const c of Object.values(s.calls)) {
    if (!isCurrent(c)) continue;
    if (!newest || c.startedAt > newest.startedAt) newest = c;
    if (talking(c) && (!newestTalking || c.startedAt > newestTalking.startedAt)) newestTalking = c;
  }
  const selected = s.selectedCallId ? s.calls[s.selectedCallId] : undefined;
  const switching = selected && s.pending[selected.id] === 'switchLine';
  if (isCurrent(selected) && (talking(selected) || switching || !newestTalking)) return selected;
  return newestTalking ?? newest;
}

/** Every call not yet ended, oldest first: the lines. */
export function selectLines(s: AgentState): Call[] {
  return Object.values(s.calls)
    .filter((c) => c.state !== 'ended')
    .sort((a, b) => a.startedAt - b.startedAt || (a.id < b.id ? -1 : 1));
}

/**
 * The call the notes card is about: the current call, else the ringing pop. null when there
 * is neither (the card then keeps the last one: wrap-up after the call ended).
 */
export function selectNotesCandidate(s: AgentState): Call | null {
  return selectCurrentCall(s) ?? selectRingingCall(s);
}

export const anyInboundRinging = (s: AgentState): boolean => selectRingingCall(s) !== null;
