// Screen-only state: language, transport state, in-flight actions and their errors.
import type { StateCreator } from 'zustand/vanilla';
import type { Locale, RpcErrorCode } from '../../../preload/contract';
import type { ConnectionState } from '../../ws-bridge';
import type { AgentState } from './agent-store';

export type CallAction = 'answer' | 'reject' | 'hangup';

export interface ActionError {
  callId: string | null;
  action: CallAction | 'setLocale';
  code: RpcErrorCode;
  message: string;
}

export interface UiSlice {
  locale: Locale;
  connection: ConnectionState;
  /** Calls with a request in flight, so a double press never sends it twice. */
  pending: Record<string, CallAction>;
  actionError: ActionError | null;
  setLocale(locale: Locale): void;
  setConnection(connection: ConnectionState): void;
  setPending(callId: string, action: CallAction | null): void;
  setActionError(error: ActionError | null): void;
}

export const createUiSlice: StateCreator<AgentState, [], [], UiSlice> = (set) => ({
  locale: 'ja',
  connection: 'connecting',
  pending: {},
  actionError: null,
  setLocale: (locale) => set({ locale }),
  setConnection: (connection) => set({ connection }),
  setPending: (callId, action) =>
    set((s) => {
      const { [callId]: _old, ...rest } = s.pending;
      return { pending: action ? { ...rest, [callId]: action } : rest };
    }),
  setActionError: (actionError) => set({ actionError }),
});
