// Screen-only state: language, transport state, in-flight actions and their errors.
import type { StateCreator } from 'zustand/vanilla';
import type { Locale, RpcErrorCode } from '../../../preload/contract';
import type { ConnectionState } from '../../ws-bridge';
import type { AgentState } from './agent-store';

export type CallAction =
  | 'answer'
  | 'reject'
  | 'hangup'
  | 'hold'
  | 'resume'
  | 'mute'
  | 'unmute'
  | 'dtmf'
  | 'switchLine'
  | 'blindTransfer'
  | 'startConsult'
  | 'completeTransfer'
  | 'conference';

/** Actions that are not about one call. */
export type AppAction = 'setLocale' | 'dial' | 'settings';

export interface ActionError {
  callId: string | null;
  action: CallAction | AppAction;
  code: RpcErrorCode;
  message: string;
  /** For 'refused': the rule main applied (a DialBlock such as 'opted_out'). */
  reason?: string;
}

export interface UiSlice {
  locale: Locale;
  connection: ConnectionState;
  /** Calls with a request in flight, so a double press never sends it twice. */
  pending: Record<string, CallAction>;
  actionError: ActionError | null;
  /** A dial request is in flight (the call appears with 'call.updated'). */
  dialing: boolean;
  /** The DTMF keypad is open (digit keys then send tones to the current call). */
  keypadOpen: boolean;
  transferOpen: boolean;
  settingsOpen: boolean;
  /** The call whose do-not-call confirm is open (its button, or the talk track's end step). */
  optOutOpenFor: string | null;
  /** Tones sent per call, for the keypad's display. */
  dtmfSent: Record<string, string>;
  addDtmfSent(callId: string, tones: string): void;
  setTransferOpen(open: boolean): void;
  setDialing(dialing: boolean): void;
  setKeypadOpen(open: boolean): void;
  setSettingsOpen(open: boolean): void;
  setOptOutOpen(callId: string | null): void;
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
  dialing: false,
  keypadOpen: false,
  transferOpen: false,
  settingsOpen: false,
  optOutOpenFor: null,
  dtmfSent: {},
  addDtmfSent: (callId, tones) =>
    set((s) => ({
      dtmfSent: { ...s.dtmfSent, [callId]: ((s.dtmfSent[callId] ?? '') + tones).slice(-24) },
    })),
  setTransferOpen: (transferOpen) => set({ transferOpen }),
  setDialing: (dialing) => set({ dialing }),
  setKeypadOpen: (keypadOpen) => set({ keypadOpen }),
  setSettingsOpen: (settingsOpen) => set({ settingsOpen }),
  setOptOutOpen: (optOutOpenFor) => set({ optOutOpenFor }),
  setLocale: (locale) => set({ locale }),
  setConnection: (connection) => set({ connection }),
  setPending: (callId, action) =>
    set((s) => {
      const { [callId]: _old, ...rest } = s.pending;
      return { pending: action ? { ...rest, [callId]: action } : rest };
    }),
  setActionError: (actionError) => set({ actionError }),
});
