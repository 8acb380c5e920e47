import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSecretStore } from '../../../main/electron/secrets';
import { readSettings, resolveSipAccount, SIP_PASSWORD_KEY } from '../../../main/electron/settings';
import { FakeSafeStorage, memoryLogger } from './fakes';

const PASSWORD = 'p@ss-w0rd-in-settings';
const SIP = { server: 'wss://pbx.example.com/ws', aor: 'sip:1001@pbx.example.com' };
let dir: string;
let file: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'agent-settings-'));
  file = join(dir, 'settings.json');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function secretsFor(available = true) {
  const safeStorage = new FakeSafeStorage();
  safeStorage.available = available;
  return createSecretStore(
    { safeStorage },
    { file: join(dir, 'secrets.json'), log: memoryLogger(), platform: 'darwin' },
  );
}

describe('readSettings', () => {
  it('defaults when there is no file', async () => {
    expect(await readSettings(file, memoryLogger())).toEqual({
      sip: null,
      locale: null,
      seedDemo: null,
    });
  });

  it('reads the SIP account, locale and demo flag', async () => {
    await writeFile(file, JSON.stringify({ sip: SIP, locale: 'en', seedDemo: false, other: 1 }));
    const s = await readSettings(file, memoryLogger());
    expect(s.sip).toMatchObject(SIP);
    expect(s.locale).toBe('en');
    expect(s.seedDemo).toBe(false);
  });

  it('falls back to defaults on bad JSON or a bad account, without logging the content', async () => {
    const log = memoryLogger();
    await writeFile(file, `{"sip": {"password": "${PASSWORD}"`);
    expect((await readSettings(file, log)).sip).toBeNull();
    await writeFile(
      file,
      JSON.stringify({ sip: { ...SIP, server: 'http://nope', password: PASSWORD } }),
    );
    expect((await readSettings(file, log)).sip).toBeNull();
    const text = log.lines.join('\n');
    expect(text).toContain('settings file');
    expect(text).toContain('sip.server');
    expect(text).not.toContain(PASSWORD);
  });
});

describe('resolveSipAccount', () => {
  it('is null without an account', async () => {
    const settings = await readSettings(file, memoryLogger());
    expect(await resolveSipAccount(file, settings, secretsFor(), memoryLogger())).toBeNull();
  });

  it('takes the password from the secret store', async () => {
    await writeFile(file, JSON.stringify({ sip: SIP }));
    const secrets = secretsFor();
    await secrets.set(SIP_PASSWORD_KEY, 'from-keychain');
    const sip = await resolveSipAccount(
      file,
      await readSettings(file, memoryLogger()),
      secrets,
      memoryLogger(),
    );
    expect(sip).toMatchObject({ ...SIP, password: 'from-keychain' });
  });

  it('moves a plaintext password from settings.json into the secret store', async () => {
    await writeFile(file, JSON.stringify({ sip: { ...SIP, password: PASSWORD }, locale: 'ja' }));
    const secrets = secretsFor();
    const sip = await resolveSipAccount(
      file,
      await readSettings(file, memoryLogger()),
      secrets,
      memoryLogger(),
    );
    expect(sip?.password).toBe(PASSWORD);
    expect(await secrets.get(SIP_PASSWORD_KEY)).toBe(PASSWORD);
    const rewritten = await readFile(file, 'utf8');
    expect(rewritten).not.toContain(PASSWORD);
    expect(JSON.parse(rewritten)).toEqual({ sip: SIP, locale: 'ja' });
  });

  it('keeps using a plaintext password (with a warning) when the OS cannot encrypt', async () => {
    await writeFile(file, JSON.stringify({ sip: { ...SIP, password: PASSWORD } }));
    const log = memoryLogger();
    const sip = await resolveSipAccount(
      file,
      await readSettings(file, log),
      secretsFor(false),
      log,
    );
    expect(sip?.password).toBe(PASSWORD);
    expect(await readFile(file, 'utf8')).toContain(PASSWORD);
    expect(log.lines.join('\n')).toContain('plaintext');
    expect(log.lines.join('\n')).not.toContain(PASSWORD);
  });

  it('uses an empty password when none is stored (registration will say so)', async () => {
    await writeFile(file, JSON.stringify({ sip: SIP }));
    const sip = await resolveSipAccount(
      file,
      await readSettings(file, memoryLogger()),
      secretsFor(),
      memoryLogger(),
    );
    expect(sip?.password).toBe('');
  });
});
