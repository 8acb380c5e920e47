// Fills the {{customer.name}}-style variables of a talk-track text from the call's data.
// A variable with no value renders as a visible empty-marker, never as "undefined" or "null",
// so the agent sees at once that something is not known. Escaping for the screen is not this
// module's business: the renderer shows the result as text.

/** What a missing (null, undefined, blank) value renders as. */
export const EMPTY_MARK = '—';

/** Values by variable name: { 'customer.name': '山田 太郎', 'customer.purchaseCount': 3 }. */
export type TextVariables = Readonly<Record<string, string | number | null | undefined>>;

// {{ name }} or {{name}}: a dotted name of identifier parts (after the first, dashes too:
// step ids may hold them, as in {{answers.ask-size}}). Anything else between braces is left
// alone (the validator reports malformed braces).
const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_-]*)*)\s*\}\}/g;

/** The text with every {{variable}} replaced by its value, or by `empty` when it has none. */
export function fillText(text: string, vars: TextVariables, empty: string = EMPTY_MARK): string {
  return text.replace(PLACEHOLDER, (_match, name: string) => {
    const value = Object.hasOwn(vars, name) ? vars[name] : undefined;
    if (value === null || value === undefined) return empty;
    if (typeof value === 'number') return Number.isFinite(value) ? String(value) : empty;
    return value.trim() === '' ? empty : value;
  });
}

/** The variable names a text uses, in order of first use (for checks and tests). */
export function placeholders(text: string): string[] {
  const names: string[] = [];
  for (const m of text.matchAll(PLACEHOLDER)) {
    const name = m[1]!;
    if (!names.includes(name)) names.push(name);
  }
  return names;
}
