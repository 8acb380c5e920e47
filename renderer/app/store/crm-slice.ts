// The CRM side as main reports it: the sync engine's status, the dead letters (changes the
// CRM refused, shown until retried), the opt-outs the agent registered, and the requests in
// flight for them.
import type { StateCreator } from 'zustand/vanilla';
import type { DeadLetter, OptOutScope, RpcErrorCode, SyncStatus } from '../../../preload/contract';
import type { AgentState } from './agent-store';

export interface CrmError {
  code: RpcErrorCode;
  message: string;
}

export type CrmAction = 'syncNow' | 'deadLetters' | 'retry';

export interface OptOutRecord {
  status: 'saving' | 'done' | 'error';
  scope: OptOutScope;
  /** The number as main normalized it (after success). */
  e164: string | null;
  error: CrmError | null;
}

export interface CrmSlice {
  syncStatus: SyncStatus | null;
  syncPanelOpen: boolean;
  /** null until fetched (when the panel opens). */
  deadLetters: DeadLetter[] | null;
  /** Requests in flight: 'syncNow', 'deadLetters', 'retry:*' (all) or 'retry:<key>'. */
  crmPending: Record<string, true>;
  crmError: (CrmError & { action: CrmAction }) | null;
  /** The last retry's answer: how many dead letters went back in the queue. */
  requeued: number | null;
  /** Do-not-call registered from a call's card, by call id. */
  optOuts: Record<string, OptOutRecord>;
  setSyncStatus(status: SyncStatus): void;
  setSyncPanelOpen(open: boolean): void;
  setDeadLetters(list: DeadLetter[]): void;
  setCrmPending(key: string, on: boolean): void;
  setCrmError(error: (CrmError & { action: CrmAction }) | null): void;
  setRequeued(n: number | null): void;
  setOptOut(callId: string, record: OptOutRecord): void;
}

export const createCrmSlice: StateCreator<AgentState, [], [], CrmSlice> = (set) => ({
  syncStatus: null,
  syncPanelOpen: false,
  deadLetters: null,
  crmPending: {},
  crmError: null,
  requeued: null,
  optOuts: {},
  setSyncStatus: (syncStatus) => set({ syncStatus }),
  setSyncPanelOpen: (syncPanelOpen) =>
    set(syncPanelOpen ? { syncPanelOpen } : { syncPanelOpen, requeued: null, crmError: null }),
  setDeadLetters: (deadLetters) => set({ deadLetters }),
  setCrmPending: (key, on) =>
    set((s) => {
      const { [key]: _old, ...rest } = s.crmPending;
      return { crmPending: on ? { ...rest, [key]: true } : rest };
    }),
  setCrmError: (crmError) => set({ crmError }),
  setRequeued: (requeued) => set({ requeued }),
  setOptOut: (callId, record) => set((s) => ({ optOuts: { ...s.optOuts, [callId]: record } })),
});
