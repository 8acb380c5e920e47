import { describe, expect, it } from 'vitest';
import {
  createMainWindow,
  denyNavigation,
  openExternalSafely,
} from '../../../main/electron/window';
import { FakeBrowserWindow, FakeEvent, FakeWebContents, fakeElectron, memoryLogger } from './fakes';

function open() {
  const electron = fakeElectron('/unused');
  const log = memoryLogger();
  const win = createMainWindow(electron, {
    preload: '/app/out/preload/index.cjs',
    url: 'app://agent/index.html',
    log,
  }) as FakeBrowserWindow;
  return { win, wc: win.webContents, opened: electron.shell.opened, log };
}

const flush = () => new Promise((r) => setImmediate(r));

describe('main window', () => {
  it('is isolated, sandboxed and without Node', () => {
    const { win } = open();
    expect(win.options.webPreferences).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
    });
    expect(win.options.show).toBe(false);
  });

  it('rings without a prior click and keeps timers running in the background', () => {
    const { win } = open();
    expect(win.options.webPreferences).toMatchObject({
      autoplayPolicy: 'no-user-gesture-required',
      backgroundThrottling: false,
    });
  });

  it('loads app://agent/index.html, never file://', () => {
    const { win } = open();
    expect(win.loaded).toEqual(['app://agent/index.html']);
  });

  it('shows itself when ready', () => {
    const { win } = open();
    win.emit('ready-to-show');
    expect(win.shown).toBe(true);
  });

  it('denies every navigation; web links open in the system browser', async () => {
    const { wc, opened } = open();
    for (const url of [
      'https://crm.example.com/customer/1',
      'http://example.com/',
      'app://agent/other.html',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://server/share',
    ]) {
      const event = new FakeEvent();
      wc.emit('will-navigate', event, url);
      expect(event.defaultPrevented, url).toBe(true);
    }
    await flush();
    expect(opened).toEqual(['https://crm.example.com/customer/1', 'http://example.com/']);
  });

  it('denies window.open; only http(s) goes to the system browser', async () => {
    const { wc, opened, log } = open();
    expect(wc.windowOpenHandler!({ url: 'https://example.com/help' })).toEqual({ action: 'deny' });
    expect(wc.windowOpenHandler!({ url: 'file:///C:/Windows/system32/calc.exe' })).toEqual({
      action: 'deny',
    });
    expect(wc.windowOpenHandler!({ url: 'not a url' })).toEqual({ action: 'deny' });
    await flush();
    expect(opened).toEqual(['https://example.com/help']);
    expect(log.lines.join('\n')).toContain('refused to open external url');
  });

  it('prevents <webview> attachment', () => {
    const { wc } = open();
    const event = new FakeEvent();
    wc.emit('will-attach-webview', event);
    expect(event.defaultPrevented).toBe(true);
  });
});

describe('any webContents (web-contents-created)', () => {
  it('cannot navigate, open windows or attach webviews', () => {
    const wc = new FakeWebContents();
    denyNavigation(wc);
    const nav = new FakeEvent();
    wc.emit('will-navigate', nav, 'https://evil.example/');
    const webview = new FakeEvent();
    wc.emit('will-attach-webview', webview);
    expect(nav.defaultPrevented).toBe(true);
    expect(webview.defaultPrevented).toBe(true);
    expect(wc.windowOpenHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
  });
});

describe('openExternalSafely', () => {
  it('logs a failing openExternal instead of throwing', async () => {
    const log = memoryLogger();
    const shell = { openExternal: () => Promise.reject(new Error('no browser')) };
    expect(openExternalSafely(shell, 'https://example.com', log)).toBe(true);
    await flush();
    expect(log.lines.join('\n')).toContain('openExternal failed');
  });
});
