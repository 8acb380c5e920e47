// The renderer's MediaPort logic over a fake RTCPeerConnection (jsdom has no WebRTC; the
// real one is exercised by the E2E test in Chromium).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { browserMediaDeps } from '../../../renderer/media/browser-media';
import { installMediaDiagnostics } from '../../../renderer/media/diagnostics';
import { createMediaPort, type MediaDeps } from '../../../renderer/media/media-port';

class FakeTrack {
  stopped = false;
  constructor(readonly kind = 'audio') {}
  stop() {
    this.stopped = true;
  }
}

class FakeStream {
  tracks = [new FakeTrack()];
  getTracks() {
    return this.tracks;
  }
}

class FakePc extends EventTarget {
  signalingState: RTCSignalingState = 'stable';
  iceGatheringState: RTCIceGatheringState = 'new';
  iceConnectionState: RTCIceConnectionState = 'new';
  localDescription: RTCSessionDescriptionInit | null = null;
  remoteDescription: RTCSessionDescriptionInit | null = null;
  transceivers: Array<{ direction: RTCRtpTransceiverDirection }> = [];
  senders: Array<{
    track: FakeTrack;
    dtmf: { canInsertDTMF: boolean; insertDTMF: ReturnType<typeof vi.fn> };
  }> = [];
  closed = false;
  gatherMs: number | null = 5;
  constructor(readonly config: RTCConfiguration) {
    super();
  }
  addTrack(track: FakeTrack) {
    this.transceivers.push({ direction: 'sendrecv' });
    this.senders.push({ track, dtmf: { canInsertDTMF: true, insertDTMF: vi.fn() } });
  }
  getTransceivers() {
    return this.transceivers;
  }
  getSenders() {
    return this.senders;
  }
  async createOffer() {
    return { type: 'offer' as const, sdp: `offer:${this.transceivers.map((t) => t.direction)}` };
  }
  async createAnswer() {
    if (this.signalingState !== 'have-remote-offer') throw new Error('no remote offer');
    return { type: 'answer' as const, sdp: `answer:${this.transceivers.map((t) => t.direction)}` };
  }
  async setLocalDescription(d: RTCSessionDescriptionInit) {
    this.localDescription = { ...d, sdp: `${d.sdp} (gathering)` };
    this.signalingState = d.type === 'offer' ? 'have-local-offer' : 'stable';
    this.iceGatheringState = 'gathering';
    if (this.gatherMs !== null) {
      setTimeout(() => {
        this.localDescription = { ...d, sdp: `${d.sdp} +candidates` };
        this.iceGatheringState = 'complete';
        this.dispatchEvent(new Event('icegatheringstatechange'));
      }, this.gatherMs);
    }
  }
  async setRemoteDescription(d: RTCSessionDescriptionInit) {
    this.remoteDescription = d;
    this.signalingState = d.type === 'offer' ? 'have-remote-offer' : 'stable';
  }
  close() {
    this.closed = true;
  }
  async getStats() {
    return new Map<string, Record<string, unknown>>([
      ['a', { type: 'inbound-rtp', kind: 'audio', bytesReceived: 1200 }],
      ['b', { type: 'outbound-rtp', kind: 'audio', bytesSent: 900 }],
      ['c', { type: 'inbound-rtp', kind: 'video', bytesReceived: 99 }],
      ['d', { type: 'candidate-pair', bytesReceived: 5 }],
    ]);
  }
  /** Simulate the far end's audio arriving. */
  remoteTrack(stream: unknown) {
    const e = new Event('track') as Event & { streams: unknown[]; track: unknown };
    e.streams = [stream];
    e.track = {};
    this.dispatchEvent(e);
  }
}

function setup(over: Partial<MediaDeps> = {}) {
  const pcs: FakePc[] = [];
  const mics: FakeStream[] = [];
  const stopRemote = vi.fn();
  const deps: MediaDeps = {
    createPeerConnection: (config) => {
      const pc = new FakePc(config);
      pcs.push(pc);
      return pc as unknown as RTCPeerConnection;
    },
    getMicrophone: async () => {
      const s = new FakeStream();
      mics.push(s);
      return s as unknown as MediaStream;
    },
    playRemote: vi.fn(() => stopRemote),
    iceGatheringMaxMs: 200,
    ...over,
  };
  return { port: createMediaPort(deps), deps, pcs, mics, stopRemote };
}

afterEach(() => vi.useRealTimers());

describe('media port', () => {
  it('outbound: getDescription makes an offer with all candidates, setDescription applies the answer', async () => {
    const { port, pcs } = setup();
    const { sdp } = await port.handle('getDescription', { callId: 'c1', hold: false });
    expect(sdp).toBe('offer:sendrecv +candidates');
    expect(pcs).toHaveLength(1);
    expect(pcs[0]!.config).toEqual({ iceServers: [] });
    await port.handle('setDescription', { callId: 'c1', sdp: 'remote' });
    expect(pcs[0]!.remoteDescription).toEqual({ type: 'answer', sdp: 'remote' });
  });

  it('inbound: setDescription applies the offer, getDescription answers it', async () => {
    const { port, pcs } = setup();
    await port.handle('setDescription', { callId: 'c1', sdp: 'their offer' });
    expect(pcs[0]!.remoteDescription).toEqual({ type: 'offer', sdp: 'their offer' });
    const { sdp } = await port.handle('getDescription', { callId: 'c1', hold: false });
    expect(sdp).toBe('answer:sendrecv +candidates');
  });

  it('hold sets the transceivers sendonly, unhold back to sendrecv', async () => {
    const { port, pcs } = setup();
    await port.handle('getDescription', { callId: 'c1', hold: false });
    await port.handle('setDescription', { callId: 'c1', sdp: 'answer' });
    expect((await port.handle('getDescription', { callId: 'c1', hold: true })).sdp).toBe(
      'offer:sendonly +candidates',
    );
    await port.handle('setDescription', { callId: 'c1', sdp: 'answer' });
    expect((await port.handle('getDescription', { callId: 'c1', hold: false })).sdp).toBe(
      'offer:sendrecv +candidates',
    );
    expect(pcs).toHaveLength(1);
  });

  it('returns after the ICE gathering bound when gathering never completes', async () => {
    vi.useFakeTimers();
    const { port, pcs } = setup({
      createPeerConnection: (config) => {
        const pc = new FakePc(config);
        pc.gatherMs = null;
        pcs.push(pc);
        return pc as unknown as RTCPeerConnection;
      },
    });
    const p = port.handle('getDescription', { callId: 'c1', hold: false });
    await vi.advanceTimersByTimeAsync(199);
    let done = false;
    void p.then(() => (done = true));
    await Promise.resolve();
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect((await p).sdp).toBe('offer:sendrecv (gathering)');
  });

  it('one peer connection per call, created once even for concurrent requests', async () => {
    const { port, pcs } = setup();
    await Promise.all([
      port.handle('setDescription', { callId: 'a', sdp: 'offer a' }),
      port.handle('getDescription', { callId: 'a', hold: false }),
      port.handle('getDescription', { callId: 'b', hold: false }),
    ]);
    expect(pcs).toHaveLength(2);
  });

  it('plays remote audio, and close stops the mic, closes the pc and removes the audio', async () => {
    const { port, pcs, mics, deps, stopRemote } = setup();
    await port.handle('setDescription', { callId: 'c1', sdp: 'offer' });
    const stream = {};
    pcs[0]!.remoteTrack(stream);
    expect(deps.playRemote).toHaveBeenCalledWith('c1', stream);
    await expect(port.handle('close', { callId: 'c1' })).resolves.toEqual({ ok: true });
    expect(pcs[0]!.closed).toBe(true);
    expect(mics[0]!.tracks[0]!.stopped).toBe(true);
    expect(stopRemote).toHaveBeenCalled();
    expect(await port.stats()).toEqual({});
    // Closing an unknown call is fine (main may close twice).
    await expect(port.handle('close', { callId: 'zz' })).resolves.toEqual({ ok: true });
  });

  it('sends DTMF on the audio sender; unknown calls report not sent', async () => {
    const { port, pcs } = setup();
    await port.handle('getDescription', { callId: 'c1', hold: false });
    await expect(port.handle('sendDtmf', { callId: 'c1', tones: '12#' })).resolves.toEqual({
      sent: true,
    });
    expect(pcs[0]!.senders[0]!.dtmf.insertDTMF).toHaveBeenCalledWith('12#', 100, 70);
    await expect(port.handle('sendDtmf', { callId: 'nope', tones: '1' })).resolves.toEqual({
      sent: false,
    });
  });

  it('a microphone failure fails the request, and a retry starts clean', async () => {
    let fail = true;
    const { port } = setup({
      getMicrophone: async () => {
        if (fail) throw new DOMException('Permission denied', 'NotAllowedError');
        return new FakeStream() as unknown as MediaStream;
      },
    });
    await expect(port.handle('getDescription', { callId: 'c1', hold: false })).rejects.toThrow(
      'Permission denied',
    );
    fail = false;
    await expect(
      port.handle('getDescription', { callId: 'c1', hold: false }),
    ).resolves.toBeTruthy();
  });

  it('reports per-call ICE state and audio bytes via window.agentMediaStats()', async () => {
    const { port, pcs } = setup();
    await port.handle('getDescription', { callId: 'c1', hold: false });
    pcs[0]!.iceConnectionState = 'connected';
    installMediaDiagnostics(port);
    await expect(window.agentMediaStats()).resolves.toEqual({
      c1: { ice: 'connected', bytesReceived: 1200, bytesSent: 900 },
    });
  });
});

describe('browser media deps', () => {
  it('asks for the microphone only, with echo cancellation, noise suppression and AGC', async () => {
    const getUserMedia = vi.fn(async () => ({}) as MediaStream);
    Object.defineProperty(navigator, 'mediaDevices', {
      value: { getUserMedia },
      configurable: true,
    });
    await browserMediaDeps().getMicrophone();
    expect(getUserMedia).toHaveBeenCalledWith({
      audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true },
      video: false,
    });
  });

  it('plays each call in its own hidden autoplay <audio>, removed on stop', () => {
    const play = vi.spyOn(HTMLMediaElement.prototype, 'play').mockResolvedValue();
    vi.spyOn(HTMLMediaElement.prototype, 'pause').mockImplementation(() => {});
    const stream = {} as MediaStream;
    const stop = browserMediaDeps().playRemote('c1', stream);
    const audio = document.querySelector<HTMLAudioElement>('audio[data-call-id="c1"]')!;
    expect(audio.autoplay).toBe(true);
    expect(audio.hidden).toBe(true);
    expect(audio.srcObject).toBe(stream);
    expect(play).toHaveBeenCalled();
    stop();
    expect(document.querySelector('audio')).toBeNull();
  });
});
