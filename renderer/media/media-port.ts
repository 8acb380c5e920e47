// The renderer side of the MediaPort: SIP.js in main asks for SDP, DTMF and teardown; this
// owns one RTCPeerConnection per call (proven in shared/testbed/renderer-media.mjs). Browser
// APIs come in through MediaDeps so the logic is testable without WebRTC.
import type { MediaArgs, MediaMethod, MediaResult } from '../../preload/contract';
import type { MediaHandler } from '../ws-bridge';
import { waitForIceGathering } from './ice-gathering';

export interface MediaDeps {
  createPeerConnection(config: RTCConfiguration): RTCPeerConnection;
  getMicrophone(): Promise<MediaStream>;
  /** Play a call's remote audio; returns the function that stops and removes it. */
  playRemote(callId: string, stream: MediaStream): () => void;
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
}

interface CallMedia {
  pc: RTCPeerConnection;
  mic: MediaStream;
  stopRemote: (() => void) | null;
}

export function createMediaPort(deps: MediaDeps): MediaPort {
  const iceMaxMs = deps.iceGatheringMaxMs ?? 1_000;
  const calls = new Map<string, Promise<CallMedia>>();
  // SIP.js already calls one operation at a time per session; the queue makes sure of it.
  const queues = new Map<string, Promise<unknown>>();

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

  async function open(callId: string): Promise<CallMedia> {
    const mic = await deps.getMicrophone();
    const pc = deps.createPeerConnection({ iceServers: [] });
    const m: CallMedia = { pc, mic, stopRemote: null };
    for (const track of mic.getTracks()) pc.addTrack(track, mic);
    pc.addEventListener('track', (e) => {
      m.stopRemote?.();
      m.stopRemote = deps.playRemote(callId, e.streams[0] ?? new MediaStream([e.track]));
    });
    return m;
  }

  const impl: { [M in MediaMethod]: (args: MediaArgs<M>) => Promise<MediaResult<M>> } = {
    getDescription: ({ callId, hold }) =>
      serial(callId, async () => {
        const { pc } = await media(callId);
        for (const t of pc.getTransceivers()) {
          if (t.direction !== 'stopped') t.direction = hold ? 'sendonly' : 'sendrecv';
        }
        const desc =
          pc.signalingState === 'have-remote-offer'
            ? await pc.createAnswer()
            : await pc.createOffer();
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
        const sender = m?.pc.getSenders().find((s) => s.track?.kind === 'audio');
        const dtmf = sender?.dtmf;
        if (!dtmf?.canInsertDTMF) return { sent: false };
        dtmf.insertDTMF(tones, 100, 70);
        return { sent: true };
      }),
    close: ({ callId }) =>
      serial(callId, async () => {
        const pending = calls.get(callId);
        calls.delete(callId);
        const m = await pending?.catch(() => null);
        if (m) release(m);
        return { ok: true as const };
      }),
  };

  function release(m: CallMedia) {
    for (const t of m.mic.getTracks()) t.stop();
    m.pc.close();
    m.stopRemote?.();
  }

  return {
    handle: ((method, args) =>
      (impl[method] as (a: unknown) => Promise<unknown>)(args)) as MediaHandler,
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
      for (const [callId, pending] of calls) {
        calls.delete(callId);
        void pending.then(release, () => {});
      }
    },
  };
}
