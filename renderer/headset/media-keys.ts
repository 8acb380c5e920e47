// The media-key fallback for headsets without telephony HID: their consumer keys (page 0x0C,
// which Chromium does not hide from WebHID) stand in for the hook switch and phone mute.
// Play/Pause is a toggle hook press (answer the ringing call, else hang up). Only that one:
// Consumer Mute is the system's volume mute, which the OS acts on as well (the agent would
// lose the customer's voice while muting the microphone), and volume keys stay the system's.

import { readInputField } from './telephony-reports';
import type { ConsumerInput, InputField, TelephonyDiscovery } from './telephony-controls';

export const MEDIA_KEYS = ['playPause'] as const satisfies readonly ConsumerInput[];
export type MediaKey = (typeof MEDIA_KEYS)[number];

export type MediaKeyFields = Partial<Record<MediaKey, InputField>>;
export type MediaKeyValues = Partial<Record<MediaKey, number>>;

/**
 * The media keys a device without telephony controls offers, or null when it has none (or
 * has telephony controls: a telephony headset's own consumer keys are left to the OS, they
 * would double its hook switch).
 */
export function mediaKeysOf(found: TelephonyDiscovery): MediaKeyFields | null {
  if (found.kind !== 'none') return null;
  const fields: MediaKeyFields = {};
  for (const key of MEDIA_KEYS) {
    const field = found.consumer[key];
    if (field) fields[key] = field;
  }
  return Object.keys(fields).length > 0 ? fields : null;
}

/**
 * The keys pressed in one input report, and every key's value now. A relative key is a press
 * whenever it reads non-zero; an absolute or array one (down while held) on its way down.
 */
export function readMediaKeyPresses(
  fields: MediaKeyFields,
  previous: MediaKeyValues,
  reportId: number,
  data: Uint8Array,
): { presses: MediaKey[]; values: MediaKeyValues } {
  const values: MediaKeyValues = { ...previous };
  const presses: MediaKey[] = [];
  for (const key of MEDIA_KEYS) {
    const field = fields[key];
    if (!field || field.reportId !== reportId) continue;
    const value = readInputField(field, data);
    const before = previous[key] ?? 0;
    values[key] = value;
    if (value !== 0 && (field.relative || before === 0)) presses.push(key);
  }
  return { presses, values };
}
