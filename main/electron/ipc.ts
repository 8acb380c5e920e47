// The contract over Electron IPC (preload/index.ts is the other end). Every frame from the
// renderer is checked to come from our window's main frame at the trusted origin before it
// reaches core; core validates the arguments. Core's events go to the window; core's media
// requests go to the renderer and come back by id. A reload or crash detaches media (main
// keeps the calls); the next page load attaches again.
import { events, RendererFrame, type EventName, type RpcResponse } from '../../preload/contract';
import { CHANNELS } from '../../preload/channels';
import type { Core } from '../core/core-api';
import type { Logger } from '../core/log';
import { RpcFailure } from '../core/rpc/dispatcher';
import type { MediaSender } from '../core/rpc/media-port';
import type { IpcEventLike, IpcListener, IpcMainLike, WebContentsLike } from './deps';
import { originOf } from './origin';

export type IpcCore = Pick<Core, 'dispatch' | 'on' | 'media'>;

export interface IpcOptions {
  /** The trusted origin (app://agent). */
  origin: string;
  log: Logger;
  /** Forget a media request the hub has long given up on (it times out first). */
  staleMediaMs?: number;
}

const FORBIDDEN: RpcResponse = {
  ok: false,
  error: { code: 'forbidden', message: 'request from an untrusted frame' },
};

/** True only for our window's top frame showing the trusted origin. */
export function isTrustedSender(
  event: IpcEventLike,
  contents: WebContentsLike,
  origin: string,
): boolean {
  try {
    if (event.sender !== contents) return false;
    const frame = event.senderFrame;
    if (!frame || frame.parent !== null) return false;
    const main = contents.mainFrame;
    if (
      frame !== main &&
      (frame.processId !== main.processId || frame.routingId !== main.routingId)
    )
      return false;
    return originOf(frame.url) === origin;
  } catch {
    // A frame that navigated away or was disposed throws on access: not trusted.
    return false;
  }
}

/** Wires one window; returns dispose (also run when its webContents is destroyed). */
export function wireIpc(
  deps: { ipcMain: IpcMainLike },
  core: IpcCore,
  contents: WebContentsLike,
  opts: IpcOptions,
): () => void {
  const { ipcMain } = deps;
  const { log } = opts;
  const staleMs = opts.staleMediaMs ?? 60_000;
  const trusted = (event: IpcEventLike) => isTrustedSender(event, contents, opts.origin);
  const send = (channel: string, ...args: unknown[]) => {
    if (!contents.isDestroyed()) contents.send(channel, ...args);
  };

  ipcMain.handle(CHANNELS.invoke, async (event, method, args): Promise<RpcResponse> => {
    if (!trusted(event)) {
      log.warn('ipc: forbidden invoke', {
        method: typeof method === 'string' ? method.slice(0, 64) : typeof method,
      });
      return FORBIDDEN;
    }
    try {
      return await core.dispatch(method, args);
    } catch (err) {
      log.error('ipc: dispatch threw', { err });
      return { ok: false, error: { code: 'internal', message: 'request failed' } };
    }
  });

  const offEvents = (Object.keys(events) as EventName[]).map((name) =>
    core.on(name, (payload) => send(CHANNELS.event, name, payload)),
  );

  // ---- media: main asks, the renderer answers by id ----
  type Pending = {
    resolve: (v: unknown) => void;
    reject: (e: Error) => void;
    timer: NodeJS.Timeout;
  };
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let detachMedia: (() => void) | null = null;

  const sender: MediaSender = (method, args) =>
    new Promise((resolve, reject) => {
      if (contents.isDestroyed()) {
        reject(new RpcFailure('unavailable', 'renderer is gone'));
        return;
      }
      const id = nextId++;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new RpcFailure('timeout', `media ${method} got no answer`));
      }, staleMs);
      timer.unref?.();
      pending.set(id, { resolve, reject, timer });
      contents.send(CHANNELS.media, id, method, args);
    });

  const attachMedia = () => {
    detachMedia?.();
    detachMedia = core.media.attach(sender);
  };
  const dropMedia = (why: string) => {
    detachMedia?.();
    detachMedia = null;
    for (const p of pending.values()) {
      clearTimeout(p.timer);
      p.reject(new RpcFailure('unavailable', `renderer ${why}`));
    }
    pending.clear();
  };

  const onMediaResult: IpcListener = (event, raw) => {
    if (!trusted(event)) {
      log.warn('ipc: forbidden media result');
      return;
    }
    const frame = RendererFrame.safeParse(raw);
    if (!frame.success || frame.data.t !== 'mediaResult') {
      log.warn('ipc: malformed media result');
      return;
    }
    const { id, ok, result, error } = frame.data;
    const p = pending.get(id);
    if (!p) return; // answered late, after a timeout or a reload
    pending.delete(id);
    clearTimeout(p.timer);
    if (ok) p.resolve(result);
    else p.reject(new Error(`renderer media error: ${error ?? 'unknown'}`));
  };
  ipcMain.on(CHANNELS.mediaResult, onMediaResult);

  contents.on('did-finish-load', attachMedia);
  contents.on('did-start-navigation', (d) => {
    if (d.isMainFrame && !d.isSameDocument) dropMedia('is reloading');
  });
  contents.on('render-process-gone', (_e, d) => {
    log.warn('renderer process gone', { reason: d.reason });
    dropMedia('process is gone');
  });

  let disposed = false;
  const dispose = () => {
    if (disposed) return;
    disposed = true;
    dropMedia('was closed');
    for (const off of offEvents) off();
    ipcMain.removeHandler(CHANNELS.invoke);
    ipcMain.removeListener(CHANNELS.mediaResult, onMediaResult);
  };
  contents.on('destroyed', dispose);
  return dispose;
}
