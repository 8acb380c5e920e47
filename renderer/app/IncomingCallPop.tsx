import { useTranslation } from 'react-i18next';
import type { Call } from '../../preload/contract';
import { ActionErrorNote } from './ActionErrorNote';
import { CallButton } from './CallButton';
import { CallerIdentity } from './CallerIdentity';
import { CallStateBadge } from './CallStateBadge';
import { LastContacts } from './LastContacts';
import { OfferedScript } from './talk-track/OfferedScript';

/** The incoming-call pop: who is calling, what happened last time, answer or reject. */
export function IncomingCallPop({ call, waiting = false }: { call: Call; waiting?: boolean }) {
  const { t } = useTranslation();
  const titleId = `pop-title-${call.id}`;
  return (
    <section
      className="card pop"
      aria-labelledby={titleId}
      data-call-card
      data-call-id={call.id}
      data-testid="incoming-pop"
      data-waiting={waiting || undefined}
    >
      <header className="card-head">
        <h2 id={titleId} className="card-title">
          <span className="ring-dot" aria-hidden="true" />
          {waiting ? t('call.waiting') : t('call.incoming')}
        </h2>
        <CallStateBadge state={call.state} />
      </header>
      <CallerIdentity call={call} />
      <LastContacts entries={call.pop.lastContacts} />
      <OfferedScript callId={call.id} />
      <div className="call-buttons">
        <CallButton action="answer" callId={call.id} />
        <CallButton action="reject" callId={call.id} />
      </div>
      <ActionErrorNote callId={call.id} />
    </section>
  );
}
