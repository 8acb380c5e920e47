// Audio devices: which of the agent's chosen microphone / speaker / ringer are present, what
// is really used (the system default while a chosen one is unplugged — and the agent is told),
// applied to the media port, the ringer and the call tones on start, on every devicechange,
// whenever the settings change and when a headset comes or goes. With no choice made, the
// microphone and speaker are the connected headset's own (paired by USB id), else the system
// default; an explicit choice always wins (the settings offer the headset's instead).
import type { AudioDevicePrefs } from '../../preload/contract';
import { pairHeadsetAudio, type UsbId } from '../headset/usb-audio-pairing';
import type { AgentStore } from './store/agent-store';
import type { AudioDevice, DeviceFallback, DeviceRole } from './store/phone-settings-slice';

export interface DeviceSource {
  enumerate(): Promise<Array<Pick<MediaDeviceInfo, 'deviceId' | 'kind' | 'label'>>>;
  onChange(listener: () => void): () => void;
}

export interface DeviceSinks {
  setMicrophone(deviceId: string | null): Promise<void> | void;
  setSpeaker(deviceId: string | null): Promise<void> | void;
  setRinger(deviceId: string | null): void;
}

export type EffectiveDevices = Record<DeviceRole, string | null>;

const ROLES: ReadonlyArray<[DeviceRole, keyof AudioDevicePrefs, AudioDevice['kind']]> = [
  ['microphone', 'microphoneId', 'audioinput'],
  ['speaker', 'speakerId', 'audiooutput'],
  ['ringer', 'ringerId', 'audiooutput'],
];

/** The headset's audio for a role, and whether it is in use (or only on offer). */
export type HeadsetAudioUse = Record<
  'microphone' | 'speaker',
  { device: AudioDevice; used: boolean } | null
>;

const isChosen = (id: string | null): id is string => !!id && id !== 'default';

/**
 * The devices to use for the agent's choices (the headset's own microphone and speaker where
 * the agent chose none), and the chosen ones that are missing.
 */
export function resolveDevices(
  prefs: AudioDevicePrefs,
  devices: AudioDevice[],
  labels: ReadonlyMap<string, string> = new Map(),
  headset: UsbId | null = null,
): { effective: EffectiveDevices; fallbacks: DeviceFallback[] } {
  const effective: EffectiveDevices = { microphone: null, speaker: null, ringer: null };
  const fallbacks: DeviceFallback[] = [];
  const paired = pairHeadsetAudio(devices, headset);
  for (const [role, key, kind] of ROLES) {
    const id = prefs[key];
    if (!isChosen(id)) {
      // The ringer stays where it is: a ring only in the ear is missed with the headset off.
      if (role !== 'ringer') effective[role] = paired[role]?.deviceId ?? null;
      continue;
    }
    const ofKind = devices.filter((d) => d.kind === kind);
    // Before the microphone permission, ids are hidden (''): presence is unknown, keep it.
    const unknown = ofKind.some((d) => d.deviceId === '');
    if (unknown || ofKind.some((d) => d.deviceId === id)) effective[role] = id;
    else fallbacks.push({ role, label: labels.get(id) ?? '' });
  }
  return { effective, fallbacks };
}

/** The headset's microphone and speaker, and whether each is used or only available. */
export function headsetAudioUse(
  prefs: AudioDevicePrefs,
  devices: AudioDevice[],
  headset: UsbId | null,
): HeadsetAudioUse {
  const paired = pairHeadsetAudio(devices, headset);
  const status = (device: AudioDevice | null, chosen: string | null) =>
    device && { device, used: !isChosen(chosen) || chosen === device.deviceId };
  return {
    microphone: status(paired.microphone, prefs.microphoneId),
    speaker: status(paired.speaker, prefs.speakerId),
  };
}

export function startDeviceSync(opts: {
  store: AgentStore;
  source: DeviceSource;
  sinks: DeviceSinks;
}): () => void {
  const { store, source, sinks } = opts;
  const labels = new Map<string, string>();
  let devices: AudioDevice[] = [];
  let applied: EffectiveDevices | null = null;
  let stopped = false;

  function apply() {
    const s = store.getState();
    const prefs = s.settings?.audio;
    if (!prefs) return;
    const { effective, fallbacks } = resolveDevices(prefs, devices, labels, s.headset.device);
    if (JSON.stringify(fallbacks) !== JSON.stringify(s.deviceFallbacks) || s.devices !== devices)
      s.setDevices(devices, fallbacks);
    const run = (p: Promise<void> | void) =>
      void Promise.resolve(p).catch((err: unknown) => {
        console.warn('agent: could not switch the audio device', err);
      });
    if (applied?.microphone !== effective.microphone && (applied || effective.microphone))
      run(sinks.setMicrophone(effective.microphone));
    if (applied?.speaker !== effective.speaker && (applied || effective.speaker))
      run(sinks.setSpeaker(effective.speaker));
    if (applied?.ringer !== effective.ringer) sinks.setRinger(effective.ringer);
    applied = effective;
  }

  async function refresh() {
    try {
      const list = await source.enumerate();
      if (stopped) return;
      devices = list
        .filter((d) => d.kind === 'audioinput' || d.kind === 'audiooutput')
        .map((d) => ({
          deviceId: d.deviceId,
          kind: d.kind as AudioDevice['kind'],
          label: d.label,
        }));
      for (const d of devices) if (d.label) labels.set(d.deviceId, d.label);
    } catch (err) {
      console.warn('agent: could not list audio devices', err);
    }
    apply();
  }

  const offChange = source.onChange(() => void refresh());
  let prefs = store.getState().settings?.audio;
  let headset = usbKey(store.getState().headset.device);
  const unsub = store.subscribe((s) => {
    const nextHeadset = usbKey(s.headset.device);
    if (s.settings?.audio === prefs && nextHeadset === headset) return;
    prefs = s.settings?.audio;
    headset = nextHeadset;
    apply();
  });
  void refresh();
  return () => {
    stopped = true;
    offChange();
    unsub();
  };
}

const usbKey = (id: UsbId | null) => (id ? `${id.vendorId}:${id.productId}` : '');

export function browserDeviceSource(md: MediaDevices | undefined = navigator.mediaDevices) {
  return {
    enumerate: () => md?.enumerateDevices() ?? Promise.resolve([]),
    onChange(listener: () => void) {
      md?.addEventListener('devicechange', listener);
      return () => md?.removeEventListener('devicechange', listener);
    },
  } satisfies DeviceSource;
}
