// Customer timelines (newest first) and the customer the right-hand panel shows. The focus
// stays after a call ends so the agent sees the new entry arrive.
import type { StateCreator } from 'zustand/vanilla';
import type { CustomerSummary, TimelineEntry } from '../../../preload/contract';
import type { AgentState } from './agent-store';

export interface TimelineSlice {
  timelines: Record<string, TimelineEntry[]>;
  focusedCustomer: CustomerSummary | null;
  timelineError: string | null;
  focusCustomer(customer: CustomerSummary | null): void;
  /** Adds or updates entries by id; never drops one (a fetch may race a 'timeline.added'). */
  mergeTimeline(customerId: string, entries: TimelineEntry[]): void;
  setTimelineError(message: string | null): void;
}

export const createTimelineSlice: StateCreator<AgentState, [], [], TimelineSlice> = (set) => ({
  timelines: {},
  focusedCustomer: null,
  timelineError: null,
  focusCustomer: (focusedCustomer) => set({ focusedCustomer, timelineError: null }),
  mergeTimeline: (customerId, entries) =>
    set((s) => {
      const merged = mergeById(s.timelines[customerId] ?? [], entries);
      return { timelines: { ...s.timelines, [customerId]: merged } };
    }),
  setTimelineError: (timelineError) => set({ timelineError }),
});

function mergeById(old: TimelineEntry[], incoming: TimelineEntry[]): TimelineEntry[] {
  const byId = new Map(old.map((e) => [e.id, e]));
  for (const e of incoming) byId.set(e.id, e);
  return [...byId.values()].sort((a, b) => b.startedAt - a.startedAt || (a.id < b.id ? 1 : -1));
}
