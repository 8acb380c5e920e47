// The pieces of the 'electron' module the shell uses, as narrow structural types. main.ts
// passes the real module (the compiler checks it fits); tests pass small fakes, so every
// part of the shell runs in plain Node without the Electron binary (as Actual Budget's
// desktop shell is tested). Only type imports from 'electron' here: they vanish at build.
import type { BrowserWindowConstructorOptions, CustomScheme } from 'electron';

/** Electron's Event: the shell only ever cancels. */
export interface PreventableEvent {
  preventDefault(): void;
}

export interface WebFrameLike {
  readonly url: string;
  readonly parent: WebFrameLike | null;
  readonly processId: number;
  readonly routingId: number;
}

export interface NavigationDetails {
  readonly url: string;
  readonly isMainFrame: boolean;
  readonly isSameDocument: boolean;
}

export interface WindowOpenDetails {
  readonly url: string;
}

export interface WebContentsLike {
  readonly id: number;
  readonly mainFrame: WebFrameLike;
  getURL(): string;
  isDestroyed(): boolean;
  send(channel: string, ...args: unknown[]): void;
  setWindowOpenHandler(handler: (details: WindowOpenDetails) => { action: 'deny' }): void;
  on(event: 'will-navigate', listener: (event: PreventableEvent, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  on(event: 'did-start-navigation', listener: (details: NavigationDetails) => void): unknown;
  on(
    event: 'render-process-gone',
    listener: (event: unknown, details: { reason: string }) => void,
  ): unknown;
  on(event: 'did-finish-load' | 'destroyed', listener: () => void): unknown;
}

export interface BrowserWindowLike {
  readonly webContents: WebContentsLike;
  loadURL(url: string): Promise<void>;
  show(): void;
  focus(): void;
  restore(): void;
  isMinimized(): boolean;
  isDestroyed(): boolean;
  isVisible(): boolean;
  isFocused(): boolean;
  showInactive(): void;
  flashFrame(flag: boolean): void;
  once(event: 'ready-to-show', listener: () => void): unknown;
  on(event: 'closed', listener: () => void): unknown;
}

export interface BrowserWindowCtor {
  new (options: BrowserWindowConstructorOptions): BrowserWindowLike;
}

export interface AppLike {
  readonly isPackaged: boolean;
  requestSingleInstanceLock(): boolean;
  whenReady(): Promise<unknown>;
  getPath(name: 'userData'): string;
  getVersion(): string;
  getLocale(): string;
  quit(): void;
  exit(code?: number): void;
  on(event: 'second-instance' | 'window-all-closed' | 'activate', listener: () => void): unknown;
  on(event: 'before-quit' | 'will-quit', listener: (event: PreventableEvent) => void): unknown;
  on(
    event: 'web-contents-created',
    listener: (event: unknown, contents: WebContentsLike) => void,
  ): unknown;
}

export interface ProtocolLike {
  registerSchemesAsPrivileged(schemes: CustomScheme[]): void;
  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void;
}

export interface PermissionRequestDetails {
  readonly isMainFrame: boolean;
  readonly requestingUrl: string;
  readonly mediaTypes?: Array<'video' | 'audio'>;
  readonly securityOrigin?: string;
}

export interface PermissionCheckDetails {
  readonly isMainFrame: boolean;
  readonly requestingUrl?: string;
  readonly securityOrigin?: string;
  readonly mediaType?: 'video' | 'audio' | 'unknown';
}

export interface DevicePermissionDetails {
  readonly deviceType: 'hid' | 'serial' | 'usb';
  readonly origin: string;
  /** A HIDDevice for 'hid' (checked at run time: the shell trusts no shape it did not make). */
  readonly device?: unknown;
}

/** One collection of Electron's HIDDevice (docs/api/structures/hid-device.md). */
export interface HidCollectionLike {
  readonly usagePage: number;
  readonly usage: number;
  /** Typed loosely, as Electron's own typings do; read with a run-time check. */
  readonly children?: readonly unknown[];
}

/** Electron's HIDDevice: one entry per physical device in select-hid-device's list. */
export interface HidDeviceLike {
  readonly deviceId: string;
  readonly name: string;
  readonly vendorId: number;
  readonly productId: number;
  readonly collections?: readonly HidCollectionLike[];
}

export interface SelectHidDeviceDetails {
  readonly deviceList: readonly HidDeviceLike[];
  /** The requesting frame; null once it navigated away or was destroyed. */
  readonly frame: WebFrameLike | null;
}

export interface SessionLike {
  setPermissionRequestHandler(
    handler:
      | ((
          webContents: WebContentsLike,
          permission: string,
          callback: (granted: boolean) => void,
          details: PermissionRequestDetails,
        ) => void)
      | null,
  ): void;
  setPermissionCheckHandler(
    handler:
      | ((
          webContents: WebContentsLike | null,
          permission: string,
          requestingOrigin: string,
          details: PermissionCheckDetails,
        ) => boolean)
      | null,
  ): void;
  setDevicePermissionHandler(handler: ((details: DevicePermissionDetails) => boolean) | null): void;
  /** navigator.hid.requestDevice(): call back with a deviceId, or with nothing to refuse. */
  on(
    event: 'select-hid-device',
    listener: (
      event: PreventableEvent,
      details: SelectHidDeviceDetails,
      callback: (deviceId?: string | null) => void,
    ) => void,
  ): unknown;
}

export interface IpcEventLike {
  readonly sender: WebContentsLike;
  readonly senderFrame: WebFrameLike | null;
}

export type IpcInvokeListener = (event: IpcEventLike, ...args: unknown[]) => unknown;
export type IpcListener = (event: IpcEventLike, ...args: unknown[]) => void;

export interface IpcMainLike {
  handle(channel: string, listener: IpcInvokeListener): void;
  removeHandler(channel: string): void;
  on(channel: string, listener: IpcListener): unknown;
  removeListener(channel: string, listener: IpcListener): unknown;
}

export interface ShellLike {
  openExternal(url: string): Promise<void>;
}

export interface SafeStorageLike {
  isAsyncEncryptionAvailable(): Promise<boolean>;
  encryptStringAsync(plainText: string): Promise<Buffer>;
  decryptStringAsync(encrypted: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }>;
  /** Linux only (absent at run time elsewhere). */
  getSelectedStorageBackend?(): string;
}

export interface DialogLike {
  showErrorBox(title: string, content: string): void;
}

export interface NotificationLike {
  show(): void;
  on(event: 'click', listener: () => void): unknown;
}

export interface NotificationCtor {
  new (options: {
    title: string;
    body: string;
    urgency?: 'normal' | 'critical' | 'low';
    silent?: boolean;
  }): NotificationLike;
  isSupported(): boolean;
}

/** Keys the OS delivers to the app even when another window has the focus. */
export interface GlobalShortcutLike {
  /** false when another application owns the accelerator; throws on one Electron cannot parse. */
  register(accelerator: string, callback: () => void): boolean;
  unregister(accelerator: string): void;
}

export interface MenuLike {
  setApplicationMenu(menu: null): void;
}

/** Everything startShell takes from 'electron'. */
export interface ElectronDeps {
  app: AppLike;
  BrowserWindow: BrowserWindowCtor;
  protocol: ProtocolLike;
  session: { readonly defaultSession: SessionLike };
  ipcMain: IpcMainLike;
  shell: ShellLike;
  safeStorage: SafeStorageLike;
  dialog: DialogLike;
  Menu: MenuLike;
  Notification: NotificationCtor;
  globalShortcut: GlobalShortcutLike;
}
