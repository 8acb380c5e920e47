// The app's lifecycle: one instance, core built once after 'ready', one window, core closed
// before the process exits. Electron comes in as a parameter (main.ts passes the real module)
// and so does createCore, so this file runs in plain Node tests with fakes.
import { join } from 'node:path';
import type { Locale } from '../../preload/contract';
import type { Core, CoreOptions } from '../core/core-api';
import { buildCsp } from '../core/csp';
import { createLogger, type Logger } from '../core/log';
import type { BrowserWindowLike, ElectronDeps } from './deps';
import { installGlobalShortcuts, type GlobalShortcuts } from './global-shortcuts';
import {
  createHeadsetMemory,
  installHidDeviceSelection,
  isGrantableHidDevice,
} from './hid-devices';
import { wireIpc } from './ipc';
import { rendererTarget } from './origin';
import { installPermissionHandlers } from './permissions';
import { registerAppScheme, serveAppProtocol } from './protocol';
import { createSecretStore } from './secrets';
import { createRingingAlert } from './ringing-alert';
import { readSettings, resolveSipAccount, saveHeadsets, SETTINGS_FILE } from './settings';
import { createMainWindow, denyNavigation } from './window';

export const SECRETS_FILE = 'secrets.json';

export interface ShellOptions {
  createCore: (opts: CoreOptions) => Promise<Core>;
  paths: {
    /** The built preload (out/preload/index.cjs). */
    preload: string;
    /** The built renderer folder (out/renderer). */
    renderer: string;
    /** The talk tracks shipped with the app (resources/scripts when packaged). */
    scripts?: string;
  };
  platform?: NodeJS.Platform;
  env?: Record<string, string | undefined>;
  log?: Logger;
  coreLog?: Logger;
}

export interface Shell {
  /** Settles when start-up is done (window open) or has failed (app exiting). */
  readonly ready: Promise<void>;
  readonly core: Core | null;
  readonly window: BrowserWindowLike | null;
}

export function localeFrom(systemLocale: string): Locale {
  return systemLocale.toLowerCase().startsWith('ja') ? 'ja' : 'en';
}

/** Returns null when another instance already runs (this one quits and focuses that one). */
export function startShell(electron: ElectronDeps, opts: ShellOptions): Shell | null {
  const { app } = electron;
  const log = opts.log ?? createLogger({ scope: 'shell' });
  const platform = opts.platform ?? process.platform;
  const env = opts.env ?? process.env;

  registerAppScheme(electron.protocol); // before 'ready', or Chromium ignores it
  if (!app.requestSingleInstanceLock()) {
    log.info('another instance is running; handing over to it');
    app.quit();
    return null;
  }

  const target = rendererTarget({ isPackaged: app.isPackaged, devUrl: env.ELECTRON_RENDERER_URL });
  let core: Core | null = null;
  let window: BrowserWindowLike | null = null;
  let shortcuts: GlobalShortcuts | null = null;
  let quitting = false;
  let coreClosed = false;

  const openWindow = (c: Core) => {
    const win = createMainWindow(electron, { preload: opts.paths.preload, url: target.url, log });
    wireIpc(electron, c, win.webContents, { origin: target.origin, log });
    win.on('closed', () => {
      if (window === win) window = null;
    });
    window = win;
  };

  app.on('web-contents-created', (_event, contents) => denyNavigation(contents));
  app.on('second-instance', () => {
    if (!window || window.isDestroyed()) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('window-all-closed', () => {
    // macOS apps stay in the dock; elsewhere closing the window quits (until the tray exists).
    if (platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (core && !quitting && (!window || window.isDestroyed())) openWindow(core);
  });
  app.on('before-quit', (event) => {
    // Hold the quit until core has closed (SIP unregistered, database closed), then quit again.
    if (coreClosed) return;
    event.preventDefault();
    if (quitting) return;
    quitting = true;
    void ready
      .then(() => core?.close())
      .catch((err: unknown) => log.error('core did not close cleanly', { err }))
      .finally(() => {
        coreClosed = true;
        app.quit();
      });
  });
  // The keys go back to the system before exit, as Electron's globalShortcut docs do it.
  app.on('will-quit', () => shortcuts?.dispose());

  async function boot(): Promise<void> {
    await app.whenReady();
    // Packaged builds have no menu: its Reload and DevTools entries are for developers.
    if (app.isPackaged) electron.Menu.setApplicationMenu(null);
    const dataDir = app.getPath('userData');
    const settingsFile = join(dataDir, SETTINGS_FILE);
    const settings = await readSettings(settingsFile, log);

    // Headsets: granted without a picker, remembered in settings.json (hid-devices.ts).
    const session = electron.session.defaultSession;
    const headsets = createHeadsetMemory({
      initial: settings.headsets,
      save: (list) => saveHeadsets(settingsFile, list, log),
      log,
    });
    installPermissionHandlers(session, {
      origin: target.origin,
      allowHidDevice: (device) => isGrantableHidDevice(device, headsets.list()),
      log,
    });
    installHidDeviceSelection(session, { origin: target.origin, headsets, log });
    serveAppProtocol(electron.protocol, { root: opts.paths.renderer, csp: buildCsp() });

    const secrets = createSecretStore(electron, {
      file: join(dataDir, SECRETS_FILE),
      platform,
      log,
    });
    const sip = await resolveSipAccount(settingsFile, settings, secrets, log);
    let locale = settings.locale ?? localeFrom(app.getLocale());
    core = await opts.createCore({
      dataDir,
      version: app.getVersion(),
      locale,
      sip,
      // Demo customers only in development unless settings.json says otherwise.
      seedDemo: settings.seedDemo ?? !app.isPackaged,
      // The shipped talk tracks, then the centre's own in the profile (same id: theirs wins).
      scriptFolders: [
        ...(opts.paths.scripts ? [opts.paths.scripts] : []),
        join(dataDir, 'scripts'),
      ],
      // The CRM token is kept in the OS keychain (safeStorage), like the SIP password.
      secrets,
      log: opts.coreLog ?? createLogger({ scope: 'core' }),
    });
    core.on('locale.changed', (e) => (locale = e.locale));
    core.on(
      'call.updated',
      createRingingAlert({
        Notification: electron.Notification,
        window: () => window,
        locale: () => locale,
      }),
    );
    if (quitting) return;
    shortcuts = installGlobalShortcuts({
      globalShortcut: electron.globalShortcut,
      core,
      shortcuts: settings.shortcuts,
      log,
      platform,
    });
    openWindow(core);
  }

  // A start-up failure (e.g. a database from a newer version) is shown, then the app exits.
  const fatal = (err: unknown) => {
    log.error('start-up failed', { err });
    const message = err instanceof Error ? err.message : String(err);
    electron.dialog.showErrorBox('Agent Desktop could not start', message);
    coreClosed = true;
    app.exit(1);
  };

  const ready = boot().catch(fatal);
  return {
    ready,
    get core() {
      return core;
    },
    get window() {
      return window;
    },
  };
}
