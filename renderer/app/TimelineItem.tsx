import { useTranslation } from 'react-i18next';
import type { TimelineEntry } from '../../preload/contract';
import { useAgent } from './agent-context';
import { formatDuration, formatStamp } from './format';
import { KIND_ICON } from './interaction-kind';
import { QualityMeter } from './QualityMeter';

/**
 * One contact: a call (direction, when, outcome, duration, quality, and its talk-track answers
 * folded under it) or another channel's entry from the CRM (its kind, when, and its one-line
 * summary).
 */
export function TimelineItem({ entry, now }: { entry: TimelineEntry; now: number }) {
  const { t } = useTranslation();
  const locale = useAgent((s) => s.locale);
  const outcome = entry.outcome ?? 'pending';
  const summary = entry.summary?.trim() || null;
  // A call logged elsewhere may come with a summary and no outcome: show what it says.
  const callColumns = entry.kind === 'call' && (entry.outcome !== null || !summary);
  return (
    <li
      className="tl-item"
      data-testid="timeline-item"
      data-entry-id={entry.id}
      data-kind={entry.kind}
      data-direction={entry.direction}
      data-outcome={outcome}
    >
      {entry.kind === 'call' ? (
        <span className="tl-dir" data-direction={entry.direction}>
          <span className="tl-arrow" aria-hidden="true">
            {entry.direction === 'inbound' ? '↙' : '↗'}
          </span>
          {t(`direction.${entry.direction}`)}
        </span>
      ) : (
        <span
          className="tl-kind"
          data-kind={entry.kind}
          data-direction={entry.direction}
          title={t(`direction.${entry.direction}`)}
        >
          <span className="tl-icon" aria-hidden="true">
            {KIND_ICON[entry.kind]}
          </span>
          {t(`kind.${entry.kind}`)}
        </span>
      )}
      <time className="tl-when" dateTime={new Date(entry.startedAt).toISOString()}>
        {formatStamp(entry.startedAt, locale, now)}
      </time>
      {callColumns ? (
        <>
          <span className="outcome" data-outcome={outcome}>
            {t(`outcome.${outcome}`)}
          </span>
          <span className="tl-dur">
            {entry.durationSec !== null && entry.durationSec > 0
              ? formatDuration(entry.durationSec, locale)
              : ''}
          </span>
          <span className="tl-quality">
            <QualityMeter quality={entry.quality} testId="timeline-quality" />
          </span>
          {summary && (
            <span
              className="tl-summary tl-summary-line"
              data-testid="timeline-summary"
              title={summary}
            >
              {summary}
            </span>
          )}
        </>
      ) : (
        <span className="tl-summary" data-testid="timeline-summary" title={summary ?? undefined}>
          {summary ?? ''}
        </span>
      )}
      {entry.answers && entry.answers.length > 0 && <TimelineAnswers answers={entry.answers} />}
    </li>
  );
}

/** The call's talk-track answers: one line to open, question and answer per row. */
function TimelineAnswers({ answers }: { answers: NonNullable<TimelineEntry['answers']> }) {
  const { t } = useTranslation();
  return (
    <details className="tl-answers" data-testid="timeline-answers">
      <summary>{t('timeline.answers', { n: answers.length })}</summary>
      <dl>
        {answers.map((a, i) => (
          <div key={i} className="tl-answer" data-testid="timeline-answer">
            <dt>{a.question}</dt>
            <dd>{a.answer}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}
