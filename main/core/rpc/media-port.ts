// The MediaPort: how core asks the renderer for media (SDP, DTMF, close). Exactly one
// renderer serves media at a time — the most recently attached one (a reload re-attaches).
import {
  mediaRequests,
  type MediaArgs,
  type MediaMethod,
  type MediaResult,
} from '../../../preload/contract';
import { RpcFailure } from './dispatcher';

/** A transport's way to send one media request to its renderer and await the answer. */
export type MediaSender = (method: MediaMethod, args: unknown) => Promise<unknown>;

export interface MediaPort {
  request<M extends MediaMethod>(method: M, args: MediaArgs<M>): Promise<MediaResult<M>>;
  /** True when a renderer is attached. */
  readonly available: boolean;
}

export interface MediaHub extends MediaPort {
  /** Attach a renderer; returns detach. The newest attachment serves all requests. */
  attach(sender: MediaSender): () => void;
  /** Resolves once a renderer is attached (or rejects after timeoutMs). */
  waitForRenderer(timeoutMs: number): Promise<void>;
  onAttach(listener: () => void): () => void;
}

export function createMediaHub(opts: { timeoutMs?: number } = {}): MediaHub {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  let current: MediaSender | null = null;
  const attachListeners = new Set<() => void>();

  const hub: MediaHub = {
    get available() {
      return current !== null;
    },
    attach(sender) {
      current = sender;
      for (const l of [...attachListeners]) l();
      return () => {
        if (current === sender) current = null;
      };
    },
    onAttach(listener) {
      attachListeners.add(listener);
      return () => attachListeners.delete(listener);
    },
    waitForRenderer(ms) {
      if (current) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          off();
          reject(new RpcFailure('unavailable', 'no renderer attached for media'));
        }, ms);
        const off = hub.onAttach(() => {
          clearTimeout(timer);
          off();
          resolve();
        });
      });
    },
    async request(method, args) {
      // What core asks is checked too: a malformed request is a bug here, not the renderer's.
      const checkedArgs = mediaRequests[method].args.safeParse(args);
      if (!checkedArgs.success) {
        throw new RpcFailure('internal', `malformed media ${method} request`);
      }
      const sender = current;
      if (!sender) throw new RpcFailure('unavailable', 'no renderer attached for media');
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new RpcFailure('timeout', `media ${method} timed out`)),
          timeoutMs,
        );
      });
      try {
        const raw = await Promise.race([sender(method, checkedArgs.data), timeout]);
        const parsed = mediaRequests[method].result.safeParse(raw);
        if (!parsed.success) {
          throw new RpcFailure('internal', `renderer sent a malformed ${method} result`);
        }
        return parsed.data as MediaResult<typeof method>;
      } finally {
        clearTimeout(timer);
      }
    },
  };
  return hub;
}
