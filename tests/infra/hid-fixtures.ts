// Loads the report descriptors in tests/fixtures/hid (.hex: two hex digits a byte, '#'
// comments) and parses them as Chromium would hand them to WebHID.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseReportDescriptor } from '../../renderer/headset/hid-descriptor';
import type { HidCollectionInfo } from '../../renderer/headset/hid-types';
import {
  discoverTelephony,
  type TelephonyControls,
} from '../../renderer/headset/telephony-controls';

// A path, not a URL: under jsdom the global URL is not Node's.
const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/hid');

export function parseHex(text: string): Uint8Array {
  const digits = text
    .split('\n')
    .map((line) => line.replace(/#.*/, ''))
    .join(' ')
    .trim();
  if (digits === '') return new Uint8Array(0);
  return Uint8Array.from(
    digits.split(/\s+/).map((pair) => {
      if (!/^[0-9a-fA-F]{2}$/.test(pair)) throw new Error(`not a hex byte: ${pair}`);
      return parseInt(pair, 16);
    }),
  );
}

export const fixtureBytes = (name: string): Uint8Array =>
  parseHex(readFileSync(join(FIXTURES, `${name}.hex`), 'utf8'));

export const fixtureCollections = (name: string): HidCollectionInfo[] =>
  parseReportDescriptor(fixtureBytes(name));

/** The telephony controls of a fixture that must have them. */
export function fixtureControls(name: string): TelephonyControls {
  const found = discoverTelephony(fixtureCollections(name));
  if (found.kind !== 'telephony') throw new Error(`${name}: ${found.reason}`);
  return found.controls;
}
