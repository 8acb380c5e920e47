// Turns whatever @kintone/rest-api-client throws into a CrmError the sync engine can act on.
// The client throws three things: KintoneRestAPIError (kintone answered with its JSON error
// body: id, code, message, status, headers), a plain Error "<status>: <statusText>" (an error
// status whose body was not JSON: a proxy, a captive portal, the wrong host), and axios errors
// (no reply at all). The raw error is never kept as `cause`: axios errors carry the request
// headers, and with them the API token.
import { CrmError, type CrmErrorKind } from '../adapter';

/** kintone codes that mean "the settings are wrong": pause pushing, keep the items. */
const SETTINGS_CODES = new Set([
  'CB_AU01', // not logged in (no credentials)
  'CB_WA01', // password / credential authentication failed
  'CB_NO02', // no privilege
  'CB_TW02', // two-factor auth on the account: REST refuses it
  'GAIA_IA02', // API token does not match the app's tokens (400, 520 on older kintone)
  'GAIA_NO01', // this API token cannot run this API (other app's token, missing permission)
  'GAIA_DA03', // the same app's token given twice
  'GAIA_AP01', // app not found: wrong app id in the settings
  'GAIA_IQ11', // a field in the query does not exist: wrong field mapping
  'GAIA_IL23', // app in a guest space: needs the guest space id
]);
/** Someone else changed the record first: re-read and try again. */
const CONFLICT_CODES = new Set(['GAIA_CO02', 'GAIA_UN03']);
/** kintone's own "try again later" answers. */
const BUSY_CODES = new Set(['GAIA_LT01', 'GAIA_DA02', 'GAIA_TM12']);

/** Error codes from Node's sockets and DNS that mean "never got there / lost on the way". */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EADDRNOTAVAIL',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
  'UND_ERR_SOCKET',
  'ERR_NETWORK',
]);
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_NODATA']);

interface ApiErrorLike {
  status: number;
  code?: unknown;
  message: string;
  id?: string;
  headers?: Record<string, unknown>;
}

function isApiError(e: unknown): e is ApiErrorLike {
  return (
    e instanceof Error &&
    e.name === 'KintoneRestAPIError' &&
    typeof (e as Partial<ApiErrorLike>).status === 'number'
  );
}

/** Retry-After in ms: delta-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: unknown, now = Date.now()): number | null {
  const raw = Array.isArray(value) ? value[0] : value;
  if (typeof raw === 'number' && Number.isFinite(raw) && raw >= 0) return Math.round(raw * 1000);
  if (typeof raw !== 'string' || raw.trim() === '') return null;
  const s = raw.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Math.round(Number(s) * 1000);
  const at = Date.parse(s);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now);
}

function header(headers: Record<string, unknown> | undefined, name: string): unknown {
  if (!headers) return undefined;
  const h = headers as { get?: (n: string) => unknown };
  if (typeof h.get === 'function') return h.get(name);
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key ? headers[key] : undefined;
}

function kindForStatus(status: number): CrmErrorKind {
  if (status === 429) return 'rate_limited';
  if (status === 409) return 'conflict';
  if (status === 401 || status === 403) return 'auth';
  if (status >= 500) return 'server';
  return 'rejected';
}

/** The socket/DNS code of an axios (or Node) error, looking through `cause`. */
export function networkCode(e: unknown): string | null {
  for (let cur: unknown = e, depth = 0; cur && depth < 4; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'ERR_BAD_RESPONSE' && code !== 'ERR_BAD_REQUEST') {
      return code;
    }
    cur = (cur as { cause?: unknown }).cause;
  }
  return null;
}

export function isDnsFailure(e: unknown): boolean {
  const code = networkCode(e);
  return code !== null && DNS_CODES.has(code);
}

/** What went wrong, in words for the agent's error detail; `what` names the operation. */
export function toCrmError(e: unknown, what: string): CrmError {
  if (e instanceof CrmError) return e;
  if (isApiError(e)) {
    const status = e.status;
    const code = typeof e.code === 'string' && e.code ? e.code : null;
    let kind = kindForStatus(status);
    if (code && SETTINGS_CODES.has(code)) kind = 'auth';
    else if (code && CONFLICT_CODES.has(code)) kind = 'conflict';
    else if (code && BUSY_CODES.has(code)) kind = 'server';
    // Older kintone answered every application error with 520: only the code tells.
    else if (status === 520) kind = code === 'CB_VA01' ? 'rejected' : 'server';
    // A 4xx whose JSON body has no kintone code did not come from kintone: never dead-letter.
    else if (!code && kind === 'rejected') kind = 'bad_reply';
    const retryAfterMs =
      kind === 'rate_limited' ? parseRetryAfter(header(e.headers, 'retry-after')) : null;
    const detail = code ? e.message : `HTTP ${status} with an error body that is not kintone's`;
    return new CrmError(kind, `kintone ${what}: ${detail}`, {
      status,
      crmCode: code,
      retryAfterMs,
    });
  }
  if (e instanceof Error) {
    // The client's message for an error status with a non-JSON body: "502: Bad Gateway".
    const plain = /^(\d{3}): ?(.*)$/.exec(e.message);
    if (plain) {
      const status = Number(plain[1]);
      const kind = kindForStatus(status);
      // A 4xx that is not kintone's JSON is not kintone refusing the item: do not dead-letter.
      const safe = kind === 'rejected' || kind === 'conflict' ? 'bad_reply' : kind;
      return new CrmError(
        safe,
        `kintone ${what}: HTTP ${status} ${plain[2] ?? ''} without a kintone error body (is the domain right?)`.trim(),
        { status },
      );
    }
    const code = networkCode(e);
    if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || /timeout/i.test(e.message)) {
      return new CrmError('timeout', `kintone ${what}: no reply in time`);
    }
    if (code && (NETWORK_CODES.has(code) || DNS_CODES.has(code) || code.startsWith('CERT_'))) {
      return new CrmError('network', `kintone ${what}: ${code} ${describeNetwork(code)}`.trim());
    }
    if (code && /^(ERR_TLS|UNABLE_TO|SELF_SIGNED|DEPTH_ZERO)/.test(code)) {
      return new CrmError('network', `kintone ${what}: TLS failed (${code})`);
    }
    if (/socket hang up|ECONNRESET|network/i.test(e.message)) {
      return new CrmError(
        'network',
        `kintone ${what}: connection lost (${e.message.slice(0, 120)})`,
      );
    }
    // Anything else came out of parsing a reply we did not expect (the client indexes into
    // bodies it assumes are kintone's).
    return new CrmError(
      'bad_reply',
      `kintone ${what}: unexpected reply (${e.message.slice(0, 200)})`,
    );
  }
  return new CrmError(
    'bad_reply',
    `kintone ${what}: unexpected failure (${String(e).slice(0, 200)})`,
  );
}

function describeNetwork(code: string): string {
  if (DNS_CODES.has(code)) return '(the domain name does not resolve)';
  if (code === 'ECONNREFUSED') return '(connection refused)';
  if (code === 'ECONNRESET' || code === 'EPIPE') return '(connection reset)';
  if (code.startsWith('CERT_')) return '(certificate problem)';
  return '';
}
