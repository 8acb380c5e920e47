// Loads the real preload with a fake 'electron' and checks window.agent behaves as the
// contract's AgentBridge: invoke over 'agent:invoke', events filtered by name with an
// unsubscribe, media requests answered on 'agent:media-result' by id.
import { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it, vi, type Mock } from 'vitest';
import { CHANNELS } from '../../../preload/channels';
import type { AgentBridge, MediaArgs, MediaMethod } from '../../../preload/contract';

type FakeIpcRenderer = EventEmitter & { invoke: Mock; send: Mock };

// vi.mock factories run before imports: the state they share lives in vi.hoisted.
const fake = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  ipc: null as unknown as FakeIpcRenderer,
}));

vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (key: string, api: unknown) => fake.exposed.set(key, api),
  },
  get ipcRenderer() {
    return fake.ipc;
  },
}));

const flush = () => new Promise((r) => setImmediate(r));

async function loadPreload(): Promise<AgentBridge> {
  fake.exposed.clear();
  fake.ipc = Object.assign(new EventEmitter(), {
    invoke: vi.fn(async () => ({ ok: true, result: 'from main' })),
    send: vi.fn(),
  });
  vi.resetModules();
  await import('../../../preload/index');
  return fake.exposed.get('agent') as AgentBridge;
}

/** main → renderer, as ipcRenderer delivers it (the IPC event first). */
const fromMain = (channel: string, ...args: unknown[]) =>
  fake.ipc.emit(channel, { sender: {} }, ...args);

describe('preload', () => {
  let agent: AgentBridge;
  beforeEach(async () => {
    agent = await loadPreload();
  });

  it('exposes exactly window.agent with invoke, on, serveMedia', () => {
    expect([...fake.exposed.keys()]).toEqual(['agent']);
    expect(Object.keys(agent).sort()).toEqual(['invoke', 'on', 'serveMedia']);
    for (const fn of Object.values(agent)) expect(typeof fn).toBe('function');
  });

  it('invoke → ipcRenderer.invoke(agent:invoke, method, args) and returns the response', async () => {
    await expect(agent.invoke('answerCall', { callId: 'c1' })).resolves.toEqual({
      ok: true,
      result: 'from main',
    });
    expect(fake.ipc.invoke).toHaveBeenCalledWith(CHANNELS.invoke, 'answerCall', { callId: 'c1' });
  });

  it('on delivers only the named event, without the IPC event object, until unsubscribed', () => {
    const status = vi.fn();
    const locale = vi.fn();
    const off = agent.on('phone.status', status);
    agent.on('locale.changed', locale);
    fromMain(CHANNELS.event, 'phone.status', { registration: 'registered' });
    fromMain(CHANNELS.event, 'locale.changed', { locale: 'en' });
    expect(status).toHaveBeenCalledTimes(1);
    expect(status).toHaveBeenCalledWith({ registration: 'registered' });
    expect(locale).toHaveBeenCalledWith({ locale: 'en' });

    off();
    fromMain(CHANNELS.event, 'phone.status', { registration: 'failed' });
    expect(status).toHaveBeenCalledTimes(1);
  });

  it('uses one IPC listener however many subscribers', () => {
    for (let i = 0; i < 50; i++) agent.on('call.updated', () => {});
    expect(fake.ipc.listenerCount(CHANNELS.event)).toBe(1);
  });

  it('a throwing listener does not stop the others', () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    const second = vi.fn();
    agent.on('phone.status', () => {
      throw new Error('boom');
    });
    agent.on('phone.status', second);
    fromMain(CHANNELS.event, 'phone.status', {});
    expect(second).toHaveBeenCalled();
    spy.mockRestore();
  });

  it('serves media requests and replies by id', async () => {
    agent.serveMedia(async <M extends MediaMethod>(method: M, args: MediaArgs<M>) => {
      if (method === 'getDescription')
        return { sdp: `sdp for ${(args as { callId: string }).callId}` } as never;
      throw new Error(`cannot ${method}`);
    });
    fromMain(CHANNELS.media, 7, 'getDescription', { callId: 'c1', hold: false });
    fromMain(CHANNELS.media, 8, 'close', { callId: 'c1' });
    await flush();
    expect(fake.ipc.send).toHaveBeenCalledWith(CHANNELS.mediaResult, {
      t: 'mediaResult',
      id: 7,
      ok: true,
      result: { sdp: 'sdp for c1' },
    });
    expect(fake.ipc.send).toHaveBeenCalledWith(CHANNELS.mediaResult, {
      t: 'mediaResult',
      id: 8,
      ok: false,
      error: 'cannot close',
    });
  });

  it('holds media requests that arrive before serveMedia, then serves them', async () => {
    fromMain(CHANNELS.media, 1, 'close', { callId: 'c1' });
    await flush();
    expect(fake.ipc.send).not.toHaveBeenCalled();
    const handler = vi.fn(async () => ({ ok: true }) as never);
    agent.serveMedia(handler);
    await flush();
    expect(handler).toHaveBeenCalledWith('close', { callId: 'c1' });
    expect(fake.ipc.send).toHaveBeenCalledWith(CHANNELS.mediaResult, {
      t: 'mediaResult',
      id: 1,
      ok: true,
      result: { ok: true },
    });
  });

  it('answers with an error when too many requests wait for a handler', async () => {
    for (let id = 1; id <= 33; id++) fromMain(CHANNELS.media, id, 'close', { callId: 'c1' });
    expect(fake.ipc.send).toHaveBeenCalledTimes(1);
    expect(fake.ipc.send).toHaveBeenCalledWith(CHANNELS.mediaResult, {
      t: 'mediaResult',
      id: 33,
      ok: false,
      error: 'no media handler registered',
    });
  });

  it('stops serving after unsubscribe; the newest handler wins', async () => {
    const first = vi.fn(async () => ({ ok: true }) as never);
    const second = vi.fn(async () => ({ ok: true }) as never);
    const offFirst = agent.serveMedia(first);
    agent.serveMedia(second);
    offFirst(); // not current any more: no effect
    fromMain(CHANNELS.media, 1, 'close', { callId: 'c1' });
    await flush();
    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledTimes(1);
  });

  it('ignores malformed media frames', async () => {
    const handler = vi.fn(async () => ({ ok: true }) as never);
    agent.serveMedia(handler);
    fromMain(CHANNELS.media, 'x', 'close', {});
    fromMain(CHANNELS.media, 1, 42, {});
    await flush();
    expect(handler).not.toHaveBeenCalled();
  });
});
