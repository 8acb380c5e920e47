import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mimeType, resolveStaticPath } from '../../../main/core/static-path';

const root = resolve('/srv/app');

describe('resolveStaticPath', () => {
  it.each([
    ['/', 'index.html'],
    ['/index.html', 'index.html'],
    ['/assets/app-1.js', 'assets/app-1.js'],
    ['/assets/%E3%81%82.png', 'assets/あ.png'],
  ])('%s → %s', (url, rel) => {
    expect(resolveStaticPath(root, url)).toBe(join(root, rel));
  });

  it.each([
    '/../etc/passwd',
    '/assets/../../etc/passwd',
    '/%2e%2e/etc/passwd',
    '/%2e%2e%2fetc%2fpasswd',
    '/..%2f..%2fetc/passwd',
    '/assets/..%5c..%5cwin.ini',
    '/%00index.html',
    '/index.html%00.png',
    '/%E0%A4%A',
    '//etc/passwd/..',
  ])('refuses %s', (url) => {
    const out = resolveStaticPath(root, url);
    if (out !== null) expect(out.startsWith(root + '/')).toBe(true);
    if (url.includes('..') || url.includes('%2e') || url.includes('%00') || url.includes('%E0'))
      expect(out).toBeNull();
  });

  it('gives MIME types', () => {
    expect(mimeType('a/index.html')).toMatch(/^text\/html/);
    expect(mimeType('a/x.js')).toMatch(/javascript/);
    expect(mimeType('a/x.unknown')).toBe('application/octet-stream');
  });
});
