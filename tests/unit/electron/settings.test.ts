import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSecretStore } from '../../../main/electron/secrets';
import {
  DEFAULT_SHORTCUTS,
  readSettings,
  resolveSipAccount,
  saveHeadsets,
  SIP_PASSWORD_KEY,
} from '../../../main/electron/settings';
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
      headsets: [],
      shortcuts: DEFAULT_SHORTCUTS,
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

describe('headsets and shortcuts in settings.json', () => {
  const JABRA = { vendorId: 0x0b0e, productId: 0x0412, name: 'Jabra Link 380' };

  it('reads the remembered headsets and the shortcuts', async () => {
    await writeFile(
      file,
      JSON.stringify({
        sip: SIP,
        headsets: [JABRA],
        shortcuts: { answerOrHangup: null, hangup: 'CommandOrControl+Alt+H', toggleMute: 'F9' },
      }),
    );
    const s = await readSettings(file, memoryLogger());
    expect(s.sip).toMatchObject(SIP);
    expect(s.headsets).toEqual([JABRA]);
    expect(s.shortcuts).toEqual({
      answerOrHangup: null,
      hangup: 'CommandOrControl+Alt+H',
      toggleMute: 'F9',
    });
  });

  it('drops bad headset entries one by one, keeping the rest and the SIP account', async () => {
    const log = memoryLogger();
    await writeFile(
      file,
      JSON.stringify({
        sip: SIP,
        headsets: [JABRA, { vendorId: 70000, productId: 1 }, 'jabra', { vendorId: 1 }],
      }),
    );
    const s = await readSettings(file, log);
    expect(s.sip).toMatchObject(SIP);
    expect(s.headsets).toEqual([JABRA]);
    expect(log.lines.filter((l) => l.includes('headsets entry ignored'))).toHaveLength(3);

    await writeFile(file, JSON.stringify({ sip: SIP, headsets: { vendorId: 1 } }));
    expect((await readSettings(file, log)).headsets).toEqual([]);
    expect(log.lines.join('\n')).toContain('headsets is not a list');
  });

  it('turns off a shortcut that is malformed, and says which and why', async () => {
    const log = memoryLogger();
    await writeFile(
      file,
      JSON.stringify({
        sip: SIP,
        shortcuts: { answerOrHangup: 'Ctrl+Banana', hangup: 'H', toggleMute: 42, redial: 'F8' },
      }),
    );
    const s = await readSettings(file, log);
    expect(s.sip).toMatchObject(SIP);
    expect(s.shortcuts).toEqual({ answerOrHangup: null, hangup: null, toggleMute: null });
    const text = log.lines.join('\n');
    expect(text).toMatch(/shortcut not usable.*answerOrHangup.*banana/);
    expect(text).toMatch(/shortcut not usable.*hangup.*needs Ctrl, Alt, Cmd or Super/);
    expect(text).toMatch(/shortcut not usable.*toggleMute/);
    expect(text).toMatch(/unknown shortcut ignored.*redial/);
  });

  it('"shortcuts": null turns every global shortcut off', async () => {
    await writeFile(file, JSON.stringify({ shortcuts: null }));
    expect((await readSettings(file, memoryLogger())).shortcuts).toEqual({
      answerOrHangup: null,
      hangup: null,
      toggleMute: null,
    });
  });

  it('keeps the default shortcuts when the shortcuts key is not an object', async () => {
    const log = memoryLogger();
    await writeFile(file, JSON.stringify({ shortcuts: ['MediaPlayPause'] }));
    expect((await readSettings(file, log)).shortcuts).toEqual(DEFAULT_SHORTCUTS);
    expect(log.lines.join('\n')).toContain('shortcuts is not an object');
  });

  it('still reads headsets and shortcuts when the SIP account is invalid', async () => {
    await writeFile(
      file,
      JSON.stringify({
        sip: { server: 'http://nope' },
        headsets: [JABRA],
        shortcuts: { hangup: 'F10' },
      }),
    );
    const s = await readSettings(file, memoryLogger());
    expect(s.sip).toBeNull();
    expect(s.headsets).toEqual([JABRA]);
    expect(s.shortcuts.hangup).toBe('F10');
  });

  it('a file that is not a JSON object gives the defaults', async () => {
    await writeFile(file, '[1, 2]');
    const log = memoryLogger();
    expect(await readSettings(file, log)).toMatchObject({ headsets: [], sip: null });
    expect(log.lines.join('\n')).toContain('not a JSON object');
  });

  it('saveHeadsets writes the list and loses no other key', async () => {
    const original = { sip: SIP, locale: 'ja', custom: { keep: [1, 2] }, headsets: [] };
    await writeFile(file, JSON.stringify(original));
    await saveHeadsets(file, [JABRA], memoryLogger());
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ ...original, headsets: [JABRA] });
  });

  it('saveHeadsets creates the file when there is none', async () => {
    await saveHeadsets(file, [JABRA], memoryLogger());
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ headsets: [JABRA] });
  });

  it('saveHeadsets never overwrites a file it cannot read as an object', async () => {
    const log = memoryLogger();
    const broken = `{"sip": {"password": "${PASSWORD}"`;
    await writeFile(file, broken);
    await saveHeadsets(file, [JABRA], log);
    expect(await readFile(file, 'utf8')).toBe(broken);
    await writeFile(file, '"text"');
    await saveHeadsets(file, [JABRA], log);
    expect(await readFile(file, 'utf8')).toBe('"text"');
    const text = log.lines.join('\n');
    expect(text).toContain('headset not remembered');
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
