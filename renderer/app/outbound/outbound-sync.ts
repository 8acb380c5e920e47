// Wires the outbound actions to main and to the store: 'queue.changed' (and a reconnect)
// refreshes the list; every store change goes to observe() (calls ending → wrap-up,
// progressive mode, the countdown stopping when a call comes in).
import type { AgentBridge } from '../../../preload/contract';
import { connectionEvents } from '../../bridge';
import type { OutboundActions } from '../outbound-actions';
import type { AgentStore } from '../store/agent-store';

export function startOutboundSync(opts: {
  bridge: AgentBridge;
  store: AgentStore;
  outbound: OutboundActions;
}): () => void {
  const { bridge, store, outbound } = opts;
  const conn = connectionEvents(bridge);
  const offs = [
    bridge.on('queue.changed', (counts) => outbound.refreshQueue(counts)),
    conn.onReconnected(() => outbound.refreshQueue()),
    store.subscribe(() => outbound.observe()),
  ];
  return () => {
    for (const off of offs) off();
    outbound.dispose();
  };
}
