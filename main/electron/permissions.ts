// Chromium permissions for the one screen. Default Electron grants almost everything; here
// only the microphone (audio, never the camera) and WebHID (headset buttons) are allowed,
// and only to the app's own origin in the main frame. Everything else is denied. Which HID
// devices count as headsets is hid-devices.ts's rule, passed in as allowHidDevice.
import type { Logger } from '../core/log';
import type { SessionLike } from './deps';
import { originOf } from './origin';

export interface PermissionOptions {
  /** The trusted origin, app://agent (or the dev server's in `electron-vite dev`). */
  origin: string;
  /** Electron's HIDDevice (unchecked) → may the screen use it without asking? */
  allowHidDevice: (device: unknown) => boolean;
  log: Logger;
}

export function installPermissionHandlers(session: SessionLike, opts: PermissionOptions): void {
  const ours = (url: string | undefined) => originOf(url) === opts.origin;

  // Prompts (getUserMedia): media with audio only. mediaTypes must be present and all
  // 'audio': a request that does not say what it wants is refused.
  session.setPermissionRequestHandler((webContents, permission, callback, details) => {
    const types = details.mediaTypes ?? [];
    const granted =
      permission === 'media' &&
      types.length > 0 &&
      types.every((t) => t === 'audio') &&
      details.isMainFrame &&
      ours(details.requestingUrl) &&
      (details.securityOrigin === undefined || ours(details.securityOrigin)) &&
      ours(webContents.getURL());
    if (!granted) {
      opts.log.warn('permission request denied', {
        permission,
        mediaTypes: types,
        origin: originOf(details.requestingUrl),
      });
    }
    callback(granted);
  });

  // Silent checks (enumerateDevices labels, navigator.hid.getDevices, permission queries).
  session.setPermissionCheckHandler((webContents, permission, requestingOrigin, details) => {
    if (!details.isMainFrame || !ours(requestingOrigin)) return false;
    if (details.securityOrigin !== undefined && !ours(details.securityOrigin)) return false;
    if (webContents && !ours(webContents.getURL())) return false;
    if (permission === 'media') return details.mediaType === 'audio';
    // WebHID for headset call control; which devices is decided per device below.
    return permission === 'hid';
  });

  // Device grants: headsets only (never a keyboard or mouse), never serial or USB. Asked for
  // every interface on navigator.hid.getDevices() and when a device is opened, so quiet.
  session.setDevicePermissionHandler((details) => {
    if (details.deviceType !== 'hid' || !ours(details.origin)) return false;
    const granted = opts.allowHidDevice(details.device);
    if (!granted) opts.log.debug('HID device not granted: not a headset');
    return granted;
  });
}
