// The shell's settings: userData/settings.json holds the SIP account without its password;
// the password lives in the secret store. A password typed into settings.json (the only way
// to set one until a settings screen exists) is moved into the secret store and removed
// from the file when the OS can encrypt; otherwise it is used as is, with a warning.
import { z } from 'zod';
import { Locale } from '../../preload/contract';
import type { Logger } from '../core/log';
import { PhoneConfig } from '../core/phone/phone-config';
import { readJsonFile, writeJsonFile } from './json-file';
import type { SecretStore } from './secrets';

export const SETTINGS_FILE = 'settings.json';
export const SIP_PASSWORD_KEY = 'sip.password';

const SipSettings = PhoneConfig.omit({ password: true }).extend({
  password: z.string().optional(),
});
const SettingsFile = z.looseObject({
  sip: SipSettings.nullable().optional(),
  locale: Locale.optional(),
  seedDemo: z.boolean().optional(),
});
type SettingsFile = z.infer<typeof SettingsFile>;

export interface ShellSettings {
  sip: z.output<typeof SipSettings> | null;
  locale: Locale | null;
  seedDemo: boolean | null;
}

const EMPTY: ShellSettings = { sip: null, locale: null, seedDemo: null };

async function readFile(file: string, log: Logger): Promise<SettingsFile | null> {
  let raw: unknown;
  try {
    raw = await readJsonFile(file);
  } catch (err) {
    // Not the message: JSON.parse quotes the file's text, which may hold the password.
    const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).name;
    log.error('settings file unreadable; using defaults', { file, reason });
    return null;
  }
  if (raw === undefined) return null;
  const parsed = SettingsFile.safeParse(raw);
  if (!parsed.success) {
    // Paths and messages only: values may include the password.
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    log.error('settings file invalid; using defaults', { file, issues });
    return null;
  }
  return parsed.data;
}

export async function readSettings(file: string, log: Logger): Promise<ShellSettings> {
  const s = await readFile(file, log);
  if (!s) return EMPTY;
  return { sip: s.sip ?? null, locale: s.locale ?? null, seedDemo: s.seedDemo ?? null };
}

/** The SIP account for core, with its password from the secret store. */
export async function resolveSipAccount(
  file: string,
  settings: ShellSettings,
  secrets: SecretStore,
  log: Logger,
): Promise<PhoneConfig | null> {
  if (!settings.sip) return null;
  const { password: plain, ...account } = settings.sip;
  if (plain !== undefined) {
    try {
      await secrets.set(SIP_PASSWORD_KEY, plain);
      await stripPassword(file, log);
      log.info('moved the SIP password from settings.json into the secret store');
    } catch {
      log.warn('SIP password stays in plaintext in settings.json: the OS cannot encrypt it');
    }
    return { ...account, password: plain };
  }
  const stored = await secrets.get(SIP_PASSWORD_KEY);
  if (stored === null) log.warn('no SIP password in the secret store');
  return { ...account, password: stored ?? '' };
}

async function stripPassword(file: string, log: Logger): Promise<void> {
  const raw = await readJsonFile(file);
  if (!raw || typeof raw !== 'object') return;
  const data = raw as { sip?: Record<string, unknown> | null };
  if (!data.sip || !('password' in data.sip)) return;
  delete data.sip.password;
  await writeJsonFile(file, data);
  log.debug('settings.json rewritten without the password');
}
