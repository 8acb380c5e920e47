// The browser-mode bridge against a real `ws` server. The client socket is ws's WebSocket
// (same onopen/onmessage/onclose/send surface as the DOM's): under vitest's jsdom the global
// WebSocket is undici's, which cannot dispatch jsdom's Event objects.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket as WsClient, WebSocketServer, type WebSocket as ServerSocket } from 'ws';
import type { MainFrame, RendererFrame } from '../../../preload/contract';
import { createWsBridge, type SocketLike, type WsBridge } from '../../../renderer/ws-bridge';

const wsConnect = (u: string) => new WsClient(u) as unknown as SocketLike;

interface Peer {
  socket: ServerSocket;
  frames: RendererFrame[];
  send(frame: MainFrame): void;
  next(pred?: (f: RendererFrame) => boolean): Promise<RendererFrame>;
}

let wss: WebSocketServer;
let url: string;
let peers: Peer[]; // accepted, not yet claimed by nextPeer()
let waiters: Array<(p: Peer) => void>;
let bridge: WsBridge | undefined;

beforeEach(async () => {
  peers = [];
  waiters = [];
  wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const { port } = wss.address() as { port: number };
  url = `ws://127.0.0.1:${port}/rpc?token=t`;
  wss.on('connection', (socket) => {
    const frames: RendererFrame[] = [];
    const pending: Array<{
      pred: (f: RendererFrame) => boolean;
      resolve: (f: RendererFrame) => void;
    }> = [];
    socket.on('message', (raw) => {
      const f = JSON.parse(String(raw)) as RendererFrame;
      const i = pending.findIndex((p) => p.pred(f));
      if (i >= 0) pending.splice(i, 1)[0]!.resolve(f);
      else frames.push(f);
    });
    const peer: Peer = {
      socket,
      frames,
      send: (f) => socket.send(JSON.stringify(f)),
      next: (pred = () => true) => {
        const i = frames.findIndex(pred);
        if (i >= 0) return Promise.resolve(frames.splice(i, 1)[0]!);
        return new Promise((resolve) => pending.push({ pred, resolve }));
      },
    };
    const waiter = waiters.shift();
    if (waiter) waiter(peer);
    else peers.push(peer);
  });
});

afterEach(async () => {
  bridge?.close();
  bridge = undefined;
  for (const c of wss.clients) c.terminate();
  await new Promise((r) => wss.close(r));
});

/** The next socket the server accepts (already accepted and unclaimed, or the next one). */
const nextPeer = () =>
  new Promise<Peer>((resolve) => {
    const unclaimed = peers.shift();
    if (unclaimed) resolve(unclaimed);
    else waiters.push(resolve);
  });

function connect() {
  bridge = createWsBridge({
    url,
    connect: wsConnect,
    backoff: { initialMs: 20, maxMs: 50 },
    queueTimeoutMs: 2_000,
  });
  return bridge;
}

describe('WebSocket bridge', () => {
  it('queues requests made while connecting and resolves them with the result frame', async () => {
    const peerP = nextPeer();
    const b = connect();
    const reply = b.invoke('hello', {}); // socket not open yet
    const peer = await peerP;
    const frame = await peer.next();
    expect(frame).toMatchObject({ t: 'invoke', method: 'hello', args: {} });
    peer.send({ t: 'result', id: frame.id, response: { ok: true, result: { hi: 1 } } });
    await expect(reply).resolves.toEqual({ ok: true, result: { hi: 1 } });
  });

  it('delivers events to the listeners of that event only', async () => {
    const peerP = nextPeer();
    const b = connect();
    const got: unknown[] = [];
    const off = b.on('locale.changed', (p) => got.push(p));
    b.on('phone.status', () => got.push('wrong'));
    const peer = await peerP;
    await new Promise<void>((r) => b.onConnection((s) => s === 'open' && r()));
    peer.send({ t: 'event', event: 'locale.changed', payload: { locale: 'en' } });
    await expect.poll(() => got).toEqual([{ locale: 'en' }]);
    off();
    peer.send({ t: 'event', event: 'locale.changed', payload: { locale: 'ja' } });
    peer.socket.send('not json'); // ignored, never breaks the socket
    peer.send({ t: 'event', event: 'locale.changed', payload: { locale: 'ja' } });
    await new Promise((r) => setTimeout(r, 50));
    expect(got).toEqual([{ locale: 'en' }]);
  });

  it('answers media frames through the registered handler', async () => {
    const peerP = nextPeer();
    const b = connect();
    b.serveMedia(async (method, args) => {
      if (method === 'getDescription') return { sdp: `v=0 for ${JSON.stringify(args)}` } as never;
      throw new Error('mic unplugged');
    });
    const peer = await peerP;
    peer.send({ t: 'media', id: 7, method: 'getDescription', args: { callId: 'c', hold: false } });
    expect(await peer.next((f) => f.t === 'mediaResult')).toEqual({
      t: 'mediaResult',
      id: 7,
      ok: true,
      result: { sdp: 'v=0 for {"callId":"c","hold":false}' },
    });
    peer.send({ t: 'media', id: 8, method: 'close', args: { callId: 'c' } });
    expect(await peer.next((f) => f.t === 'mediaResult')).toEqual({
      t: 'mediaResult',
      id: 8,
      ok: false,
      error: 'mic unplugged',
    });
    peer.send({ t: 'media', id: 9, method: 'format' as never, args: {} });
    expect(await peer.next((f) => f.t === 'mediaResult')).toMatchObject({ id: 9, ok: false });
  });

  it('answers media frames with an error when no handler is registered', async () => {
    const peerP = nextPeer();
    const b = connect();
    const off = b.serveMedia(async () => ({ ok: true }) as never);
    off();
    const peer = await peerP;
    peer.send({ t: 'media', id: 1, method: 'close', args: { callId: 'c' } });
    expect(await peer.next()).toMatchObject({ ok: false, error: 'no media handler registered' });
  });

  it('reconnects after a drop, fails in-flight requests, keeps serving media, emits reconnected', async () => {
    const firstP = nextPeer();
    const b = connect();
    b.serveMedia(async () => ({ ok: true }) as never);
    const states: string[] = [];
    b.onConnection((s) => states.push(s));
    let reconnected = 0;
    b.onReconnected(() => reconnected++);
    const first = await firstP;
    const inFlight = b.invoke('answerCall', { callId: 'c' });
    await first.next(); // main got it, but the socket dies before it answers
    const secondP = nextPeer();
    first.socket.terminate();
    await expect(inFlight).resolves.toMatchObject({ ok: false, error: { code: 'unavailable' } });

    const second = await secondP;
    await expect.poll(() => reconnected).toBe(1);
    expect(states).toEqual(['connecting', 'open', 'reconnecting', 'open']);
    // The media handler needs no re-registration: the new socket is served at once.
    second.send({ t: 'media', id: 3, method: 'close', args: { callId: 'c' } });
    expect(await second.next()).toMatchObject({ t: 'mediaResult', id: 3, ok: true });
    // And requests flow again.
    const r = b.invoke('hello', {});
    const f = await second.next();
    second.send({ t: 'result', id: f.id, response: { ok: true, result: 'again' } });
    await expect(r).resolves.toEqual({ ok: true, result: 'again' });
  });

  it('fails a request queued while offline after the queue timeout', async () => {
    const b = createWsBridge({
      url: 'ws://127.0.0.1:1/rpc', // nothing listens: stays offline
      connect: wsConnect,
      backoff: { initialMs: 1_000, maxMs: 1_000 },
      queueTimeoutMs: 30,
    });
    bridge = b;
    await expect(b.invoke('hello', {})).resolves.toMatchObject({
      ok: false,
      error: { code: 'unavailable' },
    });
  });
});
