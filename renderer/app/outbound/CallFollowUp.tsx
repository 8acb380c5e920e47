// On the call in progress: schedule a callback the customer asks for, without waiting for the
// end of the call (the promise is kept with this call).
import { useTranslation } from 'react-i18next';
import { useAgent, useOutbound } from '../agent-context';
import { selectCurrentCall } from '../store/agent-store';
import { displayNumber } from './labels';
import { ScheduledNote } from './ScheduleDialog';
import { zoneForNumber } from './time';

export function CallFollowUp() {
  const { t } = useTranslation();
  const outbound = useOutbound();
  const call = useAgent(selectCurrentCall);
  const live = call && call.state !== 'ended' && !call.remote.anonymous ? call : null;
  const number = live ? (live.remote.e164 ?? live.remote.raw) : '';
  return (
    <>
      <ScheduledNote />
      {live && number && (
        <div className="follow-up" data-testid="call-follow-up">
          <span className="muted">{t('outbound.schedule.onCall')}</span>
          <button
            type="button"
            className="bar-btn light"
            data-testid="call-schedule"
            onClick={() =>
              outbound.requestSchedule({
                customerId: live.pop.customer?.id ?? null,
                name: live.pop.customer?.name ?? null,
                number,
                display: live.remote.display || displayNumber(number),
                timeZone: zoneForNumber(live.remote.e164),
                interactionId: live.id,
              })
            }
          >
            <span aria-hidden="true">↻</span> {t('outbound.schedule.open')}
          </button>
        </div>
      )}
    </>
  );
}
