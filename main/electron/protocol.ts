// The app:// scheme: the renderer is served from the built folder (out/renderer) as
// app://agent/…, never file:// (which would grant the page every file on disk and an
// opaque origin). Every response carries the CSP. Paths are checked so no URL, however
// encoded, reads outside the folder.
import { pathSegments, readStaticFile } from '../core/static-files';
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

export type PathResult = { ok: true; segments: string[] } | { ok: false; status: 400 | 403 | 404 };

/** The path segments an app:// URL names inside the app folder, or why it names nothing. */
export function requestPath(url: string): PathResult {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { ok: false, status: 400 };
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host.toLowerCase() !== APP_HOST)
    return { ok: false, status: 404 };
  return pathSegments(u.pathname);
}

export interface AppHandlerOptions {
  /** The built renderer folder (out/renderer). */
  root: string;
  /** Content-Security-Policy sent with every response. */
  csp: string;
}

export function createAppHandler(opts: AppHandlerOptions): (request: Request) => Promise<Response> {
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
    const file = await readStaticFile(opts.root, new URL(request.url).pathname);
    if (file.status !== 200) return status(file.status);
    return new Response(request.method === 'HEAD' ? null : file.body, {
      status: 200,
      headers: headers({ 'Content-Type': file.contentType }),
    });
  };
}

export function serveAppProtocol(protocol: Pick<ProtocolLike, 'handle'>, opts: AppHandlerOptions) {
  protocol.handle(APP_SCHEME, createAppHandler(opts));
}
