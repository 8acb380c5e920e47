// Renders the real App with a real store, api proxy and sync against a fake bridge.
import { act, render } from '@testing-library/react';
import { createApi } from '../../../renderer/api';
import { AgentProvider } from '../../../renderer/app/agent-context';
import { App } from '../../../renderer/app/App';
import { createCallActions } from '../../../renderer/app/call-actions';
import { createCrmActions } from '../../../renderer/app/crm-actions';
import { createNoteWriter, type NoteWriterOptions } from '../../../renderer/app/note-writer';
import { createI18n } from '../../../renderer/app/i18n/i18n';
import { createOutboundActions } from '../../../renderer/app/outbound-actions';
import { startOutboundSync } from '../../../renderer/app/outbound/outbound-sync';
import { createAgentStore } from '../../../renderer/app/store/agent-store';
import { startSync } from '../../../renderer/app/sync';
import { createTalkTrackActions } from '../../../renderer/app/talk-track/talk-track-actions';
import { startTalkTrackSync } from '../../../renderer/app/talk-track/talk-track-sync';
import { startHeadset, type HidLike } from '../../../renderer/headset/webhid-headset';
import { fakeBridge, type FakeBridge, type Handlers } from './fake-bridge';

export async function renderAgent(
  opts: {
    handlers?: Handlers;
    bridge?: FakeBridge;
    notes?: NoteWriterOptions;
    /** The agent's time zone (the machine's otherwise). */
    agentZone?: string;
    /** navigator.hid for the headset glue (none: a browser without WebHID). */
    hid?: HidLike;
  } = {},
) {
  const bridge = opts.bridge ?? fakeBridge(opts.handlers);
  const api = createApi(bridge);
  const store = createAgentStore();
  if (opts.agentZone) store.getState().setAgentZone(opts.agentZone);
  const actions = createCallActions(api, store);
  const headset = startHeadset({
    hid: opts.hid,
    store,
    actions,
    onStatus: (status) => store.getState().setHeadset(status),
    log: { warn: () => {} },
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
  const stopMain = startSync({ bridge, api, store, endedLingerMs: 1_000 });
  const stopOutbound = startOutboundSync({ bridge, store, outbound: services.outbound });
  const stopTalk = startTalkTrackSync({ bridge, store, talkTrack: services.talkTrack });
  const stopSync = () => {
    headset.stop();
    stopTalk();
    stopOutbound();
    stopMain();
  };
  const view = render(
    <AgentProvider services={services}>
      <App />
    </AgentProvider>,
  );
  await flush();
  return {
    bridge,
    api,
    store,
    view,
    stopSync,
    i18n: services.i18n,
    notes: services.notes,
    outbound: services.outbound,
    talkTrack: services.talkTrack,
    headset,
  };
}

/** Let pending promises (fake bridge replies) settle inside act(). */
export async function flush() {
  await act(async () => {
    for (let i = 0; i < 5; i++) await Promise.resolve();
  });
}
