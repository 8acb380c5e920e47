// The column between the call and the customer: the talk track of the call on the card (or,
// after it, of the call still in wrap-up). Absent when there is nothing to show — no call, or
// a call no script fits and none of its direction is loaded.
import { useAgent } from '../agent-context';
import type { AgentState } from '../store/agent-store';
import { selectTalkTrackCallId } from './target';
import { TalkTrackPanel } from './TalkTrackPanel';

/** Whether the panel has something to say about the call (a script, or why there is none). */
function selectShown(s: AgentState): boolean {
  const callId = selectTalkTrackCallId(s);
  if (callId === null) return false;
  const track = s.talkTracks[callId];
  if (track) return true;
  // No script for the call (yet): worth a word only if one could fit a call of its direction.
  const direction = s.calls[callId]?.direction;
  if (!direction) return false;
  const some = s.scriptList?.scripts.some((x) => x.direction === direction);
  if (track === null) return some === true;
  if (some === false) return false;
  return !!s.talkTrackLoading[callId] || !!s.talkTrackLoadErrors[callId];
}

export function TalkTrackColumn() {
  const callId = useAgent(selectTalkTrackCallId);
  const shown = useAgent(selectShown);
  if (!callId || !shown) return null;
  return (
    <div className="col col-script">
      <TalkTrackPanel key={callId} callId={callId} />
    </div>
  );
}
