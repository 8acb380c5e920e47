// Keyboard shortcuts for call control. Agents live on the keyboard (and on headset buttons,
// handled in renderer/headset): one key, no modifier, never while typing into a field.
import type { MediaKey } from '../headset/media-keys';

export type Shortcut =
  | 'answer'
  | 'reject'
  | 'hangup'
  | 'hold'
  | 'mute'
  | 'keypad'
  | 'transfer'
  | 'conference'
  | 'nextLine'
  | 'dial'
  | 'talkTrack';

/** Key captions shown on the buttons; aria-keyshortcuts uses the DOM key names. */
export const SHORTCUTS: Record<Shortcut, { caps: readonly string[]; aria: string }> = {
  answer: { caps: ['Enter', 'A'], aria: 'Enter A' },
  reject: { caps: ['R', 'Esc'], aria: 'R Escape' },
  hangup: { caps: ['H'], aria: 'H' },
  hold: { caps: ['P'], aria: 'P' },
  mute: { caps: ['M'], aria: 'M' },
  keypad: { caps: ['K'], aria: 'K' },
  transfer: { caps: ['T'], aria: 'T' },
  conference: { caps: ['C'], aria: 'C' },
  nextLine: { caps: ['L'], aria: 'L' },
  dial: { caps: ['D'], aria: 'D' },
  /** Into the talk-track panel (talk-track/use-talk-track-key.ts); Alt+G from a field too. */
  talkTrack: { caps: ['G'], aria: 'G Alt+G' },
};

const LETTERS: Record<string, Shortcut> = {
  a: 'answer',
  r: 'reject',
  h: 'hangup',
  p: 'hold',
  m: 'mute',
  k: 'keypad',
  t: 'transfer',
  c: 'conference',
  l: 'nextLine',
  d: 'dial',
  g: 'talkTrack',
};

/** Elements that act on Enter themselves. */
const OWN_ENTER = 'button, a[href], summary, select, [role="button"], [role="link"]';
const TYPING = 'input, textarea, select, [contenteditable]:not([contenteditable="false"])';

function plainKey(e: KeyboardEvent): Element | null | false {
  if (e.defaultPrevented || e.repeat || e.isComposing) return false;
  if (e.ctrlKey || e.metaKey || e.altKey) return false;
  const target = e.target instanceof Element ? e.target : null;
  if (target?.closest(TYPING)) return false;
  return target;
}

export function shortcutFor(e: KeyboardEvent): Shortcut | null {
  const target = plainKey(e);
  if (target === false) return null;
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

/** A keypad key (0-9, *, #) pressed outside any text field, else null. */
export function dtmfKeyFor(e: KeyboardEvent): string | null {
  if (plainKey(e) === false) return null;
  if (/^[0-9*#]$/.test(e.key)) return e.key;
  // IME on: digits come as 'Process'; the physical key still tells which one.
  if (e.key === 'Process') {
    const m = /^(?:Digit|Numpad)([0-9])$/.exec(e.code);
    if (m?.[1]) return m[1];
    return e.code === 'NumpadMultiply' ? '*' : null;
  }
  return null;
}

/**
 * The Play/Pause media key (a keyboard's, or a Bluetooth headset's button reaching the window
 * as a key), else null. It types nothing, so it counts in a text field too — but never in the
 * middle of an IME composition.
 */
export function mediaKeyFor(e: KeyboardEvent): MediaKey | null {
  if (e.defaultPrevented || e.repeat || e.isComposing) return null;
  if (e.ctrlKey || e.metaKey || e.altKey || e.shiftKey) return null;
  return e.key === 'MediaPlayPause' ? 'playPause' : null;
}
