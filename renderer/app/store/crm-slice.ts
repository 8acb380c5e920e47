// The CRM side as main reports it: the sync engine's status, the dead letters (changes the
// CRM refused, shown until retried), the opt-outs the agent registered, the CRM connection
// settings (never the token: main only says whether one is stored), and the requests in
// flight for them.
import type { StateCreator } from 'zustand/vanilla';
import type {
  CrmSettingsView,
  DeadLetter,
  MethodResult,
  OptOutScope,
  RpcErrorCode,
  SyncStatus,
} from '../../../preload/contract';
import type { AgentState } from './agent-store';

export interface CrmError {
  code: RpcErrorCode;
  message: string;
}

export type CrmAction = 'syncNow' | 'deadLetters' | 'retry';

/** What main answers to a connection test. */
export type CrmCheck = MethodResult<'testCrmConnection'>;

/** The settings section's requests; the error of one is shown next to its button. */
export type CrmSettingsAction = 'load' | 'test' | 'save';

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
  /** The CRM connection as saved in main; null until fetched (when the settings open). */
  crmSettings: CrmSettingsView | null;
  /** The last connection test's answer; dropped when the form is edited or reloaded. */
  crmCheck: CrmCheck | null;
  /** A settings request that failed as a request (not a failed connection test). */
  crmSettingsError: (CrmError & { action: CrmSettingsAction }) | null;
  setSyncStatus(status: SyncStatus): void;
  setSyncPanelOpen(open: boolean): void;
  setDeadLetters(list: DeadLetter[]): void;
  setCrmPending(key: string, on: boolean): void;
  setCrmError(error: (CrmError & { action: CrmAction }) | null): void;
  setRequeued(n: number | null): void;
  setOptOut(callId: string, record: OptOutRecord): void;
  setCrmSettingsView(view: CrmSettingsView): void;
  setCrmCheck(check: CrmCheck | null): void;
  setCrmSettingsError(error: (CrmError & { action: CrmSettingsAction }) | null): void;
}

export const createCrmSlice: StateCreator<AgentState, [], [], CrmSlice> = (set) => ({
  syncStatus: null,
  syncPanelOpen: false,
  deadLetters: null,
  crmPending: {},
  crmError: null,
  requeued: null,
  optOuts: {},
  crmSettings: null,
  crmCheck: null,
  crmSettingsError: null,
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
  setCrmSettingsView: (crmSettings) => set({ crmSettings }),
  setCrmCheck: (crmCheck) => set({ crmCheck }),
  setCrmSettingsError: (crmSettingsError) => set({ crmSettingsError }),
});
