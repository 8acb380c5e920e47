// Browser-mode settings: a JSON file for the account and locale, the SIP password from the
// environment (browser mode is for development, the lab and tests; the Electron app keeps
// the password in the OS keychain through safeStorage).
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { Locale } from '../../preload/contract';
import { PhoneConfig } from '../core/phone/phone-config';

export const BrowserSettings = z.object({
  locale: Locale.optional(),
  sip: PhoneConfig.omit({ password: true }).optional(),
});
export type BrowserSettings = z.infer<typeof BrowserSettings>;

export function loadBrowserSettings(file: string | undefined): BrowserSettings {
  if (!file) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read settings file ${file}: ${(err as Error).message}`);
  }
  const parsed = BrowserSettings.safeParse(raw);
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`settings file ${file} is invalid: ${where}`);
  }
  return parsed.data;
}
