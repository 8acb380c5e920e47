// Which call's talk track sits beside the call: the call on the "current call" card (for a
// consultation leg, the customer's call it serves); with no call on the card, the newest call
// still in wrap-up that has one (its end step says what to do next).
import { selectCurrentCall, type AgentState } from '../store/agent-store';

export function selectTalkTrackCallId(s: AgentState): string | null {
  const current = selectCurrentCall(s);
  if (current) return current.consultFor ?? current.id;
  let best: { callId: string; endedAt: number } | null = null;
  for (const w of Object.values(s.wrapUps))
    if (s.talkTracks[w.callId] && (!best || w.endedAt > best.endedAt)) best = w;
  return best?.callId ?? null;
}

/** The panel's element: 'G' (talk-track-keys.ts) moves the focus into it. */
export const TALK_TRACK_PANEL_ID = 'talk-track-panel';
