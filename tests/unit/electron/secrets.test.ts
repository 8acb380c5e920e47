import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSecretStore, SecretStoreUnavailable } from '../../../main/electron/secrets';
import { FakeSafeStorage, memoryLogger } from './fakes';

const PASSWORD = 'hunter2-very-secret';
let dir: string;
let file: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'agent-secrets-'));
  file = join(dir, 'secrets.json');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function store(opts: { platform?: NodeJS.Platform; allowBasicText?: boolean } = {}) {
  const safeStorage = new FakeSafeStorage();
  const log = memoryLogger();
  const secrets = createSecretStore({ safeStorage }, { file, log, platform: 'linux', ...opts });
  return { secrets, safeStorage, log };
}

describe('SecretStore', () => {
  it('round-trips a secret, stored encrypted as base64 in a private file', async () => {
    const { secrets } = store();
    await secrets.set('sip.password', PASSWORD);
    expect(await secrets.get('sip.password')).toBe(PASSWORD);

    const text = await readFile(file, 'utf8');
    expect(text).not.toContain(PASSWORD);
    const data = JSON.parse(text) as { version: number; entries: Record<string, string> };
    expect(data.version).toBe(1);
    expect(Buffer.from(data.entries['sip.password']!, 'base64').toString()).toMatch(/^enc:/);
    if (process.platform !== 'win32') expect((await stat(file)).mode & 0o077).toBe(0);
  });

  it('survives a new store over the same file (a restart)', async () => {
    await store().secrets.set('sip.password', PASSWORD);
    expect(await store().secrets.get('sip.password')).toBe(PASSWORD);
  });

  it('returns null for unknown keys and a missing file', async () => {
    const { secrets } = store();
    expect(await secrets.get('sip.password')).toBeNull();
    expect(await secrets.get('constructor')).toBeNull();
  });

  it('deletes', async () => {
    const { secrets } = store();
    await secrets.set('a', '1');
    await secrets.set('b', '2');
    await secrets.delete('a');
    expect(await secrets.get('a')).toBeNull();
    expect(await secrets.get('b')).toBe('2');
  });

  it('keeps concurrent writes', async () => {
    const { secrets } = store();
    await Promise.all(['a', 'b', 'c', 'd'].map((k) => secrets.set(k, k.toUpperCase())));
    expect(await Promise.all(['a', 'b', 'c', 'd'].map((k) => secrets.get(k)))).toEqual([
      'A',
      'B',
      'C',
      'D',
    ]);
  });

  it('refuses to store when the OS cannot encrypt — nothing written', async () => {
    const { secrets, safeStorage, log } = store();
    safeStorage.available = false;
    await expect(secrets.set('sip.password', PASSWORD)).rejects.toBeInstanceOf(
      SecretStoreUnavailable,
    );
    await expect(readFile(file)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await secrets.unavailableReason()).toMatch(/not available/);
    expect(log.lines.join('\n')).not.toContain(PASSWORD);
  });

  it("refuses Linux's basic_text backend unless allowed", async () => {
    const a = store();
    a.safeStorage.backend = 'basic_text';
    expect(await a.secrets.unavailableReason()).toMatch(/basic_text/);
    await expect(a.secrets.set('sip.password', PASSWORD)).rejects.toThrow(/basic_text/);

    const b = store({ allowBasicText: true });
    b.safeStorage.backend = 'basic_text';
    await b.secrets.set('sip.password', PASSWORD);
    expect(await b.secrets.get('sip.password')).toBe(PASSWORD);
  });

  it('ignores the Linux backend on other platforms', async () => {
    const { secrets, safeStorage } = store({ platform: 'darwin' });
    safeStorage.backend = 'basic_text';
    expect(await secrets.unavailableReason()).toBeNull();
  });

  it('returns null (and logs only the key) when a value cannot be decrypted', async () => {
    const { secrets, log } = store();
    await writeFile(
      file,
      JSON.stringify({
        version: 1,
        entries: { 'sip.password': Buffer.from('junk').toString('base64') },
      }),
    );
    expect(await secrets.get('sip.password')).toBeNull();
    expect(log.lines.join('\n')).toContain('could not be decrypted');
  });

  it('treats a corrupt file as empty', async () => {
    const { secrets } = store();
    await writeFile(file, '{not json');
    expect(await secrets.get('sip.password')).toBeNull();
    await secrets.set('sip.password', PASSWORD);
    expect(await secrets.get('sip.password')).toBe(PASSWORD);
  });

  it('re-encrypts when the OS key rotated', async () => {
    const { secrets, safeStorage } = store();
    await secrets.set('sip.password', PASSWORD);
    safeStorage.reEncrypt = true;
    safeStorage.encrypted.length = 0;
    expect(await secrets.get('sip.password')).toBe(PASSWORD);
    expect(safeStorage.encrypted).toEqual([PASSWORD]);
  });

  it('rejects odd keys', async () => {
    const { secrets } = store();
    for (const key of ['', '__proto__', '../x', 'a b', 'x'.repeat(65)]) {
      await expect(secrets.set(key, 'v'), key).rejects.toThrow(/invalid secret key/);
    }
  });

  it('never logs a secret value', async () => {
    const { secrets, log } = store();
    await secrets.set('sip.password', PASSWORD);
    await secrets.get('sip.password');
    expect(log.lines.join('\n')).not.toContain(PASSWORD);
  });
});
