// The renderer's one way to talk to main. In Electron the preload exposes window.agent (IPC);
// in browser mode (dev, E2E) the same contract runs over a loopback WebSocket.
import type { AgentBridge } from '../preload/contract';
import { rpcUrl, takeToken } from './session-token';
import { createWsBridge, type ConnectionEvents } from './ws-bridge';

export { createApi } from './api';
export type { ConnectionState, ConnectionEvents } from './ws-bridge';

declare global {
  interface Window {
    /** Set by preload/index.ts (contextBridge) when running inside Electron. */
    agent?: AgentBridge;
  }
}

let bridge: AgentBridge | undefined;

export function getBridge(): AgentBridge {
  if (bridge) return bridge;
  if (window.agent) {
    bridge = window.agent;
  } else {
    const token = takeToken();
    if (!token) console.warn('agent: no session token; open the address the app printed');
    bridge = createWsBridge({ url: rpcUrl(window.location, token ?? '') });
  }
  return bridge;
}

/**
 * Connection events for any bridge. IPC never drops (a dead main process ends the window),
 * so the Electron bridge is simply always open.
 */
export function connectionEvents(b: AgentBridge): ConnectionEvents {
  if ('onConnection' in b && 'onReconnected' in b) return b as AgentBridge & ConnectionEvents;
  return {
    onConnection(listener) {
      listener('open');
      return () => {};
    },
    onReconnected: () => () => {},
  };
}
