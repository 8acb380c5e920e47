// The Content-Security-Policy for the agent screen, shared by the Electron app:// protocol
// and browser mode so both serve the renderer under the same rules. Everything is 'none'
// unless the screen needs it: own scripts and styles only (no inline, no eval), audio from
// getUserMedia/blob, and network only back to 'self' plus what the transport adds (browser
// mode's loopback WebSocket).

export interface CspOptions {
  /** Extra connect-src sources, e.g. ['ws://127.0.0.1:5173'] for browser mode. */
  connectSrc?: string[];
}

// A source is one token: no whitespace, ';' or ',' that could end the directive and smuggle
// in another one, and no quotes (keywords like 'unsafe-inline' are not for callers to add).
const SOURCE = /^[^\s;,'"]+$/;

export function buildCsp(opts: CspOptions = {}): string {
  const extra = opts.connectSrc ?? [];
  for (const src of extra) {
    if (!SOURCE.test(src)) throw new Error(`invalid connect-src source: ${JSON.stringify(src)}`);
  }
  const directives: Array<[string, string[]]> = [
    ['default-src', ["'none'"]],
    ['script-src', ["'self'"]],
    ['style-src', ["'self'"]],
    ['img-src', ["'self'", 'data:']],
    ['media-src', ["'self'", 'blob:', 'mediastream:']],
    ['font-src', ["'self'"]],
    ['connect-src', ["'self'", ...new Set(extra)]],
    ['base-uri', ["'none'"]],
    ['form-action', ["'none'"]],
    ['frame-ancestors', ["'none'"]],
    ['object-src', ["'none'"]],
  ];
  return directives.map(([name, sources]) => `${name} ${sources.join(' ')}`).join('; ');
}
