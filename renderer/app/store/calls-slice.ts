// Calls as main reports them, by id, plus which one the agent is working on.
import type { StateCreator } from 'zustand/vanilla';
import type { Call } from '../../../preload/contract';
import type { AgentState } from './agent-store';

export interface CallsSlice {
  calls: Record<string, Call>;
  /** The call the agent works on (the newest one unless they chose otherwise). */
  selectedCallId: string | null;
  upsertCall(call: Call): void;
  removeCall(callId: string): void;
  replaceCalls(calls: Call[]): void;
  selectCall(callId: string | null): void;
}

export const createCallsSlice: StateCreator<AgentState, [], [], CallsSlice> = (set) => ({
  calls: {},
  selectedCallId: null,
  upsertCall: (call) =>
    set((s) => {
      const calls = { ...s.calls, [call.id]: call };
      const keep = s.selectedCallId !== null && s.selectedCallId in calls;
      return { calls, selectedCallId: keep ? s.selectedCallId : call.id };
    }),
  removeCall: (callId) =>
    set((s) => {
      if (!(callId in s.calls)) return s;
      const { [callId]: _gone, ...calls } = s.calls;
      const selectedCallId = s.selectedCallId === callId ? newestId(calls) : s.selectedCallId;
      return { calls, selectedCallId };
    }),
  replaceCalls: (list) =>
    set((s) => {
      const calls = Object.fromEntries(list.map((c) => [c.id, c]));
      const keep = s.selectedCallId !== null && s.selectedCallId in calls;
      return { calls, selectedCallId: keep ? s.selectedCallId : newestId(calls) };
    }),
  selectCall: (selectedCallId) => set({ selectedCallId }),
});

function newestId(calls: Record<string, Call>): string | null {
  let best: Call | null = null;
  for (const c of Object.values(calls)) if (!best || c.startedAt > best.startedAt) best = c;
  return best?.id ?? null;
}
