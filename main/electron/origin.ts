// Where the screen is loaded from, and the one origin the shell trusts (IPC senders,
// permissions). Node's URL gives origin 'null' for non-special schemes like app:, so origins
// are compared as scheme://host built here.

export const APP_SCHEME = 'app';
export const APP_HOST = 'agent';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_URL = `${APP_ORIGIN}/index.html`;

/** scheme://host[:port] of a URL or origin string (Chromium sends origins as 'x://h/'). */
export function originOf(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    if (!u.host) return null;
    // Chromium lowercases hosts of standard schemes; Node leaves app: hosts as written.
    return `${u.protocol}//${u.host.toLowerCase()}`;
  } catch {
    return null;
  }
}

export interface RendererTarget {
  url: string;
  origin: string;
}

/**
 * app://agent in every packaged or built run. Only an unpackaged dev run
 * (`electron-vite dev`, which sets ELECTRON_RENDERER_URL) may load the loopback Vite server
 * instead, and then that origin, not app://agent, is the trusted one.
 */
export function rendererTarget(opts: { isPackaged: boolean; devUrl?: string }): RendererTarget {
  if (!opts.isPackaged && opts.devUrl) {
    try {
      const u = new URL(opts.devUrl);
      if (u.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname)) {
        return { url: u.href, origin: `${u.protocol}//${u.host}` };
      }
    } catch {
      // fall through to the built screen
    }
  }
  return { url: APP_URL, origin: APP_ORIGIN };
}
