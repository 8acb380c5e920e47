import { Trans, useTranslation } from 'react-i18next';
import { useAgent, useCrm } from './agent-context';
import { formatAgo, formatStamp } from './format';
import { SyncPanel } from './SyncPanel';
import { useNow } from './use-now';

/**
 * The CRM sync, always in view next to the phone's registration: which CRM, its state, what
 * waits to be sent, what the CRM refused, when it last succeeded (the last error on hover),
 * a "sync now" button and the details panel (dead letters).
 */
export function CrmSyncStatus() {
  const { t } = useTranslation();
  const status = useAgent((s) => s.syncStatus);
  const open = useAgent((s) => s.syncPanelOpen);
  const setOpen = useAgent((s) => s.setSyncPanelOpen);
  const syncing = useAgent((s) => s.crmPending.syncNow === true);
  const error = useAgent((s) => (s.crmError?.action === 'syncNow' ? s.crmError : null));
  const locale = useAgent((s) => s.locale);
  const crm = useCrm();
  const now = useNow(30_000);
  if (!status) return null;
  const off = status.state === 'off';
  const last = status.lastSuccessAt;
  return (
    <div
      className="sync"
      role="group"
      aria-label={t('sync.group')}
      data-testid="sync-status"
      data-state={status.state}
      data-crm={status.crm}
      title={status.lastError?.message}
    >
      <span className="sync-state">
        <span className="sync-dot" aria-hidden="true" />
        <span className="muted">{t('sync.label')}</span>
        <span className="sync-crm">{t(`sync.crm.${status.crm}`)}</span>
        <strong data-testid="sync-state">{t(`sync.state.${status.state}`)}</strong>
      </span>
      <span className="sync-count" data-zero={status.pending === 0 || undefined}>
        <Trans
          i18nKey="sync.pending"
          values={{ n: status.pending }}
          components={{ n: <b data-testid="sync-pending" /> }}
        />
      </span>
      {status.deadLetters > 0 && (
        <button
          type="button"
          className="sync-dead"
          data-testid="sync-dead-letters"
          data-count={status.deadLetters}
          aria-expanded={open}
          aria-controls="sync-panel"
          onClick={() => setOpen(!open)}
        >
          {t('sync.deadLetters', { n: status.deadLetters })}
        </button>
      )}
      {/* During the first sync its progress stands here instead (InitialSync). */}
      {!off && !status.initial && (
        <time
          className="sync-last"
          data-testid="sync-last"
          dateTime={last === null ? undefined : new Date(last).toISOString()}
          title={last === null ? undefined : formatStamp(last, locale, now)}
        >
          {last === null
            ? t('sync.never')
            : t('sync.lastSuccess', { ago: formatAgo(Math.min(last, now), locale, now) })}
        </time>
      )}
      {!off && (
        <button
          type="button"
          className="bar-btn"
          data-testid="sync-now"
          disabled={syncing}
          onClick={() => void crm.syncNow()}
        >
          {t('sync.now')}
        </button>
      )}
      <button
        type="button"
        className="bar-btn"
        data-testid="sync-details"
        aria-expanded={open}
        aria-controls="sync-panel"
        onClick={() => setOpen(!open)}
      >
        {t('sync.details')}
      </button>
      {error && (
        <span className="sync-fail" data-testid="sync-now-error" title={error.message}>
          {t('sync.failed', {
            action: t('sync.action.syncNow'),
            reason: t(`errors.code.${error.code}`),
          })}
        </span>
      )}
      {open && <SyncPanel status={status} onClose={() => setOpen(false)} />}
    </div>
  );
}
