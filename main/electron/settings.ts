// The shell's settings: userData/settings.json holds the SIP account without its password;
// the password lives in the secret store. A password typed into settings.json (the only way
// to set one until a settings screen exists) is moved into the secret store and removed
// from the file when the OS can encrypt; otherwise it is used as is, with a warning.
// It also holds the headsets granted before (written by the shell) and the global shortcuts
// (written by hand). Those two are read apart from the rest: a bad entry there costs that
// entry, never the SIP account.
import { z } from 'zod';
import { Locale } from '../../preload/contract';
import type { Logger } from '../core/log';
import { PhoneConfig } from '../core/phone/phone-config';
import { acceleratorProblem } from './accelerator';
import type { HeadsetId } from './hid-devices';
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

const HeadsetEntry = z.object({
  vendorId: z.number().int().min(0).max(0xffff),
  productId: z.number().int().min(0).max(0xffff),
  name: z.string().max(128).optional(),
});

export const SHORTCUT_ACTIONS = ['answerOrHangup', 'hangup', 'toggleMute'] as const;
export type ShortcutAction = (typeof SHORTCUT_ACTIONS)[number];
/** Accelerator per action; null = off. */
export type ShortcutSettings = Record<ShortcutAction, string | null>;
/** Play/Pause is the one key nearly every headset without telephony HID sends. */
export const DEFAULT_SHORTCUTS: Readonly<ShortcutSettings> = {
  answerOrHangup: 'MediaPlayPause',
  hangup: null,
  toggleMute: null,
};

export interface ShellSettings {
  sip: z.output<typeof SipSettings> | null;
  locale: Locale | null;
  seedDemo: boolean | null;
  headsets: HeadsetId[];
  shortcuts: ShortcutSettings;
}

const reasonOf = (err: unknown) => (err as NodeJS.ErrnoException).code ?? (err as Error).name;
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

async function readRaw(file: string, log: Logger): Promise<Record<string, unknown> | null> {
  let raw: unknown;
  try {
    raw = await readJsonFile(file);
  } catch (err) {
    // Not the message: JSON.parse quotes the file's text, which may hold the password.
    log.error('settings file unreadable; using defaults', { file, reason: reasonOf(err) });
    return null;
  }
  if (raw === undefined) return null;
  if (!isObject(raw)) {
    log.error('settings file invalid; using defaults', { file, issues: ['not a JSON object'] });
    return null;
  }
  return raw;
}

export async function readSettings(file: string, log: Logger): Promise<ShellSettings> {
  const raw = await readRaw(file, log);
  const settings: ShellSettings = {
    sip: null,
    locale: null,
    seedDemo: null,
    headsets: parseHeadsets(raw?.headsets, log),
    shortcuts: parseShortcuts(raw?.shortcuts, log),
  };
  if (!raw) return settings;
  const parsed = SettingsFile.safeParse(raw);
  if (!parsed.success) {
    // Paths and messages only: values may include the password.
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    log.error('settings file invalid; using defaults', { file, issues });
    return settings;
  }
  const s = parsed.data;
  return {
    ...settings,
    sip: s.sip ?? null,
    locale: s.locale ?? null,
    seedDemo: s.seedDemo ?? null,
  };
}

function parseHeadsets(raw: unknown, log: Logger): HeadsetId[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    log.error('settings: headsets is not a list; no headset remembered');
    return [];
  }
  return raw.flatMap((entry, index) => {
    const parsed = HeadsetEntry.safeParse(entry);
    if (parsed.success) return [parsed.data];
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    log.warn('settings: headsets entry ignored', { index, issues });
    return [];
  });
}

function parseShortcuts(raw: unknown, log: Logger): ShortcutSettings {
  const shortcuts = { ...DEFAULT_SHORTCUTS };
  if (raw === undefined) return shortcuts;
  // "shortcuts": null — the centre wants none, not the defaults.
  if (raw === null)
    return { ...DEFAULT_SHORTCUTS, answerOrHangup: null, hangup: null, toggleMute: null };
  if (!isObject(raw)) {
    log.error('settings: shortcuts is not an object; using the default shortcuts');
    return shortcuts;
  }
  for (const [key, value] of Object.entries(raw)) {
    const action = SHORTCUT_ACTIONS.find((a) => a === key);
    if (!action) {
      log.warn('settings: unknown shortcut ignored', { shortcut: key.slice(0, 64) });
      continue;
    }
    const problem =
      value === null ? null : typeof value === 'string' ? acceleratorProblem(value) : 'not text';
    if (problem) {
      // The agent asked for another key: better off than a key they did not choose.
      log.error('settings: shortcut not usable; it stays off', {
        shortcut: action,
        accelerator: typeof value === 'string' ? value.slice(0, 64) : typeof value,
        problem,
      });
      shortcuts[action] = null;
      continue;
    }
    shortcuts[action] = value as string | null;
  }
  return shortcuts;
}

/** Writes the remembered headsets into settings.json, keeping every other key as it was. */
export async function saveHeadsets(
  file: string,
  headsets: readonly HeadsetId[],
  log: Logger,
): Promise<void> {
  let raw: unknown;
  try {
    raw = await readJsonFile(file);
  } catch (err) {
    // A file we cannot read is not overwritten: it may hold what the admin typed.
    log.error('settings file unreadable; headset not remembered', {
      file,
      reason: reasonOf(err),
    });
    return;
  }
  const data = raw === undefined ? {} : raw;
  if (!isObject(data)) {
    log.error('settings file is not a JSON object; headset not remembered', { file });
    return;
  }
  await writeJsonFile(file, { ...data, headsets });
  log.debug('settings.json rewritten with the remembered headsets', { count: headsets.length });
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
