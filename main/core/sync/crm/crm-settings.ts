// Which CRM the desktop syncs with. The connection (kintone domain, app ids) is kept in the
// settings table; the API token only in the shell's secret vault (the OS keychain through
// safeStorage in Electron) — never in SQLite, config files or logs.
import { z } from 'zod';
import type { CrmSettingsInput, CrmSettingsView } from '../../../../preload/contract';
import type { Logger } from '../../log';
import type { Database } from '../../store/db';
import type { CrmAdapter, ConnectionCheck } from './adapter';
import { KintoneConfig } from './kintone/config';
import { createKintoneAdapter } from './kintone/adapter';
import { createLocalAdapter } from './local-adapter';

/** Where the shell keeps secrets (Electron: safeStorage-backed SecretStore). */
export interface SecretVault {
  get(key: string): Promise<string | null>;
  /** Throws when the OS cannot encrypt: the caller shows that instead of storing plaintext. */
  set(key: string, value: string): Promise<void>;
}

export const KINTONE_TOKEN_KEY = 'crm.kintone.token';
const SETTINGS_KEY = 'crm';

const Stored = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('local') }),
  z.object({
    kind: z.literal('kintone'),
    /** KintoneConfig input: domain, app ids and optionally a custom field mapping. */
    config: z.record(z.string(), z.unknown()),
  }),
]);
type Stored = z.infer<typeof Stored>;

export class CrmSettingsError extends Error {
  readonly code = 'invalid_argument';
  constructor(message: string) {
    super(message);
    this.name = 'CrmSettingsError';
  }
}

export interface CrmSettingsRepo {
  view(): Promise<CrmSettingsView>;
  /** The adapter for the stored settings (local when none, or when they no longer validate). */
  adapter(): Promise<CrmAdapter>;
  /** An adapter for settings not saved yet (test connection). */
  adapterFor(input: CrmSettingsInput): Promise<CrmAdapter>;
  check(input: CrmSettingsInput): Promise<ConnectionCheck>;
  save(input: CrmSettingsInput): Promise<CrmSettingsView>;
}

export function createCrmSettingsRepo(
  db: Database,
  vault: SecretVault | null,
  log: Logger,
): CrmSettingsRepo {
  const read = db.prepare<[string], string>('SELECT value FROM settings WHERE key = ?').pluck();
  const write = db.prepare(
    `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  );

  function stored(): Stored {
    const raw = read.get(SETTINGS_KEY);
    if (raw === undefined) return { kind: 'local' };
    try {
      const parsed = Stored.safeParse(JSON.parse(raw));
      if (parsed.success) return parsed.data;
    } catch {
      /* fall through */
    }
    log.error('stored CRM settings are unreadable; using the local CRM');
    return { kind: 'local' };
  }

  async function token(given?: string): Promise<string | null> {
    return given ?? (vault ? await vault.get(KINTONE_TOKEN_KEY) : null);
  }

  function configOf(input: Extract<CrmSettingsInput, { kind: 'kintone' }>): KintoneConfig {
    const previous = stored();
    // A custom field mapping set by file/admin tooling survives a change of domain or apps.
    const base = previous.kind === 'kintone' ? previous.config : {};
    const parsed = KintoneConfig.safeParse({ ...base, baseUrl: input.baseUrl, apps: input.apps });
    if (!parsed.success) {
      const why = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      throw new CrmSettingsError(`kintone settings are invalid: ${why}`);
    }
    return parsed.data;
  }

  async function build(s: Stored, given?: string): Promise<CrmAdapter> {
    if (s.kind === 'local') return createLocalAdapter();
    const t = await token(given);
    if (!t) throw new CrmSettingsError('no kintone API token is stored; enter one');
    return createKintoneAdapter({ config: s.config as never, tokens: t, logger: log });
  }

  async function view(): Promise<CrmSettingsView> {
    const s = stored();
    if (s.kind === 'local') return { kind: 'local', baseUrl: null, apps: null, hasToken: false };
    const c = KintoneConfig.safeParse(s.config);
    return {
      kind: 'kintone',
      baseUrl: c.success ? c.data.baseUrl : null,
      apps: c.success ? c.data.apps : null,
      hasToken: (await token()) !== null,
    };
  }

  return {
    view,
    async adapter() {
      try {
        return await build(stored());
      } catch (err) {
        log.error('CRM adapter unavailable; syncing is off until settings are fixed', {
          reason: (err as Error).message,
        });
        return createLocalAdapter();
      }
    },
    async adapterFor(input) {
      if (input.kind === 'local') return createLocalAdapter();
      return build({ kind: 'kintone', config: configOf(input) }, input.token);
    },
    async check(input) {
      let adapter: CrmAdapter;
      try {
        adapter = await this.adapterFor(input);
      } catch (err) {
        return { ok: false, code: 'bad_config', message: (err as Error).message };
      }
      return adapter.check();
    },
    async save(input) {
      if (input.kind === 'kintone') {
        const config = configOf(input);
        if (input.token !== undefined) {
          if (!vault) throw new CrmSettingsError('this build cannot store secrets');
          await vault.set(KINTONE_TOKEN_KEY, input.token);
        }
        write.run(SETTINGS_KEY, JSON.stringify({ kind: 'kintone', config }), Date.now());
      } else {
        write.run(SETTINGS_KEY, JSON.stringify({ kind: 'local' }), Date.now());
      }
      return view();
    },
  };
}
