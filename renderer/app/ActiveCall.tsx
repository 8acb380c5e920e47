import { useTranslation } from 'react-i18next';
import type { Call } from '../../preload/contract';
import { ActionErrorNote } from './ActionErrorNote';
import { useActions, useAgent } from './agent-context';
import { callFailure } from './call-failure';
import { callWho } from './call-who';
import { CallButton } from './CallButton';
import { CallControls } from './CallControls';
import { CallerIdentity } from './CallerIdentity';
import { CallStateBadge } from './CallStateBadge';
import { CallTimer } from './CallTimer';
import { Keypad } from './Keypad';
import { QualityMeter } from './QualityMeter';
import { TransferPanel, TransferStatus } from './TransferPanel';

/** The call in progress (or just ended): who, how long, its state and every control. */
export function ActiveCall({ call }: { call: Call }) {
  const { t } = useTranslation();
  const ended = call.state === 'ended';
  const live = call.state === 'active';
  const titleId = `call-title-${call.id}`;
  const keypadOpen = useAgent((s) => s.keypadOpen);
  const transferOpen = useAgent((s) => s.transferOpen);
  const localQuality = useAgent((s) => s.quality[call.id]);
  const original = useAgent((s) => (call.consultFor ? s.calls[call.consultFor] : undefined));
  const quality = live ? (localQuality ?? call.quality) : null;
  const hold = call.onHold ? 'local' : call.remoteHold ? 'remote' : null;
  return (
    <section
      className="card active-call"
      aria-labelledby={titleId}
      data-call-card
      data-call-id={call.id}
      data-state={call.state}
      data-hold={hold ?? undefined}
      data-testid="active-call"
    >
      <header className="card-head">
        <h2 id={titleId} className="card-title">
          {call.consultFor
            ? t('transfer.title')
            : call.direction === 'outbound'
              ? t('call.outgoing')
              : t('call.current')}
        </h2>
        <span className="badges">
          {call.conferenceId && !ended && (
            <span className="flag" data-flag="conference" data-testid="conference-state">
              {t('call.inConference')}
            </span>
          )}
          {call.muted && !ended && (
            <span className="flag" data-flag="muted" data-testid="mute-state">
              {t('call.muted')}
            </span>
          )}
          {hold && !ended && (
            <span className="flag" data-flag={`hold-${hold}`} data-testid="hold-state">
              {hold === 'local' ? t('call.onHold') : t('call.remoteHold')}
            </span>
          )}
          <CallStateBadge state={call.state} direction={call.direction} />
        </span>
      </header>
      {call.consultFor && (
        <p className="consult-for" data-testid="consult-for">
          {t('transfer.consultFor', { who: original ? callWho(original, t) : call.consultFor })}
        </p>
      )}
      <CallerIdentity call={call} />
      {call.direction === 'outbound' &&
        (call.state === 'connecting' || call.state === 'ringing') && (
          <p className="progress-line" data-testid="outbound-progress" data-state={call.state}>
            <span className="progress-dot" aria-hidden="true" />
            {call.state === 'connecting' ? t('call.calling') : t('call.ringingOut')}
          </p>
        )}
      <div className="call-meta">
        <span className="muted">{t('call.talkTime')}</span>
        <QualityMeter quality={quality} />
        {call.answeredAt !== null ? (
          <CallTimer from={call.answeredAt} until={call.endedAt} />
        ) : (
          <span className="call-timer muted">–:––</span>
        )}
      </div>
      {ended && <EndLine call={call} />}
      {call.transfer && <TransferStatus transfer={call.transfer} />}
      {live && <CallControls call={call} />}
      {live && keypadOpen && <Keypad callId={call.id} />}
      {live && transferOpen && !call.consultFor && <TransferPanel call={call} />}
      <div className="call-buttons">
        {call.consultFor && live && original && (
          <CompleteTransferButton callId={original.id} consultCallId={call.id} />
        )}
        <CallButton action="hangup" callId={call.id} disabled={ended} />
      </div>
      <ActionErrorNote callId={call.id} />
      {call.consultFor && <ActionErrorNote callId={call.consultFor} />}
    </section>
  );
}

/** How the call ended, in the agent's language; core's reason (English) is the tooltip. */
function EndLine({ call }: { call: Call }) {
  const { t } = useTranslation();
  const failure = call.direction === 'outbound' && !call.answeredAt ? callFailure(call) : null;
  if (failure) {
    const reason = t(`failure.${failure}`);
    return (
      <p
        className="end-reason failure"
        role="status"
        data-testid="call-failure"
        data-failure={failure}
        title={call.endReason ?? undefined}
      >
        {call.sipStatus ? t('failure.withStatus', { reason, status: call.sipStatus }) : reason}
      </p>
    );
  }
  if (!call.outcome) return null;
  return (
    <p className="muted end-reason" title={call.endReason ?? undefined}>
      {t('call.endReason', { reason: t(`outcome.${call.outcome}`) })}
    </p>
  );
}

function CompleteTransferButton({
  callId,
  consultCallId,
}: {
  callId: string;
  consultCallId: string;
}) {
  const { t } = useTranslation();
  const pending = useAgent((s) => s.pending[callId]);
  const actions = useActions();
  return (
    <button
      type="button"
      className="btn btn-complete"
      data-testid="transfer-complete"
      disabled={pending !== undefined}
      onClick={() => void actions.completeTransfer(callId, consultCallId)}
    >
      {t('transfer.complete')}
    </button>
  );
}
