// navigator.hid stand-ins for the glue and the screen: devices with real collections (from
// the fixtures) that record what they are sent and deliver input reports on demand.
import { vi } from 'vitest';
import type { HidDeviceLike } from '../../../../renderer/headset/webhid-headset';
import { fixtureCollections } from '../../../infra/hid-fixtures';

export class FakeHidDevice extends EventTarget implements HidDeviceLike {
  opened = false;
  sent: [number, number[]][] = [];
  constructor(
    readonly productName: string,
    readonly collections: HidDeviceLike['collections'],
    readonly vendorId = 0x0b0e,
    readonly productId = 0x0412,
  ) {
    super();
  }
  async open() {
    this.opened = true;
  }
  async sendReport(reportId: number, data: BufferSource) {
    this.sent.push([reportId, [...new Uint8Array(data as ArrayBuffer)]]);
  }
  input(bytes: Uint8Array, reportId = 2) {
    this.dispatchEvent(
      Object.assign(new Event('inputreport'), { reportId, data: new DataView(bytes.buffer) }),
    );
  }
}

export const jabraLink380 = () =>
  new FakeHidDevice('Jabra Link 380', fixtureCollections('jabra-link-380c'));

export const consumerOnlyHeadset = () =>
  new FakeHidDevice(
    'USB Headset',
    fixtureCollections('synthetic-consumer-only-headset'),
    0x1234,
    0x5678,
  );

/** navigator.hid with these devices granted; requestDevice answers `picked` (default: them). */
export function fakeHid(devices: FakeHidDevice[], picked: FakeHidDevice[] = devices) {
  return Object.assign(new EventTarget(), {
    getDevices: async () => devices,
    requestDevice: vi.fn(async (_options: { filters: { usagePage?: number }[] }) => picked),
  });
}
