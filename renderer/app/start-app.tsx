// Composition root of the screen: api over the bridge, store, actions, i18n, sync with main,
// the ringer, and React. main.tsx passes the real bridge; tests pass a fake one.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { AgentApi, AgentBridge } from '../../preload/contract';
import { createApi } from '../api';
import type { CallTones } from '../media/call-tones';
import type { Ringer } from '../media/ringer';
import { AgentProvider } from './agent-context';
import { App } from './App';
import { createCallActions } from './call-actions';
import { createCrmActions } from './crm-actions';
import { createNoteWriter, type NoteWriterOptions } from './note-writer';
import { createOutboundActions } from './outbound-actions';
import { startOutboundSync } from './outbound/outbound-sync';
import {
  mirrorCallMedia,
  ringbackWhileOutboundRinging,
  sampleQualityEvery,
  type CallMediaControl,
} from './call-media';
import { startDeviceSync, type DeviceSource } from './devices';
import { createI18n } from './i18n/i18n';
import { ringWhileInboundRinging } from './ring-on-incoming';
import { createAgentStore, type AgentStore } from './store/agent-store';
import { startSync } from './sync';
import { createTalkTrackActions } from './talk-track/talk-track-actions';
import { startTalkTrackSync } from './talk-track/talk-track-sync';
import { startHeadset, type HidLike } from '../headset/webhid-headset';

export interface StartAppOptions {
  bridge: AgentBridge;
  container: Element;
  ringer?: Pick<Ringer, 'start' | 'stop'> & Partial<Pick<Ringer, 'setSink'>>;
  endedLingerMs?: number;
  /** The media port's controls (mute, mix, devices, quality); absent in screen-only tests. */
  media?: CallMediaControl & {
    setMicrophone(deviceId: string | null): Promise<void>;
    setSpeaker(deviceId: string | null): Promise<void>;
  };
  tones?: CallTones;
  devices?: DeviceSource;
  qualityIntervalMs?: number;
  notes?: NoteWriterOptions;
  /** navigator.hid (WebHID) for the headset's buttons and LEDs; absent where there is none. */
  hid?: HidLike;
}

export interface RunningApp {
  api: AgentApi;
  store: AgentStore;
  stop(): void;
}

export function startApp(opts: StartAppOptions): RunningApp {
  const api = createApi(opts.bridge);
  const store = createAgentStore();
  const actions = createCallActions(api, store, { dtmfFeedback: (t) => opts.tones?.dtmf(t) });
  // Started without WebHID too: the keyboard's Play/Pause goes through it, and the settings
  // say the headset cannot be used here.
  const headset = startHeadset({
    hid: opts.hid,
    store,
    actions,
    onStatus: (status) => store.getState().setHeadset(status),
  });
  const services = {
    store,
    actions,
    crm: createCrmActions(api, store),
    notes: createNoteWriter(api, store, opts.notes),
    outbound: createOutboundActions(api, store),
    talkTrack: createTalkTrackActions(api, store),
    headset,
    i18n: createI18n(store.getState().locale),
  };
  // Closing or reloading the window: the last keystrokes go out now, not after the pause.
  const flushNotes = () => void services.notes.flushAll();
  window.addEventListener('pagehide', flushNotes);
  const stopSync = startSync({
    bridge: opts.bridge,
    api,
    store,
    endedLingerMs: opts.endedLingerMs,
  });
  const stops: Array<() => void> = [
    startOutboundSync({ bridge: opts.bridge, store, outbound: services.outbound }),
    startTalkTrackSync({ bridge: opts.bridge, store, talkTrack: services.talkTrack }),
    () => headset.stop(),
  ];
  if (opts.ringer) stops.push(ringWhileInboundRinging(store, opts.ringer));
  if (opts.tones) stops.push(ringbackWhileOutboundRinging(store, opts.tones));
  const { media, tones, ringer } = opts;
  if (media) {
    stops.push(mirrorCallMedia(store, media));
    stops.push(
      sampleQualityEvery({ store, api, media, intervalMs: opts.qualityIntervalMs ?? 2_000 }),
    );
    if (opts.devices)
      stops.push(
        startDeviceSync({
          store,
          source: opts.devices,
          sinks: {
            setMicrophone: (id) => media.setMicrophone(id),
            setSpeaker: async (id) => {
              await media.setSpeaker(id);
              tones?.setSink(id); // ringback and keypad tones with the call audio
            },
            setRinger: (id) => ringer?.setSink?.(id),
          },
        }),
      );
  }
  const root = createRoot(opts.container);
  root.render(
    <StrictMode>
      <AgentProvider services={services}>
        <App />
      </AgentProvider>
    </StrictMode>,
  );
  return {
    api,
    store,
    stop() {
      window.removeEventListener('pagehide', flushNotes);
      void services.notes.flushAll();
      services.notes.dispose();
      stopSync();
      for (const stop of stops) stop();
      root.unmount();
    },
  };
}
