// Typed answers (text, number, date) as the engine takes them, checked on the screen first so
// the agent hears at once what is wrong — core checks again. Full-width digits (an IME left
// on) are read as digits.
import type { AnswerValue, TalkTrackQuestion } from '../../../preload/contract';

export type TypedQuestion = Extract<TalkTrackQuestion, { type: 'text' | 'number' | 'date' }>;

export type TypedProblem =
  | { key: 'talkTrack.invalid.empty' }
  | { key: 'talkTrack.invalid.tooLong'; max: number }
  | { key: 'talkTrack.invalid.number' }
  | { key: 'talkTrack.invalid.range'; min: number; max: number }
  | { key: 'talkTrack.invalid.min'; min: number }
  | { key: 'talkTrack.invalid.max'; max: number }
  | { key: 'talkTrack.invalid.date' };

export type TypedAnswer = { ok: true; value: AnswerValue } | { ok: false; problem: TypedProblem };

export const isTyped = (q: TalkTrackQuestion | null): q is TypedQuestion =>
  q?.type === 'text' || q?.type === 'number' || q?.type === 'date';

/** ０-９ → 0-9, and the full-width minus, dot and comma. */
export function halfWidth(text: string): string {
  return text
    .replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[－ー−]/g, '-')
    .replace(/[．]/g, '.')
    .replace(/[，、]/g, ',');
}

/** The field's text for an answer already given (after going back), else ''. */
export function answerText(value: AnswerValue | null): string {
  if (value === null || typeof value === 'boolean') return '';
  return String(value);
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function readTypedAnswer(q: TypedQuestion, raw: string): TypedAnswer {
  const text = raw.trim();
  if (text === '') return { ok: false, problem: { key: 'talkTrack.invalid.empty' } };
  switch (q.type) {
    case 'text':
      return [...text].length > q.maxLength
        ? { ok: false, problem: { key: 'talkTrack.invalid.tooLong', max: q.maxLength } }
        : { ok: true, value: text };
    case 'number': {
      const n = halfWidth(text).replace(/,/g, '');
      if (!/^-?\d+(?:\.\d+)?$/.test(n))
        return { ok: false, problem: { key: 'talkTrack.invalid.number' } };
      const value = Number(n);
      const { min, max } = q;
      if ((min !== null && value < min) || (max !== null && value > max)) {
        if (min !== null && max !== null)
          return { ok: false, problem: { key: 'talkTrack.invalid.range', min, max } };
        if (min !== null) return { ok: false, problem: { key: 'talkTrack.invalid.min', min } };
        if (max !== null) return { ok: false, problem: { key: 'talkTrack.invalid.max', max } };
      }
      return { ok: true, value };
    }
    case 'date': {
      const m = DATE.exec(text);
      if (!m) return { ok: false, problem: { key: 'talkTrack.invalid.date' } };
      const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
      const t = new Date(Date.UTC(y, mo - 1, d));
      const real = t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
      return real
        ? { ok: true, value: text }
        : { ok: false, problem: { key: 'talkTrack.invalid.date' } };
    }
  }
}
