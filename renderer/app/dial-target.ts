// What the agent typed into a number field: any Japanese way of writing a number (full-width
// digits, ＋, ー or － as dashes, brackets, ideographic spaces) or a SIP URI. main normalizes to E.164;
// here it is only cleaned up and checked against the contract's rule before sending.
const FULL_WIDTH = /[０-９＋＊＃（）－ー\u3000]/g;
const MAP: Record<string, string> = {
  '＋': '+',
  '＊': '*',
  '＃': '#',
  '（': '(',
  '）': ')',
  '－': '-',
  ー: '-',
  '\u3000': ' ',
};

export function toHalfWidth(s: string): string {
  return s.replace(FULL_WIDTH, (c) =>
    c >= '０' && c <= '９' ? String.fromCharCode(c.charCodeAt(0) - 0xfee0) : (MAP[c] ?? c),
  );
}

/** The target to send to api.dial / transfers, or null when it is not dialable. */
export function dialTarget(input: string): string | null {
  const s = toHalfWidth(input).trim();
  if (!s || s.length > 128) return null;
  if (/^sips?:[^\s<>"]+$/i.test(s)) return s;
  if (!/^[0-9+*#().\-\s]+$/.test(s)) return null;
  return /[0-9*#]/.test(s) ? s : null;
}
