// Hands the store, the api and the actions down the tree (a context, not module globals, so
// tests render the real components against their own store and a fake api).
import { createContext, useContext, type ReactNode } from 'react';
import { I18nextProvider } from 'react-i18next';
import type { i18n } from 'i18next';
import { useStore } from 'zustand';
import type { HeadsetControls } from '../headset/headset-status';
import type { CallActions } from './call-actions';
import type { CrmActions } from './crm-actions';
import type { NoteWriter } from './note-writer';
import type { OutboundActions } from './outbound-actions';
import type { AgentState, AgentStore } from './store/agent-store';
import type { TalkTrackActions } from './talk-track/talk-track-actions';

export interface AgentServices {
  store: AgentStore;
  actions: CallActions;
  /** Sync now, dead letters, do-not-call. */
  crm: CrmActions;
  /** Saves the notes editor's text. */
  notes: NoteWriter;
  /** The callback queue, preview dialing, wrap-up, scheduling, number checks. */
  outbound: OutboundActions;
  /** The talk track beside the call: its moves, script switches, the script list. */
  talkTrack: TalkTrackActions;
  /** The headset: choose one, test its ring, the window's media keys. */
  headset: HeadsetControls;
  i18n: i18n;
}

const ServicesContext = createContext<AgentServices | null>(null);

export function AgentProvider({
  services,
  children,
}: {
  services: AgentServices;
  children: ReactNode;
}) {
  return (
    <ServicesContext.Provider value={services}>
      <I18nextProvider i18n={services.i18n}>{children}</I18nextProvider>
    </ServicesContext.Provider>
  );
}

function useServices(): AgentServices {
  const s = useContext(ServicesContext);
  if (!s) throw new Error('AgentProvider is missing');
  return s;
}

/** Subscribe to one piece of the store (one-field selectors, as zustand recommends). */
export function useAgent<T>(selector: (s: AgentState) => T): T {
  return useStore(useServices().store, selector);
}

/** The store itself, for event handlers that read the latest state when they run. */
export function useAgentStore(): AgentStore {
  return useServices().store;
}

export function useActions(): CallActions {
  return useServices().actions;
}

export function useCrm(): CrmActions {
  return useServices().crm;
}

export function useNotes(): NoteWriter {
  return useServices().notes;
}

export function useOutbound(): OutboundActions {
  return useServices().outbound;
}

export function useTalkTrack(): TalkTrackActions {
  return useServices().talkTrack;
}

export function useHeadset(): HeadsetControls {
  return useServices().headset;
}
