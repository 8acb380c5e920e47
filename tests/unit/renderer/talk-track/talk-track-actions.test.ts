// A ringing call's talk track is asked for only after the pop has had its frame: the
// customer's name is never held back by the script's choice (pop_latency_ms).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApi } from '../../../../renderer/api';
import { createAgentStore } from '../../../../renderer/app/store/agent-store';
import { createTalkTrackActions } from '../../../../renderer/app/talk-track/talk-track-actions';
import { fakeBridge } from '../fake-bridge';
import { ringingCall } from '../fixtures';
import { fakeTalkTracks } from './fake-talk-tracks';

afterEach(() => {
  vi.useRealTimers();
});

function setUp() {
  vi.useFakeTimers({ toFake: ['setTimeout', 'requestAnimationFrame'] });
  const core = fakeTalkTracks();
  const bridge = fakeBridge({ ...core.handlers });
  core.attach(bridge);
  const store = createAgentStore();
  const talk = createTalkTrackActions(createApi(bridge), store);
  store.subscribe(() => talk.observe());
  return { bridge, store };
}

describe('talk-track fetches', () => {
  it('a ringing call: after the next frame, once, with the script list', async () => {
    const { bridge, store } = setUp();
    store.getState().upsertCall(ringingCall());
    store.getState().upsertCall(ringingCall({ quality: null }));
    expect(bridge.calls('getTalkTrack')).toEqual([]);
    expect(bridge.calls('listScripts')).toEqual([]);
    // Frames come every 16 ms; the 100 ms latest-by timer has not fired by 50.
    await vi.advanceTimersByTimeAsync(50);
    expect(bridge.calls('getTalkTrack')).toEqual([{ callId: 'call-1' }]);
    expect(bridge.calls('listScripts')).toEqual([{}]);
    // The 100 ms latest-by timer of the same request does not ask again.
    await vi.advanceTimersByTimeAsync(200);
    expect(bridge.calls('getTalkTrack')).toHaveLength(1);
  });

  it('without frames (a minimized window) it still comes, by 100 ms', async () => {
    const { bridge, store } = setUp();
    vi.stubGlobal('requestAnimationFrame', () => 0);
    try {
      store.getState().upsertCall(ringingCall());
      await vi.advanceTimersByTimeAsync(99);
      expect(bridge.calls('getTalkTrack')).toEqual([]);
      await vi.advanceTimersByTimeAsync(1);
      expect(bridge.calls('getTalkTrack')).toEqual([{ callId: 'call-1' }]);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('a call answered or dialled is asked for at once; one gone before the frame is not', async () => {
    const { bridge, store } = setUp();
    store.getState().upsertCall(ringingCall({ id: 'call-2', state: 'active' }));
    expect(bridge.calls('getTalkTrack')).toEqual([{ callId: 'call-2' }]);
    store.getState().upsertCall(ringingCall());
    store.getState().upsertCall(ringingCall({ state: 'ended', outcome: 'missed' }));
    await vi.advanceTimersByTimeAsync(200);
    expect(bridge.calls('getTalkTrack')).toEqual([{ callId: 'call-2' }]);
  });
});
