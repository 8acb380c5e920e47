// What each failure of @kintone/rest-api-client becomes: the CrmError kind decides whether the
// sync engine retries, waits, pauses or dead-letters.
import { inspect } from 'node:util';
import { KintoneRestAPIError } from '@kintone/rest-api-client';
import { describe, expect, it } from 'vitest';
import { CrmError } from '../../../../../main/core/sync/crm/adapter';
import {
  isDnsFailure,
  parseRetryAfter,
  toCrmError,
} from '../../../../../main/core/sync/crm/kintone/errors';

/** The client's error for a kintone JSON error reply. */
function apiError(status: number, code: string, headers: Record<string, string> = {}) {
  return new KintoneRestAPIError({
    data: { id: 'err-id-1', code, message: `message for ${code}` },
    status,
    statusText: '',
    headers,
  });
}

/** What axios throws when there is no reply (shape of AxiosError, with its request config). */
function axiosError(code: string, message: string) {
  return Object.assign(new Error(message), {
    name: 'AxiosError',
    isAxiosError: true,
    code,
    config: {
      headers: { 'X-Cybozu-API-Token': 'secretToken123' },
      url: 'https://x.cybozu.com/k/v1/records.json',
    },
  });
}

describe('toCrmError: kintone error replies', () => {
  it.each([
    [429, 'CB_TM01', 'rate_limited'],
    [409, 'GAIA_CO02', 'conflict'],
    [400, 'GAIA_UN03', 'conflict'],
    [500, 'CB_IL01', 'server'],
    [503, 'GAIA_DA02', 'server'],
    [400, 'GAIA_LT01', 'server'],
    [400, 'CB_VA01', 'rejected'],
    [404, 'GAIA_RE01', 'rejected'],
    [401, 'CB_WA01', 'auth'],
    [401, 'CB_AU01', 'auth'],
    [400, 'GAIA_IA02', 'auth'],
    [520, 'GAIA_IA02', 'auth'],
    [403, 'GAIA_NO01', 'auth'],
    [403, 'CB_NO02', 'auth'],
    [400, 'GAIA_DA03', 'auth'],
    [404, 'GAIA_AP01', 'auth'],
    [400, 'GAIA_IQ11', 'auth'],
    [520, 'CB_VA01', 'rejected'],
    [520, 'CB_XX99', 'server'],
  ] as const)('%i %s → %s', (status, code, kind) => {
    const e = toCrmError(apiError(status, code), 'push call_log');
    expect(e).toBeInstanceOf(CrmError);
    expect(e).toMatchObject({ kind, status, crmCode: code });
    expect(e.message).toContain('kintone push call_log');
    expect(e.message).toContain(code);
  });

  it('reads Retry-After (seconds or an HTTP date) only for 429', () => {
    expect(toCrmError(apiError(429, 'CB_TM01', { 'retry-after': '7' }), 'x').retryAfterMs).toBe(
      7_000,
    );
    expect(toCrmError(apiError(429, 'CB_TM01'), 'x').retryAfterMs).toBeNull();
    expect(
      toCrmError(apiError(503, 'CB_IL01', { 'retry-after': '7' }), 'x').retryAfterMs,
    ).toBeNull();
    expect(
      parseRetryAfter('Wed, 01 Apr 2026 01:00:30 GMT', Date.parse('2026-04-01T01:00:00Z')),
    ).toBe(30_000);
    expect(parseRetryAfter('soon')).toBeNull();
    expect(parseRetryAfter(['2'])).toBe(2_000);
  });

  it('a 4xx whose JSON is not kintone’s is never a dead letter', () => {
    const e = new KintoneRestAPIError({
      data: { error: 'x' } as never,
      status: 404,
      statusText: '',
      headers: {},
    });
    expect(toCrmError(e, 'pull customers')).toMatchObject({ kind: 'bad_reply', status: 404 });
  });
});

describe('toCrmError: replies that are not kintone JSON', () => {
  it.each([
    ['502: Bad Gateway', 'server'],
    ['503: Service Unavailable', 'server'],
    ['429: Too Many Requests', 'rate_limited'],
    ['401: Unauthorized', 'auth'],
    ['404: Not Found', 'bad_reply'],
    ['409: Conflict', 'bad_reply'],
  ] as const)('"%s" → %s', (message, kind) => {
    const e = toCrmError(new Error(message), 'check');
    expect(e.kind).toBe(kind);
    expect(e.message).toMatch(/without a kintone error body/);
  });
});

describe('toCrmError: no reply', () => {
  it.each([
    ['ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1', 'network'],
    ['ECONNRESET', 'socket hang up', 'network'],
    ['ENOTFOUND', 'getaddrinfo ENOTFOUND x.invalid', 'network'],
    ['EAI_AGAIN', 'getaddrinfo EAI_AGAIN x', 'network'],
    ['CERT_HAS_EXPIRED', 'certificate has expired', 'network'],
    ['ERR_NETWORK', 'Network Error', 'network'],
    ['ECONNABORTED', 'timeout of 400ms exceeded', 'timeout'],
    ['ETIMEDOUT', 'timeout of 400ms exceeded', 'timeout'],
  ] as const)('%s → %s', (code, message, kind) => {
    const e = toCrmError(axiosError(code, message), 'push note');
    expect(e.kind).toBe(kind);
    expect(e.transient).toBe(true);
  });

  it('tells a DNS failure apart (bad_domain in check())', () => {
    expect(isDnsFailure(axiosError('ENOTFOUND', 'x'))).toBe(true);
    expect(isDnsFailure({ cause: { code: 'EAI_AGAIN' } })).toBe(true);
    expect(isDnsFailure(axiosError('ECONNREFUSED', 'x'))).toBe(false);
  });

  it('anything else unexpected is bad_reply (retried, shown), with a bounded message', () => {
    const e = toCrmError(new TypeError(`Cannot use 'in' operator ${'x'.repeat(500)}`), 'pull');
    expect(e.kind).toBe('bad_reply');
    expect(e.message.length).toBeLessThan(300);
    expect(toCrmError('weird', 'pull').kind).toBe('bad_reply');
  });

  it('keeps no raw error (axios carries the request headers, and the token with them)', () => {
    for (const raw of [
      axiosError('ECONNRESET', 'socket hang up'),
      axiosError('ECONNABORTED', 'timeout'),
      axiosError('EWHATEVER', 'odd'),
    ]) {
      const e = toCrmError(raw, 'push');
      expect(e.cause).toBeUndefined();
      expect(inspect(e, { depth: 20, showHidden: true })).not.toContain('secretToken123');
    }
  });

  it('passes a CrmError through unchanged', () => {
    const e = new CrmError('conflict', 'x');
    expect(toCrmError(e, 'y')).toBe(e);
  });
});
