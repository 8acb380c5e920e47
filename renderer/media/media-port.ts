// The renderer side of the MediaPort: SIP.js in main asks for SDP, DTMF and teardown; this
// owns one RTCPeerConnection per call (proven in shared/testbed/renderer-media.mjs). Browser
// APIs come in through MediaDeps so the logic is testable without WebRTC.
//
// Beyond SDP it does what must not re-INVITE: mute (the track is disabled), the microphone
// swapped mid-call (replaceTrack), the speaker chosen (setSinkId), and the local 3-way
// conference (WebAudio: each far end hears the agent and the other party).
import type { MediaArgs, MediaMethod, MediaResult } from '../../preload/contract';
import type { MediaHandler } from '../ws-bridge';
import { waitForIceGathering } from './ice-gathering';
import { readRawQuality, type RawQuality } from './quality';

export interface MediaDeps {
  createPeerConnection(config: RTCConfiguration): RTCPeerConnection;
  /** The microphone; deviceId null/undefined = the system default. */
  getMicrophone(deviceId?: string | null): Promise<MediaStream>;
  /** Play a call's remote audio; returns the function that stops and removes it. */
  playRemote(callId: string, stream: MediaStream): () => void;
  /** Route every call's audio (now and later) to this output; null = the default. */
  setSpeaker?(deviceId: string | null): Promise<void> | void;
  /** WebAudio for the conference mix. */
  createAudioContext?(): AudioContext;
  iceGatheringMaxMs?: number;
}

export interface CallMediaStats {
  ice: string;
  bytesReceived: number;
  bytesSent: number;
}

export interface MediaPort {
  handle: MediaHandler;
  stats(): Promise<Record<string, CallMediaStats>>;
  closeAll(): void;
  /** Disable / enable the call's microphone track (no re-INVITE). */
  setMute(callId: string, muted: boolean): Promise<boolean>;
  /** Mix these calls together; [] (or one call) restores the plain microphone. */
  conference(callIds: string[]): Promise<void>;
  /** The microphone for new calls, and swapped into every call now (replaceTrack). */
  setMicrophone(deviceId: string | null): Promise<void>;
  setSpeaker(deviceId: string | null): Promise<void>;
  /** Counters for the quality estimate, null for an unknown call. */
  sampleQuality(callId: string): Promise<RawQuality | null>;
  callIds(): string[];
}

interface CallMedia {
  pc: RTCPeerConnection;
  mic: MediaStream;
  sender: RTCRtpSender | null;
  remote: MediaStream | null;
  stopRemote: (() => void) | null;
  muted: boolean;
}

interface Mix {
  callIds: string[];
  ctx: AudioContext;
}

export function createMediaPort(deps: MediaDeps): MediaPort {
  const iceMaxMs = deps.iceGatheringMaxMs ?? 1_000;
  const calls = new Map<string, Promise<CallMedia>>();
  // SIP.js already calls one operation at a time per session; the queue makes sure of it.
  const queues = new Map<string, Promise<unknown>>();
  let micId: string | null = null;
  let mix: Mix | null = null;
  // Mute asked for before the call's media exists (e.g. right after a reload, before main's
  // re-INVITE has opened the new PC) is applied when it opens.
  const wantMuted = new Map<string, boolean>();

  function serial<T>(callId: string, op: () => Promise<T>): Promise<T> {
    const prev = queues.get(callId) ?? Promise.resolve();
    const next = prev.then(op, op);
    const tail = next.catch(() => {});
    queues.set(callId, tail);
    void tail.then(() => {
      if (queues.get(callId) === tail) queues.delete(callId);
    });
    return next;
  }

  function media(callId: string): Promise<CallMedia> {
    let m = calls.get(callId);
    if (!m) {
      m = open(callId);
      calls.set(callId, m);
      m.catch(() => calls.delete(callId));
    }
    return m;
  }

  async function existing(callId: string): Promise<CallMedia | null> {
    return (await calls.get(callId)?.catch(() => null)) ?? null;
  }

  async function open(callId: string): Promise<CallMedia> {
    const mic = await (micId === null ? deps.getMicrophone() : deps.getMicrophone(micId));
    const pc = deps.createPeerConnection({ iceServers: [] });
    const m: CallMedia = {
      pc,
      mic,
      sender: null,
      remote: null,
      stopRemote: null,
      muted: wantMuted.get(callId) ?? false,
    };
    applyMute(m);
    for (const track of mic.getTracks()) m.sender = pc.addTrack(track, mic) ?? m.sender;
    pc.addEventListener('track', (e) => {
      m.stopRemote?.();
      m.remote = e.streams[0] ?? new MediaStream([e.track]);
      m.stopRemote = deps.playRemote(callId, m.remote);
    });
    return m;
  }

  function senderOf(m: CallMedia): RTCRtpSender | null {
    return m.sender ?? m.pc.getSenders().find((s) => s.track?.kind === 'audio') ?? null;
  }

  function applyMute(m: CallMedia) {
    for (const t of m.mic.getAudioTracks?.() ?? m.mic.getTracks()) t.enabled = !m.muted;
  }

  async function unmix() {
    const old = mix;
    mix = null;
    if (!old) return;
    for (const id of old.callIds) {
      const m = await existing(id);
      const track = m?.mic.getTracks()[0];
      if (m && track) await senderOf(m)?.replaceTrack(track);
    }
    await old.ctx.close().catch(() => {});
  }

  async function conference(callIds: string[]) {
    await unmix();
    const members: Array<[string, CallMedia]> = [];
    for (const id of new Set(callIds)) {
      const m = await existing(id);
      if (m) members.push([id, m]);
    }
    if (members.length < 2) return;
    if (!deps.createAudioContext) throw new Error('no WebAudio for the conference mix');
    const ctx = deps.createAudioContext();
    // Each call's own microphone (so its mute still holds) and each call's far end.
    const mics = members.map(([, m]) => ctx.createMediaStreamSource(m.mic));
    const remotes = members.map(([, m]) =>
      m.remote ? ctx.createMediaStreamSource(m.remote) : null,
    );
    const outs: Array<[CallMedia, MediaStreamTrack]> = [];
    members.forEach(([, m], i) => {
      const dest = ctx.createMediaStreamDestination();
      mics[i]!.connect(dest);
      remotes.forEach((r, j) => {
        if (r && j !== i) r.connect(dest);
      });
      const track = dest.stream.getAudioTracks()[0];
      if (track) outs.push([m, track]);
    });
    mix = { callIds: members.map(([id]) => id), ctx };
    for (const [m, track] of outs) await senderOf(m)?.replaceTrack(track);
  }

  const impl: { [M in MediaMethod]: (args: MediaArgs<M>) => Promise<MediaResult<M>> } = {
    getDescription: ({ callId, hold, iceRestart }) =>
      serial(callId, async () => {
        // An unknown call (e.g. main re-INVITEs after this page reloaded) gets a fresh PC,
        // and with no remote offer that means a new offer.
        const { pc } = await media(callId);
        for (const t of pc.getTransceivers()) {
          if (t.direction !== 'stopped') t.direction = hold ? 'sendonly' : 'sendrecv';
        }
        const desc =
          pc.signalingState === 'have-remote-offer'
            ? await pc.createAnswer()
            : await pc.createOffer(iceRestart ? { iceRestart: true } : undefined);
        await pc.setLocalDescription(desc);
        await waitForIceGathering(pc, iceMaxMs);
        const sdp = pc.localDescription?.sdp;
        if (!sdp) throw new Error('no local description');
        return { sdp };
      }),
    setDescription: ({ callId, sdp }) =>
      serial(callId, async () => {
        const { pc } = await media(callId);
        const type = pc.signalingState === 'have-local-offer' ? 'answer' : 'offer';
        await pc.setRemoteDescription({ type, sdp });
        return { ok: true as const };
      }),
    sendDtmf: ({ callId, tones }) =>
      serial(callId, async () => {
        const m = await calls.get(callId);
        const sender = m ? senderOf(m) : null;
        const dtmf = sender?.dtmf;
        if (!dtmf?.canInsertDTMF) return { sent: false };
        dtmf.insertDTMF(tones, 100, 70);
        return { sent: true };
      }),
    setMute: async ({ callId, muted }) => {
      await port.setMute(callId, muted);
      return { ok: true as const };
    },
    conference: async ({ callIds }) => {
      await port.conference(callIds);
      return { ok: true as const };
    },
    close: ({ callId }) =>
      serial(callId, async () => {
        const pending = calls.get(callId);
        calls.delete(callId);
        wantMuted.delete(callId);
        const m = await pending?.catch(() => null);
        if (mix?.callIds.includes(callId)) {
          const rest = mix.callIds.filter((id) => id !== callId);
          await unmix();
          if (rest.length >= 2) await conference(rest);
        }
        if (m) release(m);
        return { ok: true as const };
      }),
  };

  function release(m: CallMedia) {
    for (const t of m.mic.getTracks()) t.stop();
    m.pc.close();
    m.stopRemote?.();
  }

  const port: MediaPort = {
    handle: ((method: string, args: unknown) => {
      const table = impl as Record<string, (a: unknown) => Promise<unknown>>;
      const fn = Object.hasOwn(table, method) ? table[method] : undefined;
      return fn ? fn(args) : Promise.reject(new Error(`unknown media method ${method}`));
    }) as MediaHandler,
    async stats() {
      const out: Record<string, CallMediaStats> = {};
      for (const [callId, pending] of calls) {
        const m = await pending.catch(() => null);
        if (!m) continue;
        const s: CallMediaStats = { ice: m.pc.iceConnectionState, bytesReceived: 0, bytesSent: 0 };
        (await m.pc.getStats()).forEach(
          (r: { type: string; kind?: string } & Record<string, unknown>) => {
            if (r.kind !== 'audio') return;
            if (r.type === 'inbound-rtp') s.bytesReceived += Number(r.bytesReceived ?? 0);
            if (r.type === 'outbound-rtp') s.bytesSent += Number(r.bytesSent ?? 0);
          },
        );
        out[callId] = s;
      }
      return out;
    },
    closeAll() {
      const old = mix;
      mix = null;
      void old?.ctx.close().catch(() => {});
      for (const [callId, pending] of calls) {
        calls.delete(callId);
        void pending.then(release, () => {});
      }
    },
    async setMute(callId, muted) {
      // The call may still be opening (the first SDP in flight): wait for it.
      wantMuted.set(callId, muted);
      const m = await existing(callId);
      if (!m) return false;
      m.muted = muted;
      applyMute(m);
      return true;
    },
    conference: (callIds) => conference(callIds),
    async setMicrophone(deviceId) {
      micId = deviceId;
      for (const [callId] of calls) {
        const m = await existing(callId);
        if (!m) continue;
        const mic = await deps.getMicrophone(deviceId);
        const track = mic.getTracks()[0];
        const old = m.mic;
        m.mic = mic;
        applyMute(m);
        if (track && !mix?.callIds.includes(callId)) await senderOf(m)?.replaceTrack(track);
        for (const t of old.getTracks()) t.stop();
      }
      if (mix) await conference(mix.callIds); // rebuilt on the new microphone
    },
    async setSpeaker(deviceId) {
      await deps.setSpeaker?.(deviceId);
    },
    async sampleQuality(callId) {
      const m = await existing(callId);
      if (!m) return null;
      return readRawQuality(await m.pc.getStats());
    },
    callIds: () => [...calls.keys()],
  };
  return port;
}
