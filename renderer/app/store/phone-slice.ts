// Registration state of the softphone (owned by main; mirrored here for the status bar).
import type { StateCreator } from 'zustand/vanilla';
import type { PhoneStatus } from '../../../preload/contract';
import type { AgentState } from './agent-store';

export interface PhoneSlice {
  phone: PhoneStatus | null;
  version: string | null;
  setPhone(phone: PhoneStatus): void;
  setVersion(version: string): void;
}

export const createPhoneSlice: StateCreator<AgentState, [], [], PhoneSlice> = (set) => ({
  phone: null,
  version: null,
  setPhone: (phone) => set({ phone }),
  setVersion: (version) => set({ version }),
});
