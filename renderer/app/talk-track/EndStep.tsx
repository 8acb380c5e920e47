// The script's end: the result it suggests (chosen in the wrap-up when the campaign offers it)
// and the next action as a button (Enter): schedule a callback (the schedule dialog), record a
// do-not-call (the notes card's opt-out confirm), or a hint to take the order.
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { TalkTrackStep } from '../../../preload/contract';
import { useAgent, useAgentStore, useOutbound } from '../agent-context';
import { optOutNumber } from '../crm-actions';
import { scheduleRequestForCall, scheduleRequestForWrapUp } from '../outbound/schedule-request';
import { defaultCampaign } from '../store/outbound-slice';

export function EndStep({
  callId,
  end,
}: {
  callId: string;
  end: NonNullable<TalkTrackStep['end']>;
}) {
  const { t } = useTranslation();
  const outbound = useOutbound();
  const store = useAgentStore();
  const locale = useAgent((s) => s.locale);
  const campaigns = useAgent((s) => s.campaigns);
  const campaignId = useAgent(
    (s) => s.wrapUps[callId]?.campaignId ?? s.dialOrigins[callId]?.campaignId ?? null,
  );
  const wrapUp = useAgent((s) => s.wrapUps[callId]);
  const call = useAgent((s) => s.calls[callId]);
  // The opt-out confirm lives in the notes card: only when that card is on this call.
  const notesCall = useAgent((s) => (s.notesCall?.id === callId ? s.notesCall : null));
  const optOut = useAgent((s) => s.optOuts[callId]);
  useEffect(() => {
    if (store.getState().campaigns === null) void outbound.loadCampaigns();
  }, [store, outbound]);

  const campaign = campaignId
    ? campaigns?.find((c) => c.id === campaignId)
    : defaultCampaign(campaigns);
  const disposition =
    campaign?.dispositions.find((d) => d.code === end.disposition) ??
    campaigns?.flatMap((c) => c.dispositions).find((d) => d.code === end.disposition);

  const schedule = wrapUp
    ? scheduleRequestForWrapUp(wrapUp)
    : call
      ? scheduleRequestForCall(call)
      : null;
  const canOptOut =
    notesCall !== null &&
    optOutNumber(notesCall) !== null &&
    optOut?.status !== 'saving' &&
    !(optOut?.status === 'done' && optOut.scope === 'all');

  return (
    <div className="talk-end" data-testid="talk-end" data-action={end.action}>
      <p className="talk-end-title">{t('talkTrack.end.title')}</p>
      <p className="talk-end-disposition">
        <span className="muted">{t('talkTrack.end.disposition')}</span>
        <strong data-testid="talk-end-disposition" data-code={end.disposition}>
          {disposition ? disposition.label[locale] : end.disposition}
        </strong>
      </p>
      {end.action === 'schedule_callback' ? (
        <button
          type="button"
          className="btn btn-complete talk-action"
          data-talk-action=""
          data-testid="talk-action-schedule"
          aria-keyshortcuts="Enter"
          disabled={!schedule}
          onClick={() => schedule && outbound.requestSchedule(schedule)}
        >
          <span aria-hidden="true">↻</span> {t('talkTrack.end.action.schedule_callback')}
          <span className="keys" aria-hidden="true">
            <kbd>Enter</kbd>
          </span>
        </button>
      ) : end.action === 'record_opt_out' ? (
        <button
          type="button"
          className="btn btn-optout talk-action"
          data-talk-action=""
          data-testid="talk-action-optout"
          aria-keyshortcuts="Enter"
          disabled={!canOptOut}
          onClick={() => {
            const s = store.getState();
            s.setWorkTab('customer');
            s.setOptOutOpen(callId);
          }}
        >
          <span aria-hidden="true">⊘</span> {t('talkTrack.end.action.record_opt_out')}
          <span className="keys" aria-hidden="true">
            <kbd>Enter</kbd>
          </span>
        </button>
      ) : end.action === 'take_order' ? (
        <p className="note note-ok talk-order" data-testid="talk-action-order">
          {t('talkTrack.end.action.take_order')}
        </p>
      ) : (
        <p className="muted">{t('talkTrack.end.action.none')}</p>
      )}
    </div>
  );
}
