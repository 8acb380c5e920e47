// On the call in progress: schedule a callback the customer asks for, without waiting for the
// end of the call (the promise is kept with this call).
import { useTranslation } from 'react-i18next';
import { useAgent, useOutbound } from '../agent-context';
import { selectCurrentCall } from '../store/agent-store';
import { ScheduledNote } from './ScheduleDialog';
import { scheduleRequestForCall } from './schedule-request';

export function CallFollowUp() {
  const { t } = useTranslation();
  const outbound = useOutbound();
  const call = useAgent(selectCurrentCall);
  const request = call && call.state !== 'ended' ? scheduleRequestForCall(call) : null;
  return (
    <>
      <ScheduledNote />
      {request && (
        <div className="follow-up" data-testid="call-follow-up">
          <span className="muted">{t('outbound.schedule.onCall')}</span>
          <button
            type="button"
            className="bar-btn light"
            data-testid="call-schedule"
            onClick={() => outbound.requestSchedule(request)}
          >
            <span aria-hidden="true">↻</span> {t('outbound.schedule.open')}
          </button>
        </div>
      )}
    </>
  );
}
