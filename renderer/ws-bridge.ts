// Browser mode's AgentBridge: the contract's frames (RendererFrame / MainFrame) as JSON over
// one loopback WebSocket. Mirrors what the Electron preload gives, plus the transport's own
// connection events, because unlike IPC a socket can drop and come back.
import {
  isMediaMethod,
  type AgentBridge,
  type EventName,
  type EventPayload,
  type MainFrame,
  type MediaArgs,
  type MediaMethod,
  type MediaResult,
  type MethodName,
  type RendererFrame,
  type RpcResponse,
} from '../preload/contract';

export type ConnectionState = 'connecting' | 'open' | 'reconnecting';

export interface ConnectionEvents {
  /** Transport state for the status bar; the listener gets the current state at once. */
  onConnection(listener: (state: ConnectionState) => void): () => void;
  /** The socket came back after a drop. Main sees a new renderer: call hello() again. */
  onReconnected(listener: () => void): () => void;
}

export type WsBridge = AgentBridge & ConnectionEvents & { close(): void };

export type MediaHandler = <M extends MediaMethod>(
  method: M,
  args: MediaArgs<M>,
) => Promise<MediaResult<M>>;

/** The part of the DOM WebSocket the bridge uses (tests pass a fake). */
export interface SocketLike {
  send(data: string): void;
  close(): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
}

export interface WsBridgeOptions {
  url: string;
  connect?: (url: string) => SocketLike;
  /** Reconnect delay: doubles from initialMs up to maxMs, reset after a successful open. */
  backoff?: { initialMs: number; maxMs: number };
  /** A request queued while offline fails with 'unavailable' after this long. */
  queueTimeoutMs?: number;
}

type Invoke = Extract<RendererFrame, { t: 'invoke' }>;
type Queued = { frame: Invoke; timer: ReturnType<typeof setTimeout> };

const lost = (message: string): RpcResponse => ({
  ok: false,
  error: { code: 'unavailable', message },
});

export function createWsBridge(opts: WsBridgeOptions): WsBridge {
  const connect = opts.connect ?? ((url: string) => new WebSocket(url) as unknown as SocketLike);
  const backoff = opts.backoff ?? { initialMs: 250, maxMs: 5_000 };
  const queueTimeoutMs = opts.queueTimeoutMs ?? 10_000;

  let socket: SocketLike | null = null; // the current socket, open or not
  let open: SocketLike | null = null; // the current socket once it is open
  let state: ConnectionState = 'connecting';
  let everOpened = false;
  let attempt = 0;
  let closed = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let nextId = 1;
  const inFlight = new Map<number, (r: RpcResponse) => void>();
  const resolvers = new Map<number, (r: RpcResponse) => void>();
  const queue: Queued[] = [];
  const eventListeners = new Map<string, Set<(payload: unknown) => void>>();
  const connectionListeners = new Set<(s: ConnectionState) => void>();
  const reconnectListeners = new Set<() => void>();
  let mediaHandler: MediaHandler | null = null;

  const setState = (next: ConnectionState) => {
    state = next;
    for (const l of [...connectionListeners]) safely(() => l(next));
  };

  function dial() {
    const ws = connect(opts.url);
    socket = ws;
    ws.onopen = () => {
      if (socket !== ws) return;
      open = ws;
      attempt = 0;
      const wasReconnect = everOpened;
      everOpened = true;
      setState('open');
      flushQueue(ws);
      if (wasReconnect) for (const l of [...reconnectListeners]) safely(l);
    };
    ws.onmessage = (ev) => {
      if (socket === ws) onFrame(ws, ev.data);
    };
    ws.onerror = () => {}; // a close event always follows; handled there
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = null;
      open = null;
      // Main answers a request only on the socket it came in on: those are gone.
      for (const [id, resolve] of inFlight) {
        inFlight.delete(id);
        resolve(lost('connection to the app was lost'));
      }
      if (!closed) scheduleRetry();
    };
  }

  function scheduleRetry() {
    setState('reconnecting');
    const base = Math.min(backoff.maxMs, backoff.initialMs * 2 ** attempt);
    attempt += 1;
    // A little jitter so several windows do not hammer a restarting server in lockstep.
    retryTimer = setTimeout(dial, base + Math.floor(Math.random() * base * 0.2));
  }

  function send(ws: SocketLike, frame: RendererFrame): boolean {
    try {
      ws.send(JSON.stringify(frame));
      return true;
    } catch {
      return false;
    }
  }

  function sendInvoke(ws: SocketLike, frame: Invoke) {
    const resolve = resolvers.get(frame.id);
    if (!resolve) return;
    resolvers.delete(frame.id);
    if (send(ws, frame)) inFlight.set(frame.id, resolve);
    else resolve(lost('could not send the request'));
  }

  function flushQueue(ws: SocketLike) {
    for (const q of queue.splice(0)) {
      clearTimeout(q.timer);
      sendInvoke(ws, q.frame);
    }
  }

  function onFrame(ws: SocketLike, data: unknown) {
    let frame: MainFrame;
    try {
      frame = JSON.parse(String(data)) as MainFrame;
    } catch {
      return; // not ours; never let a bad frame break the socket
    }
    if (frame.t === 'result') {
      const resolve = inFlight.get(frame.id);
      inFlight.delete(frame.id);
      resolve?.(frame.response);
    } else if (frame.t === 'event') {
      for (const l of [...(eventListeners.get(frame.event) ?? [])]) {
        safely(() => l(frame.payload));
      }
    } else if (frame.t === 'media') {
      void serveMediaFrame(ws, frame);
    }
  }

  async function serveMediaFrame(ws: SocketLike, frame: Extract<MainFrame, { t: 'media' }>) {
    let reply: RendererFrame;
    try {
      if (!isMediaMethod(frame.method)) throw new Error(`unknown media method`);
      if (!mediaHandler) throw new Error('no media handler registered');
      const result = await mediaHandler(frame.method, frame.args as MediaArgs<MediaMethod>);
      reply = { t: 'mediaResult', id: frame.id, ok: true, result };
    } catch (err) {
      reply = { t: 'mediaResult', id: frame.id, ok: false, error: errorText(err) };
    }
    // A reply on a newer socket would reach a different "renderer" in main: drop it.
    if (open === ws) send(ws, reply);
  }

  dial();

  return {
    invoke(method: MethodName, args: unknown) {
      return new Promise<RpcResponse>((resolve) => {
        const frame: Invoke = { t: 'invoke', id: nextId++, method, args };
        resolvers.set(frame.id, resolve);
        if (open) return sendInvoke(open, frame);
        const timer = setTimeout(() => {
          const i = queue.findIndex((q) => q.frame === frame);
          if (i >= 0) queue.splice(i, 1);
          resolvers.delete(frame.id);
          resolve(lost('not connected to the app'));
        }, queueTimeoutMs);
        queue.push({ frame, timer });
      });
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) {
      const set = eventListeners.get(event) ?? new Set();
      eventListeners.set(event, set);
      const l = listener as (payload: unknown) => void;
      set.add(l);
      return () => void set.delete(l);
    },
    // A new socket is a new renderer to main, which attaches it for media by itself, so the
    // handler just stays registered across reconnects.
    serveMedia(handler) {
      mediaHandler = handler;
      return () => {
        if (mediaHandler === handler) mediaHandler = null;
      };
    },
    onConnection(listener) {
      connectionListeners.add(listener);
      safely(() => listener(state));
      return () => void connectionListeners.delete(listener);
    },
    onReconnected(listener) {
      reconnectListeners.add(listener);
      return () => void reconnectListeners.delete(listener);
    },
    close() {
      closed = true;
      clearTimeout(retryTimer);
      socket?.close();
    },
  };
}

function safely(fn: () => void) {
  try {
    fn();
  } catch (err) {
    console.error('agent bridge listener failed', err);
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
