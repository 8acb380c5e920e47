// After an answered call: its result (the campaign's dispositions, in the agent's language).
// A 'reschedule' result asks when, on the customer's clock. The agent is in wrap-up — no next
// callback, progressive mode waits — until the result is saved. When the call's talk track
// ended on a step that suggests a result the campaign offers, it is chosen to start with.
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Disposition } from '../../../preload/contract';
import { useAgent, useOutbound } from '../agent-context';
import { defaultCampaign, type WrapUp } from '../store/outbound-slice';
import { campaignName, displayNumber, failureText } from './labels';
import { scheduleRequestForWrapUp } from './schedule-request';
import { ZonedDateTime, instantOfValue, type ZonedValue } from './ZonedDateTime';

/** Every call waiting for its result, oldest first. */
export function WrapUps() {
  const wrapUps = useAgent((s) => s.wrapUps);
  const list = Object.values(wrapUps).sort((a, b) => a.endedAt - b.endedAt);
  if (list.length === 0) return null;
  return (
    <div className="wrap-ups">
      {list.map((w) => (
        <WrapUpCard key={w.callId} wrapUp={w} />
      ))}
    </div>
  );
}

function WrapUpCard({ wrapUp }: { wrapUp: WrapUp }) {
  const { t } = useTranslation();
  const outbound = useOutbound();
  const locale = useAgent((s) => s.locale);
  const campaigns = useAgent((s) => s.campaigns);
  const loading = useAgent((s) => s.outboundPending.campaigns === true);
  const loadError = useAgent((s) => s.outboundErrors.campaigns);
  const id = useId();
  /** The agent's own choice; until they make one, the talk track's suggestion (if offered). */
  const [picked, setPicked] = useState<string | null>(null);
  const suggested = useAgent((s) => s.talkTracks[wrapUp.callId]?.step.end?.disposition ?? null);
  const [when, setWhen] = useState<ZonedValue>({ date: '', time: '', zone: wrapUp.timeZone ?? '' });
  const [tried, setTried] = useState(false);
  const campaign = wrapUp.campaignId
    ? campaigns?.find((c) => c.id === wrapUp.campaignId)
    : defaultCampaign(campaigns);
  const offered = suggested !== null && !!campaign?.dispositions.some((d) => d.code === suggested);
  const code = picked ?? (offered ? suggested : null);
  const chosen: Disposition | undefined = campaign?.dispositions.find((d) => d.code === code);
  const at = instantOfValue(when);
  const who = wrapUp.name ?? (wrapUp.number ? displayNumber(wrapUp.number) : wrapUp.display);
  const schedule = scheduleRequestForWrapUp(wrapUp);
  const problem = !chosen
    ? 'choose'
    : chosen.effect === 'reschedule' && at === null
      ? 'needTime'
      : null;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (problem || !chosen) return;
    void outbound.setDisposition(
      wrapUp.callId,
      chosen.code,
      chosen.effect === 'reschedule' && at !== null ? at : undefined,
    );
  };

  return (
    <section
      className="card wrap-up"
      aria-labelledby={`${id}-title`}
      data-testid="wrap-up"
      data-call-id={wrapUp.callId}
    >
      <header className="card-head">
        <h2 id={`${id}-title`} className="card-title">
          {t('outbound.wrapUp.title')}
          <span className="notes-who">{who}</span>
        </h2>
        {wrapUp.callbackId && campaign && (
          <span className="qb qb-campaign">
            {t('outbound.wrapUp.callback', { campaign: campaignName(campaign, locale) })}
          </span>
        )}
      </header>
      {!campaign ? (
        loadError ? (
          <p className="note note-error" role="alert" title={loadError.message}>
            <span>{t('outbound.wrapUp.loadFailed', { reason: failureText(t, loadError) })}</span>
            <button
              type="button"
              className="note-dismiss"
              disabled={loading}
              onClick={() => void outbound.loadCampaigns()}
            >
              {t('outbound.wrapUp.retry')}
            </button>
          </p>
        ) : (
          <p className="muted" role="status">
            {t('outbound.wrapUp.loading')}
          </p>
        )
      ) : (
        <form onSubmit={submit} className="wrap-up-form">
          <fieldset className="plain-fieldset">
            <legend className="sr-only">{t('outbound.wrapUp.legend', { who })}</legend>
            <div className="dispositions">
              {campaign.dispositions.map((d) => (
                <label key={d.code} className="disp" data-effect={d.effect}>
                  <input
                    type="radio"
                    name={`${id}-code`}
                    value={d.code}
                    data-testid={`disposition-${d.code}`}
                    checked={code === d.code}
                    onChange={() => setPicked(d.code)}
                  />
                  <span className="disp-label">{d.label[locale]}</span>
                  <span className="disp-effect">{t(`outbound.effect.${d.effect}`)}</span>
                  {offered && d.code === suggested && (
                    <span className="talk-tag disp-suggested" data-testid="disposition-suggested">
                      {t('talkTrack.suggested')}
                    </span>
                  )}
                </label>
              ))}
            </div>
          </fieldset>
          {chosen?.effect === 'reschedule' && (
            <div className="wrap-up-when">
              <p className="field-label">{t('outbound.wrapUp.when')}</p>
              <ZonedDateTime
                id={`${id}-when`}
                value={when}
                onChange={setWhen}
                invalid={tried && problem === 'needTime' ? `${id}-problem` : undefined}
              />
            </div>
          )}
          {chosen?.effect === 'opt_out' && (
            <p className="note note-warn" data-testid="wrap-up-optout-hint">
              {t('outbound.wrapUp.optOutHint')}
            </p>
          )}
          {tried && problem && (
            <p
              id={`${id}-problem`}
              className="field-error"
              role="alert"
              data-testid="wrap-up-problem"
            >
              {problem === 'choose' ? t('outbound.wrapUp.choose') : t('outbound.wrapUp.needTime')}
            </p>
          )}
          {wrapUp.error && (
            <p
              className="note note-error"
              role="alert"
              data-testid="wrap-up-error"
              title={wrapUp.error.message}
            >
              {t('outbound.wrapUp.failed', { reason: failureText(t, wrapUp.error) })}
            </p>
          )}
          <div className="wrap-up-buttons">
            <button
              type="submit"
              className="btn btn-complete"
              data-testid="disposition-save"
              disabled={wrapUp.saving}
            >
              {wrapUp.saving ? t('outbound.wrapUp.saving') : t('outbound.wrapUp.save')}
            </button>
            {schedule && (
              <button
                type="button"
                className="btn btn-secondary"
                data-testid="wrap-up-schedule"
                onClick={() => outbound.requestSchedule(schedule)}
              >
                {t('outbound.wrapUp.schedule')}
              </button>
            )}
            {!wrapUp.callbackId && (
              <button
                type="button"
                className="btn btn-secondary"
                data-testid="wrap-up-dismiss"
                disabled={wrapUp.saving}
                onClick={() => outbound.dismissWrapUp(wrapUp.callId)}
              >
                {t('outbound.wrapUp.dismiss')}
              </button>
            )}
          </div>
        </form>
      )}
    </section>
  );
}
