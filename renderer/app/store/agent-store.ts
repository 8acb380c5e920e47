// The renderer's one store, built from slices (zustand's slices pattern). A vanilla store made
// per app instance and handed down by context, so every test gets a fresh one.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Call } from '../../../preload/contract';
import { createCallsSlice, type CallsSlice } from './calls-slice';
import { createPhoneSlice, type PhoneSlice } from './phone-slice';
import { createTimelineSlice, type TimelineSlice } from './timeline-slice';
import { createUiSlice, type UiSlice } from './ui-slice';

export type AgentState = PhoneSlice & CallsSlice & TimelineSlice & UiSlice;
export type AgentStore = StoreApi<AgentState>;

export function createAgentStore(): AgentStore {
  return createStore<AgentState>()((...a) => ({
    ...createPhoneSlice(...a),
    ...createCallsSlice(...a),
    ...createTimelineSlice(...a),
    ...createUiSlice(...a),
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

/** The call in the "current call" card: selected unless it is the ringing pop, else newest. */
export function selectCurrentCall(s: AgentState): Call | null {
  const isCurrent = (c: Call | undefined): c is Call =>
    !!c && !(c.direction === 'inbound' && c.state === 'ringing');
  const selected = s.selectedCallId ? s.calls[s.selectedCallId] : undefined;
  if (isCurrent(selected)) return selected;
  let best: Call | null = null;
  for (const c of Object.values(s.calls)) {
    if (isCurrent(c) && (!best || c.startedAt > best.startedAt)) best = c;
  }
  return best;
}

export const anyInboundRinging = (s: AgentState): boolean => selectRingingCall(s) !== null;
