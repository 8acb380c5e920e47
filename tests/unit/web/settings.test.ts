// Browser-mode settings: the file's shape, the CRM choice, and the CRM token only from the
// environment.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../main/core/log';
import { KintoneAdapter } from '../../../main/core/sync/crm/kintone/adapter';
import { browserCrmAdapter, CRM_TOKEN_ENV, loadBrowserSettings } from '../../../main/web/settings';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'browser-settings-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function file(content: unknown): string {
  const f = join(dir, `settings-${n++}.json`);
  writeFileSync(f, typeof content === 'string' ? content : JSON.stringify(content));
  return f;
}

const kintone = {
  kind: 'kintone',
  config: {
    baseUrl: 'https://example.cybozu.com',
    apps: { customers: 1, activities: 2, callbacks: 3 },
  },
};

describe('loadBrowserSettings', () => {
  it('is empty without a file', () => {
    expect(loadBrowserSettings(undefined)).toEqual({});
  });

  it('reads locale and SIP account; no CRM means the stored CRM settings', () => {
    const s = loadBrowserSettings(
      file({
        locale: 'en',
        sip: { server: 'wss://pbx.example.jp/ws', aor: 'sip:1001@pbx.example.jp' },
      }),
    );
    expect(s.locale).toBe('en');
    expect(s.sip?.aor).toBe('sip:1001@pbx.example.jp');
    expect(s.crm).toBeUndefined();
  });

  it('reads the local CRM', () => {
    expect(loadBrowserSettings(file({ crm: { kind: 'local' } })).crm).toEqual({ kind: 'local' });
  });

  it('reads a kintone CRM with the default field mapping filled in', () => {
    const s = loadBrowserSettings(file({ crm: kintone }));
    expect(s.crm?.kind).toBe('kintone');
    if (s.crm?.kind !== 'kintone') return;
    expect(s.crm.config.baseUrl).toBe('https://example.cybozu.com');
    expect(s.crm.config.apps).toEqual({ customers: 1, activities: 2, callbacks: 3 });
    expect(s.crm.config.fields.activities.syncKey).toBe('同期キー');
  });

  it('allows plain http only for localhost (tests)', () => {
    const local = { ...kintone, config: { ...kintone.config, baseUrl: 'http://localhost:8080' } };
    expect(loadBrowserSettings(file({ crm: local })).crm).toMatchObject({
      config: { baseUrl: 'http://localhost:8080' },
    });
    const plain = { ...kintone, config: { ...kintone.config, baseUrl: 'http://example.com' } };
    expect(() => loadBrowserSettings(file({ crm: plain }))).toThrow(/crm\.config\.baseUrl.*https/);
  });

  it('refuses an unknown CRM kind and a kintone CRM without its apps', () => {
    expect(() => loadBrowserSettings(file({ crm: { kind: 'salesforce' } }))).toThrow(/crm/);
    expect(() =>
      loadBrowserSettings(
        file({ crm: { kind: 'kintone', config: { baseUrl: kintone.config.baseUrl } } }),
      ),
    ).toThrow(/crm\.config\.apps/);
  });

  it('refuses an API token written into the file, wherever it is, without echoing it', () => {
    for (const crm of [
      { ...kintone, token: 'abcDEF123' },
      { ...kintone, config: { ...kintone.config, apiToken: 'abcDEF123' } },
      { ...kintone, config: { ...kintone.config, tokens: { customers: 'abcDEF123' } } },
    ]) {
      let message = '';
      try {
        loadBrowserSettings(file({ crm }));
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message).toContain(CRM_TOKEN_ENV);
      expect(message).not.toContain('abcDEF123');
    }
  });

  it('says which file is broken', () => {
    const f = file('{ not json');
    expect(() => loadBrowserSettings(f)).toThrow(`cannot read settings file ${f}`);
    expect(() => loadBrowserSettings(join(dir, 'missing.json'))).toThrow(/cannot read/);
  });
});

describe('browserCrmAdapter', () => {
  it('leaves the CRM to core when the file names none', () => {
    expect(browserCrmAdapter(undefined, {}, silentLogger)).toBeUndefined();
  });

  it('gives the local adapter for the local CRM', () => {
    expect(browserCrmAdapter({ kind: 'local' }, {}, silentLogger)?.kind).toBe('local');
  });

  it('builds the kintone adapter with the token(s) from the environment', () => {
    const crm = loadBrowserSettings(file({ crm: kintone })).crm;
    const adapter = browserCrmAdapter(crm, { [CRM_TOKEN_ENV]: 'tokenA1,tokenB2' }, silentLogger);
    expect(adapter).toBeInstanceOf(KintoneAdapter);
    expect(adapter?.kind).toBe('kintone');
  });

  it('refuses a kintone CRM without a token, and a malformed token without echoing it', () => {
    const crm = loadBrowserSettings(file({ crm: kintone })).crm;
    expect(() => browserCrmAdapter(crm, {}, silentLogger)).toThrow(CRM_TOKEN_ENV);
    expect(() => browserCrmAdapter(crm, { [CRM_TOKEN_ENV]: '  ' }, silentLogger)).toThrow(
      CRM_TOKEN_ENV,
    );
    let message = '';
    try {
      browserCrmAdapter(crm, { [CRM_TOKEN_ENV]: 'bad token!' }, silentLogger);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/malformed/);
    expect(message).not.toContain('bad token!');
  });
});
