import { mkdtempSync } from 'node:fs';
import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCsp } from '../../../main/core/csp';
import { mimeType } from '../../../main/core/static-files';
import {
  createAppHandler,
  registerAppScheme,
  requestPath,
  serveAppProtocol,
} from '../../../main/electron/protocol';
import { FakeProtocol } from './fakes';

const SECRET = 'TOP-SECRET-OUTSIDE-THE-APP';
const CSP = buildCsp();
// base/secret.txt sits next to base/renderer (the served folder): no URL may reach it.
const base = mkdtempSync(join(tmpdir(), 'agent-protocol-'));
const root = join(base, 'renderer');
let handler: (r: Request) => Promise<Response>;

beforeAll(async () => {
  await mkdir(join(root, 'assets'), { recursive: true });
  await writeFile(join(base, 'secret.txt'), SECRET);
  await writeFile(join(root, 'index.html'), '<!doctype html><title>agent</title>');
  await writeFile(join(root, 'assets', 'index-abc.js'), 'console.log(1)');
  await writeFile(join(root, 'assets', 'index-abc.css'), 'body{}');
  await writeFile(join(root, 'assets', 'ring.wav'), 'RIFF');
  await writeFile(join(root, 'assets', 'a b.svg'), '<svg/>');
  await symlink(join(base, 'secret.txt'), join(root, 'assets', 'link.txt'));
  handler = createAppHandler({ root, csp: CSP });
});
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

const get = (url: string, method = 'GET') => handler(new Request(url, { method }));

describe('app:// scheme registration', () => {
  it('registers app as standard, secure and fetchable, without bypassing CSP', () => {
    const protocol = new FakeProtocol();
    registerAppScheme(protocol);
    expect(protocol.privileged).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
  });

  it('serveAppProtocol installs the handler for app', async () => {
    const protocol = new FakeProtocol();
    serveAppProtocol(protocol, { root, csp: CSP });
    const res = await protocol.handlers.get('app')!(new Request('app://agent/index.html'));
    expect(res.status).toBe(200);
  });
});

describe('serving the renderer', () => {
  it.each([
    ['app://agent/index.html', 'text/html; charset=utf-8', '<!doctype html>'],
    ['app://agent/', 'text/html; charset=utf-8', '<!doctype html>'],
    ['app://agent/assets/index-abc.js', 'text/javascript; charset=utf-8', 'console.log(1)'],
    ['app://agent/assets/index-abc.css', 'text/css; charset=utf-8', 'body{}'],
    ['app://agent/assets/ring.wav', 'audio/wav', 'RIFF'],
    ['app://agent/assets/a%20b.svg', 'image/svg+xml', '<svg/>'],
    ['app://agent/index.html?x=1#y', 'text/html; charset=utf-8', '<!doctype html>'],
  ])('%s', async (url, type, body) => {
    const res = await get(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(type);
    expect(res.headers.get('content-security-policy')).toBe(CSP);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toContain(body);
  });

  it('answers HEAD without a body', async () => {
    const res = await get('app://agent/index.html', 'HEAD');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });

  it('refuses other methods', async () => {
    expect((await get('app://agent/index.html', 'POST')).status).toBe(405);
  });

  it('404s missing files, folders and other hosts, still with the CSP', async () => {
    for (const url of ['app://agent/nope.js', 'app://agent/assets', 'app://other/index.html']) {
      const res = await get(url);
      expect(res.status, url).toBe(404);
      expect(res.headers.get('content-security-policy')).toBe(CSP);
    }
  });

  it('types unknown extensions as octet-stream', () => {
    expect(mimeType('x.exe')).toBe('application/octet-stream');
    expect(mimeType('X.PNG')).toBe('image/png');
  });
});

describe('path traversal', () => {
  const attempts = [
    'app://agent/../secret.txt',
    'app://agent/assets/../../secret.txt',
    'app://agent/%2e%2e/secret.txt',
    'app://agent/%2E%2E/%2e%2e/secret.txt',
    'app://agent/.%2e/secret.txt',
    'app://agent/..%2Fsecret.txt',
    'app://agent/assets%2F..%2F..%2Fsecret.txt',
    'app://agent/..%5Csecret.txt',
    'app://agent/assets/..%5C..%5Csecret.txt',
    'app://agent/%2F' + encodeURIComponent(base.slice(1)) + '%2Fsecret.txt',
    'app://agent//' + base.slice(1) + '/secret.txt',
    'app://agent/' + base + '/secret.txt',
    'app://agent/C:%5CWindows%5Cwin.ini',
    'app://agent/C:/Windows/win.ini',
    'app://agent/index.html%00.js',
    'app://agent/%00',
    'app://agent/%252e%252e/secret.txt',
    'app://agent/assets/link.txt', // a symlink pointing out of the folder
    'app://agent/%E0%A4%A', // malformed escape
  ];

  it.each(attempts)('%s never leaves the folder', async (url) => {
    const res = await get(url);
    expect([400, 403, 404]).toContain(res.status);
    expect(await res.text()).not.toContain(SECRET);
    expect(res.headers.get('content-security-policy')).toBe(CSP);
  });

  it('rejects encoded separators and NUL before touching the disk', () => {
    expect(requestPath('app://agent/..%2Fsecret.txt')).toEqual({ ok: false, status: 403 });
    expect(requestPath('app://agent/a%5Cb')).toEqual({ ok: false, status: 403 });
    expect(requestPath('app://agent/a%00b')).toEqual({ ok: false, status: 403 });
    expect(requestPath('app://agent/%2Fetc%2Fpasswd')).toEqual({ ok: false, status: 403 });
    expect(requestPath('app://agent/%zz')).toEqual({ ok: false, status: 400 });
    expect(requestPath('app://agent/assets/x.js')).toEqual({
      ok: true,
      segments: ['assets', 'x.js'],
    });
  });
});
