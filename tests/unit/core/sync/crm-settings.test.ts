import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../../main/core/log';
import { openDatabase } from '../../../../main/core/store/db';
import {
  createCrmSettingsRepo,
  KINTONE_TOKEN_KEY,
  type SecretVault,
} from '../../../../main/core/sync/crm/crm-settings';

function vault(): SecretVault & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    get: async (k) => data.get(k) ?? null,
    set: async (k, v) => void data.set(k, v),
  };
}

const kintone = {
  kind: 'kintone' as const,
  baseUrl: 'https://example.cybozu.com',
  apps: { customers: 11, activities: 12, callbacks: 13 },
};

describe('CRM settings', () => {
  it('defaults to the local CRM', async () => {
    const repo = createCrmSettingsRepo(openDatabase(':memory:'), vault(), silentLogger);
    expect(await repo.view()).toEqual({
      kind: 'local',
      baseUrl: null,
      apps: null,
      hasToken: false,
    });
    expect((await repo.adapter()).kind).toBe('local');
  });

  it('keeps the token in the vault only: not in SQLite, not in the view', async () => {
    const db = openDatabase(':memory:');
    const v = vault();
    const repo = createCrmSettingsRepo(db, v, silentLogger);
    const view = await repo.save({ ...kintone, token: 'abcDEF123' });
    expect(view).toEqual({
      kind: 'kintone',
      baseUrl: 'https://example.cybozu.com',
      apps: kintone.apps,
      hasToken: true,
    });
    expect(v.data.get(KINTONE_TOKEN_KEY)).toBe('abcDEF123');
    const dump = JSON.stringify(db.prepare('SELECT * FROM settings').all());
    expect(dump).toContain('example.cybozu.com');
    expect(dump).not.toContain('abcDEF123');
    expect(JSON.stringify(view)).not.toContain('abcDEF123');
    expect((await repo.adapter()).kind).toBe('kintone');
    // Saving again without a token keeps the stored one.
    await repo.save({ ...kintone, apps: { ...kintone.apps, customers: 21 } });
    expect(v.data.get(KINTONE_TOKEN_KEY)).toBe('abcDEF123');
    expect((await repo.view()).apps?.customers).toBe(21);
  });

  it('refuses plain http to a real domain and a missing token with clear messages', async () => {
    const repo = createCrmSettingsRepo(openDatabase(':memory:'), vault(), silentLogger);
    await expect(
      repo.save({ ...kintone, baseUrl: 'http://example.cybozu.com', token: 'abc' }),
    ).rejects.toThrow(/https/);
    const check = await repo.check({ ...kintone, baseUrl: 'https://example.cybozu.com/k/1/' });
    expect(check).toMatchObject({ ok: false, code: 'bad_config' });
    expect(await repo.check(kintone)).toMatchObject({
      ok: false,
      code: 'bad_config',
      message: expect.stringMatching(/token/),
    });
  });

  it('cannot save a token without a vault (no plaintext fallback)', async () => {
    const repo = createCrmSettingsRepo(openDatabase(':memory:'), null, silentLogger);
    await expect(repo.save({ ...kintone, token: 'abc' })).rejects.toThrow(/secrets/);
    expect((await repo.view()).kind).toBe('local');
  });

  it('unreadable stored settings fall back to the local CRM', async () => {
    const db = openDatabase(':memory:');
    db.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('crm', '{bad', 0)").run();
    const repo = createCrmSettingsRepo(db, vault(), silentLogger);
    expect((await repo.adapter()).kind).toBe('local');
    expect((await repo.view()).kind).toBe('local');
  });

  it('a stored kintone setup without a token runs as local until a token is given', async () => {
    const db = openDatabase(':memory:');
    const v = vault();
    await createCrmSettingsRepo(db, v, silentLogger).save({ ...kintone, token: 'abc' });
    v.data.clear(); // e.g. the keychain was reset
    const repo = createCrmSettingsRepo(db, v, silentLogger);
    expect((await repo.adapter()).kind).toBe('local');
    expect(await repo.view()).toMatchObject({ kind: 'kintone', hasToken: false });
  });
});
