// The panel's keys as read from key events (IME on or off), and typed answers as read from
// what the agent typed (full-width digits, ranges, real dates, lengths in characters).
import { describe, expect, it } from 'vitest';
import { readTalkKey } from '../../../../renderer/app/talk-track/talk-keys';
import { readTypedAnswer } from '../../../../renderer/app/talk-track/typed-answer';

const key = (over: Partial<Parameters<typeof readTalkKey>[0]>) => ({
  key: '',
  code: '',
  altKey: false,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  repeat: false,
  isComposing: false,
  ...over,
});

describe('panel keys', () => {
  it('reads digits and letters with the IME on or off', () => {
    expect(readTalkKey(key({ key: '3', code: 'Digit3' }), false)).toEqual({
      kind: 'digit',
      digit: 3,
    });
    expect(readTalkKey(key({ key: '３' }), false)).toEqual({ kind: 'digit', digit: 3 });
    expect(readTalkKey(key({ key: 'Process', code: 'Numpad7' }), false)).toEqual({
      kind: 'digit',
      digit: 7,
    });
    expect(readTalkKey(key({ key: 'Process', code: 'KeyY' }), false)).toEqual({
      kind: 'letter',
      letter: 'y',
    });
    expect(readTalkKey(key({ key: 'N', code: 'KeyN', shiftKey: true }), false)).toEqual({
      kind: 'letter',
      letter: 'n',
    });
  });

  it('in a field only Enter, Escape and the Alt chords count; nothing while composing', () => {
    expect(readTalkKey(key({ key: 'y', code: 'KeyY' }), true)).toBeNull();
    expect(readTalkKey(key({ key: 'Backspace' }), true)).toBeNull();
    expect(readTalkKey(key({ key: 'Enter' }), true)).toEqual({ kind: 'enter' });
    expect(readTalkKey(key({ key: 'Enter', isComposing: true }), true)).toBeNull();
    expect(readTalkKey({ ...key({ key: 'Enter' }), keyCode: 229 }, true)).toBeNull();
    expect(readTalkKey(key({ key: 'ArrowLeft', altKey: true }), true)).toEqual({ kind: 'back' });
    expect(readTalkKey(key({ key: 'ç', code: 'KeyC', altKey: true }), true)).toEqual({
      kind: 'confirm',
    });
    expect(readTalkKey(key({ key: 'c', code: 'KeyC', ctrlKey: true }), false)).toBeNull();
    expect(readTalkKey(key({ key: '1', repeat: true }), false)).toBeNull();
  });
});

describe('typed answers', () => {
  it('numbers: full-width digits and separators, and the range', () => {
    const q = { type: 'number' as const, min: 1, max: 99 };
    expect(readTypedAnswer(q, ' １２ ')).toEqual({ ok: true, value: 12 });
    expect(readTypedAnswer(q, '1,0')).toEqual({ ok: true, value: 10 });
    expect(readTypedAnswer(q, '120')).toEqual({
      ok: false,
      problem: { key: 'talkTrack.invalid.range', min: 1, max: 99 },
    });
    expect(readTypedAnswer(q, 'twelve')).toEqual({
      ok: false,
      problem: { key: 'talkTrack.invalid.number' },
    });
    expect(readTypedAnswer({ type: 'number', min: null, max: 5 }, '６')).toEqual({
      ok: false,
      problem: { key: 'talkTrack.invalid.max', max: 5 },
    });
  });

  it('dates must exist; texts count characters, not code units', () => {
    expect(readTypedAnswer({ type: 'date' }, '2025-02-29').ok).toBe(false);
    expect(readTypedAnswer({ type: 'date' }, '2024-02-29')).toEqual({
      ok: true,
      value: '2024-02-29',
    });
    expect(readTypedAnswer({ type: 'text', maxLength: 2 }, '𠮷野')).toEqual({
      ok: true,
      value: '𠮷野',
    });
    expect(readTypedAnswer({ type: 'text', maxLength: 2 }, '𠮷野家').ok).toBe(false);
    expect(readTypedAnswer({ type: 'text', maxLength: 2 }, '   ')).toEqual({
      ok: false,
      problem: { key: 'talkTrack.invalid.empty' },
    });
  });
});
