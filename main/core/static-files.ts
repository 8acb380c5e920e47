// Serving the built renderer, for both shells: app:// in Electron and HTTP in browser mode.
// One place decides which file a URL path names, so no URL, however encoded, reads outside
// the folder (encoded separators, NUL, '..', absolute paths, symlinks leading out).
import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, isAbsolute, join, relative, resolve, sep } from 'node:path';

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

export type PathResult = { ok: true; segments: string[] } | { ok: false; status: 400 | 403 };

/**
 * The path segments a URL pathname (still percent-encoded, starting with '/') names inside
 * the folder, or why it names nothing. URL parsers fold '..' and '%2e%2e'; what is left to
 * catch is what decoding reveals: encoded separators (%2F, %5C), NUL, empty segments
 * ('//etc' = absolute), drive letters and stray dot segments.
 */
export function pathSegments(pathname: string): PathResult {
  let path: string;
  try {
    path = decodeURIComponent(pathname);
  } catch {
    return { ok: false, status: 400 };
  }
  if (!path.startsWith('/')) return { ok: false, status: 403 };
  if (path.endsWith('/')) path += 'index.html';
  const segments = path.split('/').slice(1);
  for (const s of segments) {
    if (s === '' || s === '.' || s === '..' || /[\0\\:]/.test(s)) return { ok: false, status: 403 };
  }
  return { ok: true, segments };
}

export type StaticFile =
  | { status: 200; body: Buffer; contentType: string }
  | { status: 400 | 403 | 404; body?: undefined };

/** Reads the file a URL pathname names inside root (symlinks may not lead out of it). */
export async function readStaticFile(root: string, pathname: string): Promise<StaticFile> {
  const p = pathSegments(pathname);
  if (!p.ok) return { status: p.status };
  const base = resolve(root);
  const file = join(base, ...p.segments);
  if (!inside(base, file)) return { status: 403 };
  try {
    const real = await realpath(file);
    if (!inside(await realpath(base), real)) return { status: 403 };
    if (!(await stat(real)).isFile()) return { status: 404 };
    return { status: 200, body: await readFile(real), contentType: mimeType(real) };
  } catch {
    return { status: 404 };
  }
}

function inside(root: string, file: string): boolean {
  const rel = relative(root, file);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}
