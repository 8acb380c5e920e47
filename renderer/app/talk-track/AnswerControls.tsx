// How the current question is answered: a button per choice (1–9), yes / no (Y / N), the NPS
// scale (0–10: click, or type the score and Enter), or a field for text, a number or a date
// (Enter takes it). The answer given earlier (after going back) shows as chosen.
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { TalkTrackQuestion, TalkTrackStep } from '../../../preload/contract';
import type { StepMoves } from './use-step-moves';
import type { TypedQuestion } from './typed-answer';

const NPS = Array.from({ length: 11 }, (_, i) => i);

export function AnswerControls({
  step,
  question,
  moves,
  npsTyped,
  locked,
}: {
  step: TalkTrackStep;
  question: TalkTrackQuestion;
  moves: StepMoves;
  npsTyped: string;
  /** A required confirmation or an open objection: nothing may be answered yet. */
  locked: boolean;
}) {
  const { t } = useTranslation();
  switch (question.type) {
    case 'choice':
      return (
        <div className="talk-choices" role="group" aria-label={step.ask ?? undefined}>
          {question.options.map((o, i) => (
            <button
              key={o.value}
              type="button"
              className="talk-choice"
              data-testid={`talk-choice-${o.value}`}
              aria-pressed={step.answer === o.value}
              aria-keyshortcuts={i < 9 ? String(i + 1) : undefined}
              disabled={locked}
              onClick={() => moves.answer(o.value)}
            >
              {i < 9 && <kbd aria-hidden="true">{i + 1}</kbd>}
              <span>{o.label}</span>
            </button>
          ))}
        </div>
      );
    case 'yes_no':
      return (
        <div className="talk-choices talk-yes-no" role="group" aria-label={step.ask ?? undefined}>
          {([true, false] as const).map((v) => (
            <button
              key={String(v)}
              type="button"
              className="talk-choice"
              data-testid={`talk-choice-${v ? 'yes' : 'no'}`}
              aria-pressed={step.answer === v}
              aria-keyshortcuts={v ? 'Y' : 'N'}
              disabled={locked}
              onClick={() => moves.answer(v)}
            >
              <kbd aria-hidden="true">{v ? 'Y' : 'N'}</kbd>
              <span>{v ? t('talkTrack.yes') : t('talkTrack.no')}</span>
            </button>
          ))}
        </div>
      );
    case 'nps': {
      const shown = npsTyped !== '' ? Number(npsTyped) : step.answer;
      return (
        <div className="talk-nps">
          <div className="talk-nps-scale" role="group" aria-label={step.ask ?? undefined}>
            {NPS.map((n) => (
              <button
                key={n}
                type="button"
                className="talk-nps-btn"
                data-testid={`talk-choice-${n}`}
                data-typed={npsTyped !== '' && Number(npsTyped) === n ? '' : undefined}
                aria-pressed={shown === n}
                disabled={locked}
                onClick={() => moves.answer(n)}
              >
                {n}
              </button>
            ))}
          </div>
          <div className="talk-nps-ends muted" aria-hidden="true">
            <span>{t('talkTrack.npsLow')}</span>
            <span>{t('talkTrack.npsHigh')}</span>
          </div>
          <p className="talk-nps-typed" role="status" data-testid="talk-nps-typed">
            {npsTyped !== '' ? t('talkTrack.npsTyped', { n: npsTyped }) : ''}
          </p>
        </div>
      );
    }
    default:
      return <TypedField question={question} moves={moves} focusable={!step.objection} />;
  }
}

function TypedField({
  question,
  moves,
  focusable,
}: {
  question: TypedQuestion;
  moves: StepMoves;
  /** Takes the panel's focus (not while an objection is open). */
  focusable: boolean;
}) {
  const { t } = useTranslation();
  const id = useId();
  const length = [...moves.typed].length;
  const hint =
    question.type === 'text'
      ? t('talkTrack.chars', { n: length, max: question.maxLength })
      : question.type === 'number'
        ? question.min !== null && question.max !== null
          ? t('talkTrack.range', { min: question.min, max: question.max })
          : question.min !== null
            ? t('talkTrack.rangeMin', { min: question.min })
            : question.max !== null
              ? t('talkTrack.rangeMax', { max: question.max })
              : ''
        : '';
  const over = question.type === 'text' && length > question.maxLength;
  return (
    <div className="talk-field">
      <label className="field-label" htmlFor={id}>
        {t('talkTrack.answerLabel')}
      </label>
      <input
        id={id}
        className="field talk-input"
        data-testid="talk-input"
        data-talk-focus={focusable ? '' : undefined}
        type={question.type === 'date' ? 'date' : 'text'}
        inputMode={question.type === 'number' ? 'decimal' : undefined}
        autoComplete="off"
        placeholder={
          question.type === 'text'
            ? t('talkTrack.textPlaceholder')
            : question.type === 'number'
              ? t('talkTrack.numberPlaceholder')
              : undefined
        }
        aria-describedby={hint ? `${id}-hint` : undefined}
        aria-invalid={over || undefined}
        value={moves.typed}
        onChange={(e) => moves.setTyped(e.target.value)}
      />
      {hint && (
        <span id={`${id}-hint`} className="talk-field-hint" data-over={over || undefined}>
          {hint}
        </span>
      )}
    </div>
  );
}
