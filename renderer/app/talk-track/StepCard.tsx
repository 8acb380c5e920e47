// The current step, large: what to say and what to ask, whether it is required (and its
// confirmation), how to answer, the end's result and next action, back and next.
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { TalkTrack } from '../../../preload/contract';
import { AnswerControls } from './AnswerControls';
import { ConfirmControl } from './ConfirmControl';
import { EndStep } from './EndStep';
import { isTyped } from './typed-answer';
import type { StepMoves } from './use-step-moves';

export function StepCard({
  callId,
  track,
  moves,
  npsTyped,
}: {
  callId: string;
  track: TalkTrack;
  moves: StepMoves;
  npsTyped: string;
}) {
  const { t } = useTranslation();
  const id = useId();
  const step = track.step;
  const q = step.question;
  const objectionOpen = step.objection !== null;
  const blocked = step.mandatory && !step.confirmed;
  const locked = blocked || objectionOpen;
  const field = isTyped(q) && !objectionOpen;
  const forward =
    !locked &&
    step.kind !== 'end' &&
    (step.canAdvance ||
      (isTyped(q) && moves.typed.trim() !== '') ||
      (q?.type === 'nps' && npsTyped !== ''));
  return (
    <section
      className="talk-step"
      data-testid="talk-step"
      data-step-id={step.stepId}
      data-kind={step.kind}
      data-mandatory={step.mandatory || undefined}
      data-confirmed={step.confirmed || undefined}
      data-talk-focus={field || objectionOpen ? undefined : ''}
      tabIndex={-1}
      aria-labelledby={`${id}-text`}
      aria-describedby={blocked ? `${id}-required` : undefined}
    >
      <div className="talk-step-head">
        <span className="talk-kind" data-kind={step.kind}>
          {t(`talkTrack.kind.${step.kind}`)}
        </span>
        <span className="muted">{t('talkTrack.position', { n: track.position })}</span>
        {step.mandatory && (
          <span
            className="talk-badge"
            data-testid="talk-mandatory"
            data-confirmed={step.confirmed || undefined}
          >
            {step.confirmed ? `✓ ${t('talkTrack.confirmed')}` : t('talkTrack.mandatory')}
          </span>
        )}
      </div>
      <div id={`${id}-text`} className="talk-text">
        {step.say && <p className="talk-say">{step.say}</p>}
        {step.ask && <p className="talk-ask">{step.ask}</p>}
      </div>
      {step.mandatory && (
        <>
          {blocked && (
            <p id={`${id}-required`} className="sr-only">
              {t('talkTrack.mandatoryHint')}
            </p>
          )}
          <ConfirmControl
            text={step.confirmText}
            confirmed={step.confirmed}
            onConfirm={moves.confirm}
          />
        </>
      )}
      {q && (
        <AnswerControls
          step={step}
          question={q}
          moves={moves}
          npsTyped={npsTyped}
          locked={locked}
        />
      )}
      {step.kind === 'end' && step.end && <EndStep callId={callId} end={step.end} />}
      <div className="talk-nav">
        <button
          type="button"
          className="btn btn-secondary talk-back"
          data-testid="talk-back"
          aria-keyshortcuts="Backspace Alt+ArrowLeft"
          disabled={!step.canGoBack}
          onClick={moves.back}
        >
          {t('talkTrack.back')}
          <span className="keys" aria-hidden="true">
            <kbd>⌫</kbd>
            <kbd>Alt+←</kbd>
          </span>
        </button>
        {step.kind !== 'end' && (
          <button
            type="button"
            className="btn btn-complete talk-next"
            data-testid="talk-next"
            aria-keyshortcuts="Enter"
            disabled={!forward}
            onClick={() => moves.next(npsTyped)}
          >
            {t('talkTrack.next')}
            <span className="keys" aria-hidden="true">
              <kbd>Enter</kbd>
            </span>
          </button>
        )}
      </div>
    </section>
  );
}
