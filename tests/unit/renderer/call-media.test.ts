// Ringback while an outbound call rings; mute and the conference mix mirrored from the calls;
// quality sampled, shown and reported.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Call } from '../../../preload/contract';
import {
  conferenceMembers,
  mirrorCallMedia,
  ringbackWhileOutboundRinging,
  sampleQualityEvery,
} from '../../../renderer/app/call-media';
import { createAgentStore } from '../../../renderer/app/store/agent-store';
import { ringingCall, unknownCall } from './fixtures';

afterEach(() => vi.useRealTimers());

const outbound = (state: Call['state']) => unknownCall({ id: 'out', direction: 'outbound', state });

describe('ringback', () => {
  it('plays while the far end rings, stops on answer or failure', () => {
    const store = createAgentStore();
    const tones = { startRingback: vi.fn(), stopRingback: vi.fn() };
    ringbackWhileOutboundRinging(store, tones);
    store.getState().upsertCall(outbound('connecting'));
    expect(tones.startRingback).not.toHaveBeenCalled();
    store.getState().upsertCall(outbound('ringing'));
    expect(tones.startRingback).toHaveBeenCalled();
    store.getState().upsertCall(outbound('active'));
    expect(tones.stopRingback).toHaveBeenCalled();
    // An inbound ringing call is the ringer's job, not ringback.
    tones.startRingback.mockClear();
    store.getState().upsertCall(ringingCall());
    expect(tones.startRingback).not.toHaveBeenCalled();
  });
});

describe('mirror call media', () => {
  it('mute and the conference follow the calls main reports', () => {
    const store = createAgentStore();
    const media = {
      setMute: vi.fn(async () => true),
      conference: vi.fn(async () => {}),
      sampleQuality: vi.fn(async () => null),
    };
    mirrorCallMedia(store, media);
    const a = ringingCall({ id: 'a', state: 'active' });
    const b = unknownCall({ id: 'b', state: 'active' });
    store.getState().upsertCall(a);
    store.getState().upsertCall(b);
    expect(media.setMute).toHaveBeenCalledWith('a', false);
    store.getState().upsertCall({ ...a, muted: true });
    expect(media.setMute).toHaveBeenLastCalledWith('a', true);
    store.getState().upsertCall({ ...a, muted: true, conferenceId: 'c1' });
    expect(media.conference).not.toHaveBeenCalled();
    store.getState().upsertCall({ ...b, conferenceId: 'c1' });
    expect(media.conference).toHaveBeenLastCalledWith(['a', 'b']);
    store.getState().upsertCall({ ...b, state: 'ended' });
    expect(media.conference).toHaveBeenLastCalledWith([]);
    expect(media.conference).toHaveBeenCalledTimes(2);
  });

  it('conferenceMembers needs two calls sharing an id', () => {
    const a = ringingCall({ id: 'a', conferenceId: 'c' });
    expect(conferenceMembers([a])).toEqual([]);
    expect(conferenceMembers([a, unknownCall({ id: 'b', conferenceId: 'c' })])).toEqual(['a', 'b']);
  });
});

describe('quality sampling', () => {
  it('every interval per active call: stored for the screen and sent with reportQuality', async () => {
    vi.useFakeTimers();
    const store = createAgentStore();
    store.getState().upsertCall(ringingCall({ state: 'active' }));
    store.getState().upsertCall(unknownCall({ id: 'ringing-one' }));
    let received = 0;
    const media = {
      sampleQuality: vi.fn(async (id: string) => {
        if (id !== 'call-1') return null;
        received += 100;
        return { packetsReceived: received, packetsLost: 0, jitterS: 0.002, rttS: 0.03 };
      }),
    };
    const api = { reportQuality: vi.fn(async () => ({ ok: true as const })) };
    const stop = sampleQualityEvery({ store, api, media, intervalMs: 2_000 });
    await vi.advanceTimersByTimeAsync(2_000);
    expect(media.sampleQuality).toHaveBeenCalledTimes(1); // the ringing call is not sampled
    const q = store.getState().quality['call-1'];
    expect(q).toMatchObject({ lossPct: 0, jitterMs: 2, rttMs: 30 });
    expect(q!.mos).toBeGreaterThan(4.3);
    expect(api.reportQuality).toHaveBeenCalledWith({ callId: 'call-1', quality: q });
    await vi.advanceTimersByTimeAsync(2_000);
    expect(api.reportQuality).toHaveBeenCalledTimes(2);
    stop();
  });
});
