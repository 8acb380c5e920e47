import { describe, expect, it, vi } from 'vitest';
import { rpcUrl, takeToken } from '../../../renderer/session-token';

function memoryStorage() {
  const m = new Map<string, string>();
  return {
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => m.set(k, v),
  };
}

describe('session token', () => {
  it('moves the token from the URL fragment to sessionStorage and cleans the URL', () => {
    const storage = memoryStorage();
    const history = { state: null, replaceState: vi.fn() };
    const loc = { hash: '#token=s3cr3t-_x', pathname: '/', search: '' };
    expect(takeToken(loc, storage, history)).toBe('s3cr3t-_x');
    expect(history.replaceState).toHaveBeenCalledWith(null, '', '/');
    // A reload has no fragment any more but still finds the token.
    expect(takeToken({ hash: '', pathname: '/', search: '' }, storage, history)).toBe('s3cr3t-_x');
    expect(history.replaceState).toHaveBeenCalledTimes(1);
  });

  it('works with the real window (jsdom)', () => {
    window.history.replaceState(null, '', '/#token=abc');
    expect(takeToken()).toBe('abc');
    expect(window.location.hash).toBe('');
    expect(window.sessionStorage.getItem('agent.rpcToken')).toBe('abc');
    expect(takeToken()).toBe('abc');
  });

  it('returns null with no token anywhere', () => {
    expect(
      takeToken({ hash: '', pathname: '/', search: '' }, memoryStorage(), {
        state: null,
        replaceState: vi.fn(),
      }),
    ).toBeNull();
  });

  it('builds the same-origin rpc URL', () => {
    expect(rpcUrl({ protocol: 'http:', host: '127.0.0.1:5180' }, 'a b')).toBe(
      'ws://127.0.0.1:5180/rpc?token=a%20b',
    );
    expect(rpcUrl({ protocol: 'https:', host: 'x' }, 't')).toBe('wss://x/rpc?token=t');
  });
});
