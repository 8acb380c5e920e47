// Keyboard shortcuts for call control. Agents live on the keyboard (and on headset buttons,
// handled in renderer/headset): one key, no modifier, never while typing into a field.
export type Shortcut = 'answer' | 'reject' | 'hangup';

/** Key captions shown on the buttons; aria-keyshortcuts uses the DOM key names. */
export const SHORTCUTS: Record<Shortcut, { caps: readonly string[]; aria: string }> = {
  answer: { caps: ['Enter', 'A'], aria: 'Enter A' },
  reject: { caps: ['R', 'Esc'], aria: 'R Escape' },
  hangup: { caps: ['H'], aria: 'H' },
};

const LETTERS: Record<string, Shortcut> = { a: 'answer', r: 'reject', h: 'hangup' };

/** Elements that act on Enter themselves. */
const OWN_ENTER = 'button, a[href], summary, select, [role="button"], [role="link"]';

export function shortcutFor(e: KeyboardEvent): Shortcut | null {
  if (e.defaultPrevented || e.repeat || e.isComposing) return null;
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  const target = e.target instanceof Element ? e.target : null;
  if (target?.closest('input, textarea, select, [contenteditable]:not([contenteditable="false"])'))
    return null;
  if (e.key === 'Escape') return 'reject';
  if (e.key === 'Enter') {
    // A focused call button does what it says. Anywhere else a ringing call's Enter answers:
    // focus left on, say, the language switch must not swallow it.
    return target?.closest(OWN_ENTER)?.closest('[data-call-card]') ? null : 'answer';
  }
  // With a Japanese IME switched on, letters arrive as key 'Process': fall back to the
  // physical key so the shortcuts work in either input mode.
  const letter =
    e.key.length === 1
      ? e.key.toLowerCase()
      : e.key === 'Process' && /^Key[A-Z]$/.test(e.code)
        ? e.code.charAt(3).toLowerCase()
        : '';
  return LETTERS[letter] ?? null;
}
