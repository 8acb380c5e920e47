// Phone numbers are keyed by E.164. Japanese agents and CRMs write numbers every way there
// is (03-1234-5678, (03)1234-5678, full-width digits, +81 …), so normalize once, here.
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

export interface NormalizedPhone {
  /** +819012345678, or null when the input is not a valid phone number. */
  e164: string | null;
  /** What to show the agent: national format for the default country, international otherwise. */
  display: string;
}

// \u3000 is the ideographic (full-width) space.
const FULLWIDTH = /[０-９＋－（）\u3000ー−‐﹣]/g;
const FULLWIDTH_MAP: Record<string, string> = {
  '＋': '+',
  '－': '-',
  ー: '-',
  '−': '-',
  '‐': '-',
  '﹣': '-',
  '（': '(',
  '）': ')',
  '　': ' ',
};

/** Full-width digits and punctuation to ASCII. */
export function toHalfWidth(raw: string): string {
  return raw.replace(FULLWIDTH, (ch) => {
    const code = ch.charCodeAt(0);
    if (code >= 0xff10 && code <= 0xff19) return String.fromCharCode(code - 0xff10 + 0x30);
    return FULLWIDTH_MAP[ch] ?? ch;
  });
}

export function normalizePhone(raw: string, defaultCountry: CountryCode = 'JP'): NormalizedPhone {
  const text = toHalfWidth(raw).trim().slice(0, 64);
  const cleaned = text
    // CRMs write extensions the Japanese way, 03-1234-5678（内線12）; libphonenumber reads "ext.".
    .replace(/\s*\(?\s*内線\s*(\d+)\s*\)?/g, ' ext. $1')
    .trim()
    // International prefix dialled from Japan (010) and SIP's 00 prefix mean "+".
    .replace(/^(?:010|00)(?=[1-9])/, '+');
  const parsed = parsePhoneNumberFromString(cleaned, defaultCountry);
  if (!parsed || !parsed.isValid()) return { e164: null, display: text };
  return {
    e164: parsed.number,
    display:
      parsed.country === defaultCountry ? parsed.formatNational() : parsed.formatInternational(),
  };
}

// Bulk loads (the first CRM sync: a million customers) cannot afford a full libphonenumber
// parse per number (~35 µs). Japanese numbers written nationally (03-1234-5678,
// 090-1234-5678) make up nearly all CRM data; whether one is valid depends only on its
// leading digits and its length, so the verdict is memoized per (first 6 digits, length)
// block and the E.164 form is +81 plus the digits after the trunk 0. Anything else goes
// through normalizePhone. A property test checks this path agrees with libphonenumber.
// Not 00… or 010…: those are international prefixes (normalizePhone reads them as "+").
const JP_NATIONAL = /^0(?!0|10)\d{9,10}$/;
const SEPARATORS = /[-\s().]/g;
const blockVerdicts = new Map<string, boolean>();

/** E.164 of `raw`, or null when it is not a valid number. Same answer as normalizePhone. */
export function toE164(raw: string): string | null {
  const digits = raw.replace(SEPARATORS, '');
  if (!JP_NATIONAL.test(digits)) return normalizePhone(raw).e164;
  const block = `${digits.slice(0, 6)}:${digits.length}`;
  let valid = blockVerdicts.get(block);
  if (valid === undefined) {
    valid = normalizePhone(digits).e164 !== null;
    blockVerdicts.set(block, valid);
  }
  return valid ? `+81${digits.slice(1)}` : null;
}
