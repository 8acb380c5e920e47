// IPC channel names shared by the preload and main/electron/ipc.ts. No imports: the
// sandboxed preload bundles this file.
export const CHANNELS = {
  /** renderer → main, ipcRenderer.invoke(method, args) → RpcResponse */
  invoke: 'agent:invoke',
  /** main → renderer, (event name, payload) */
  event: 'agent:event',
  /** main → renderer, (id, media method, args) */
  media: 'agent:media',
  /** renderer → main, { t: 'mediaResult', id, ok, result | error } */
  mediaResult: 'agent:media-result',
} as const;
