// Renders the real App with a real store, api proxy and sync against a fake bridge.
import { act, render } from '@testing-library/react';
import { createApi } from '../../../renderer/api';
import { AgentProvider } from '../../../renderer/app/agent-context';
import { App } from '../../../renderer/app/App';
import { createCallActions } from '../../../renderer/app/call-actions';
import { createCrmActions } from '../../../renderer/app/crm-actions';
import { createNoteWriter, type NoteWriterOptions } from '../../../renderer/app/note-writer';
import { createI18n } from '../../../renderer/app/i18n/i18n';
import { createAgentStore } from '../../../renderer/app/store/agent-store';
import { startSync } from '../../../renderer/app/sync';
import { fakeBridge, type FakeBridge, type Handlers } from './fake-bridge';

export async function renderAgent(
  opts: { handlers?: Handlers; bridge?: FakeBridge; notes?: NoteWriterOptions } = {},
) {
  const bridge = opts.bridge ?? fakeBridge(opts.handlers);
  const api = createApi(bridge);
  const store = createAgentStore();
  const services = {
    store,
    actions: createCallActions(api, store),
    crm: createCrmActions(api, store),
    notes: createNoteWriter(api, store, opts.notes),
    i18n: createI18n(store.getState().locale),
  };
  const stopSync = startSync({ bridge, api, store, endedLingerMs: 1_000 });
  const view = render(
    <AgentProvider services={services}>
      <App />
    </AgentProvider>,
  );
  await flush();
  return { bridge, api, store, view, stopSync, i18n: services.i18n, notes: services.notes };
}

/** Let pending promises (fake bridge replies) settle inside act(). */
export async function flush() {
  await act(async () => {
    for (let i = 0; i < 5; i++) await Promise.resolve();
  });
}
