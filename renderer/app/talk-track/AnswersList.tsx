// The answers so far, in the order given: the question as asked and the answer as read back.
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { ScriptAnswer } from '../../../preload/contract';

export function AnswersList({
  answers,
  currentStepId,
}: {
  answers: readonly ScriptAnswer[];
  currentStepId: string;
}) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <section className="talk-answers" aria-labelledby={id}>
      <h3 id={id} className="subhead">
        {t('talkTrack.answers')}
        <span className="count">{answers.length}</span>
      </h3>
      {answers.length === 0 ? (
        <p className="muted">{t('talkTrack.noAnswers')}</p>
      ) : (
        <ol className="talk-answer-list" data-testid="talk-answers">
          {answers.map((a) => (
            <li
              key={a.stepId}
              className="talk-answer"
              data-testid={`talk-answer-${a.stepId}`}
              aria-current={a.stepId === currentStepId ? 'step' : undefined}
            >
              <span className="talk-answer-q">{a.question}</span>
              <span className="talk-answer-a">{a.display}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
