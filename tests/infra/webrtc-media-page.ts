// A minimal "renderer" in real Chromium for phone-level media tests: one RTCPeerConnection
// per call id (fake microphone), served from a loopback http:// origin (getUserMedia needs a
// secure context; about:blank and data: are not). Its MediaSender plugs into a MediaHub, and
// stats() reports ICE state and audio bytes per call — rx growing proves audio arrives.
// Adapted from the testbed's renderer-media.mjs; the app's real renderer lives in renderer/.
import { createServer, type Server } from 'node:http';
import type { Page } from 'playwright-core';
import type { MediaSender } from '../../main/core/rpc/media-port';

export interface CallMediaStats {
  ice: string;
  connection: string;
  rx: number;
  tx: number;
}

export interface MediaPage {
  sender: MediaSender;
  stats(): Promise<Record<string, CallMediaStats>>;
  /** Closes every peer connection of the page (what a reload or a crash does to them). */
  closeAll(): Promise<void>;
  close(): Promise<void>;
}

const PAGE_SCRIPT = `
const pcs = new Map();
let mic;
async function pcFor(id) {
  let pc = pcs.get(id);
  if (!pc) {
    pc = new RTCPeerConnection({ iceServers: [] });
    mic ??= await navigator.mediaDevices.getUserMedia({ audio: true, video: false });
    // One clone of the microphone per call, so muting one call leaves the others alone.
    const track = mic.getAudioTracks()[0].clone();
    pc.addTrack(track, new MediaStream([track]));
    pcs.set(id, pc);
  }
  return pc;
}
function gathered(pc) {
  return new Promise((resolve) => {
    if (pc.iceGatheringState === 'complete') return resolve();
    const t = setTimeout(resolve, 1000);
    pc.addEventListener('icegatheringstatechange', () => {
      if (pc.iceGatheringState === 'complete') { clearTimeout(t); resolve(); }
    });
  });
}
window.testMedia = {
  async getDescription({ callId, hold }) {
    const pc = await pcFor(callId);
    for (const t of pc.getTransceivers()) if (t.direction !== 'stopped') t.direction = hold ? 'sendonly' : 'sendrecv';
    // Offer or answer: the peer connection's signaling state decides (see the contract).
    if (pc.signalingState === 'have-remote-offer') await pc.setLocalDescription(await pc.createAnswer());
    else await pc.setLocalDescription(await pc.createOffer());
    await gathered(pc);
    return { sdp: pc.localDescription.sdp };
  },
  async setDescription({ callId, sdp }) {
    const pc = await pcFor(callId);
    await pc.setRemoteDescription({ type: pc.signalingState === 'have-local-offer' ? 'answer' : 'offer', sdp });
    return { ok: true };
  },
  async sendDtmf({ callId, tones }) {
    const sender = pcs.get(callId)?.getSenders().find((s) => s.dtmf);
    if (!sender) return { sent: false };
    sender.dtmf.insertDTMF(tones);
    return { sent: true };
  },
  async setMute({ callId, muted }) {
    for (const s of pcs.get(callId)?.getSenders() ?? []) if (s.track) s.track.enabled = !muted;
    return { ok: true };
  },
  async closeAll() {
    for (const pc of pcs.values()) pc.close();
    pcs.clear();
    return { ok: true };
  },
  async close({ callId }) {
    pcs.get(callId)?.close();
    pcs.delete(callId);
    return { ok: true };
  },
  async stats() {
    const out = {};
    for (const [id, pc] of pcs) {
      const s = { ice: pc.iceConnectionState, connection: pc.connectionState, rx: 0, tx: 0 };
      (await pc.getStats()).forEach((r) => {
        if (r.type === 'inbound-rtp' && r.kind === 'audio') s.rx += r.bytesReceived;
        if (r.type === 'outbound-rtp' && r.kind === 'audio') s.tx += r.bytesSent;
      });
      out[id] = s;
    }
    return out;
  },
};
`;

/** Navigates `page` to a loopback origin and installs the media script. */
export async function openMediaPage(page: Page): Promise<MediaPage> {
  const server: Server = createServer((_req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end('<!doctype html><title>media</title>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  const port = addr && typeof addr === 'object' ? addr.port : 0;
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.evaluate(PAGE_SCRIPT);
  const call = (method: string, args: unknown) =>
    page.evaluate(
      ([m, a]) =>
        (globalThis as unknown as { testMedia: Record<string, (x: unknown) => Promise<unknown>> })
          .testMedia[m as string]!(a),
      [method, args] as const,
    );
  return {
    sender: (method, args) => call(method, args),
    stats: () => call('stats', {}) as Promise<Record<string, CallMediaStats>>,
    closeAll: async () => {
      await call('closeAll', {});
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
