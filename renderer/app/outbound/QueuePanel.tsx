// The callback queue tab: Next and progressive mode, the filters, the callback on the card
// beside the list, and the keys. Between calls the agent works from here.
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAgent, useOutbound } from '../agent-context';
import { formatCount } from '../format';
import { selectInWrapUp, selectOnCall, type OwnerFilter } from '../store/outbound-slice';
import { CallbackCard } from './CallbackCard';
import { failureText, OUTBOUND_KEYS } from './labels';
import { QueueList } from './QueueList';
import { ScheduledNote } from './ScheduleDialog';

export function QueuePanel() {
  const { t } = useTranslation();
  const outbound = useOutbound();
  const campaignsLoaded = useAgent((s) => s.campaigns !== null);
  const hasCard = useAgent((s) => s.card !== null);
  const id = useId();
  // Fetched when the tab opens: an inbound-only desk never asks.
  useEffect(() => {
    if (!campaignsLoaded) void outbound.loadCampaigns();
  }, [outbound, campaignsLoaded]);
  return (
    <section
      className="card queue-card"
      aria-labelledby={`${id}-title`}
      data-testid="queue-panel"
      data-card={hasCard || undefined}
    >
      <header className="card-head">
        <h2 id={`${id}-title`} className="card-title">
          {t('outbound.title')}
        </h2>
        <QueueCounts />
      </header>
      <NextBar />
      <CampaignsError />
      <WrapUpBanner />
      <ScheduledNote />
      <QueueFilters />
      <div className="queue-body">
        <CallbackCard />
        <QueueList />
      </div>
      <KeysLegend />
    </section>
  );
}

function QueueCounts() {
  const { t } = useTranslation();
  const counts = useAgent((s) => s.queueCounts);
  const locale = useAgent((s) => s.locale);
  if (!counts) return null;
  return (
    <span className="muted queue-counts" data-testid="queue-counts">
      {t('outbound.counts', {
        pending: formatCount(counts.pending, locale),
        ready: formatCount(counts.dialableNow, locale),
      })}
    </span>
  );
}

/** Next (main's pick) and progressive mode; why neither can go now. */
function NextBar() {
  const { t } = useTranslation();
  const outbound = useOutbound();
  const progressive = useAgent((s) => s.progressive);
  const finding = useAgent((s) => s.outboundPending.next === true);
  const empty = useAgent((s) => s.nextEmpty);
  const error = useAgent((s) => s.outboundErrors.next);
  const onCall = useAgent(selectOnCall);
  const inWrapUp = useAgent(selectInWrapUp);
  const busy = onCall
    ? t('outbound.unavailable.onCall')
    : inWrapUp
      ? t('outbound.unavailable.wrapUp')
      : null;
  const id = useId();
  return (
    <div className="next-bar">
      <button
        type="button"
        className="btn btn-complete next-btn"
        data-testid="queue-next"
        disabled={finding || busy !== null}
        aria-describedby={busy ? `${id}-busy` : undefined}
        onClick={() => void outbound.next()}
      >
        {finding ? t('outbound.nexting') : t('outbound.next')}
        <span className="keys" aria-hidden="true">
          <kbd>N</kbd>
        </span>
      </button>
      <label className="switch" title={t('outbound.progressiveHint')}>
        <input
          type="checkbox"
          role="switch"
          data-testid="progressive"
          checked={progressive}
          onChange={(e) => outbound.setProgressive(e.target.checked)}
        />
        <span className="switch-track" aria-hidden="true" />
        <span>{t('outbound.progressive')}</span>
      </label>
      <span className="next-status" role="status">
        {busy ? (
          <span id={`${id}-busy`} data-testid="next-busy">
            {busy}
          </span>
        ) : error ? (
          <span className="danger" title={error.message}>
            {t('outbound.nextFailed', { reason: failureText(t, error) })}
          </span>
        ) : empty ? (
          <span data-testid="next-empty">{t('outbound.nextEmpty')}</span>
        ) : progressive ? (
          <span className="muted">{t('outbound.progressiveHint')}</span>
        ) : null}
      </span>
    </div>
  );
}

/** Without the campaigns, names and countdowns are missing: say so, offer a retry. */
function CampaignsError() {
  const { t } = useTranslation();
  const outbound = useOutbound();
  const error = useAgent((s) => s.outboundErrors.campaigns);
  const loading = useAgent((s) => s.outboundPending.campaigns === true);
  if (!error) return null;
  return (
    <p className="note note-error" role="alert" data-testid="campaigns-error" title={error.message}>
      <span>{t('outbound.campaignsFailed', { reason: failureText(t, error) })}</span>
      <button
        type="button"
        className="note-dismiss"
        disabled={loading}
        onClick={() => void outbound.loadCampaigns()}
      >
        {t('outbound.list.retry')}
      </button>
    </p>
  );
}

function WrapUpBanner() {
  const { t } = useTranslation();
  const inWrapUp = useAgent(selectInWrapUp);
  const setWorkTab = useAgent((s) => s.setWorkTab);
  if (!inWrapUp) return null;
  return (
    <p className="note note-warn" data-testid="wrap-up-banner">
      <span>{t('outbound.wrapUpBanner')}</span>
      <button type="button" className="note-dismiss" onClick={() => setWorkTab('customer')}>
        {t('outbound.wrapUpOpen')}
      </button>
    </p>
  );
}

const OWNERS: readonly OwnerFilter[] = ['all', 'me', 'pool'];

function QueueFilters() {
  const { t } = useTranslation();
  const outbound = useOutbound();
  const view = useAgent((s) => s.queueView);
  const campaigns = useAgent((s) => s.campaigns);
  const locale = useAgent((s) => s.locale);
  const id = useId();
  const [search, setSearch] = useState(view.search);
  // The search goes out when typing pauses (Enter: at once).
  useEffect(() => {
    const timer = setTimeout(() => outbound.setView({ search }), 300);
    return () => clearTimeout(timer);
  }, [outbound, search]);
  return (
    <form
      className="queue-filters"
      role="search"
      aria-label={t('outbound.filter.label')}
      onSubmit={(e) => {
        e.preventDefault();
        outbound.setView({ search });
      }}
    >
      <div className="qf-search">
        <label className="sr-only" htmlFor={`${id}-search`}>
          {t('outbound.filter.search')}
        </label>
        <input
          id={`${id}-search`}
          type="search"
          className="field field-small"
          data-testid="queue-search"
          maxLength={64}
          placeholder={t('outbound.filter.searchPlaceholder')}
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') (e.target as HTMLInputElement).blur();
          }}
        />
      </div>
      <div>
        <label className="sr-only" htmlFor={`${id}-campaign`}>
          {t('outbound.filter.campaign')}
        </label>
        <select
          id={`${id}-campaign`}
          className="field field-small"
          data-testid="queue-campaign"
          value={view.campaignId ?? ''}
          onChange={(e) => outbound.setView({ campaignId: e.target.value || null })}
        >
          <option value="">{t('outbound.filter.allCampaigns')}</option>
          {campaigns?.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name[locale]}
            </option>
          ))}
        </select>
      </div>
      <fieldset className="plain-fieldset">
        <legend className="sr-only">{t('outbound.filter.owner')}</legend>
        <div className="segmented">
          {OWNERS.map((o) => (
            <label key={o} className="seg">
              <input
                type="radio"
                name={`${id}-owner`}
                value={o}
                data-testid={`queue-owner-${o}`}
                checked={view.owner === o}
                onChange={() => outbound.setView({ owner: o })}
              />
              <span>{t(`outbound.filter.owners.${o}`)}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <label className="settings-check qf-dialable">
        <input
          type="checkbox"
          data-testid="queue-dialable"
          checked={view.dialableOnly}
          onChange={(e) => outbound.setView({ dialableOnly: e.target.checked })}
        />
        {t('outbound.filter.dialable')}
      </label>
    </form>
  );
}

function KeysLegend() {
  const { t } = useTranslation();
  return (
    <dl className="legend queue-keys" aria-label={t('outbound.keys.title')}>
      {OUTBOUND_KEYS.map(([key, label]) => (
        <div key={key}>
          <dt>
            <span className="keys" aria-hidden="true">
              <kbd>{key}</kbd>
            </span>
          </dt>
          <dd>{t(label)}</dd>
        </div>
      ))}
    </dl>
  );
}
