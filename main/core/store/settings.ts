// The agent's phone settings (audio devices, DTMF mode, auto-answer), kept in SQLite so they
// survive restarts and renderer reloads. A stored value that no longer validates (older app,
// hand-edited file) falls back to the default for that setting instead of failing start-up.
import { PhoneSettings } from '../../../preload/contract';
import type { Logger } from '../log';
import type { Database } from './db';

export const defaultPhoneSettings: PhoneSettings = {
  dtmfMode: 'rfc4733',
  autoAnswer: false,
  audio: { microphoneId: null, speakerId: null, ringerId: null },
};

const KEY = 'phone';

export interface SettingsRepo {
  phone(): PhoneSettings;
  /** Merges a partial update (audio merged field by field), stores and returns the result. */
  updatePhone(patch: Partial<PhoneSettings>): PhoneSettings;
}

export function createSettingsRepo(
  db: Database,
  opts: { now?: () => number; log?: Logger } = {},
): SettingsRepo {
  const now = opts.now ?? Date.now;
  const read = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?');
  const write = db.prepare(
    `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  );

  function phone(): PhoneSettings {
    const row = read.get(KEY);
    if (!row) return defaultPhoneSettings;
    try {
      const stored = PhoneSettings.partial().safeParse(JSON.parse(row.value));
      if (stored.success) return merge(defaultPhoneSettings, stored.data);
    } catch {
      /* unreadable JSON: fall through */
    }
    opts.log?.warn('stored phone settings are invalid; using defaults');
    return defaultPhoneSettings;
  }

  return {
    phone,
    updatePhone(patch) {
      const next = PhoneSettings.parse(merge(phone(), patch));
      write.run(KEY, JSON.stringify(next), now());
      return next;
    },
  };
}

function merge(base: PhoneSettings, patch: Partial<PhoneSettings>): PhoneSettings {
  return { ...base, ...patch, audio: { ...base.audio, ...patch.audio } };
}
