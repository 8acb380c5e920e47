// Fake Electron pieces for the shell's tests: just enough behaviour to drive the real code
// in plain Node (the Electron binary cannot run here, and the tests should not need it).
import { EventEmitter } from 'node:events';
import type { BrowserWindowConstructorOptions, CustomScheme } from 'electron';
import { createLogger, type Logger } from '../../../main/core/log';
import type {
  DevicePermissionDetails,
  ElectronDeps,
  IpcEventLike,
  IpcInvokeListener,
  IpcListener,
  PermissionCheckDetails,
  PermissionRequestDetails,
  SelectHidDeviceDetails,
  WebContentsLike,
  WebFrameLike,
  WindowOpenDetails,
} from '../../../main/electron/deps';

export class FakeEvent {
  defaultPrevented = false;
  preventDefault() {
    this.defaultPrevented = true;
  }
}

export class FakeFrame implements WebFrameLike {
  constructor(
    public url: string,
    public parent: WebFrameLike | null = null,
    public processId = 1,
    public routingId = 1,
  ) {}
}

let nextContentsId = 1;

export class FakeWebContents extends EventEmitter implements WebContentsLike {
  readonly id = nextContentsId++;
  mainFrame: FakeFrame;
  destroyed = false;
  sent: Array<[string, ...unknown[]]> = [];
  windowOpenHandler: ((d: WindowOpenDetails) => { action: 'deny' }) | null = null;

  constructor(url = 'app://agent/index.html') {
    super();
    this.mainFrame = new FakeFrame(url);
  }
  getURL() {
    return this.mainFrame.url;
  }
  isDestroyed() {
    return this.destroyed;
  }
  send(channel: string, ...args: unknown[]) {
    this.sent.push([channel, ...args]);
    this.emit('__sent', channel, ...args);
  }
  setWindowOpenHandler(handler: (d: WindowOpenDetails) => { action: 'deny' }) {
    this.windowOpenHandler = handler;
  }
  /** Simulates the renderer (re)loading: navigation start, then load finished. */
  reload() {
    this.emit('did-start-navigation', {
      url: this.getURL(),
      isMainFrame: true,
      isSameDocument: false,
    });
    this.emit('did-finish-load');
  }
  destroy() {
    this.destroyed = true;
    this.emit('destroyed');
  }
  /** An IPC event as Electron would build it for a message from this contents' frame. */
  ipcEvent(frame: WebFrameLike | null = this.mainFrame): IpcEventLike {
    return { sender: this, senderFrame: frame };
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static instances: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  loaded: string[] = [];
  shown = false;
  focused = false;
  minimized = false;
  destroyed = false;

  constructor(readonly options: BrowserWindowConstructorOptions) {
    super();
    FakeBrowserWindow.instances.push(this);
  }
  async loadURL(url: string) {
    this.loaded.push(url);
  }
  show() {
    this.shown = true;
  }
  focus() {
    this.focused = true;
  }
  restore() {
    this.minimized = false;
  }
  isMinimized() {
    return this.minimized;
  }
  flashed = false;
  shownInactive = false;
  isVisible() {
    return this.shown || this.shownInactive;
  }
  isFocused() {
    return this.focused;
  }
  showInactive() {
    this.shownInactive = true;
  }
  flashFrame(flag: boolean) {
    this.flashed = flag;
  }
  isDestroyed() {
    return this.destroyed;
  }
  close() {
    this.destroyed = true;
    this.webContents.destroy();
    this.emit('closed');
  }
}

export class FakeIpcMain {
  handlers = new Map<string, IpcInvokeListener>();
  listeners = new Map<string, Set<IpcListener>>();

  handle(channel: string, listener: IpcInvokeListener) {
    if (this.handlers.has(channel)) {
      throw new Error(`Attempted to register a second handler for '${channel}'`);
    }
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string) {
    this.handlers.delete(channel);
  }
  on(channel: string, listener: IpcListener) {
    if (!this.listeners.has(channel)) this.listeners.set(channel, new Set());
    this.listeners.get(channel)!.add(listener);
    return this;
  }
  removeListener(channel: string, listener: IpcListener) {
    this.listeners.get(channel)?.delete(listener);
    return this;
  }
  /** ipcRenderer.invoke as seen by main. */
  async invoke(channel: string, event: IpcEventLike, ...args: unknown[]) {
    const h = this.handlers.get(channel);
    if (!h) throw new Error(`No handler registered for '${channel}'`);
    return h(event, ...args);
  }
  /** ipcRenderer.send as seen by main. */
  send(channel: string, event: IpcEventLike, ...args: unknown[]) {
    for (const l of this.listeners.get(channel) ?? []) l(event, ...args);
  }
}

type RequestHandler = (
  wc: WebContentsLike,
  permission: string,
  callback: (granted: boolean) => void,
  details: PermissionRequestDetails,
) => void;
type CheckHandler = (
  wc: WebContentsLike | null,
  permission: string,
  origin: string,
  details: PermissionCheckDetails,
) => boolean;
type DeviceHandler = (details: DevicePermissionDetails) => boolean;

type HidCallback = (deviceId?: string | null) => void;

/** Electron's session: permission handlers kept, events (select-hid-device) as an emitter. */
export class FakeSession extends EventEmitter {
  requestHandler: RequestHandler | null = null;
  checkHandler: CheckHandler | null = null;
  deviceHandler: DeviceHandler | null = null;
  setPermissionRequestHandler(h: RequestHandler | null) {
    this.requestHandler = h;
  }
  setPermissionCheckHandler(h: CheckHandler | null) {
    this.checkHandler = h;
  }
  setDevicePermissionHandler(h: DeviceHandler | null) {
    this.deviceHandler = h;
  }
  /**
   * navigator.hid.requestDevice() as Electron raises it: returns whether a listener
   * prevented the default and what it called back with ('callback never called' throws).
   */
  selectHidDevice(details: SelectHidDeviceDetails): { prevented: boolean; chosen: unknown[] } {
    const event = new FakeEvent();
    let chosen: unknown[] | undefined;
    const callback: HidCallback = (...args) => {
      if (chosen) throw new Error('select-hid-device callback called twice');
      chosen = args;
    };
    this.emit('select-hid-device', event, details, callback);
    if (!chosen) throw new Error('select-hid-device callback not called');
    return { prevented: event.defaultPrevented, chosen };
  }
}

/**
 * globalShortcut: keeps the registered callbacks so tests can press keys. `taken` stands for
 * keys another application owns (register returns false), `invalid` for accelerators
 * Electron cannot parse (register throws, as the real one does).
 */
export class FakeGlobalShortcut {
  readonly callbacks = new Map<string, () => void>();
  readonly taken = new Set<string>();
  readonly invalid = new Set<string>();
  unregistered: string[] = [];
  register(accelerator: string, callback: () => void): boolean {
    if (this.invalid.has(accelerator)) {
      throw new TypeError(
        `Error processing argument at index 0, conversion failure from ${accelerator}`,
      );
    }
    if (this.taken.has(accelerator) || this.callbacks.has(accelerator)) return false;
    this.callbacks.set(accelerator, callback);
    return true;
  }
  unregister(accelerator: string) {
    this.unregistered.push(accelerator);
    this.callbacks.delete(accelerator);
  }
  press(accelerator: string) {
    const cb = this.callbacks.get(accelerator);
    if (!cb) throw new Error(`${accelerator} is not registered`);
    cb();
  }
}

export class FakeProtocol {
  privileged: CustomScheme[] = [];
  handlers = new Map<string, (r: Request) => Response | Promise<Response>>();
  registerSchemesAsPrivileged(schemes: CustomScheme[]) {
    this.privileged.push(...schemes);
  }
  handle(scheme: string, handler: (r: Request) => Response | Promise<Response>) {
    this.handlers.set(scheme, handler);
  }
}

/** safeStorage stand-in: reversible, visibly not plaintext. */
export class FakeSafeStorage {
  available = true;
  backend = 'gnome_libsecret';
  reEncrypt = false;
  encrypted: string[] = [];
  async isAsyncEncryptionAvailable() {
    return this.available;
  }
  async encryptStringAsync(plain: string) {
    if (!this.available) throw new Error('Encryption is not available.');
    this.encrypted.push(plain);
    return Buffer.from('enc:' + Buffer.from(plain, 'utf8').toString('hex'), 'utf8');
  }
  async decryptStringAsync(buf: Buffer) {
    const s = buf.toString('utf8');
    if (!s.startsWith('enc:')) throw new Error('Error while decrypting the ciphertext');
    return {
      result: Buffer.from(s.slice(4), 'hex').toString('utf8'),
      shouldReEncrypt: this.reEncrypt,
    };
  }
  getSelectedStorageBackend() {
    return this.backend;
  }
}

export class FakeApp extends EventEmitter {
  isPackaged = true;
  gotLock = true;
  quits = 0;
  exitCode: number | null = null;
  private readyResolve!: () => void;
  private readonly ready = new Promise<void>((r) => (this.readyResolve = r));

  constructor(readonly userData: string) {
    super();
  }
  requestSingleInstanceLock() {
    return this.gotLock;
  }
  whenReady() {
    return this.ready;
  }
  fireReady() {
    this.readyResolve();
  }
  getPath(name: 'userData') {
    if (name !== 'userData') throw new Error(`unexpected path ${String(name)}`);
    return this.userData;
  }
  getVersion() {
    return '0.1.0-test';
  }
  getLocale() {
    return 'ja-JP';
  }
  /** Like Electron: before-quit can be cancelled; otherwise will-quit, and the app is done. */
  quit() {
    this.quits++;
    const event = new FakeEvent();
    this.emit('before-quit', event);
    if (event.defaultPrevented) return;
    this.emit('will-quit', new FakeEvent());
    this.emit('__quit');
  }
  exit(code = 0) {
    this.exitCode = code;
  }
}

export interface FakeElectron extends ElectronDeps {
  app: FakeApp;
  protocol: FakeProtocol;
  session: { defaultSession: FakeSession };
  ipcMain: FakeIpcMain;
  shell: { openExternal(url: string): Promise<void>; opened: string[] };
  safeStorage: FakeSafeStorage;
  dialog: { showErrorBox(title: string, content: string): void; errors: string[] };
  Menu: { setApplicationMenu(menu: null): void; set: null[] };
  Notification: typeof FakeNotification;
  globalShortcut: FakeGlobalShortcut;
}

/** Records every notification shown; click() simulates the agent clicking it. */
export class FakeNotification extends EventEmitter {
  static shown: FakeNotification[] = [];
  static supported = true;
  static isSupported() {
    return FakeNotification.supported;
  }
  constructor(
    readonly options: { title: string; body: string; urgency?: string; silent?: boolean },
  ) {
    super();
  }
  show() {
    FakeNotification.shown.push(this);
  }
  click() {
    this.emit('click');
  }
}

export function fakeElectron(userData: string): FakeElectron {
  FakeBrowserWindow.instances = [];
  FakeNotification.shown = [];
  FakeNotification.supported = true;
  const opened: string[] = [];
  const errors: string[] = [];
  return {
    app: new FakeApp(userData),
    BrowserWindow: FakeBrowserWindow,
    protocol: new FakeProtocol(),
    session: { defaultSession: new FakeSession() },
    ipcMain: new FakeIpcMain(),
    shell: {
      opened,
      async openExternal(url: string) {
        opened.push(url);
      },
    },
    safeStorage: new FakeSafeStorage(),
    dialog: {
      errors,
      showErrorBox(title: string, content: string) {
        errors.push(`${title}: ${content}`);
      },
    },
    Notification: FakeNotification,
    globalShortcut: new FakeGlobalShortcut(),
    Menu: {
      set: [],
      setApplicationMenu(menu: null) {
        this.set.push(menu);
      },
    },
  };
}

/** The real logger (with its redaction), keeping its lines to assert what was logged. */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return Object.assign(createLogger({ level: 'debug', write: (l) => lines.push(l) }), { lines });
}
