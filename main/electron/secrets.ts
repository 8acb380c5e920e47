// Secrets (the SIP password) encrypted with the OS keystore through Electron's safeStorage
// (Keychain, DPAPI, libsecret/kwallet) and kept as base64 in userData/secrets.json. When the
// OS cannot encrypt, storing is refused — never written in plaintext. On Linux without a
// keyring Chromium falls back to 'basic_text', a key hard-coded in Chromium: that counts as
// unavailable unless allowBasicText is set. Values never reach the log, only key names.
// Uses the async safeStorage API (the sync one is deprecated in Electron 45; both read the
// same ciphertext).
import { z } from 'zod';
import type { Logger } from '../core/log';
import type { SafeStorageLike } from './deps';
import { readJsonFile, writeJsonFile } from './json-file';

export interface SecretStore {
  get(key: string): Promise<string | null>;
  /** Throws SecretStoreUnavailable when the OS cannot encrypt. */
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
  /** Why secrets cannot be stored on this machine, or null when they can. */
  unavailableReason(): Promise<string | null>;
}

export class SecretStoreUnavailable extends Error {
  constructor(reason: string) {
    super(`cannot store secrets: ${reason}`);
    this.name = 'SecretStoreUnavailable';
  }
}

export interface SecretStoreOptions {
  file: string;
  log: Logger;
  platform?: NodeJS.Platform;
  /** Accept Linux's basic_text backend (obfuscation, not protection). Default false. */
  allowBasicText?: boolean;
}

// Dotted names like 'sip.password'; a leading letter keeps out '__proto__' and friends.
const KEY = /^[A-Za-z][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*$/;
const SecretsFile = z.object({
  version: z.literal(1),
  entries: z.record(z.string(), z.string()),
});
type SecretsFile = z.infer<typeof SecretsFile>;

export function createSecretStore(
  deps: { safeStorage: SafeStorageLike },
  opts: SecretStoreOptions,
): SecretStore {
  const { safeStorage } = deps;
  const { log, file } = opts;
  const platform = opts.platform ?? process.platform;
  // Writes are read-modify-write on one file: run them one after another.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn, fn);
    queue = run.catch(() => {});
    return run;
  };

  async function load(): Promise<SecretsFile> {
    let raw: unknown;
    try {
      raw = await readJsonFile(file);
    } catch {
      log.warn('secrets file unreadable; treating it as empty');
      return { version: 1, entries: {} };
    }
    if (raw === undefined) return { version: 1, entries: {} };
    const parsed = SecretsFile.safeParse(raw);
    if (!parsed.success) {
      log.warn('secrets file malformed; treating it as empty');
      return { version: 1, entries: {} };
    }
    return parsed.data;
  }

  function checkKey(key: string) {
    if (key.length > 64 || !KEY.test(key)) throw new Error('invalid secret key');
  }

  async function unavailableReason(): Promise<string | null> {
    if (!(await safeStorage.isAsyncEncryptionAvailable())) return 'OS encryption is not available';
    if (platform === 'linux') {
      const backend = safeStorage.getSelectedStorageBackend?.() ?? 'unknown';
      if (backend === 'basic_text' && !opts.allowBasicText) {
        return 'no OS keyring (Linux basic_text backend would use a key built into Chromium)';
      }
      if (backend === 'unknown') return 'OS keyring not determined (app not ready?)';
    }
    return null;
  }

  async function put(key: string, value: string): Promise<void> {
    const encrypted = await safeStorage.encryptStringAsync(value);
    await serial(async () => {
      const data = await load();
      data.entries[key] = encrypted.toString('base64');
      await writeJsonFile(file, data);
    });
  }

  return {
    unavailableReason,

    async get(key) {
      checkKey(key);
      const { entries } = await load();
      const b64 = Object.hasOwn(entries, key) ? entries[key] : undefined;
      if (b64 === undefined) return null;
      try {
        const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(
          Buffer.from(b64, 'base64'),
        );
        if (shouldReEncrypt) {
          // The OS key rotated: store it under the new key (best effort).
          await put(key, result).catch(() => log.warn('secret re-encryption failed', { key }));
        }
        return result;
      } catch {
        log.warn('secret could not be decrypted', { key });
        return null;
      }
    },

    async set(key, value) {
      checkKey(key);
      const reason = await unavailableReason();
      if (reason) {
        log.warn('secret not stored', { key, reason });
        throw new SecretStoreUnavailable(reason);
      }
      await put(key, value);
    },

    async delete(key) {
      checkKey(key);
      await serial(async () => {
        const data = await load();
        if (!Object.hasOwn(data.entries, key)) return;
        delete data.entries[key];
        await writeJsonFile(file, data);
      });
    },
  };
}
