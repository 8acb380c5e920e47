// kintone settings: what is accepted, what the defaults are, and tokens kept apart from them.
import { describe, expect, it } from 'vitest';
import {
  defaultKintoneMapping,
  joinTokens,
  KintoneConfig,
} from '../../../../../main/core/sync/crm/kintone/config';

const apps = { customers: 1, activities: 2, callbacks: 3 };

describe('KintoneConfig', () => {
  it('fills in a Japanese centre’s field codes and labels', () => {
    const c = KintoneConfig.parse({ baseUrl: 'https://example.cybozu.com', apps });
    expect(c.baseUrl).toBe('https://example.cybozu.com');
    expect(c.fields.customers).toEqual({
      ...defaultKintoneMapping.customers,
      phones: ['電話番号', '携帯電話'],
    });
    expect(c.fields.activities.updatedAt).toBe('更新日時');
    expect(c.values.optOut).toEqual({ none: 'なし', marketing: '営業停止', all: '全停止' });
  });

  it('takes partial overrides and keeps the other defaults', () => {
    const c = KintoneConfig.parse({
      baseUrl: 'https://example.cybozu.com/',
      apps,
      fields: { customers: { phones: ['TEL'] }, activities: { syncKey: 'sync_key' } },
      values: { optOut: { none: '' } },
    });
    expect(c.baseUrl).toBe('https://example.cybozu.com');
    expect(c.fields.customers.phones).toEqual(['TEL']);
    expect(c.fields.customers.name).toBe('顧客名');
    expect(c.fields.activities.syncKey).toBe('sync_key');
    expect(c.values.optOut).toEqual({ none: '', marketing: '営業停止', all: '全停止' });
  });

  it.each([
    ['http://example.cybozu.com', /https/],
    ['http://192.168.1.10', /https/],
    ['https://example.cybozu.com/k/v1', /only the domain/],
    ['https://user:pw@example.cybozu.com', /only the domain/],
    ['example.cybozu.com', /not a URL/],
  ])('refuses baseUrl %s', (baseUrl, why) => {
    const r = KintoneConfig.safeParse({ baseUrl, apps });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(why);
  });

  it('allows plain http on loopback (tests)', () => {
    expect(KintoneConfig.parse({ baseUrl: 'http://localhost:4010', apps }).baseUrl).toBe(
      'http://localhost:4010',
    );
    expect(KintoneConfig.parse({ baseUrl: 'http://127.0.0.1:4010/', apps }).baseUrl).toBe(
      'http://127.0.0.1:4010',
    );
  });

  it.each(['a b', 'x"y', 'f(1)', 'a=b', '1abc', '', 'x'.repeat(129)])(
    'refuses field code %j',
    (code) => {
      expect(
        KintoneConfig.safeParse({
          baseUrl: 'https://e.cybozu.com',
          apps,
          fields: { customers: { name: code } },
        }).success,
      ).toBe(false);
    },
  );

  it('refuses bad app ids, an empty phone list and opt-out labels that collide', () => {
    const base = { baseUrl: 'https://e.cybozu.com', apps };
    expect(KintoneConfig.safeParse({ ...base, apps: { ...apps, callbacks: 0 } }).success).toBe(
      false,
    );
    expect(KintoneConfig.safeParse({ ...base, apps: { ...apps, callbacks: 1.5 } }).success).toBe(
      false,
    );
    expect(
      KintoneConfig.safeParse({ ...base, fields: { customers: { phones: [] } } }).success,
    ).toBe(false);
    expect(
      KintoneConfig.safeParse({ ...base, values: { optOut: { all: '営業停止' } } }).success,
    ).toBe(false);
  });

  it('has no place for a token: settings can be shown and exported', () => {
    const c = KintoneConfig.parse({ baseUrl: 'https://e.cybozu.com', apps, apiToken: 'abc' });
    expect(JSON.stringify(c)).not.toContain('abc');
  });
});

describe('joinTokens', () => {
  it('joins per-app tokens, dropping repeats (kintone refuses a token twice: GAIA_DA03)', () => {
    expect(joinTokens({ customers: 'aaa', activities: 'bbb', callbacks: 'aaa' })).toBe('aaa,bbb');
    expect(joinTokens(['aaa', ' bbb '])).toBe('aaa,bbb');
    expect(joinTokens('aaa,bbb')).toBe('aaa,bbb');
    expect(joinTokens({ customers: 'aaa' })).toBe('aaa');
  });

  it('refuses malformed or missing tokens without ever echoing one', () => {
    expect(() => joinTokens(['good1', 'bad token\r\nX-Evil: 1'])).toThrow(/token #2 is malformed/);
    try {
      joinTokens(['sekret-with-dash']);
    } catch (e) {
      expect((e as Error).message).not.toContain('sekret');
    }
    expect(() => joinTokens([])).toThrow(/no kintone API token/);
    expect(() => joinTokens({})).toThrow(/no kintone API token/);
    expect(() => joinTokens(Array.from({ length: 10 }, (_, i) => `t${i}`))).toThrow(/at most 9/);
  });
});
