// The app:// scheme: the renderer is served from the built folder (out/renderer) as
// app://agent/…, never file:// (which would grant the page every file on disk and an
// opaque origin). Every response carries the CSP. Paths are checked so no URL, however
// encoded, reads outside the folder.
import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { ProtocolLike } from './deps';
import { APP_HOST, APP_SCHEME } from './origin';

/** Must run before app 'ready': Chromium fixes scheme privileges at start-up. */
export function registerAppScheme(protocol: Pick<ProtocolLike, 'registerSchemesAsPrivileged'>) {
  protocol.registerSchemesAsPrivileged([
    // standard: real origin + relative URLs; secure: a secure context (getUserMedia, WebHID);
    // supportFetchAPI: fetch() of own assets. Deliberately no bypassCSP and no corsEnabled.
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.wasm': 'application/wasm',
};

export function mimeType(file: string): string {
  return MIME[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export type PathResult = { ok: true; segments: string[] } | { ok: false; status: 400 | 403 | 404 };

/**
 * The path segments a request URL names inside the app folder, or why it names nothing.
 * The URL parser already folds '..' and '%2e%2e'; what is left to catch is what decoding
 * reveals: encoded separators (%2F, %5C), NUL, empty segments ('//etc' = absolute), drive
 * letters and stray dot segments.
 */
export function requestPath(url: string): PathResult {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { ok: false, status: 400 };
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host.toLowerCase() !== APP_HOST)
    return { ok: false, status: 404 };
  let path: string;
  try {
    path = decodeURIComponent(u.pathname);
  } catch {
    return { ok: false, status: 400 };
  }
  if (path.endsWith('/')) path += 'index.html';
  const segments = path.split('/').slice(1); // pathname always starts with '/'
  for (const s of segments) {
    if (s === '' || s === '.' || s === '..' || /[\0\\:]/.test(s)) return { ok: false, status: 403 };
  }
  return { ok: true, segments };
}

export interface AppHandlerOptions {
  /** The built renderer folder (out/renderer). */
  root: string;
  /** Content-Security-Policy sent with every response. */
  csp: string;
}

export function createAppHandler(opts: AppHandlerOptions): (request: Request) => Promise<Response> {
  const root = resolve(opts.root);
  const headers = (extra: Record<string, string> = {}) => ({
    'Content-Security-Policy': opts.csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    ...extra,
  });
  const status = (code: number) =>
    new Response(null, { status: code, headers: headers({ 'Content-Type': 'text/plain' }) });

  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return status(405);
    const p = requestPath(request.url);
    if (!p.ok) return status(p.status);
    const file = join(root, ...p.segments);
    if (!inside(root, file)) return status(403);
    try {
      // Resolve symlinks too: a link inside the folder must not lead out of it.
      const real = await realpath(file);
      if (!inside(await realpath(root), real)) return status(403);
      if (!(await stat(real)).isFile()) return status(404);
      const body = request.method === 'HEAD' ? null : await readFile(real);
      return new Response(body, {
        status: 200,
        headers: headers({ 'Content-Type': mimeType(real) }),
      });
    } catch {
      return status(404);
    }
  };
}

function inside(root: string, file: string): boolean {
  const rel = relative(root, file);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

export function serveAppProtocol(protocol: Pick<ProtocolLike, 'handle'>, opts: AppHandlerOptions) {
  protocol.handle(APP_SCHEME, createAppHandler(opts));
}
