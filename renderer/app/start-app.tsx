// Composition root of the screen: api over the bridge, store, actions, i18n, sync with main,
// the ringer, and React. main.tsx passes the real bridge; tests pass a fake one.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { AgentApi, AgentBridge } from '../../preload/contract';
import { createApi } from '../api';
import type { Ringer } from '../media/ringer';
import { AgentProvider } from './agent-context';
import { App } from './App';
import { createCallActions } from './call-actions';
import { createI18n } from './i18n/i18n';
import { ringWhileInboundRinging } from './ring-on-incoming';
import { createAgentStore, type AgentStore } from './store/agent-store';
import { startSync } from './sync';

export interface StartAppOptions {
  bridge: AgentBridge;
  container: Element;
  ringer?: Pick<Ringer, 'start' | 'stop'>;
  endedLingerMs?: number;
}

export interface RunningApp {
  api: AgentApi;
  store: AgentStore;
  stop(): void;
}

export function startApp(opts: StartAppOptions): RunningApp {
  const api = createApi(opts.bridge);
  const store = createAgentStore();
  const services = {
    store,
    actions: createCallActions(api, store),
    i18n: createI18n(store.getState().locale),
  };
  const stopSync = startSync({
    bridge: opts.bridge,
    api,
    store,
    endedLingerMs: opts.endedLingerMs,
  });
  const stopRing = opts.ringer ? ringWhileInboundRinging(store, opts.ringer) : () => {};
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
      stopSync();
      stopRing();
      root.unmount();
    },
  };
}
