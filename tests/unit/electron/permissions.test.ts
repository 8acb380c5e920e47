import { describe, expect, it } from 'vitest';
import type { PermissionRequestDetails } from '../../../main/electron/deps';
import { isGrantableHidDevice } from '../../../main/electron/hid-devices';
import { installPermissionHandlers } from '../../../main/electron/permissions';
import { FakeSession, FakeWebContents, memoryLogger } from './fakes';

const APP = 'app://agent/index.html';

function setup(origin = 'app://agent') {
  const session = new FakeSession();
  const log = memoryLogger();
  installPermissionHandlers(session, {
    origin,
    allowHidDevice: (device) => isGrantableHidDevice(device, []),
    log,
  });
  const wc = new FakeWebContents(APP);
  const request = (
    permission: string,
    details: Partial<PermissionRequestDetails> = {},
    contents = wc,
  ): boolean => {
    let granted: boolean | undefined;
    session.requestHandler!(contents, permission, (g) => (granted = g), {
      isMainFrame: true,
      requestingUrl: APP,
      ...details,
    });
    if (granted === undefined) throw new Error('callback not called');
    return granted;
  };
  const check = (
    permission: string,
    origin: string,
    details: Record<string, unknown> = {},
    contents: FakeWebContents | null = wc,
  ) => session.checkHandler!(contents, permission, origin, { isMainFrame: true, ...details });
  return { session, log, request, check, wc };
}

describe('permission requests', () => {
  it('grants the microphone to app://agent', () => {
    const { request } = setup();
    expect(request('media', { mediaTypes: ['audio'], securityOrigin: 'app://agent/' })).toBe(true);
    expect(request('media', { mediaTypes: ['audio'] })).toBe(true);
  });

  it('denies the camera, alone or with the microphone', () => {
    const { request } = setup();
    expect(request('media', { mediaTypes: ['video'] })).toBe(false);
    expect(request('media', { mediaTypes: ['audio', 'video'] })).toBe(false);
  });

  it('denies media that does not say what it wants', () => {
    const { request } = setup();
    expect(request('media', {})).toBe(false);
    expect(request('media', { mediaTypes: [] })).toBe(false);
  });

  it.each([
    'geolocation',
    'notifications',
    'display-capture',
    'clipboard-read',
    'midi',
    'midiSysex',
    'openExternal',
    'pointerLock',
    'fullscreen',
    'hid',
    'serial',
    'usb',
    'unknown',
  ])('denies %s', (permission) => {
    const { request } = setup();
    expect(request(permission, { mediaTypes: ['audio'] })).toBe(false);
  });

  it('denies the microphone to other origins and to subframes', () => {
    const { request, log } = setup();
    const audio = { mediaTypes: ['audio'] as Array<'audio'> };
    expect(request('media', { ...audio, requestingUrl: 'https://evil.example/' })).toBe(false);
    expect(request('media', { ...audio, requestingUrl: 'app://agent.evil/x' })).toBe(false);
    expect(request('media', { ...audio, requestingUrl: 'app://other/index.html' })).toBe(false);
    expect(request('media', { ...audio, requestingUrl: 'file:///app/index.html' })).toBe(false);
    expect(request('media', { ...audio, securityOrigin: 'https://evil.example/' })).toBe(false);
    expect(request('media', { ...audio, isMainFrame: false })).toBe(false);
    expect(request('media', audio, new FakeWebContents('https://evil.example/'))).toBe(false);
    expect(log.lines.some((l) => l.includes('permission request denied'))).toBe(true);
  });
});

describe('permission checks', () => {
  it('allow audio media and hid for app://agent only', () => {
    const { check } = setup();
    expect(check('media', 'app://agent/', { mediaType: 'audio' })).toBe(true);
    expect(
      check('media', 'app://agent', { mediaType: 'audio', securityOrigin: 'app://agent/' }),
    ).toBe(true);
    expect(check('hid', 'app://agent/')).toBe(true);
    expect(check('hid', 'app://agent/', {}, null)).toBe(true);
  });

  it('deny video, unknown media and everything else', () => {
    const { check } = setup();
    expect(check('media', 'app://agent/', { mediaType: 'video' })).toBe(false);
    expect(check('media', 'app://agent/', { mediaType: 'unknown' })).toBe(false);
    expect(check('media', 'app://agent/')).toBe(false);
    for (const p of ['geolocation', 'notifications', 'serial', 'usb', 'clipboard-read', 'midi']) {
      expect(check(p, 'app://agent/'), p).toBe(false);
    }
  });

  it('deny other origins, subframes and foreign webContents', () => {
    const { check } = setup();
    expect(check('media', 'https://evil.example/', { mediaType: 'audio' })).toBe(false);
    expect(check('hid', 'https://evil.example/')).toBe(false);
    expect(check('hid', 'null')).toBe(false);
    expect(check('hid', 'app://agent/', { isMainFrame: false })).toBe(false);
    expect(check('hid', 'app://agent/', { securityOrigin: 'https://evil.example' })).toBe(false);
    expect(check('hid', 'app://agent/', {}, new FakeWebContents('https://evil.example/'))).toBe(
      false,
    );
  });
});

describe('device permissions', () => {
  const headset = {
    deviceId: 'd1',
    name: 'Jabra Link 380',
    vendorId: 0x0b0e,
    productId: 0x0412,
    collections: [{ usagePage: 0x0b, usage: 0x05, type: 1, children: [] }],
  };
  const keyboard = {
    deviceId: 'd2',
    name: 'USB Keyboard',
    vendorId: 0x046d,
    productId: 0xc31c,
    collections: [{ usagePage: 0x01, usage: 0x06, type: 1, children: [] }],
  };

  it('allow a headset to app://agent only; never serial or USB', () => {
    const { session } = setup();
    const device = session.deviceHandler!;
    expect(device({ deviceType: 'hid', origin: 'app://agent', device: headset })).toBe(true);
    expect(device({ deviceType: 'hid', origin: 'https://evil.example', device: headset })).toBe(
      false,
    );
    expect(device({ deviceType: 'serial', origin: 'app://agent', device: headset })).toBe(false);
    expect(device({ deviceType: 'usb', origin: 'app://agent', device: headset })).toBe(false);
  });

  it('deny HID devices that are not headsets, or that do not say what they are', () => {
    const { session } = setup();
    const device = session.deviceHandler!;
    expect(device({ deviceType: 'hid', origin: 'app://agent', device: keyboard })).toBe(false);
    expect(device({ deviceType: 'hid', origin: 'app://agent' })).toBe(false);
    expect(device({ deviceType: 'hid', origin: 'app://agent', device: 'jabra' })).toBe(false);
    const unknownVendor = { ...headset, vendorId: 0x1234, collections: [] };
    expect(device({ deviceType: 'hid', origin: 'app://agent', device: unknownVendor })).toBe(false);
    const unknownTelephony = { ...headset, vendorId: 0x1234 };
    expect(device({ deviceType: 'hid', origin: 'app://agent', device: unknownTelephony })).toBe(
      true,
    );
  });
});

describe('dev server origin', () => {
  it('trusts the configured origin instead of app://agent', () => {
    const { check } = setup('http://localhost:5173');
    expect(
      check('hid', 'http://localhost:5173/', {}, new FakeWebContents('http://localhost:5173/')),
    ).toBe(true);
    expect(check('hid', 'app://agent/', {}, null)).toBe(false);
  });
});
