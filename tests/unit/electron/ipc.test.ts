import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import type { EventName, EventPayload, PhoneStatus } from '../../../preload/contract';
import { CHANNELS } from '../../../preload/channels';
import { createDispatcher } from '../../../main/core/rpc/dispatcher';
import { fakeHandlers } from '../../infra/fake-handlers';
import { createMediaHub } from '../../../main/core/rpc/media-port';
import { isTrustedSender, wireIpc, type IpcCore } from '../../../main/electron/ipc';
import { FakeFrame, FakeIpcMain, FakeWebContents, memoryLogger } from './fakes';

const status: PhoneStatus = {
  registration: 'registered',
  aor: 'sip:1001@pbx',
  error: null,
  since: 1,
};

function fakeCore() {
  const handlers = fakeHandlers(status);
  const emitter = new EventEmitter();
  const core = {
    dispatch: createDispatcher(handlers),
    media: createMediaHub({ timeoutMs: 1000 }),
    on<E extends EventName>(event: E, listener: (p: EventPayload<E>) => void) {
      emitter.on(event, listener);
      return () => void emitter.off(event, listener);
    },
  } satisfies IpcCore;
  const emit = <E extends EventName>(event: E, payload: EventPayload<E>) =>
    emitter.emit(event, payload);
  return { core, handlers, emit, emitter };
}

function setup() {
  const ipcMain = new FakeIpcMain();
  const wc = new FakeWebContents('app://agent/index.html');
  const { core, handlers, emit, emitter } = fakeCore();
  const log = memoryLogger();
  const dispose = wireIpc({ ipcMain }, core, wc, { origin: 'app://agent', log });
  const invoke = (method: unknown, args: unknown, event = wc.ipcEvent()) =>
    ipcMain.invoke(CHANNELS.invoke, event, method, args);
  return { ipcMain, wc, core, handlers, emit, emitter, log, dispose, invoke };
}

/** Plays the renderer's media side: answers each agent:media frame through ipcMain. */
function serveMedia(
  ipcMain: FakeIpcMain,
  wc: FakeWebContents,
  answer: (method: string, args: unknown) => { ok: boolean; result?: unknown; error?: string },
) {
  wc.on('__sent', (channel: string, id: number, method: string, args: unknown) => {
    if (channel !== CHANNELS.media) return;
    queueMicrotask(() =>
      ipcMain.send(CHANNELS.mediaResult, wc.ipcEvent(), {
        t: 'mediaResult',
        id,
        ...answer(method, args),
      }),
    );
  });
}

describe('invoke', () => {
  it('reaches core.dispatch from our main frame', async () => {
    const { invoke, handlers } = setup();
    expect(await invoke('answerCall', { callId: 'c1' })).toEqual({
      ok: true,
      result: { ok: true },
    });
    expect(handlers.answerCall).toHaveBeenCalledWith({ callId: 'c1' });
    expect(await invoke('hello', {})).toMatchObject({ ok: true, result: { version: 't' } });
  });

  it('gives invalid_argument for malformed args (through the real dispatcher)', async () => {
    const { invoke, handlers } = setup();
    const res = await invoke('answerCall', { callId: 'bad id with spaces', extra: 1 });
    expect(res).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    expect(await invoke('answerCall', 'not an object')).toMatchObject({
      ok: false,
      error: { code: 'invalid_argument' },
    });
    expect(handlers.answerCall).not.toHaveBeenCalled();
  });

  it('gives unknown_method for methods outside the contract', async () => {
    const { invoke } = setup();
    expect(await invoke('__proto__', {})).toMatchObject({
      ok: false,
      error: { code: 'unknown_method' },
    });
    expect(await invoke(42, {})).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
  });

  it('forbids a frame from another origin', async () => {
    const { invoke, wc, handlers, log } = setup();
    wc.mainFrame.url = 'https://evil.example/';
    const res = await invoke('answerCall', { callId: 'c1' });
    expect(res).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(handlers.answerCall).not.toHaveBeenCalled();
    expect(log.lines.join('\n')).toContain('forbidden invoke');
  });

  it('forbids a subframe, even one at app://agent', async () => {
    const { invoke, wc, handlers } = setup();
    const sub = new FakeFrame('app://agent/index.html', wc.mainFrame, 1, 2);
    expect(await invoke('answerCall', { callId: 'c1' }, wc.ipcEvent(sub))).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(handlers.answerCall).not.toHaveBeenCalled();
  });

  it('forbids another webContents, a missing frame, and a frame that throws', async () => {
    const { invoke, wc } = setup();
    const other = new FakeWebContents('app://agent/index.html');
    expect((await invoke('hello', {}, other.ipcEvent())) as object).toMatchObject({ ok: false });
    expect((await invoke('hello', {}, wc.ipcEvent(null))) as object).toMatchObject({ ok: false });
    const disposed = {
      get url(): string {
        throw new Error('Render frame was disposed');
      },
      parent: null,
      processId: 1,
      routingId: 1,
    };
    expect(isTrustedSender(wc.ipcEvent(disposed), wc, 'app://agent')).toBe(false);
  });

  it('accepts a main frame identified by process and routing id', () => {
    const { wc } = setup();
    const same = new FakeFrame('app://agent/index.html', null, 1, 1);
    expect(isTrustedSender(wc.ipcEvent(same), wc, 'app://agent')).toBe(true);
    const otherTop = new FakeFrame('app://agent/index.html', null, 1, 9);
    expect(isTrustedSender(wc.ipcEvent(otherTop), wc, 'app://agent')).toBe(false);
  });
});

describe('events', () => {
  it('forwards every core event to the window', () => {
    const { emit, wc } = setup();
    emit('phone.status', status);
    emit('locale.changed', { locale: 'en' });
    expect(wc.sent).toEqual([
      [CHANNELS.event, 'phone.status', status],
      [CHANNELS.event, 'locale.changed', { locale: 'en' }],
    ]);
  });

  it('stops forwarding and unregisters when the window is destroyed', () => {
    const { emit, wc, emitter, ipcMain } = setup();
    wc.destroy();
    emit('phone.status', status);
    expect(wc.sent).toEqual([]);
    expect(emitter.listenerCount('phone.status')).toBe(0);
    expect(ipcMain.handlers.size).toBe(0);
    expect(ipcMain.listeners.get(CHANNELS.mediaResult)?.size ?? 0).toBe(0);
    // A new window can wire IPC again (ipcMain.handle allows one handler per channel).
    const { core } = fakeCore();
    expect(() =>
      wireIpc({ ipcMain }, core, new FakeWebContents(), {
        origin: 'app://agent',
        log: memoryLogger(),
      }),
    ).not.toThrow();
  });
});

describe('media', () => {
  it('is attached only once the page has loaded', () => {
    const { core, wc } = setup();
    expect(core.media.available).toBe(false);
    wc.emit('did-finish-load');
    expect(core.media.available).toBe(true);
  });

  it('round-trips a request by id', async () => {
    const { core, wc, ipcMain } = setup();
    wc.emit('did-finish-load');
    serveMedia(ipcMain, wc, (method, args) => ({
      ok: true,
      result:
        method === 'getDescription'
          ? { sdp: `v=0 for ${(args as { callId: string }).callId}` }
          : {},
    }));
    const [a, b] = await Promise.all([
      core.media.request('getDescription', { callId: 'c1', hold: false }),
      core.media.request('getDescription', { callId: 'c2', hold: false }),
    ]);
    expect(a).toEqual({ sdp: 'v=0 for c1' });
    expect(b).toEqual({ sdp: 'v=0 for c2' });
    const media = wc.sent.filter(([ch]) => ch === CHANNELS.media);
    expect(media.map(([, id]) => id)).toEqual([1, 2]);
    expect(media[0]).toEqual([CHANNELS.media, 1, 'getDescription', { callId: 'c1', hold: false }]);
  });

  it('passes a renderer error back to core', async () => {
    const { core, wc, ipcMain } = setup();
    wc.emit('did-finish-load');
    serveMedia(ipcMain, wc, () => ({ ok: false, error: 'no such call' }));
    await expect(core.media.request('close', { callId: 'c1' })).rejects.toThrow(/no such call/);
  });

  it('ignores results from untrusted frames and malformed results', async () => {
    const { core, wc, ipcMain, log } = setup();
    wc.emit('did-finish-load');
    const pending = core.media.request('sendDtmf', { callId: 'c1', tones: '1' });
    const other = new FakeWebContents('https://evil.example/');
    ipcMain.send(CHANNELS.mediaResult, other.ipcEvent(), {
      t: 'mediaResult',
      id: 1,
      ok: true,
      result: { sent: false },
    });
    ipcMain.send(CHANNELS.mediaResult, wc.ipcEvent(), { id: 1, ok: true });
    ipcMain.send(CHANNELS.mediaResult, wc.ipcEvent(), 'garbage');
    ipcMain.send(CHANNELS.mediaResult, wc.ipcEvent(), { t: 'mediaResult', id: 99, ok: true });
    ipcMain.send(CHANNELS.mediaResult, wc.ipcEvent(), {
      t: 'mediaResult',
      id: 1,
      ok: true,
      result: { sent: true },
    });
    await expect(pending).resolves.toEqual({ sent: true });
    expect(log.lines.join('\n')).toContain('forbidden media result');
    expect(log.lines.join('\n')).toContain('malformed media result');
  });

  it('detaches on reload and crash, failing what was in flight, and re-attaches on load', async () => {
    const { core, wc } = setup();
    wc.emit('did-finish-load');
    const inFlight = core.media.request('getDescription', { callId: 'c1', hold: false });
    wc.emit('did-start-navigation', {
      url: 'app://agent/index.html',
      isMainFrame: true,
      isSameDocument: false,
    });
    await expect(inFlight).rejects.toMatchObject({ code: 'unavailable' });
    expect(core.media.available).toBe(false);

    wc.emit('did-finish-load');
    expect(core.media.available).toBe(true);
    wc.emit('render-process-gone', {}, { reason: 'crashed' });
    expect(core.media.available).toBe(false);

    wc.reload();
    expect(core.media.available).toBe(true);
  });

  it('keeps media across same-document and subframe navigations', () => {
    const { core, wc } = setup();
    wc.emit('did-finish-load');
    wc.emit('did-start-navigation', {
      url: 'app://agent/index.html#x',
      isMainFrame: true,
      isSameDocument: true,
    });
    wc.emit('did-start-navigation', {
      url: 'about:blank',
      isMainFrame: false,
      isSameDocument: false,
    });
    expect(core.media.available).toBe(true);
  });

  it('detaches when the window is destroyed', async () => {
    const { core, wc } = setup();
    wc.emit('did-finish-load');
    const inFlight = core.media.request('close', { callId: 'c1' });
    wc.destroy();
    await expect(inFlight).rejects.toMatchObject({ code: 'unavailable' });
    expect(core.media.available).toBe(false);
  });

  it('forgets requests the renderer never answers', async () => {
    vi.useFakeTimers();
    try {
      const ipcMain = new FakeIpcMain();
      const wc = new FakeWebContents();
      const { core } = fakeCore();
      const attach = vi.spyOn(core.media, 'attach');
      wireIpc({ ipcMain }, core, wc, {
        origin: 'app://agent',
        log: memoryLogger(),
        staleMediaMs: 5000,
      });
      wc.emit('did-finish-load');
      const sender = attach.mock.calls[0]![0];
      const p = sender('close', { callId: 'c1' });
      vi.advanceTimersByTime(5000);
      await expect(p).rejects.toMatchObject({ code: 'timeout' });
    } finally {
      vi.useRealTimers();
    }
  });
});
