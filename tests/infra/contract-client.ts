// A Node client for browser mode's loopback WebSocket: the same contract frames the renderer
// sends (preload/contract.ts: invoke → result, events), with the token and Origin the server
// requires (main/web/server.ts). For tests that drive the real core over the real contract
// without a browser — e.g. typing notes into a core process that gets SIGKILLed.
import WebSocket from 'ws';
import {
  AgentRpcError,
  type EventName,
  type EventPayload,
  type MainFrame,
  type MethodArgs,
  type MethodName,
  type MethodResult,
  type RendererFrame,
  type RpcResponse,
} from '../../preload/contract';

/** The request could not be answered: the socket closed (or never opened) before its result. */
export class ConnectionLostError extends Error {
  constructor(
    readonly method: MethodName,
    detail: string,
  ) {
    super(`${method}: connection to the app lost (${detail})`);
    this.name = 'ConnectionLostError';
  }
}

export interface ContractClient {
  /** Resolves with the result; rejects with AgentRpcError (error reply) or ConnectionLostError. */
  invoke<M extends MethodName>(method: M, args: MethodArgs<M>): Promise<MethodResult<M>>;
  /** The raw reply (ok or error); rejects only with ConnectionLostError. */
  request<M extends MethodName>(
    method: M,
    args: MethodArgs<M>,
  ): Promise<RpcResponse<MethodResult<M>>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  /** Requests sent whose result has not arrived yet. */
  readonly inFlight: number;
  readonly isOpen: boolean;
  /** Resolves when the socket has closed (by either side). */
  readonly closed: Promise<{ code: number; reason: string }>;
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** Origin header; default the server's own (http://127.0.0.1:PORT), which it requires. */
  origin?: string;
  timeoutMs?: number;
}

/** Where to connect, from the URL browser mode prints: http://127.0.0.1:PORT/#token=… */
export function rpcEndpoint(appUrl: string): { wsUrl: string; origin: string; token: string } {
  const u = new URL(appUrl);
  const token = new URLSearchParams(u.hash.replace(/^#/, '')).get('token');
  if (!token) throw new Error('the app URL carries no #token=…');
  const wsUrl = `ws://${u.host}/rpc?token=${encodeURIComponent(token)}`;
  return { wsUrl, origin: u.origin, token };
}

export async function connectContract(
  appUrl: string,
  opts: ConnectOptions = {},
): Promise<ContractClient> {
  const { wsUrl, origin } = rpcEndpoint(appUrl);
  const ws = new WebSocket(wsUrl, { origin: opts.origin ?? origin, perMessageDeflate: false });
  const pending = new Map<
    number,
    { method: MethodName; resolve: (r: RpcResponse) => void; reject: (e: Error) => void }
  >();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let nextId = 1;
  let open = false;

  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.once('close', (code, reason) => {
      open = false;
      for (const [id, p] of pending) {
        pending.delete(id);
        p.reject(new ConnectionLostError(p.method, `closed with ${code}`));
      }
      resolve({ code, reason: reason.toString() });
    });
  });
  ws.on('error', () => {}); // a close event always follows

  ws.on('message', (data, isBinary) => {
    if (isBinary) return;
    let frame: MainFrame;
    try {
      frame = JSON.parse(data.toString()) as MainFrame;
    } catch {
      return;
    }
    if (frame.t === 'result') {
      const p = pending.get(frame.id);
      if (!p) return;
      pending.delete(frame.id);
      p.resolve(frame.response);
    } else if (frame.t === 'event') {
      for (const l of [...(listeners.get(frame.event) ?? [])]) l(frame.payload);
    } else if (frame.t === 'media') {
      // This client has no audio: answer media requests as a renderer without media would.
      const reply: RendererFrame = {
        t: 'mediaResult',
        id: frame.id,
        ok: false,
        error: 'the contract client has no media',
      };
      if (open) ws.send(JSON.stringify(reply));
    }
  });

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error(`connecting to ${new URL(appUrl).host} timed out`));
    }, opts.timeoutMs ?? 5_000);
    ws.once('open', () => {
      clearTimeout(timer);
      open = true;
      resolve();
    });
    ws.once('unexpected-response', (_req, res) => {
      clearTimeout(timer);
      ws.terminate();
      reject(new Error(`the app refused the WebSocket: HTTP ${res.statusCode}`));
    });
    ws.once('close', () => {
      clearTimeout(timer);
      reject(new Error('the WebSocket closed before it opened'));
    });
  });

  function request<M extends MethodName>(
    method: M,
    args: MethodArgs<M>,
  ): Promise<RpcResponse<MethodResult<M>>> {
    return new Promise((resolve, reject) => {
      if (!open) {
        reject(new ConnectionLostError(method, 'not connected'));
        return;
      }
      const id = nextId++;
      const frame: RendererFrame = { t: 'invoke', id, method, args };
      pending.set(id, { method, resolve: resolve as (r: RpcResponse) => void, reject });
      ws.send(JSON.stringify(frame), (err) => {
        if (!err) return;
        pending.delete(id);
        reject(new ConnectionLostError(method, err.message));
      });
    });
  }

  return {
    request,
    async invoke(method, args) {
      const r = await request(method, args);
      if (!r.ok) throw new AgentRpcError(r.error);
      return r.result;
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      const l = listener as (payload: unknown) => void;
      set.add(l);
      return () => void set.delete(l);
    },
    get inFlight() {
      return pending.size;
    },
    get isOpen() {
      return open;
    },
    closed,
    async close() {
      if (ws.readyState === WebSocket.CLOSED) return;
      ws.close();
      const timer = setTimeout(() => ws.terminate(), 1_000);
      await closed;
      clearTimeout(timer);
    },
  };
}
