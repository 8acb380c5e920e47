// A WebHID headset inside Chromium for the E2E: navigator.hid replaced (by an init script,
// before the app loads) with one granted device whose collections are a real headset's,
// parsed from its report descriptor in Node. The test plays the headset: it sends input
// reports (window.__hid.input) and reads the output reports the app sent (window.__hid.sent),
// and may swap the headset for another one (window.__hid.replace: unplug, plug the other).
// The real USB device is what cannot run here; everything from navigator.hid on is the app's.
import type { HidCollectionInfo } from '../../renderer/headset/hid-types';

export interface FakeHidDevice {
  vendorId: number;
  productId: number;
  productName: string;
  collections: HidCollectionInfo[];
}

export interface SentReport {
  reportId: number;
  bytes: number[];
}

declare global {
  interface Window {
    __hid: {
      sent: SentReport[];
      input(reportId: number, bytes: number[]): void;
      unplug(): void;
      plug(): void;
      /** Unplugs the headset and plugs this one in its place (granted, like the first). */
      replace(spec: FakeHidDevice): void;
    };
  }
}

/** Runs in the page (serialized by playwright's addInitScript): no closures over Node. */
export function installFakeHid(first: FakeHidDevice): void {
  let spec = first;
  class FakeDevice extends EventTarget {
    opened = false;
    readonly vendorId = spec.vendorId;
    readonly productId = spec.productId;
    readonly productName = spec.productName;
    readonly collections = spec.collections;
    async open(): Promise<void> {
      this.opened = true;
    }
    async close(): Promise<void> {
      this.opened = false;
    }
    async sendReport(reportId: number, data: BufferSource): Promise<void> {
      if (!this.opened) throw new DOMException('device not opened', 'InvalidStateError');
      const bytes =
        data instanceof ArrayBuffer
          ? new Uint8Array(data)
          : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      window.__hid.sent.push({ reportId, bytes: [...bytes] });
    }
  }
  let device = new FakeDevice();
  const hid = new EventTarget() as EventTarget & {
    getDevices(): Promise<FakeDevice[]>;
    requestDevice(): Promise<FakeDevice[]>;
  };
  hid.getDevices = async () => [device];
  hid.requestDevice = async () => [device];
  Object.defineProperty(Navigator.prototype, 'hid', { configurable: true, get: () => hid });
  const connection = (type: string, d: FakeDevice) => Object.assign(new Event(type), { device: d });
  window.__hid = {
    sent: [],
    input(reportId, bytes) {
      const e = Object.assign(new Event('inputreport'), {
        device,
        reportId,
        data: new DataView(Uint8Array.from(bytes).buffer),
      });
      device.dispatchEvent(e);
    },
    unplug() {
      device.opened = false;
      hid.dispatchEvent(connection('disconnect', device));
    },
    plug() {
      device = new FakeDevice(); // a replugged device is a new object
      hid.dispatchEvent(connection('connect', device));
    },
    replace(next) {
      window.__hid.unplug();
      spec = next;
      window.__hid.plug();
    },
  };
}
