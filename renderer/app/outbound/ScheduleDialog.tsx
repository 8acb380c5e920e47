// Schedule a callback (from a call, a wrap-up or a callback's card): when — on the
// customer's clock, with the agent's beside it — who calls (me / the pool), which campaign,
// a note. The instant goes to main in UTC; main checks the campaign's hours again.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useAgent, useOutbound } from '../agent-context';
import { useNow } from '../use-now';
import { defaultCampaign, type ScheduleRequest } from '../store/outbound-slice';
import { failureText } from './labels';
import { formatWhen, windowProblem, zoneForNumber } from './time';
import { ZonedDateTime, instantOfValue, type ZonedValue } from './ZonedDateTime';

export function ScheduleDialog() {
  const request = useAgent((s) => s.scheduleRequest);
  if (!request) return null;
  return (
    <ScheduleForm key={`${request.number}:${request.interactionId ?? ''}`} request={request} />
  );
}

function ScheduleForm({ request }: { request: ScheduleRequest }) {
  const { t } = useTranslation();
  const outbound = useOutbound();
  const locale = useAgent((s) => s.locale);
  const campaigns = useAgent((s) => s.campaigns);
  const saving = useAgent((s) => s.outboundPending.schedule === true);
  const error = useAgent((s) => s.outboundErrors.schedule);
  const id = useId();
  const ref = useRef<HTMLFormElement>(null);
  const [when, setWhen] = useState<ZonedValue>({
    date: '',
    time: '',
    zone: request.timeZone ?? zoneForNumber(request.number) ?? '',
  });
  const [owner, setOwner] = useState<'me' | 'pool'>('me');
  const [campaignId, setCampaignId] = useState(request.campaignId ?? '');
  const [note, setNote] = useState(request.note ?? '');
  const [tried, setTried] = useState(false);
  const now = useNow(15_000);
  useEffect(() => {
    ref.current?.querySelector<HTMLElement>('input')?.focus();
  }, []);

  const chosenCampaign =
    campaigns?.find((c) => c.id === campaignId) ?? defaultCampaign(campaigns) ?? undefined;
  const at = instantOfValue(when);
  const problem: 'needZone' | 'invalid' | 'past' | null = !when.zone
    ? 'needZone'
    : at === null
      ? 'invalid'
      : at < now
        ? 'past'
        : null;
  const closed =
    at !== null && chosenCampaign ? windowProblem(chosenCampaign.window, at, when.zone) : null;
  const who = request.name ?? request.display;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (problem || at === null || saving) return;
    const text = note.trim();
    void outbound.schedule({
      customerId: request.customerId,
      number: request.number,
      dueAt: at,
      timeZone: when.zone,
      ...(chosenCampaign ? { campaignId: chosenCampaign.id } : {}),
      owner,
      ...(text ? { note: text.slice(0, 2000) } : {}),
      ...(request.interactionId ? { interactionId: request.interactionId } : {}),
    });
  };

  return (
    <div className="modal-backdrop">
      <form
        ref={ref}
        className="modal schedule"
        role="dialog"
        aria-modal="true"
        aria-labelledby={`${id}-title`}
        data-testid="schedule-dialog"
        onSubmit={submit}
        onKeyDown={(e) => {
          if (e.key !== 'Escape') return;
          e.preventDefault(); // not the window's Escape (reject a ringing call)
          outbound.cancelSchedule();
        }}
      >
        <header className="card-head">
          <h2 id={`${id}-title`} className="card-title">
            {t('outbound.schedule.title')}
            <span className="notes-who">{who}</span>
          </h2>
        </header>
        <ZonedDateTime
          id={id}
          value={when}
          onChange={setWhen}
          invalid={tried && problem ? `${id}-problem` : undefined}
        />
        {tried && problem && (
          <p
            id={`${id}-problem`}
            className="field-error"
            role="alert"
            data-testid="schedule-problem"
          >
            {problem === 'needZone'
              ? t('outbound.schedule.needZone')
              : problem === 'past'
                ? t('outbound.schedule.past')
                : t('outbound.schedule.invalid')}
          </p>
        )}
        {closed && chosenCampaign && (
          <p className="note note-warn" data-testid="schedule-window">
            {closed === 'outside_window'
              ? t('outbound.schedule.outside_window', {
                  start: chosenCampaign.window.start,
                  end: chosenCampaign.window.end,
                })
              : t('outbound.schedule.day_not_allowed')}
          </p>
        )}
        <div className="schedule-grid">
          <fieldset className="plain-fieldset">
            <legend className="field-label">{t('outbound.schedule.owner')}</legend>
            <div className="segmented">
              {(['me', 'pool'] as const).map((o) => (
                <label key={o} className="seg">
                  <input
                    type="radio"
                    name={`${id}-owner`}
                    value={o}
                    data-testid={`schedule-owner-${o}`}
                    checked={owner === o}
                    onChange={() => setOwner(o)}
                  />
                  <span>{t(`outbound.schedule.owners.${o}`)}</span>
                </label>
              ))}
            </div>
          </fieldset>
          {campaigns && campaigns.length > 0 && (
            <div>
              <label className="field-label" htmlFor={`${id}-campaign`}>
                {t('outbound.schedule.campaign')}
              </label>
              <select
                id={`${id}-campaign`}
                className="field field-small"
                data-testid="schedule-campaign"
                value={chosenCampaign?.id ?? ''}
                onChange={(e) => setCampaignId(e.target.value)}
              >
                {campaigns.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name[locale]}
                  </option>
                ))}
              </select>
            </div>
          )}
        </div>
        <label className="field-label" htmlFor={`${id}-note`}>
          {t('outbound.schedule.note')}
        </label>
        <textarea
          id={`${id}-note`}
          className="note-text schedule-note"
          data-testid="schedule-note"
          maxLength={2000}
          rows={2}
          value={note}
          onChange={(e) => setNote(e.target.value)}
        />
        {error && (
          <p
            className="note note-error"
            role="alert"
            data-testid="schedule-error"
            title={error.message}
          >
            {t('outbound.schedule.failed', { reason: failureText(t, error) })}
          </p>
        )}
        <div className="modal-buttons">
          <button
            type="button"
            className="btn btn-secondary"
            onClick={() => outbound.cancelSchedule()}
          >
            {t('outbound.schedule.cancel')}
          </button>
          <button
            type="submit"
            className="btn btn-complete"
            data-testid="schedule-save"
            disabled={saving}
          >
            {saving ? t('outbound.schedule.saving') : t('outbound.schedule.save')}
          </button>
        </div>
      </form>
    </div>
  );
}

/** "Callback scheduled: …" after the dialog closed, until dismissed. */
export function ScheduledNote() {
  const { t } = useTranslation();
  const item = useAgent((s) => s.scheduled);
  const locale = useAgent((s) => s.locale);
  const setScheduled = useAgent((s) => s.setScheduled);
  if (!item) return null;
  return (
    <p className="note note-ok" role="status" data-testid="schedule-done">
      <span>
        {t('outbound.schedule.done', { time: formatWhen(item.dueAt, item.timeZone, locale) })}
      </span>
      <button type="button" className="note-dismiss" onClick={() => setScheduled(null)}>
        {t('errors.dismiss')}
      </button>
    </p>
  );
}
