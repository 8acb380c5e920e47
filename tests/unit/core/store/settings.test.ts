import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../../main/core/store/db';
import { createSettingsRepo, defaultPhoneSettings } from '../../../../main/core/store/settings';
import { useTempDir } from './temp-dir';

describe('phone settings', () => {
  let db: Database;
  beforeEach(() => {
    db = openDatabase(':memory:');
  });
  afterEach(() => db.close());

  it('starts from the defaults', () => {
    expect(createSettingsRepo(db).phone()).toEqual(defaultPhoneSettings);
  });

  it('merges updates (audio field by field) and keeps them', () => {
    const repo = createSettingsRepo(db);
    repo.updatePhone({ audio: { microphoneId: 'mic-1', speakerId: null, ringerId: null } });
    repo.updatePhone({ dtmfMode: 'info' });
    const got = repo.updatePhone({ audio: { ...repo.phone().audio, ringerId: 'pc-speaker' } });
    expect(got).toEqual({
      dtmfMode: 'info',
      autoAnswer: false,
      audio: { microphoneId: 'mic-1', speakerId: null, ringerId: 'pc-speaker' },
    });
    expect(createSettingsRepo(db).phone()).toEqual(got);
  });

  it('refuses an invalid update and keeps what was stored', () => {
    const repo = createSettingsRepo(db);
    repo.updatePhone({ autoAnswer: true });
    expect(() => repo.updatePhone({ dtmfMode: 'smoke-signals' as 'info' })).toThrow();
    expect(repo.phone().autoAnswer).toBe(true);
  });

  it('falls back to defaults when the stored value is unreadable', () => {
    db.prepare(
      "INSERT INTO settings (key, value, updated_at) VALUES ('phone', '{not json', 0)",
    ).run();
    expect(createSettingsRepo(db).phone()).toEqual(defaultPhoneSettings);
    db.prepare('UPDATE settings SET value = \'{"dtmfMode":"carrier-pigeon"}\'').run();
    expect(createSettingsRepo(db).phone()).toEqual(defaultPhoneSettings);
  });
});

describe('phone settings across restarts', () => {
  const tempDir = useTempDir();
  it('survive closing and reopening the database', () => {
    const file = `${tempDir()}/agent.sqlite`;
    const a = openDatabase(file);
    createSettingsRepo(a).updatePhone({ autoAnswer: true });
    a.close();
    const b = openDatabase(file);
    expect(createSettingsRepo(b).phone().autoAnswer).toBe(true);
    b.close();
  });
});
