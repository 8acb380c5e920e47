// Chromium permissions for the one screen. Default Electron grants almost everything; here
// only the microphone (audio, never the camera) and WebHID (headset buttons) are allowed,
// and only to the app's own origin in the main frame. Everything else is denied.
import type { Logger } from '../core/log';
import type { SessionLike } from './deps';
import { originOf } from './origin';

export interface PermissionOptions {
  /** The trusted origin, app://agent (or the dev server's in `electron-vite dev`). */
  origin: string;
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
    // WebHID for headset call control; device choice is narrowed by a later select-hid-device.
    return permission === 'hid';
  });

  // Device grants (HID only; never serial or USB).
  session.setDevicePermissionHandler(
    (details) => details.deviceType === 'hid' && ours(details.origin),
  );
}
