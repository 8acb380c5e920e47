// The headset as the WebHID glue reports it (onStatus): connected or not, what its buttons and
// lights are, whether the test ring is on. Read by the settings, the status bar and the
// audio-device pairing.
import type { StateCreator } from 'zustand/vanilla';
import { NO_HEADSET, type HeadsetStatus } from '../../headset/headset-status';
import type { AgentState } from './agent-store';

export interface HeadsetSlice {
  headset: HeadsetStatus;
  setHeadset(status: HeadsetStatus): void;
}

export const createHeadsetSlice: StateCreator<AgentState, [], [], HeadsetSlice> = (set) => ({
  headset: NO_HEADSET,
  setHeadset: (headset) => set({ headset }),
});
