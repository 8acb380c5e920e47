// SIP.js in Node / Electron main. SIP.js is ESM-only and opens its transport with the
// browser's global `WebSocket`: Node 22+ (and Electron's Node) has one, Node 20 does not, so
// `ws` stands in — only when the global is missing, never replacing one that exists.
// SIP.js also logs every SIP message to the console by default; here its output goes to our
// Logger at debug level, with credentials scrubbed.
import type { LogConnector, LogLevel as SipLogLevel, UserAgentOptions } from 'sip.js';
import type { Logger } from '../log';

export type SipModule = typeof import('sip.js');
export type { SipLogLevel };

let wsReady: Promise<void> | null = null;
let sipModule: Promise<SipModule> | null = null;

/** Makes sure `globalThis.WebSocket` exists (from `ws` when the runtime lacks it). */
export function ensureWebSocket(): Promise<void> {
  wsReady ??= (async () => {
    if (typeof globalThis.WebSocket === 'function') return;
    const { WebSocket } = await import('ws');
    // Re-check after the await: someone may have installed one meanwhile.
    if (typeof globalThis.WebSocket !== 'function') {
      Object.defineProperty(globalThis, 'WebSocket', {
        value: WebSocket,
        writable: true,
        configurable: true,
      });
    }
  })();
  return wsReady;
}

/** Loads sip.js once, after a WebSocket implementation is in place. */
export function loadSip(): Promise<SipModule> {
  sipModule ??= ensureWebSocket().then(() => import('sip.js'));
  return sipModule;
}

// Header lines and digest fields that carry credentials (or a replayable digest response).
const SECRET_LINE = /^(?:proxy-)?authorization\s*:.*$/gim;
const DIGEST_FIELD = /\b(response|cnonce|nonce|ha1|password)\s*=\s*("[^"]*"|[^\s,;]+)/gi;
const MAX_LOG_CHARS = 4000;

/** Removes credentials from a SIP.js log line (messages are logged at SIP.js's 'log' level). */
export function scrubSipLog(content: string): string {
  const short =
    content.length > MAX_LOG_CHARS ? content.slice(0, MAX_LOG_CHARS) + '…[truncated]' : content;
  return short
    .replace(SECRET_LINE, (line) => line.slice(0, line.indexOf(':') + 1) + ' [redacted]')
    .replace(DIGEST_FIELD, '$1=[redacted]');
}

/**
 * UserAgent logging options: nothing printed by SIP.js itself; what it reports goes to `log`
 * at debug level. `level` is SIP.js's own threshold — 'warn' (default) skips the per-message
 * traces, 'log'/'debug' include them (scrubbed) for diagnosing a server.
 */
export function sipLogOptions(
  log: Logger,
  level: SipLogLevel = 'warn',
): Pick<UserAgentOptions, 'logBuiltinEnabled' | 'logConfiguration' | 'logLevel' | 'logConnector'> {
  const connector: LogConnector = (lvl, category, label, content) => {
    log.debug('sip.js', {
      sipLevel: lvl,
      category,
      ...(label ? { label } : {}),
      text: scrubSipLog(String(content)),
    });
  };
  return {
    logBuiltinEnabled: false,
    logConfiguration: false,
    logLevel: level,
    logConnector: connector,
  };
}
