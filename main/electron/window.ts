// The one BrowserWindow, locked down per Electron's security checklist: isolated, sandboxed,
// no Node in the page, no navigation away, no new windows, no <webview>. Web links the agent
// clicks (http/https only) open in the system browser instead.
import type { WebPreferences } from 'electron';
import type { Logger } from '../core/log';
import type { BrowserWindowCtor, BrowserWindowLike, ShellLike, WebContentsLike } from './deps';

export function secureWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    // An incoming call must ring even when the agent has not clicked in the window yet.
    autoplayPolicy: 'no-user-gesture-required',
    // Calls keep their timers and audio while the window is in the tray or behind others.
    backgroundThrottling: false,
  };
}

/** Opens http(s) URLs in the system browser; anything else (file:, smb:, custom) is refused. */
export function openExternalSafely(shell: ShellLike, url: string, log: Logger): boolean {
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    protocol = 'invalid:';
  }
  if (protocol !== 'http:' && protocol !== 'https:') {
    log.warn('refused to open external url', { scheme: protocol });
    return false;
  }
  shell.openExternal(url).catch((err: unknown) => log.warn('openExternal failed', { err }));
  return true;
}

/**
 * For every webContents (the app installs this on 'web-contents-created'): no navigation,
 * no popups, no webviews. The main window adds opening web links externally on top.
 */
export function denyNavigation(contents: WebContentsLike): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

export interface MainWindowOptions {
  preload: string;
  /** app://agent/index.html (see origin.ts). */
  url: string;
  log: Logger;
}

export function createMainWindow(
  deps: { BrowserWindow: BrowserWindowCtor; shell: ShellLike },
  opts: MainWindowOptions,
): BrowserWindowLike {
  const win = new deps.BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'Agent Desktop',
    autoHideMenuBar: true,
    webPreferences: secureWebPreferences(opts.preload),
  });
  const wc = win.webContents;
  wc.on('will-navigate', (event, url) => {
    event.preventDefault();
    openExternalSafely(deps.shell, url, opts.log);
  });
  wc.on('will-attach-webview', (event) => event.preventDefault());
  wc.setWindowOpenHandler(({ url }) => {
    openExternalSafely(deps.shell, url, opts.log);
    return { action: 'deny' };
  });
  win.once('ready-to-show', () => win.show());
  // Callers wire IPC in the same tick, before the first page can finish loading.
  win.loadURL(opts.url).catch((err: unknown) => opts.log.error('window failed to load', { err }));
  return win;
}
