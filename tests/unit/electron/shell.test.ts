import { EventEmitter } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Core, CoreOptions } from '../../../main/core/core-api';
import { createMediaHub } from '../../../main/core/rpc/media-port';
import { localeFrom, startShell, type ShellOptions } from '../../../main/electron/shell';
import { CHANNELS } from '../../../preload/channels';
import {
  FakeBrowserWindow,
  FakeEvent,
  FakeFrame,
  FakeNotification,
  FakeWebContents,
  fakeElectron,
  memoryLogger,
  type FakeElectron,
} from './fakes';

let userData: string;
beforeEach(async () => {
  userData = await mkdtemp(join(tmpdir(), 'agent-shell-'));
});
afterEach(async () => {
  await rm(userData, { recursive: true, force: true });
});

function fakeCore(): Core & {
  close: ReturnType<typeof vi.fn>;
  dispatch: ReturnType<typeof vi.fn>;
  events: EventEmitter;
} {
  const events = new EventEmitter();
  return {
    events,
    dispatch: vi.fn(async () => ({ ok: true as const, result: {} })),
    on: (event, listener) => {
      events.on(event, listener);
      return () => events.off(event, listener);
    },
    media: createMediaHub(),
    close: vi.fn(async () => {}),
  };
}

type BootOptions = Partial<ShellOptions> & { prepare?: (e: FakeElectron) => void };

function boot({ prepare, ...over }: BootOptions = {}) {
  const electron = fakeElectron(userData);
  prepare?.(electron);
  const core = fakeCore();
  const createCore = vi.fn(async (_opts: CoreOptions) => core);
  const log = memoryLogger();
  const shell = startShell(electron, {
    createCore,
    paths: { preload: '/app/out/preload/index.cjs', renderer: '/app/out/renderer' },
    platform: 'linux',
    env: {},
    log,
    coreLog: log,
    ...over,
  });
  return { electron, app: electron.app, core, createCore, shell, log };
}

async function started(over: BootOptions = {}) {
  const b = boot(over);
  b.app.fireReady();
  await b.shell!.ready;
  return b;
}

const windows = () => FakeBrowserWindow.instances;
const tick = () => new Promise((r) => setImmediate(r));

describe('start-up', () => {
  it('registers app:// before ready, and builds nothing until ready', async () => {
    const { electron, createCore } = boot();
    expect(electron.protocol.privileged.map((s) => s.scheme)).toEqual(['app']);
    expect(electron.protocol.handlers.size).toBe(0);
    await tick();
    expect(createCore).not.toHaveBeenCalled();
    expect(windows()).toHaveLength(0);
  });

  it('after ready: permissions, the protocol, core once, then the window', async () => {
    const { electron, createCore, shell, core } = await started();
    expect(electron.session.defaultSession.requestHandler).not.toBeNull();
    expect(electron.session.defaultSession.checkHandler).not.toBeNull();
    expect(electron.session.defaultSession.deviceHandler).not.toBeNull();
    expect(electron.session.defaultSession.listenerCount('select-hid-device')).toBe(1);
    expect(electron.protocol.handlers.has('app')).toBe(true);
    expect(createCore).toHaveBeenCalledTimes(1);
    expect(createCore.mock.calls[0]![0]).toMatchObject({
      dataDir: userData,
      version: '0.1.0-test',
      locale: 'ja',
      sip: null,
      seedDemo: false,
    });
    expect(shell!.core).toBe(core);
    expect(windows()).toHaveLength(1);
    expect(windows()[0]!.loaded).toEqual(['app://agent/index.html']);
    expect(windows()[0]!.options.webPreferences?.preload).toBe('/app/out/preload/index.cjs');
    expect(electron.ipcMain.handlers.has(CHANNELS.invoke)).toBe(true);
  });

  it('reads the SIP account from settings.json and its password from the secret store', async () => {
    const sip = {
      server: 'wss://pbx.example.com/ws',
      aor: 'sip:1001@pbx.example.com',
      password: 's3cret',
    };
    await writeFile(
      join(userData, 'settings.json'),
      JSON.stringify({ sip, locale: 'en', seedDemo: true }),
    );
    const { createCore, log } = await started();
    expect(createCore.mock.calls[0]![0]).toMatchObject({ sip, locale: 'en', seedDemo: true });
    expect(log.lines.join('\n')).not.toContain('s3cret');
  });

  it('gives core the keychain-backed secret store for the CRM token, never the file', async () => {
    const { createCore } = await started();
    const { secrets } = createCore.mock.calls[0]![0];
    expect(secrets).toBeTruthy();
    await secrets!.set('crm.kintone.token', 'TOKEN123abc');
    expect(await secrets!.get('crm.kintone.token')).toBe('TOKEN123abc');
    const onDisk = await readFile(join(userData, 'secrets.json'), 'utf8');
    expect(onDisk).toContain('crm.kintone.token');
    expect(onDisk).not.toContain('TOKEN123abc');
  });

  it('seeds demo data in unpackaged (development) runs', async () => {
    const b = await started({ prepare: (e) => (e.app.isPackaged = false) });
    expect(b.createCore.mock.calls[0]![0].seedDemo).toBe(true);
    expect(b.electron.Menu.set).toEqual([]); // developers keep Reload and DevTools
  });

  it('a call ringing while the window is minimized raises it and notifies the agent', async () => {
    const b = await started();
    const win = windows()[0]!;
    win.minimized = true;
    b.core.events.emit('locale.changed', { locale: 'en' });
    b.core.events.emit('call.updated', {
      id: 'c1',
      direction: 'inbound',
      state: 'ringing',
      remote: {
        raw: '0355550101',
        e164: '+81355550101',
        display: '03-5555-0101',
        anonymous: false,
        displayName: null,
      },
      pop: { customer: null, lastContacts: [] },
    });
    expect(win.shownInactive).toBe(true);
    expect(FakeNotification.shown.map((n) => n.options.title)).toEqual(['Incoming call']);
  });

  it('packaged builds have no application menu', async () => {
    const b = await started({ prepare: (e) => (e.app.isPackaged = true) });
    expect(b.electron.Menu.set).toEqual([null]);
  });

  it('loads the dev server only when unpackaged', async () => {
    const env = { ELECTRON_RENDERER_URL: 'http://localhost:5173' };
    await started({ env });
    expect(windows()[0]!.loaded).toEqual(['app://agent/index.html']);

    await started({ env, prepare: (e) => (e.app.isPackaged = false) });
    expect(windows()[0]!.loaded).toEqual(['http://localhost:5173/']);

    const remote = { ELECTRON_RENDERER_URL: 'http://evil.example:5173' };
    await started({ env: remote, prepare: (e) => (e.app.isPackaged = false) });
    expect(windows()[0]!.loaded).toEqual(['app://agent/index.html']);
  });

  it('shows the error and exits when core cannot start', async () => {
    const b = boot({
      createCore: async () => Promise.reject(new Error('database is from a newer version')),
    });
    b.app.fireReady();
    await b.shell!.ready;
    expect(b.electron.dialog.errors).toEqual([
      'Agent Desktop could not start: database is from a newer version',
    ]);
    expect(b.app.exitCode).toBe(1);
    expect(windows()).toHaveLength(0);
  });

  it('locks every new webContents down', async () => {
    const { app } = await started();
    const wc = new FakeWebContents('app://agent/index.html');
    app.emit('web-contents-created', {}, wc);
    const event = new FakeEvent();
    wc.emit('will-navigate', event, 'https://example.com');
    expect(event.defaultPrevented).toBe(true);
    expect(wc.windowOpenHandler!({ url: 'https://example.com' })).toEqual({ action: 'deny' });
  });
});

describe('headsets', () => {
  const JABRA = { vendorId: 0x0b0e, productId: 0x0412 };
  const jabra = {
    deviceId: 'jabra-1',
    name: 'Jabra Link 380',
    ...JABRA,
    collections: [{ usagePage: 0x0b, usage: 0x05, type: 1, children: [] }],
  };
  const keyboard = {
    deviceId: 'kbd-1',
    name: 'Keyboard',
    vendorId: 0x1234,
    productId: 1,
    collections: [{ usagePage: 0x01, usage: 0x06, type: 1, children: [] }],
  };
  const appFrame = () => new FakeFrame('app://agent/index.html');

  it('grants a headset without a picker and remembers it in settings.json', async () => {
    const sip = { server: 'wss://pbx.example.com/ws', aor: 'sip:1001@pbx.example.com' };
    await writeFile(join(userData, 'settings.json'), JSON.stringify({ sip, locale: 'en' }));
    const { electron } = await started();
    const session = electron.session.defaultSession;
    expect(
      session.selectHidDevice({ deviceList: [keyboard, jabra], frame: appFrame() }).chosen,
    ).toEqual(['jabra-1']);
    await vi.waitFor(async () => {
      const saved = JSON.parse(await readFile(join(userData, 'settings.json'), 'utf8'));
      expect(saved).toEqual({
        sip,
        locale: 'en',
        headsets: [{ ...JABRA, name: 'Jabra Link 380' }],
      });
    });
  });

  it('grants remembered headsets and known ones to getDevices, never a keyboard', async () => {
    const remembered = { vendorId: 0x1234, productId: 9 };
    await writeFile(join(userData, 'settings.json'), JSON.stringify({ headsets: [remembered] }));
    const { electron } = await started();
    const handler = electron.session.defaultSession.deviceHandler!;
    const hid = (device: unknown) => handler({ deviceType: 'hid', origin: 'app://agent', device });
    expect(hid(jabra)).toBe(true);
    expect(hid({ ...remembered, name: 'Own headset', collections: [] })).toBe(true);
    expect(hid(keyboard)).toBe(false);
    expect(hid({ ...remembered, collections: keyboard.collections })).toBe(false);
  });
});

describe('global shortcuts', () => {
  const ringing = {
    id: 'c1',
    direction: 'inbound' as const,
    state: 'ringing' as const,
    onHold: false,
    remoteHold: false,
    muted: false,
    consultFor: null,
    conferenceId: null,
    transfer: null,
    quality: null,
    sipStatus: null,
    remote: { raw: '', e164: null, display: '', anonymous: false, displayName: null },
    reason: null,
    pop: { customer: null, lastContacts: [] },
    startedAt: Date.now(),
    answeredAt: null,
    endedAt: null,
    outcome: null,
    endReason: null,
  };

  it('Play/Pause answers a ringing call through core, and is given back on quit', async () => {
    const { electron, core, app } = await started();
    const keys = electron.globalShortcut;
    expect([...keys.callbacks.keys()]).toEqual(['MediaPlayPause']);
    core.events.emit('call.updated', ringing);
    keys.press('MediaPlayPause');
    expect(core.dispatch).toHaveBeenCalledWith('answerCall', { callId: 'c1' });
    const quit = vi.fn();
    app.on('__quit', quit);
    app.quit();
    await vi.waitFor(() => expect(quit).toHaveBeenCalled());
    expect(keys.unregistered).toEqual(['MediaPlayPause']);
  });

  it('takes its keys from settings.json; a key it cannot have does not stop the app', async () => {
    await writeFile(
      join(userData, 'settings.json'),
      JSON.stringify({ shortcuts: { answerOrHangup: 'F9', toggleMute: 'Ctrl+Alt+M' } }),
    );
    const { electron, log } = await started({ prepare: (e) => e.globalShortcut.taken.add('F9') });
    expect([...electron.globalShortcut.callbacks.keys()]).toEqual(['Ctrl+Alt+M']);
    expect(windows()).toHaveLength(1);
    expect(log.lines.join('\n')).toMatch(/did not give the app this key.*F9/);
  });

  it('none are taken when the app quits during start-up', async () => {
    const b = boot();
    const quit = vi.fn();
    b.app.on('__quit', quit);
    b.app.quit();
    b.app.fireReady();
    await vi.waitFor(() => expect(quit).toHaveBeenCalled());
    expect(b.electron.globalShortcut.callbacks.size).toBe(0);
  });
});

describe('single instance', () => {
  it('a second instance quits without building anything', async () => {
    const electron = fakeElectron(userData);
    electron.app.gotLock = false;
    const createCore = vi.fn();
    const shell = startShell(electron, {
      createCore,
      paths: { preload: 'p', renderer: 'r' },
      log: memoryLogger(),
    });
    expect(shell).toBeNull();
    expect(electron.app.quits).toBe(1);
    electron.app.fireReady();
    await tick();
    expect(createCore).not.toHaveBeenCalled();
  });

  it('the first instance restores and focuses its window when a second starts', async () => {
    const { app } = await started();
    const win = windows()[0]!;
    win.minimized = true;
    app.emit('second-instance');
    expect(win.minimized).toBe(false);
    expect(win.focused).toBe(true);
  });
});

describe('quitting', () => {
  it('closes core once before the app quits', async () => {
    const { app, core } = await started();
    const quit = vi.fn();
    app.on('__quit', quit);
    app.quit();
    expect(quit).not.toHaveBeenCalled(); // held until core has closed
    await vi.waitFor(() => expect(quit).toHaveBeenCalledTimes(1));
    expect(core.close).toHaveBeenCalledTimes(1);
    app.quit();
    expect(core.close).toHaveBeenCalledTimes(1);
  });

  it('quitting during start-up waits for core, closes it, and opens no window', async () => {
    const b = boot();
    const quit = vi.fn();
    b.app.on('__quit', quit);
    b.app.quit();
    b.app.fireReady();
    await vi.waitFor(() => expect(quit).toHaveBeenCalled());
    expect(b.core.close).toHaveBeenCalledTimes(1);
    expect(windows()).toHaveLength(0);
  });

  it('still quits when core.close fails', async () => {
    const { app, core, log } = await started();
    core.close.mockRejectedValueOnce(new Error('boom'));
    const quit = vi.fn();
    app.on('__quit', quit);
    app.quit();
    await vi.waitFor(() => expect(quit).toHaveBeenCalled());
    expect(log.lines.join('\n')).toContain('did not close cleanly');
  });

  it('closing the last window quits on Windows and Linux, not on macOS', async () => {
    const linux = await started({ platform: 'linux' });
    windows()[0]!.close();
    linux.app.emit('window-all-closed');
    expect(linux.app.quits).toBe(1);

    const mac = await started({ platform: 'darwin' });
    windows()[0]!.close();
    mac.app.emit('window-all-closed');
    expect(mac.app.quits).toBe(0);
  });

  it('macOS activate reopens a window on the same core, with IPC wired again', async () => {
    const { app, createCore, electron, shell } = await started({ platform: 'darwin' });
    windows()[0]!.close();
    expect(shell!.window).toBeNull();
    expect(electron.ipcMain.handlers.has(CHANNELS.invoke)).toBe(false);
    app.emit('activate');
    expect(windows()).toHaveLength(2);
    expect(shell!.window).toBe(windows()[1]);
    expect(electron.ipcMain.handlers.has(CHANNELS.invoke)).toBe(true);
    app.emit('activate'); // a window exists: nothing new
    expect(windows()).toHaveLength(2);
    expect(createCore).toHaveBeenCalledTimes(1);
  });
});

describe('localeFrom', () => {
  it('maps the system locale to the screen languages', () => {
    expect(localeFrom('ja')).toBe('ja');
    expect(localeFrom('ja-JP')).toBe('ja');
    expect(localeFrom('en-US')).toBe('en');
    expect(localeFrom('de')).toBe('en');
  });
});
