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
