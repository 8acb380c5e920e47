// Who is calling, from the INVITE's identity headers. Everything here is foreign input from
// the network, so parsing is a hand-written linear scan (no backtracking regex on header
// text), output is sanitized for display, and nothing throws.
//
// Rules:
//  - P-Asserted-Identity (network-asserted, first value) wins over From; From's display name
//    is used when PAI carries none.
//  - Any sign of withheld identity makes the caller anonymous — user 'anonymous' (or
//    restricted/private/…), host anonymous.invalid, an 'Anonymous'/'非通知'-style display,
//    Privacy: id/user/header, or no user at all. An anonymous caller exposes nothing: raw
//    'anonymous', no number, no display name (the renderer shows its localized label).
//  - The number is the URI's user part (sip:/sips:) or the tel: number, without URI params
//    or visual separators, normalized to E.164 by normalizePhone (JP by default).
import type { CallerNumber } from '../../../preload/contract';
import { normalizePhone, toHalfWidth } from '../customers/phone-number';

export interface CallerIdInput {
  /** From: a URI or the whole header value (name-addr with display name) as received. */
  fromUri: string;
  /** From's display name when already split out (quoted or not). */
  fromDisplayName?: string;
  /** P-Asserted-Identity header value(s). */
  pAssertedIdentity?: string;
  /** Privacy header value. */
  privacy?: string;
}

const MAX_OUT = 64;
/** Longer input than this is not a real header; cut it before any work. */
const MAX_IN = 16 * 1024;

const ANONYMOUS: CallerNumber = {
  raw: 'anonymous',
  e164: null,
  display: 'Anonymous',
  anonymous: true,
  displayName: null,
};

const ANON_USERS = new Set(['anonymous', 'restricted', 'private', 'withheld', 'unavailable']);
const ANON_NAMES = new Set([
  'anonymous',
  'restricted',
  'private',
  'withheld',
  'unavailable',
  'unknown caller',
  '非通知',
  '匿名',
  '通知不可',
  '通知不可能',
  '表示圏外',
]);
const PRIVACY_HIDES = new Set(['id', 'user', 'header']);

// Invisible or direction-changing characters: controls (C0, DEL, C1), bidi marks/overrides/
// isolates, zero-width characters, BOM.
const INVISIBLE =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000E-\u001F\u007F-\u009F\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF]/g;
// Whitespace-like, collapsed to one space (incl. tab/newlines, ideographic space, LS/PS).
const SPACES = /[\s\u0085\u2028\u2029]+/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Printable, single-line, at most `max` code points; '' for nothing left. */
export function sanitizeText(input: string, max = MAX_OUT): string {
  const text = input
    .slice(0, 4096)
    .replace(LONE_SURROGATE, '')
    .normalize('NFC')
    .replace(INVISIBLE, '')
    .replace(SPACES, ' ')
    .trim();
  const cps = Array.from(text);
  return cps.length > max ? cps.slice(0, max).join('').trimEnd() : text;
}

interface NameAddr {
  display: string | null;
  uri: string;
}

/** Splits a header value on top-level commas (not inside quotes or <>). */
function firstValue(header: string): string {
  let inQuote = false;
  let inAngle = false;
  for (let i = 0; i < header.length; i++) {
    const c = header[i];
    if (inQuote) {
      if (c === '\\') i++;
      else if (c === '"') inQuote = false;
    } else if (c === '"') inQuote = true;
    else if (c === '<') inAngle = true;
    else if (c === '>') inAngle = false;
    else if (c === ',' && !inAngle) return header.slice(0, i);
  }
  return header;
}

/** Decodes a quoted-string body starting after the opening quote; end = index after closing. */
function readQuoted(s: string, start: number): { text: string; end: number } {
  let out = '';
  let i = start;
  while (i < s.length) {
    const c = s[i];
    if (c === '\\' && i + 1 < s.length) {
      out += s[i + 1];
      i += 2;
    } else if (c === '"') {
      return { text: out, end: i + 1 };
    } else {
      out += c;
      i++;
    }
  }
  return { text: out, end: s.length }; // unterminated: take what there is
}

/** name-addr ("Name" <uri>, Name <uri>) or addr-spec (bare uri); null when no URI is found. */
export function parseNameAddr(value: string): NameAddr | null {
  const s = value.slice(0, MAX_IN).trim();
  if (!s) return null;
  let display: string | null = null;
  let rest = s;
  if (s.startsWith('"')) {
    const q = readQuoted(s, 1);
    display = q.text;
    rest = s.slice(q.end);
  }
  const lt = rest.indexOf('<');
  if (lt >= 0) {
    if (display === null) display = rest.slice(0, lt).trim() || null;
    const gt = rest.indexOf('>', lt + 1);
    const uri = rest.slice(lt + 1, gt < 0 ? undefined : gt).trim();
    return uri ? { display, uri } : null;
  }
  if (display !== null) return null; // a quoted name with no <uri> is not an address
  return { display: null, uri: rest };
}

interface ParsedUri {
  scheme: string;
  /** User part / tel number, params removed, percent-decoded. */
  user: string;
  host: string;
  phoneContext: string | null;
}

function percentDecode(s: string): string {
  if (!s.includes('%')) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function param(params: string, name: string): string | null {
  for (const p of params.split(';')) {
    const eq = p.indexOf('=');
    if (eq > 0 && p.slice(0, eq).trim().toLowerCase() === name) return p.slice(eq + 1).trim();
  }
  return null;
}

export function parseUri(uri: string): ParsedUri | null {
  const u = uri.trim();
  const colon = u.indexOf(':');
  if (colon <= 0) return null;
  const scheme = u.slice(0, colon).toLowerCase();
  const rest = u.slice(colon + 1);
  if (scheme === 'tel') {
    const semi = rest.indexOf(';');
    const number = semi < 0 ? rest : rest.slice(0, semi);
    const params = semi < 0 ? '' : rest.slice(semi + 1);
    return {
      scheme,
      user: percentDecode(number),
      host: '',
      phoneContext: param(params, 'phone-context'),
    };
  }
  if (scheme !== 'sip' && scheme !== 'sips') return null;
  // userinfo ends at the first '@'; a user part may itself carry ';params' (e.g. ;npdi).
  const at = rest.indexOf('@');
  const userinfo = at < 0 ? '' : rest.slice(0, at);
  const hostport = at < 0 ? rest : rest.slice(at + 1);
  const userParams = userinfo.indexOf(';');
  const userPart = (userParams < 0 ? userinfo : userinfo.slice(0, userParams)).split(':')[0] ?? '';
  const host = (hostport.split(/[;?]/)[0] ?? '').toLowerCase();
  return {
    scheme,
    user: percentDecode(userPart),
    host: host.replace(/:\d+$/, ''),
    phoneContext: userParams < 0 ? null : param(userinfo.slice(userParams + 1), 'phone-context'),
  };
}

const VISUAL_SEPARATORS = /[\s\-.()\u00A0\u3000]/g;
const DIALLABLE = /^\+?[0-9*#]+$/;

function phoneFromUser(
  user: string,
  context: string | null,
): { e164: string | null; display: string } | null {
  const digits = toHalfWidth(user).replace(VISUAL_SEPARATORS, '');
  if (!DIALLABLE.test(digits)) return null;
  if (!digits.startsWith('+') && context && /^\+\d{1,6}$/.test(context)) {
    const global = normalizePhone(context + digits.replace(/^0/, ''));
    if (global.e164) return global;
  }
  const n = normalizePhone(digits);
  return n.e164 ? n : { e164: null, display: digits };
}

function decodeDisplay(name: string | undefined | null): string | null {
  if (name == null) return null;
  const t = name.slice(0, MAX_IN).trim();
  const decoded = t.startsWith('"') ? readQuoted(t, 1).text : t;
  return sanitizeText(decoded) || null;
}

function privacyHides(privacy: string | undefined): boolean {
  if (!privacy) return false;
  return privacy
    .slice(0, 256)
    .split(/[;,\s]+/)
    .some((t) => PRIVACY_HIDES.has(t.trim().toLowerCase()));
}

function isAnonymousUri(u: ParsedUri): boolean {
  return (
    u.host === 'anonymous.invalid' ||
    ANON_USERS.has(u.user.trim().toLowerCase()) ||
    u.user.trim() === ''
  );
}

function isAnonymousName(name: string | null): boolean {
  return name !== null && ANON_NAMES.has(name.toLowerCase());
}

export function parseCallerId(input: CallerIdInput): CallerNumber {
  try {
    return parse(input);
  } catch {
    // Defensive: nothing above should throw, but a pop must never fail on a header.
    const raw = sanitizeText(String(input?.fromUri ?? ''));
    return { raw, e164: null, display: raw, anonymous: raw === '', displayName: null };
  }
}

function parse(input: CallerIdInput): CallerNumber {
  const fromValue = typeof input.fromUri === 'string' ? input.fromUri : '';
  const from = parseNameAddr(fromValue);
  const fromUri = from ? parseUri(from.uri) : null;
  const paiAddr = input.pAssertedIdentity
    ? parseNameAddr(firstValue(input.pAssertedIdentity))
    : null;
  const paiUri = paiAddr ? parseUri(paiAddr.uri) : null;

  const fromName = decodeDisplay(input.fromDisplayName ?? from?.display);
  const paiName = decodeDisplay(paiAddr?.display);
  const displayName = paiUri && paiName ? paiName : fromName;

  if (
    privacyHides(input.privacy) ||
    (fromUri && isAnonymousUri(fromUri)) ||
    (paiUri && isAnonymousUri(paiUri)) ||
    isAnonymousName(fromName) ||
    isAnonymousName(paiName)
  ) {
    return { ...ANONYMOUS };
  }

  const identity = paiUri ?? fromUri;
  if (!identity) {
    // Not a sip:/tel: URI: a bare number still counts; anything else is kept as a printable
    // trace of what came (the whole value: where a name would end is anyone's guess).
    const raw = sanitizeText(fromValue);
    if (!raw) return { ...ANONYMOUS };
    const name = decodeDisplay(input.fromDisplayName);
    const phone = phoneFromUser(raw, null);
    if (phone?.e164) {
      return { raw, e164: phone.e164, display: phone.display, anonymous: false, displayName: name };
    }
    return { raw, e164: null, display: raw, anonymous: false, displayName: name };
  }

  const raw = sanitizeText(identity.user);
  const phone = phoneFromUser(identity.user, identity.phoneContext);
  if (phone?.e164) {
    return { raw, e164: phone.e164, display: phone.display, anonymous: false, displayName };
  }
  return { raw, e164: null, display: raw, anonymous: false, displayName };
}
