import { describe, expect, it } from 'vitest';
import { buildCsp } from '../../../main/core/csp';

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp.split(';').map((d) => {
      const [name, ...sources] = d.trim().split(/\s+/);
      return [name!, sources];
    }),
  );
}

describe('buildCsp', () => {
  it('is strict by default', () => {
    const d = directives(buildCsp());
    expect(d.get('default-src')).toEqual(["'none'"]);
    expect(d.get('script-src')).toEqual(["'self'"]);
    expect(d.get('style-src')).toEqual(["'self'"]);
    expect(d.get('img-src')).toEqual(["'self'", 'data:']);
    expect(d.get('media-src')).toEqual(["'self'", 'blob:', 'mediastream:']);
    expect(d.get('font-src')).toEqual(["'self'"]);
    expect(d.get('connect-src')).toEqual(["'self'"]);
    for (const name of ['base-uri', 'form-action', 'frame-ancestors', 'object-src']) {
      expect(d.get(name)).toEqual(["'none'"]);
    }
    expect(buildCsp()).not.toMatch(/unsafe-|\*/);
  });

  it('adds connect-src sources for browser mode', () => {
    const d = directives(buildCsp({ connectSrc: ['ws://127.0.0.1:4173', 'ws://127.0.0.1:4173'] }));
    expect(d.get('connect-src')).toEqual(["'self'", 'ws://127.0.0.1:4173']);
    expect(d.get('script-src')).toEqual(["'self'"]);
  });

  it('refuses sources that would inject directives or keywords', () => {
    for (const bad of ['ws://x; script-src *', "'unsafe-eval'", 'a b', 'a,b', '']) {
      expect(() => buildCsp({ connectSrc: [bad] })).toThrow(/invalid connect-src/);
    }
  });
});
