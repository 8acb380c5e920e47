// Wires the talk tracks to main: 'talkTrack.updated' is merged by call id, 'scripts.changed'
// refreshes the script list, a reconnect asks core again for every talk track kept (the
// sessions live in core: after a reload, hello's calls bring theirs back through observe()).
// The script list is fetched with the first call that wants a talk track, or by the settings.
import type { AgentBridge } from '../../../preload/contract';
import { connectionEvents } from '../../bridge';
import type { AgentStore } from '../store/agent-store';
import type { TalkTrackActions } from './talk-track-actions';

export function startTalkTrackSync(opts: {
  bridge: AgentBridge;
  store: AgentStore;
  talkTrack: TalkTrackActions;
}): () => void {
  const { bridge, store, talkTrack } = opts;
  const conn = connectionEvents(bridge);
  const offs = [
    bridge.on('talkTrack.updated', (track) => talkTrack.updated(track)),
    bridge.on('scripts.changed', () => talkTrack.scriptsChanged()),
    conn.onReconnected(() => talkTrack.reloadAll()),
    store.subscribe(() => talkTrack.observe()),
  ];
  talkTrack.observe();
  return () => {
    for (const off of offs) off();
  };
}
