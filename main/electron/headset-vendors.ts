// The USB vendors whose HID devices the shell treats as telephony headsets. The one list:
// the HID grants (hid-devices.ts) read it, and a test holds the Linux udev rule
// (build/linux/70-agent-desktop-headsets.rules) to it, so the two cannot drift apart.
//
// Vendor ids: the linux-usb.org usb.ids list (0b0e GN Netcom, 047f Plantronics, 095d
// Polycom, 1395 Sennheiser Communications / DSEA, 6993 Yealink, 046d Logitech, 03f0 HP),
// cross-checked with the Jabra Link 380c descriptor in Chromium's device test data
// (tests/fixtures/hid/README.md) and with Genesys' softphone-vendor-headsets library, which
// matches Poly on 047f, 095d and 03f0 and Yealink on 6993.

export interface HeadsetVendor {
  /** USB vendor id. */
  readonly vendorId: number;
  readonly name: string;
  /**
   * 'any-device': the vendor makes audio and telephony gear only, so any of its HID devices
   * may be granted (and, on Linux, opened by the seated user).
   * 'telephony-only': the vendor also makes keyboards and mice; a device is granted only when
   * it shows a Telephony (0x0B) collection, and the udev rule leaves the vendor out (a
   * vendor-wide hidraw grant would let any program of the user read its keyboards).
   */
  readonly trust: 'any-device' | 'telephony-only';
}

export const HEADSET_VENDORS: readonly HeadsetVendor[] = [
  { vendorId: 0x0b0e, name: 'Jabra (GN Audio)', trust: 'any-device' },
  { vendorId: 0x047f, name: 'Poly (Plantronics)', trust: 'any-device' },
  { vendorId: 0x095d, name: 'Poly (Polycom)', trust: 'any-device' },
  { vendorId: 0x1395, name: 'EPOS / Sennheiser Communications', trust: 'any-device' },
  { vendorId: 0x6993, name: 'Yealink', trust: 'any-device' },
  { vendorId: 0x046d, name: 'Logitech', trust: 'telephony-only' },
  // Poly headsets made since HP bought Poly carry HP's id, as do HP's keyboards and mice.
  { vendorId: 0x03f0, name: 'HP (Poly)', trust: 'telephony-only' },
];

export function headsetVendor(vendorId: number): HeadsetVendor | null {
  return HEADSET_VENDORS.find((v) => v.vendorId === vendorId) ?? null;
}

/** Lower-case, four hex digits: how udev's ATTRS{idVendor} spells an id. */
export function hex4(id: number): string {
  return id.toString(16).padStart(4, '0');
}
