// The media port's controls that must not re-INVITE: mute, microphone swap, the conference
// mix (with fake WebAudio nodes); ICE restart and recovery offers.
import { describe, expect, it, vi } from 'vitest';
import { createMediaPort, type MediaDeps } from '../../../renderer/media/media-port';

let trackNo = 0;
class Track {
  enabled = true;
  stopped = false;
  readonly id = `t${++trackNo}`;
  readonly kind = 'audio';
  constructor(readonly from: string) {}
  stop() {
    this.stopped = true;
  }
}
class Stream {
  constructor(readonly tracks: Track[]) {}
  getTracks() {
    return this.tracks;
  }
  getAudioTracks() {
    return this.tracks;
  }
}
class Sender {
  constructor(public track: Track | null) {}
  replaceTrack = vi.fn(async (t: Track | null) => {
    this.track = t;
  });
  dtmf = { canInsertDTMF: true, insertDTMF: vi.fn() };
}
class Pc extends EventTarget {
  signalingState: RTCSignalingState = 'stable';
  iceGatheringState: RTCIceGatheringState = 'complete';
  iceConnectionState = 'connected';
  localDescription: RTCSessionDescriptionInit | null = null;
  senders: Sender[] = [];
  transceivers = [{ direction: 'sendrecv' }];
  offers: Array<RTCOfferOptions | undefined> = [];
  closed = false;
  addTrack(t: Track) {
    const s = new Sender(t);
    this.senders.push(s);
    return s;
  }
  getSenders() {
    return this.senders;
  }
  getTransceivers() {
    return this.transceivers;
  }
  async createOffer(o?: RTCOfferOptions) {
    this.offers.push(o);
    return { type: 'offer' as const, sdp: o?.iceRestart ? 'offer+restart' : 'offer' };
  }
  async createAnswer() {
    return { type: 'answer' as const, sdp: 'answer' };
  }
  async setLocalDescription(d: RTCSessionDescriptionInit) {
    this.localDescription = d;
    this.signalingState = d.type === 'offer' ? 'have-local-offer' : 'stable';
  }
  async setRemoteDescription(d: RTCSessionDescriptionInit) {
    this.signalingState = d.type === 'offer' ? 'have-remote-offer' : 'stable';
  }
  close() {
    this.closed = true;
  }
  async getStats() {
    return new Map([
      [
        'i',
        { type: 'inbound-rtp', kind: 'audio', packetsReceived: 500, packetsLost: 5, jitter: 0.01 },
      ],
      ['r', { type: 'remote-inbound-rtp', kind: 'audio', roundTripTime: 0.04 }],
    ]);
  }
  remote(stream: Stream) {
    const e = new Event('track') as Event & { streams: unknown[]; track: unknown };
    e.streams = [stream];
    e.track = stream.tracks[0];
    this.dispatchEvent(e);
  }
}

/** Fake WebAudio: records which source feeds which destination. */
class FakeAudio {
  edges: Array<[string, string]> = [];
  closed = false;
  private n = 0;
  createMediaStreamSource(stream: Stream) {
    const name = `src(${stream.tracks[0]!.from})`;
    return { connect: (dest: { name: string }) => this.edges.push([name, dest.name]) };
  }
  createMediaStreamDestination() {
    const name = `dest${++this.n}`;
    return { name, stream: new Stream([new Track(name)]) };
  }
  async close() {
    this.closed = true;
  }
}

function setup() {
  const pcs: Pc[] = [];
  const mics: Array<{ deviceId: string | null | undefined; stream: Stream }> = [];
  const audio: FakeAudio[] = [];
  const deps: MediaDeps = {
    createPeerConnection: () => {
      const pc = new Pc();
      pcs.push(pc);
      return pc as unknown as RTCPeerConnection;
    },
    getMicrophone: async (deviceId) => {
      const stream = new Stream([new Track(`mic:${deviceId ?? 'default'}`)]);
      mics.push({ deviceId, stream });
      return stream as unknown as MediaStream;
    },
    playRemote: vi.fn(() => () => {}),
    setSpeaker: vi.fn(),
    createAudioContext: () => {
      const a = new FakeAudio();
      audio.push(a);
      return a as unknown as AudioContext;
    },
    iceGatheringMaxMs: 10,
  };
  return { port: createMediaPort(deps), pcs, mics, audio, deps };
}

async function twoCalls(s: ReturnType<typeof setup>) {
  for (const id of ['a', 'b']) {
    await s.port.handle('setDescription', { callId: id, sdp: 'offer' });
    await s.port.handle('getDescription', { callId: id, hold: false });
  }
  s.pcs[0]!.remote(new Stream([new Track('remote-a')]));
  s.pcs[1]!.remote(new Stream([new Track('remote-b')]));
}

/** A method name main might send that this renderer does not know. */
const handleUnknown = (port: ReturnType<typeof setup>['port'], method: string, args: unknown) =>
  (port.handle as unknown as (m: string, a: unknown) => Promise<unknown>)(method, args);

describe('mute', () => {
  it("media request 'setMute' disables the call's microphone track, and enables it again", async () => {
    const s = setup();
    await s.port.handle('getDescription', { callId: 'a', hold: false });
    const track = s.mics[0]!.stream.tracks[0]!;
    await expect(s.port.handle('setMute', { callId: 'a', muted: true })).resolves.toEqual({
      ok: true,
    });
    expect(track.enabled).toBe(false);
    expect(s.pcs[0]!.offers).toHaveLength(1); // no new offer: no re-INVITE
    await s.port.setMute('a', false);
    expect(track.enabled).toBe(true);
    expect(await s.port.setMute('unknown', true)).toBe(false);
  });

  it('mute asked before the media exists (after a reload) holds once main re-INVITEs', async () => {
    const s = setup();
    expect(await s.port.setMute('a', true)).toBe(false);
    await s.port.handle('getDescription', { callId: 'a', hold: false });
    expect(s.mics[0]!.stream.tracks[0]!.enabled).toBe(false);
  });

  it('unknown media methods are refused', async () => {
    const s = setup();
    await expect(handleUnknown(s.port, 'nope', {})).rejects.toThrow('unknown media method');
  });
});

describe('recovery and ICE restart', () => {
  it('getDescription for an unknown call (after a reload) makes a fresh PC and an offer', async () => {
    const s = setup();
    const { sdp } = await s.port.handle('getDescription', { callId: 'restored', hold: false });
    expect(sdp).toBe('offer');
    expect(s.pcs).toHaveLength(1);
    expect(s.pcs[0]!.offers).toEqual([undefined]);
  });

  it('iceRestart: true → createOffer({ iceRestart: true }) on the same PC', async () => {
    const s = setup();
    await s.port.handle('getDescription', { callId: 'a', hold: false });
    await s.port.handle('setDescription', { callId: 'a', sdp: 'answer' });
    const { sdp } = await s.port.handle('getDescription', {
      callId: 'a',
      hold: false,
      iceRestart: true,
    });
    expect(sdp).toBe('offer+restart');
    expect(s.pcs).toHaveLength(1);
    expect(s.pcs[0]!.offers).toEqual([undefined, { iceRestart: true }]);
  });
});

describe('microphone and speaker', () => {
  it('switching the microphone mid-call: getUserMedia for the device, replaceTrack on every call', async () => {
    const s = setup();
    await twoCalls(s);
    await s.port.setMute('b', true);
    await s.port.setMicrophone('headset-2');
    const newMics = s.mics.filter((m) => m.deviceId === 'headset-2');
    expect(newMics).toHaveLength(2);
    expect(s.pcs[0]!.senders[0]!.replaceTrack).toHaveBeenCalledWith(newMics[0]!.stream.tracks[0]);
    expect(s.pcs[1]!.senders[0]!.replaceTrack).toHaveBeenCalledWith(newMics[1]!.stream.tracks[0]);
    // The old tracks are released; a muted call stays muted on the new microphone.
    expect(s.mics[0]!.stream.tracks[0]!.stopped).toBe(true);
    expect(newMics[1]!.stream.tracks[0]!.enabled).toBe(false);
    expect(s.pcs.every((pc) => pc.offers.length === 0)).toBe(true); // no re-INVITE
    // New calls use it too.
    await s.port.handle('getDescription', { callId: 'c', hold: false });
    expect(s.mics.at(-1)!.deviceId).toBe('headset-2');
  });

  it('the speaker is passed to the media deps', async () => {
    const s = setup();
    await s.port.setSpeaker('spk-1');
    expect(s.deps.setSpeaker).toHaveBeenCalledWith('spk-1');
  });
});

describe('conference mix', () => {
  it('each far end hears the agent and the other party; [] restores the plain microphone', async () => {
    const s = setup();
    await twoCalls(s);
    await s.port.handle('conference', { callIds: ['a', 'b'] });
    const [ctx] = s.audio;
    expect(ctx).toBeDefined();
    // dest1 goes to call a: a's mic + b's far end; dest2 to call b: b's mic + a's far end.
    expect(ctx!.edges.sort()).toEqual(
      [
        ['src(mic:default)', 'dest1'],
        ['src(remote-b)', 'dest1'],
        ['src(mic:default)', 'dest2'],
        ['src(remote-a)', 'dest2'],
      ].sort(),
    );
    expect(s.pcs[0]!.senders[0]!.track!.from).toBe('dest1');
    expect(s.pcs[1]!.senders[0]!.track!.from).toBe('dest2');

    await s.port.conference([]);
    expect(ctx!.closed).toBe(true);
    expect(s.pcs[0]!.senders[0]!.track).toBe(s.mics[0]!.stream.tracks[0]);
    expect(s.pcs[1]!.senders[0]!.track).toBe(s.mics[1]!.stream.tracks[0]);
  });

  it('closing one call of the mix gives the other its plain microphone back', async () => {
    const s = setup();
    await twoCalls(s);
    await s.port.conference(['a', 'b']);
    await s.port.handle('close', { callId: 'a' });
    expect(s.audio[0]!.closed).toBe(true);
    expect(s.pcs[1]!.senders[0]!.track).toBe(s.mics[1]!.stream.tracks[0]);
  });
});

describe('quality sample', () => {
  it('reads loss, jitter and RTT from getStats', async () => {
    const s = setup();
    await s.port.handle('getDescription', { callId: 'a', hold: false });
    await expect(s.port.sampleQuality('a')).resolves.toEqual({
      packetsReceived: 500,
      packetsLost: 5,
      jitterS: 0.01,
      rttS: 0.04,
    });
    await expect(s.port.sampleQuality('zz')).resolves.toBeNull();
  });
});
