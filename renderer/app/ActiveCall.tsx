import { useTranslation } from 'react-i18next';
import type { Call } from '../../preload/contract';
import { ActionErrorNote } from './ActionErrorNote';
import { CallButton } from './CallButton';
import { CallerIdentity } from './CallerIdentity';
import { CallStateBadge } from './CallStateBadge';
import { CallTimer } from './CallTimer';

/** The call in progress (or just ended): who, how long, hang up. */
export function ActiveCall({ call }: { call: Call }) {
  const { t } = useTranslation();
  const ended = call.state === 'ended';
  const titleId = `call-title-${call.id}`;
  return (
    <section
      className="card active-call"
      aria-labelledby={titleId}
      data-call-card
      data-call-id={call.id}
      data-state={call.state}
      data-testid="active-call"
    >
      <header className="card-head">
        <h2 id={titleId} className="card-title">
          {call.direction === 'outbound' ? t('call.outgoing') : t('call.current')}
        </h2>
        <CallStateBadge state={call.state} />
      </header>
      <CallerIdentity call={call} />
      <div className="call-meta">
        <span className="muted">{t('call.talkTime')}</span>
        {call.answeredAt !== null ? (
          <CallTimer from={call.answeredAt} until={call.endedAt} />
        ) : (
          <span className="call-timer muted">–:––</span>
        )}
      </div>
      {ended && call.outcome && (
        // The outcome is shown in the agent's language; core's reason text (English, for
        // logs and support) is kept as the tooltip.
        <p className="muted end-reason" title={call.endReason ?? undefined}>
          {t('call.endReason', { reason: t(`outcome.${call.outcome}`) })}
        </p>
      )}
      <div className="call-buttons">
        <CallButton action="hangup" callId={call.id} disabled={ended} />
      </div>
      <ActionErrorNote callId={call.id} />
    </section>
  );
}
