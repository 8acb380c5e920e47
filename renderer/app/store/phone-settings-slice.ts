// The phone's settings as main stores them (hello / 'settings.changed'), the audio devices
// the system has, which ones are really in use (a chosen device may be unplugged), and the
// renderer's own live quality samples.
import type { StateCreator } from 'zustand/vanilla';
import type { CallQuality, PhoneSettings } from '../../../preload/contract';
import type { AgentState } from './agent-store';

export type DeviceRole = 'microphone' | 'speaker' | 'ringer';

export interface AudioDevice {
  deviceId: string;
  kind: 'audioinput' | 'audiooutput';
  label: string;
}

/** A chosen device that is missing: the default is used until it comes back. */
export interface DeviceFallback {
  role: DeviceRole;
  /** The missing device's label as last seen ('' when never seen). */
  label: string;
}

export interface PhoneSettingsSlice {
  settings: PhoneSettings | null;
  devices: AudioDevice[];
  deviceFallbacks: DeviceFallback[];
  /** Latest quality sample per call, measured here (main also gets it via reportQuality). */
  quality: Record<string, CallQuality>;
  setSettings(settings: PhoneSettings): void;
  setDevices(devices: AudioDevice[], fallbacks: DeviceFallback[]): void;
  setQuality(callId: string, quality: CallQuality | null): void;
}

export const createPhoneSettingsSlice: StateCreator<AgentState, [], [], PhoneSettingsSlice> = (
  set,
) => ({
  settings: null,
  devices: [],
  deviceFallbacks: [],
  quality: {},
  setSettings: (settings) => set({ settings }),
  setDevices: (devices, deviceFallbacks) => set({ devices, deviceFallbacks }),
  setQuality: (callId, q) =>
    set((s) => {
      const { [callId]: _old, ...rest } = s.quality;
      return { quality: q ? { ...rest, [callId]: q } : rest };
    }),
});
