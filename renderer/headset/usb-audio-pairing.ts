// A USB headset's microphone and speaker, found from its HID device: Chromium ends the label
// of a USB audio device with " (vvvv:pppp)", its vendor and product id in four lower-case hex
// digits each ("Jabra Link 380 (0b0e:0412)"), the same ids WebHID gives the HID device.

export interface UsbId {
  vendorId: number;
  productId: number;
}

/** The part of MediaDeviceInfo the pairing reads. */
export interface AudioDeviceLike {
  deviceId: string;
  kind: string;
  label: string;
}

export interface PairedAudio<D extends AudioDeviceLike> {
  microphone: D | null;
  speaker: D | null;
}

const USB_SUFFIX = /\s\(([0-9a-f]{4}):([0-9a-f]{4})\)$/i;

/**
 * Chromium lists the system's current choice again under an alias id ("Default - …" as
 * 'default', Windows' "Communications - …" as 'communications'): the same device, not one
 * to pin. Before the microphone permission ids and labels are ''.
 */
const ALIASES: ReadonlySet<string> = new Set(['', 'default', 'communications']);

/** The vendor:product id at the end of a USB audio device's label, else null. */
export function usbIdOfLabel(label: string): UsbId | null {
  const m = USB_SUFFIX.exec(label.trim());
  if (!m?.[1] || !m[2]) return null;
  return { vendorId: parseInt(m[1], 16), productId: parseInt(m[2], 16) };
}

/** The label without Chromium's " (vvvv:pppp)", for showing. */
export const labelWithoutUsbId = (label: string): string => label.trim().replace(USB_SUFFIX, '');

/** The headset's own microphone and speaker among the devices (the first of each, by list order). */
export function pairHeadsetAudio<D extends AudioDeviceLike>(
  devices: readonly D[],
  headset: UsbId | null,
): PairedAudio<D> {
  const paired: PairedAudio<D> = { microphone: null, speaker: null };
  if (!headset) return paired;
  for (const d of devices) {
    if (ALIASES.has(d.deviceId)) continue;
    const id = usbIdOfLabel(d.label);
    if (id?.vendorId !== headset.vendorId || id.productId !== headset.productId) continue;
    if (d.kind === 'audioinput') paired.microphone ??= d;
    else if (d.kind === 'audiooutput') paired.speaker ??= d;
  }
  return paired;
}
