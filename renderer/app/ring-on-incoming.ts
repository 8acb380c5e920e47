// Rings while an inbound call is ringing, and stops the moment the agent presses answer or
// reject — not a round trip later, and without a blip if main's reply beats its state change.
// A failed press makes it ring again: the call still needs the agent.
import type { Ringer } from '../media/ringer';
import { selectRingingCall, type AgentState, type AgentStore } from './store/agent-store';

export function ringWhileInboundRinging(
  store: AgentStore,
  ringer: Pick<Ringer, 'start' | 'stop'>,
): () => void {
  const silenced = new Set<string>();
  const apply = (s: AgentState) => {
    for (const id of silenced) if (!(id in s.calls)) silenced.delete(id);
    const call = selectRingingCall(s);
    if (call && s.pending[call.id]) silenced.add(call.id);
    else if (call && s.actionError?.callId === call.id) silenced.delete(call.id);
    if (call && !silenced.has(call.id)) ringer.start();
    else ringer.stop();
  };
  apply(store.getState());
  return store.subscribe(apply);
}
