import { describe, expect, it } from 'vitest';
import { APP_ORIGIN, APP_URL, originOf, rendererTarget } from '../../../main/electron/origin';

describe('originOf', () => {
  it('builds scheme://host, which Node leaves as "null" for app:', () => {
    expect(new URL('app://agent/index.html').origin).toBe('null');
    expect(originOf('app://agent/index.html')).toBe('app://agent');
    expect(originOf('app://agent/')).toBe('app://agent');
    expect(originOf('APP://Agent/x')).toBe('app://agent');
    expect(originOf('http://localhost:5173/x')).toBe('http://localhost:5173');
  });

  it('is null for what has no origin', () => {
    for (const v of [
      undefined,
      null,
      '',
      'null',
      'file:///etc/passwd',
      'about:blank',
      'not a url',
    ]) {
      expect(originOf(v), String(v)).toBeNull();
    }
  });
});

describe('rendererTarget', () => {
  it('is app://agent unless an unpackaged run points at a loopback dev server', () => {
    const app = { url: APP_URL, origin: APP_ORIGIN };
    expect(rendererTarget({ isPackaged: true })).toEqual(app);
    expect(rendererTarget({ isPackaged: true, devUrl: 'http://localhost:5173' })).toEqual(app);
    expect(rendererTarget({ isPackaged: false })).toEqual(app);
    expect(rendererTarget({ isPackaged: false, devUrl: 'http://localhost:5173' })).toEqual({
      url: 'http://localhost:5173/',
      origin: 'http://localhost:5173',
    });
    expect(rendererTarget({ isPackaged: false, devUrl: 'http://127.0.0.1:5174/' }).origin).toBe(
      'http://127.0.0.1:5174',
    );
    for (const devUrl of [
      'http://example.com:5173',
      'https://localhost:5173',
      'file:///x',
      'junk',
    ]) {
      expect(rendererTarget({ isPackaged: false, devUrl }), devUrl).toEqual(app);
    }
  });
});
