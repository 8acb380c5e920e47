// Browser-mode settings: a JSON file for the account, the locale and the CRM; the secrets from
// the environment (browser mode is for development, the lab and tests; the Electron app keeps
// the SIP password and the CRM token in the OS keychain through safeStorage):
//   AGENT_SIP_PASSWORD  the SIP password
//   AGENT_CRM_TOKEN     the kintone API token(s), comma-separated when there is one per app
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { Locale } from '../../preload/contract';
import type { Logger } from '../core/log';
import { PhoneConfig } from '../core/phone/phone-config';
import type { CrmAdapter } from '../core/sync/crm/adapter';
import { createKintoneAdapter } from '../core/sync/crm/kintone/adapter';
import { KintoneConfig } from '../core/sync/crm/kintone/config';
import { createLocalAdapter } from '../core/sync/crm/local-adapter';

export const CRM_TOKEN_ENV = 'AGENT_CRM_TOKEN';

const noTokenHere = `API tokens are never read from the settings file: set ${CRM_TOKEN_ENV}`;

/** Refuses a token written into the file (anywhere under crm) instead of silently dropping it. */
function refuseTokens(value: unknown, ctx: z.RefinementCtx, path: (string | number)[] = []): void {
  if (value === null || typeof value !== 'object') return;
  for (const [key, v] of Object.entries(value)) {
    if (/token/i.test(key))
      ctx.addIssue({ code: 'custom', message: noTokenHere, path: [...path, key] });
    else refuseTokens(v, ctx, [...path, key]);
  }
}

/**
 * Which CRM to sync with. Absent: whatever was saved through the app's CRM settings (in
 * browser mode, which has no keychain, that is the local CRM).
 */
export const BrowserCrm = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('local') }).strict(),
  z.object({ kind: z.literal('kintone'), config: KintoneConfig }).strict(),
]);
export type BrowserCrm = z.infer<typeof BrowserCrm>;

export const BrowserSettings = z.object({
  locale: Locale.optional(),
  sip: PhoneConfig.omit({ password: true }).optional(),
  crm: z.preprocess((raw, ctx) => (refuseTokens(raw, ctx), raw), BrowserCrm).optional(),
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

/**
 * The CRM adapter the settings ask for, or undefined to let core use its stored CRM settings.
 * The kintone token comes only from `env` (AGENT_CRM_TOKEN); it is never logged and never part
 * of an error message.
 */
export function browserCrmAdapter(
  crm: BrowserCrm | undefined,
  env: NodeJS.ProcessEnv,
  log: Logger,
): CrmAdapter | undefined {
  if (!crm) return undefined;
  if (crm.kind === 'local') return createLocalAdapter();
  const tokens = env[CRM_TOKEN_ENV]?.trim();
  if (!tokens) {
    throw new Error(
      `the kintone CRM is configured but ${CRM_TOKEN_ENV} is not set: give the API token(s) there (comma-separated, one per app)`,
    );
  }
  return createKintoneAdapter({ config: crm.config, tokens, logger: log });
}
