// The callback on the card — picked in the list or previewed by "Next": who, which campaign,
// the promised time on the customer's clock and the agent's, why it cannot be dialled (in
// plain words), the note, the notice sent, every attempt so far. Dial (main may still refuse:
// its reason is shown), Skip with a reason, or schedule another callback. A preview from
// "Next" counts down the campaign's previewSeconds and dials at 0; Skip or Esc stops it.
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Attempt, Campaign, QueueItem, SkipReason } from '../../../preload/contract';
import { useAgent, useOutbound } from '../agent-context';
import { formatDuration } from '../format';
import { SegmentBadge } from '../SegmentBadge';
import { selectInWrapUp, selectOnCall, type Countdown } from '../store/outbound-slice';
import { useNow } from '../use-now';
import { campaignName, displayNumber, failureText } from './labels';
import { DueClock } from './QueueBadges';
import { formatWhen } from './time';

const SKIP_REASONS: readonly SkipReason[] = ['not_now', 'wrong_data', 'customer_context', 'other'];

export function CallbackCard() {
  const card = useAgent((s) => s.card);
  if (!card) return null;
  return <CardView key={card.item.id} item={card.item} via={card.via} />;
}

function CardView({ item, via }: { item: QueueItem; via: 'list' | 'next' }) {
  const { t } = useTranslation();
  const outbound = useOutbound();
  const locale = useAgent((s) => s.locale);
  const agentZone = useAgent((s) => s.agentZone);
  const campaigns = useAgent((s) => s.campaigns);
  const detail = useAgent((s) => s.callbackDetails[item.id]);
  const detailError = useAgent((s) =>
    s.outboundErrors.detail?.callbackId === item.id ? s.outboundErrors.detail : undefined,
  );
  const dialError = useAgent((s) =>
    s.outboundErrors.dial?.callbackId === item.id ? s.outboundErrors.dial : undefined,
  );
  const skipError = useAgent((s) =>
    s.outboundErrors.skip?.callbackId === item.id ? s.outboundErrors.skip : undefined,
  );
  const dialing = useAgent((s) => s.dialingCallbackId === item.id);
  const onCall = useAgent(selectOnCall);
  const inWrapUp = useAgent(selectInWrapUp);
  const countdown = useAgent((s) => (s.countdown?.callbackId === item.id ? s.countdown : null));
  const skipOpen = useAgent((s) => s.skipOpen);
  const setSkipOpen = useAgent((s) => s.setSkipOpen);
  const id = useId();
  const dialRef = useRef<HTMLButtonElement>(null);
  const campaign = campaigns?.find((c) => c.id === item.campaignId);

  // A preview from "Next": Enter dials (focus on Dial), unless the agent is busy elsewhere.
  useEffect(() => {
    if (via !== 'next') return;
    const active = document.activeElement;
    const home = dialRef.current?.closest('.queue-card');
    if (!active || active === document.body || home?.contains(active)) dialRef.current?.focus();
  }, [via]);

  const block = item.optOut === 'all' ? 'opted_out' : item.blocked[0];
  const why = block
    ? t(`outbound.block.${block}`)
    : onCall
      ? t('outbound.unavailable.onCall')
      : inWrapUp
        ? t('outbound.unavailable.wrapUp')
        : null;
  const canDial = why === null && !dialing;
  const name = item.customer?.name;
  return (
    <section
      className="card callback-card"
      aria-labelledby={`${id}-title`}
      data-testid="callback-card"
      data-callback-id={item.id}
      data-via={via}
      data-optout={item.optOut}
    >
      <header className="card-head">
        <h2 id={`${id}-title`} className="card-title">
          {via === 'next' ? t('outbound.card.preview') : t('outbound.card.title')}
        </h2>
        <button type="button" className="note-dismiss" onClick={() => outbound.close()}>
          {t('outbound.card.close')}
        </button>
      </header>

      <div className="identity cb-identity">
        <p className="identity-name">
          <span data-testid="callback-name">{name ?? displayNumber(item.number)}</span>
          {name && <span className="honorific">{t('call.honorific')}</span>}
          {item.customer && <SegmentBadge segment={item.customer.segment} />}
        </p>
        {item.customer?.nameKana && <p className="identity-kana">{item.customer.nameKana}</p>}
        {name && (
          <p className="identity-number cb-number" data-testid="callback-number">
            {displayNumber(item.number)}
          </p>
        )}
      </div>

      {item.optOut !== 'none' && (
        <p className="cb-optout" data-level={item.optOut} data-testid="callback-optout">
          <span aria-hidden="true">⊘</span>
          {item.optOut === 'all'
            ? t('outbound.card.optOutAll')
            : t('outbound.card.optOutMarketing')}
        </p>
      )}

      {countdown && <CountdownBar countdown={countdown} onStop={() => outbound.stopCountdown()} />}

      <div className="cb-actions">
        <button
          ref={dialRef}
          type="button"
          className="btn btn-answer cb-dial"
          data-testid="callback-dial"
          disabled={!canDial}
          aria-describedby={why ? `${id}-why` : undefined}
          onClick={() => void outbound.dial(item.id)}
        >
          <span aria-hidden="true">☎</span>
          {dialing ? t('outbound.card.dialing') : t('outbound.card.dial')}
          <span className="keys" aria-hidden="true">
            <kbd>Enter</kbd>
          </span>
        </button>
        <button
          type="button"
          className="btn btn-secondary"
          data-testid="callback-skip"
          aria-expanded={skipOpen}
          disabled={item.status !== 'pending'}
          onClick={() => {
            outbound.stopCountdown();
            setSkipOpen(!skipOpen);
          }}
        >
          {t('outbound.card.skip')}
          <span className="keys" aria-hidden="true">
            <kbd>S</kbd>
          </span>
        </button>
        <button
          type="button"
          className="btn btn-secondary"
          data-testid="callback-schedule"
          onClick={() =>
            outbound.requestSchedule({
              customerId: item.customer?.id ?? null,
              name: item.customer?.name ?? null,
              number: item.number,
              display: displayNumber(item.number),
              timeZone: item.timeZone,
              campaignId: item.campaignId,
            })
          }
        >
          {t('outbound.card.schedule')}
        </button>
      </div>
      {why && (
        <p id={`${id}-why`} className="cb-why" data-testid="dial-why">
          {why}
        </p>
      )}
      {skipOpen && <SkipMenu callbackId={item.id} onClose={() => setSkipOpen(false)} />}
      {dialError && (
        <p
          className="note note-error"
          role="alert"
          data-testid="dial-error"
          title={dialError.message}
        >
          {t('outbound.card.dialFailed', { reason: failureText(t, dialError) })}
        </p>
      )}
      {skipError && (
        <p
          className="note note-error"
          role="alert"
          data-testid="skip-error"
          title={skipError.message}
        >
          {t('outbound.skip.failed', { reason: failureText(t, skipError) })}
        </p>
      )}

      <dl className="facts cb-facts">
        <div>
          <dt>{t('outbound.card.campaign')}</dt>
          <dd data-testid="callback-campaign">
            {campaignName(campaign, locale)}
            <span className="muted cb-kind">{t(`outbound.kind.${item.campaignKind}`)}</span>
          </dd>
        </div>
        <div>
          <dt>{item.promised ? t('outbound.card.promised') : t('outbound.card.due')}</dt>
          <dd>
            <DueClock item={item} agentZone={agentZone} locale={locale} />
          </dd>
        </div>
        {item.nextAt !== null && item.blocked.some((b) => b === 'not_due' || b === 'too_soon') && (
          <div>
            <dt />
            <dd className="muted" data-testid="callback-next-at">
              {t('outbound.card.nextAt', { time: formatWhen(item.nextAt, agentZone, locale) })}
            </dd>
          </div>
        )}
        {item.expiresAt !== null && (
          <div>
            <dt />
            <dd className="muted">
              {t('outbound.card.expires', {
                time: formatWhen(item.expiresAt, item.timeZone, locale),
              })}
            </dd>
          </div>
        )}
        <div>
          <dt>{t('outbound.card.owner')}</dt>
          <dd>{t(`outbound.filter.owners.${item.owner}`)}</dd>
        </div>
        <div>
          <dt>{t('outbound.card.notice')}</dt>
          <dd data-testid="callback-notice">
            {item.notice
              ? t('outbound.card.noticeSent', {
                  channel: t(`outbound.channel.${item.notice.channel}`),
                  date: formatWhen(item.notice.sentAt, item.timeZone, locale),
                })
              : t('outbound.card.noNotice')}
          </dd>
        </div>
        {item.note && (
          <div>
            <dt>{t('outbound.card.note')}</dt>
            <dd className="cb-note">{item.note}</dd>
          </div>
        )}
      </dl>

      {item.blocked.length > 0 && (
        <div className="cb-blocked">
          <h3 className="subhead">{t('outbound.card.blocked')}</h3>
          <ul className="cb-blocks" data-testid="callback-blocks">
            {item.blocked.map((b) => (
              <li key={b} data-block={b}>
                {t(`outbound.block.${b}`)}
              </li>
            ))}
          </ul>
        </div>
      )}

      <Attempts item={item} attempts={detail?.attempts} campaign={campaign} />
      {detailError && (
        <p className="note note-warn" role="status" title={detailError.message}>
          {t('outbound.card.loadFailed', { reason: failureText(t, detailError) })}
        </p>
      )}
    </section>
  );
}

function CountdownBar({ countdown, onStop }: { countdown: Countdown; onStop(): void }) {
  const { t } = useTranslation();
  const now = useNow(200);
  const leftMs = Math.max(0, countdown.endsAt - now);
  return (
    <div className="cb-countdown" data-testid="countdown" role="timer">
      <span className="cb-countdown-text">
        {t('outbound.card.countdown', { n: Math.ceil(leftMs / 1000) })}
      </span>
      <progress max={countdown.seconds * 1000} value={countdown.seconds * 1000 - leftMs} />
      <button type="button" className="note-dismiss" data-testid="countdown-stop" onClick={onStop}>
        {t('outbound.card.countdownStop')}
        <kbd>Esc</kbd>
      </button>
    </div>
  );
}

function SkipMenu({ callbackId, onClose }: { callbackId: string; onClose(): void }) {
  const { t } = useTranslation();
  const outbound = useOutbound();
  const saving = useAgent((s) => s.outboundPending.skip === true);
  const [reason, setReason] = useState<SkipReason>('not_now');
  const [note, setNote] = useState('');
  const id = useId();
  const ref = useRef<HTMLFormElement>(null);
  useEffect(() => {
    ref.current?.querySelector<HTMLElement>('input:checked')?.focus();
  }, []);
  return (
    <form
      ref={ref}
      className="skip-menu"
      data-testid="skip-menu"
      aria-labelledby={`${id}-title`}
      onSubmit={(e) => {
        e.preventDefault();
        void outbound.skip(callbackId, reason, note);
      }}
      onKeyDown={(e) => {
        if (e.key !== 'Escape') return;
        e.preventDefault();
        onClose();
      }}
    >
      <fieldset className="plain-fieldset">
        <legend id={`${id}-title`} className="field-label">
          {t('outbound.skip.title')}
        </legend>
        <div className="chip-group">
          {SKIP_REASONS.map((r) => (
            <label key={r} className="seg">
              <input
                type="radio"
                name={`${id}-reason`}
                value={r}
                data-testid={`skip-reason-${r}`}
                checked={reason === r}
                onChange={() => setReason(r)}
              />
              <span>{t(`outbound.skip.reason.${r}`)}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <label className="field-label" htmlFor={`${id}-note`}>
        {t('outbound.skip.note')}
      </label>
      <input
        id={`${id}-note`}
        className="field field-small"
        data-testid="skip-note"
        maxLength={500}
        value={note}
        onChange={(e) => setNote(e.target.value)}
      />
      <div className="skip-buttons">
        <button type="button" className="btn btn-secondary" onClick={onClose}>
          {t('outbound.skip.cancel')}
        </button>
        <button
          type="submit"
          className="btn btn-complete"
          data-testid="skip-confirm"
          disabled={saving}
        >
          {t('outbound.skip.confirm')}
        </button>
      </div>
    </form>
  );
}

function Attempts({
  item,
  attempts,
  campaign,
}: {
  item: QueueItem;
  attempts: Attempt[] | undefined;
  campaign: Campaign | undefined;
}) {
  const { t } = useTranslation();
  const locale = useAgent((s) => s.locale);
  const agentZone = useAgent((s) => s.agentZone);
  const label = (code: string | null) =>
    code ? (campaign?.dispositions.find((d) => d.code === code)?.label[locale] ?? code) : '–';
  return (
    <div className="cb-history">
      <h3 className="subhead cb-history-head">
        {t('outbound.card.attempts')}
        <span className="muted" data-testid="callback-attempts-summary">
          {t('outbound.card.attemptsSummary', {
            done: item.attempts,
            max: item.attempts + item.attemptsLeft,
            left: item.attemptsLeft,
          })}
        </span>
      </h3>
      {attempts && attempts.length === 0 && (
        <p className="muted">{t('outbound.card.noAttempts')}</p>
      )}
      {attempts && attempts.length > 0 && (
        <table className="cb-attempts" data-testid="callback-attempts">
          <thead>
            <tr>
              <th scope="col">{t('outbound.card.col.when')}</th>
              <th scope="col">{t('outbound.card.col.outcome')}</th>
              <th scope="col">{t('outbound.card.col.duration')}</th>
              <th scope="col">{t('outbound.card.col.disposition')}</th>
              <th scope="col">{t('outbound.card.col.callerId')}</th>
            </tr>
          </thead>
          <tbody>
            {attempts.map((a) => (
              <tr key={a.id} data-outcome={a.outcome ?? 'pending'}>
                <td>{formatWhen(a.at, agentZone, locale)}</td>
                <td>
                  <span className="outcome" data-outcome={a.outcome ?? 'pending'}>
                    {t(`outbound.attempt.${a.outcome ?? 'pending'}`)}
                  </span>
                </td>
                <td>{a.durationSec !== null ? formatDuration(a.durationSec, locale) : '–'}</td>
                <td>{label(a.disposition)}</td>
                <td>{a.callerId ? displayNumber(a.callerId) : '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
