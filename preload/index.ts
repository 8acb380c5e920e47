// The sandboxed preload: exposes window.agent, the contract's AgentBridge over IPC. It runs
// before the page with Electron's sandbox, so it may import only 'electron', the channel
// names (bundled) and types. The page never sees ipcRenderer or IPC events, only these
// three functions.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { CHANNELS } from './channels';
import type {
  AgentBridge,
  EventName,
  MediaArgs,
  MediaMethod,
  MediaResult,
  RendererFrame,
} from './contract';

type MediaHandler = <M extends MediaMethod>(
  method: M,
  args: MediaArgs<M>,
) => Promise<MediaResult<M>>;
type Listener = (payload: never) => void;

// One IPC listener per channel, fanned out here: a listener per on() call would trip
// Node's MaxListeners warning and leak when the page forgets to unsubscribe.
const listeners = new Map<string, Set<Listener>>();
ipcRenderer.on(CHANNELS.event, (_e: IpcRendererEvent, name: unknown, payload: unknown) => {
  if (typeof name !== 'string') return;
  for (const l of [...(listeners.get(name) ?? [])]) {
    try {
      (l as (p: unknown) => void)(payload);
    } catch (err) {
      console.error('agent: event listener failed', name, err);
    }
  }
});

// Media requests can arrive between page load (main attaches then) and the screen calling
// serveMedia: they wait here (bounded) instead of failing. main's hub times them out.
const MAX_WAITING = 32;
type MediaRequest = { id: number; method: MediaMethod; args: unknown };
const waiting: MediaRequest[] = [];
let mediaHandler: MediaHandler | null = null;

function reply(frame: Extract<RendererFrame, { t: 'mediaResult' }>): void {
  ipcRenderer.send(CHANNELS.mediaResult, frame);
}

function serve(handler: MediaHandler, req: MediaRequest): void {
  Promise.resolve()
    .then(() => handler(req.method, req.args as MediaArgs<MediaMethod>))
    .then(
      (result) => reply({ t: 'mediaResult', id: req.id, ok: true, result }),
      (err: unknown) =>
        reply({
          t: 'mediaResult',
          id: req.id,
          ok: false,
          error: err instanceof Error ? err.message : String(err),
        }),
    );
}

ipcRenderer.on(
  CHANNELS.media,
  (_e: IpcRendererEvent, id: unknown, method: unknown, args: unknown) => {
    if (typeof id !== 'number' || typeof method !== 'string') return;
    const req: MediaRequest = { id, method: method as MediaMethod, args };
    if (mediaHandler) serve(mediaHandler, req);
    else if (waiting.length < MAX_WAITING) waiting.push(req);
    else reply({ t: 'mediaResult', id, ok: false, error: 'no media handler registered' });
  },
);

const bridge = {
  invoke: (method, args) => ipcRenderer.invoke(CHANNELS.invoke, method, args),

  on(event, listener) {
    const name: EventName = event;
    let set = listeners.get(name);
    if (!set) listeners.set(name, (set = new Set()));
    const l = listener as Listener;
    set.add(l);
    return () => {
      set.delete(l);
    };
  },

  serveMedia(handler) {
    mediaHandler = handler;
    for (const req of waiting.splice(0)) serve(handler, req);
    return () => {
      if (mediaHandler === handler) mediaHandler = null;
    };
  },
} satisfies AgentBridge;

contextBridge.exposeInMainWorld('agent', bridge);
