import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../../main/core/log';
import { backoffDelay } from '../../../../main/core/phone/backoff';
import {
  ensureWebSocket,
  loadSip,
  scrubSipLog,
  sipLogOptions,
} from '../../../../main/core/phone/sip-runtime';

describe('sip runtime', () => {
  it('provides a WebSocket without replacing an existing global', async () => {
    const before = globalThis.WebSocket;
    await ensureWebSocket();
    expect(typeof globalThis.WebSocket).toBe('function');
    if (before) expect(globalThis.WebSocket).toBe(before);
    const sip = await loadSip();
    expect(typeof sip.UserAgent).toBe('function');
    expect(await loadSip()).toBe(sip);
  });

  it('scrubs credentials from SIP.js log lines', () => {
    const msg = [
      'REGISTER sip:127.0.0.1 SIP/2.0',
      'Authorization: Digest username="1001", realm="x", nonce="abc", response="0123456789abcdef"',
      'proxy-authorization: Digest username="1001", response="feed"',
      'Contact: <sip:a@b.invalid>',
    ].join('\r\n');
    const out = scrubSipLog(msg);
    expect(out).not.toMatch(/0123456789abcdef|feed|nonce="abc"/);
    expect(out).toContain('Authorization: [redacted]');
    expect(out).toContain('Contact: <sip:a@b.invalid>');
    expect(scrubSipLog('x'.repeat(10_000)).length).toBeLessThan(4100);
  });

  it('routes SIP.js output to the logger at debug level only', () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'debug', write: (l) => lines.push(l) });
    const o = sipLogOptions(log);
    expect(o).toMatchObject({
      logBuiltinEnabled: false,
      logConfiguration: false,
      logLevel: 'warn',
    });
    o.logConnector?.('error', 'sip.Transport', undefined, 'Authorization: Digest response="zz"');
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
    expect(entry.level).toBe('debug');
    expect(String(entry.text)).not.toContain('zz');
    const quiet: string[] = [];
    sipLogOptions(createLogger({ level: 'info', write: (l) => quiet.push(l) })).logConnector?.(
      'warn',
      'sip',
      undefined,
      'x',
    );
    expect(quiet).toHaveLength(0);
  });
});

describe('backoffDelay', () => {
  it('doubles, caps, and jitters within [step/2, step]', () => {
    const o = { initialMs: 1000, maxMs: 30_000 };
    expect(backoffDelay(0, { ...o, random: () => 0 })).toBe(500);
    expect(backoffDelay(0, { ...o, random: () => 1 })).toBe(1000);
    expect(backoffDelay(3, { ...o, random: () => 1 })).toBe(8000);
    expect(backoffDelay(50, { ...o, random: () => 1 })).toBe(30_000);
    expect(backoffDelay(50, { ...o, random: () => 0 })).toBe(15_000);
    for (let i = 0; i < 100; i++) {
      const ms = backoffDelay(i % 8, o);
      expect(ms).toBeGreaterThan(0);
      expect(ms).toBeLessThanOrEqual(30_000);
    }
  });
});
