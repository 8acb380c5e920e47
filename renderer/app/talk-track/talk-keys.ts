// The talk-track panel's keys. While the focus is inside the panel its keys act there and the
// event is preventDefault()ed, so the window's shortcuts (which skip handled events) do not act
// too. In an answer field only Enter, Escape and the Alt chords count: everything else is typing
// (and nothing at all while the IME composes Japanese).

export type TalkKey =
  | { kind: 'enter' }
  | { kind: 'escape' }
  | { kind: 'space' }
  | { kind: 'backspace' }
  /** Alt+ArrowLeft: back, even from a field. */
  | { kind: 'back' }
  /** Alt+C: confirm, even from a field. */
  | { kind: 'confirm' }
  | { kind: 'digit'; digit: number }
  | { kind: 'letter'; letter: string };

/** Fields where keys type text (a checkbox or a radio is not one). */
export const TYPING =
  'textarea, select, [contenteditable]:not([contenteditable="false"]), ' +
  'input:not([type="checkbox"]):not([type="radio"]):not([type="button"]):not([type="submit"])';

/** Elements that act on Enter and Space themselves. */
export const OWN_ACTIVATION = 'button, a[href], summary, [role="button"], [role="menuitemradio"]';

type KeyLike = Pick<
  KeyboardEvent,
  'key' | 'code' | 'altKey' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'repeat' | 'isComposing'
> & { keyCode?: number };

const FULL_WIDTH_DIGIT = /^[０-９]$/;

function digitOf(e: KeyLike): number | null {
  if (/^[0-9]$/.test(e.key)) return Number(e.key);
  if (FULL_WIDTH_DIGIT.test(e.key)) return e.key.charCodeAt(0) - 0xff10;
  // IME on: digits come as 'Process'; the physical key still tells which one.
  if (e.key === 'Process') {
    const m = /^(?:Digit|Numpad)([0-9])$/.exec(e.code);
    if (m?.[1]) return Number(m[1]);
  }
  return null;
}

function letterOf(e: KeyLike): string | null {
  if (/^[a-z]$/i.test(e.key)) return e.key.toLowerCase();
  // IME on (key 'Process') or a full-width letter: the physical key.
  if ((e.key === 'Process' || e.key.length === 1) && /^Key[A-Z]$/.test(e.code))
    return e.code.charAt(3).toLowerCase();
  return null;
}

/** The panel's reading of a key press; null = not one of its keys. */
export function readTalkKey(e: KeyLike, typing: boolean): TalkKey | null {
  if (e.isComposing || e.repeat) return null;
  if (e.ctrlKey || e.metaKey) return null;
  if (e.altKey) {
    if (e.key === 'ArrowLeft') return { kind: 'back' };
    if (e.code === 'KeyC') return { kind: 'confirm' };
    return null;
  }
  if (e.key === 'Escape') return { kind: 'escape' };
  // keyCode 229: the Enter that ends an IME composition (some engines clear isComposing first).
  if (e.key === 'Enter') return e.keyCode === 229 || e.shiftKey ? null : { kind: 'enter' };
  if (typing) return null;
  if (e.key === ' ' || e.key === 'Spacebar') return { kind: 'space' };
  if (e.key === 'Backspace') return { kind: 'backspace' };
  const digit = digitOf(e);
  if (digit !== null) return { kind: 'digit', digit };
  const letter = letterOf(e);
  return letter ? { kind: 'letter', letter } : null;
}

/** The keys as the legend (and the help) shows them: captions and what they do. */
export const TALK_KEYS = [
  [['G'], 'talkTrack.keys.focus'],
  [['1', '…', '9'], 'talkTrack.keys.choose'],
  [['Y', 'N'], 'talkTrack.keys.yesNo'],
  [['0', '…', '10'], 'talkTrack.keys.nps'],
  [['Enter'], 'talkTrack.keys.next'],
  [['⌫', 'Alt+←'], 'talkTrack.keys.back'],
  [['Space', 'C'], 'talkTrack.keys.confirm'],
  [['O', '1…9'], 'talkTrack.keys.objection'],
  [['Esc'], 'talkTrack.keys.close'],
  [['S'], 'talkTrack.keys.script'],
] as const;
