// Which HID devices the screen may open for headset call control, granted without a picker.
// Electron shows no chooser of its own: navigator.hid.requestDevice() raises the session's
// 'select-hid-device' with one entry per physical device (the interfaces matching the
// renderer's filters; choosing its deviceId grants them all), and navigator.hid.getDevices()
// asks the device permission handler about every interface (Electron's
// shell/browser/hid/hid_chooser_controller.cc and hid_chooser_context.cc). Both go through
// headsetRank(): a telephony headset yes, a keyboard or mouse never. A device granted through
// the request is remembered by vendor and product id in settings.json, so the same model is
// granted again after a replug or a restart.
import type { Logger } from '../core/log';
import type { HidCollectionLike, HidDeviceLike, SessionLike } from './deps';
import { headsetVendor, hex4 } from './headset-vendors';
import { originOf } from './origin';

export const PAGE_TELEPHONY = 0x0b;
const PAGE_GENERIC_DESKTOP = 0x01;
/** Generic Desktop Pointer, Mouse, Keyboard and Keypad (HID Usage Tables). */
const DESKTOP_INPUTS: ReadonlySet<number> = new Set([0x01, 0x02, 0x06, 0x07]);
/** Deeper nesting than real headsets use (EPOS nests one level). */
const MAX_DEPTH = 8;
/** Old models drop off the end; a desk rarely sees more than a few headsets. */
export const MAX_REMEMBERED = 16;

export interface HeadsetId {
  vendorId: number;
  productId: number;
  /** For whoever reads settings.json; never used to match. */
  name?: string;
}

/** What the rules read of an Electron HIDDevice, checked at run time. */
export interface HidDeviceFacts {
  vendorId: number;
  productId: number;
  name: string;
  collections: readonly unknown[];
}

export type GrantReason = 'remembered' | 'vendor' | 'telephony';

const isId = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;

function isCollection(v: unknown): v is HidCollectionLike {
  if (typeof v !== 'object' || v === null) return false;
  const c = v as Record<string, unknown>;
  return isId(c.usagePage) && isId(c.usage);
}

export function hidDeviceFacts(value: unknown): HidDeviceFacts | null {
  if (typeof value !== 'object' || value === null) return null;
  const d = value as Record<string, unknown>;
  if (!isId(d.vendorId) || !isId(d.productId)) return null;
  return {
    vendorId: d.vendorId,
    productId: d.productId,
    name: typeof d.name === 'string' ? d.name : '',
    collections: Array.isArray(d.collections) ? (d.collections as unknown[]) : [],
  };
}

/** A Telephony-page collection anywhere, nested ones included (EPOS-style devices). */
export function hasTelephonyCollection(
  collections: readonly unknown[] | undefined,
  depth = 0,
): boolean {
  if (!Array.isArray(collections) || depth > MAX_DEPTH) return false;
  return collections.some(
    (c) =>
      isCollection(c) &&
      (c.usagePage === PAGE_TELEPHONY || hasTelephonyCollection(c.children, depth + 1)),
  );
}

function isDesktopInput(collections: readonly unknown[]): boolean {
  return collections.some(
    (c) => isCollection(c) && c.usagePage === PAGE_GENERIC_DESKTOP && DESKTOP_INPUTS.has(c.usage),
  );
}

const sameModel = (a: HeadsetId, b: HeadsetId) =>
  a.vendorId === b.vendorId && a.productId === b.productId;

/**
 * 0: never granted. Otherwise higher is better: a telephony collection first (the renderer
 * can drive nothing else), then a device remembered from an earlier grant, then a known
 * headset vendor. A keyboard or mouse without a telephony collection is never granted,
 * whoever made it or whatever settings.json says.
 */
export function headsetRank(device: HidDeviceFacts, remembered: readonly HeadsetId[]): number {
  const telephony = hasTelephonyCollection(device.collections);
  if (!telephony && isDesktopInput(device.collections)) return 0;
  const trust = headsetVendor(device.vendorId)?.trust ?? null;
  if (!telephony && trust === 'telephony-only') return 0;
  const known = remembered.some((r) => sameModel(r, device));
  if (!telephony && !known && trust !== 'any-device') return 0;
  return (telephony ? 4 : 0) + (known ? 2 : 0) + (trust === 'any-device' ? 1 : 0);
}

export function grantReason(device: HidDeviceFacts, remembered: readonly HeadsetId[]): GrantReason {
  if (remembered.some((r) => sameModel(r, device))) return 'remembered';
  if (headsetVendor(device.vendorId)?.trust === 'any-device') return 'vendor';
  return 'telephony';
}

/** For the device permission handler (navigator.hid.getDevices and opening a device). */
export function isGrantableHidDevice(device: unknown, remembered: readonly HeadsetId[]): boolean {
  const facts = hidDeviceFacts(device);
  return facts !== null && headsetRank(facts, remembered) > 0;
}

/** The best headset of a select-hid-device list (the first of equals), or null. */
export function pickHeadset<D>(
  devices: readonly D[],
  remembered: readonly HeadsetId[],
): { device: D; facts: HidDeviceFacts; reason: GrantReason } | null {
  let best: { device: D; facts: HidDeviceFacts; rank: number } | null = null;
  for (const device of devices) {
    const facts = hidDeviceFacts(device);
    if (!facts) continue;
    const rank = headsetRank(facts, remembered);
    if (rank > 0 && (!best || rank > best.rank)) best = { device, facts, rank };
  }
  return best && { ...best, reason: grantReason(best.facts, remembered) };
}

export interface HeadsetMemory {
  list(): readonly HeadsetId[];
  remember(device: HeadsetId): void;
  /** Settles when every save so far is done (tests; nothing waits for it in the app). */
  saved(): Promise<void>;
}

export function createHeadsetMemory(opts: {
  initial: readonly HeadsetId[];
  save: (list: HeadsetId[]) => Promise<void>;
  log: Logger;
}): HeadsetMemory {
  let list: readonly HeadsetId[] = opts.initial.slice(0, MAX_REMEMBERED);
  let saving = Promise.resolve();
  return {
    list: () => list,
    remember(device) {
      if (list.some((r) => sameModel(r, device))) return;
      const entry: HeadsetId = { vendorId: device.vendorId, productId: device.productId };
      if (device.name) entry.name = device.name.slice(0, 128);
      list = [entry, ...list].slice(0, MAX_REMEMBERED);
      const snapshot = [...list];
      // One write at a time, in order: the last list always lands last.
      saving = saving
        .then(() => opts.save(snapshot))
        .catch((err: unknown) =>
          opts.log.error('could not remember the headset in settings.json', {
            reason: (err as NodeJS.ErrnoException).code ?? (err as Error).name,
          }),
        );
    },
    saved: () => saving,
  };
}

/** Answers navigator.hid.requestDevice() for the app's main frame, without a picker. */
export function installHidDeviceSelection(
  session: SessionLike,
  opts: { origin: string; headsets: HeadsetMemory; log: Logger },
): void {
  session.on('select-hid-device', (event, details, callback) => {
    event.preventDefault(); // no Electron default either way: we answer
    const frame = details.frame;
    if (!frame || frame.parent !== null || originOf(frame.url) !== opts.origin) {
      opts.log.warn('HID device request refused: not from the app screen', {
        origin: originOf(frame?.url),
      });
      callback();
      return;
    }
    // Electron's list, but checked: an entry without an id cannot be chosen.
    const choosable = details.deviceList.filter(
      (d) =>
        typeof (d as Partial<HidDeviceLike> | null)?.deviceId === 'string' && d.deviceId !== '',
    );
    const picked = pickHeadset(choosable, opts.headsets.list());
    if (!picked) {
      opts.log.info('no telephony headset among the HID devices offered; none granted', {
        offered: details.deviceList.map((d) => {
          const f = hidDeviceFacts(d);
          return f ? `${hex4(f.vendorId)}:${hex4(f.productId)}` : 'malformed';
        }),
      });
      callback();
      return;
    }
    const { facts } = picked;
    opts.log.info('HID headset granted', {
      name: facts.name,
      vendorId: hex4(facts.vendorId),
      productId: hex4(facts.productId),
      reason: picked.reason,
    });
    opts.headsets.remember(facts);
    callback(picked.device.deviceId);
  });
}
