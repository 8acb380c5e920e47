import { useEffect, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeadLetter, SyncStatus } from '../../preload/contract';
import { useAgent, useCrm } from './agent-context';
import { formatAgo, formatStamp } from './format';
import { useNow } from './use-now';

/** The sync status in full: state, counts, last success and error, and the dead letters. */
export function SyncPanel({ status, onClose }: { status: SyncStatus; onClose(): void }) {
  const { t } = useTranslation();
  const locale = useAgent((s) => s.locale);
  const error = useAgent((s) => (s.crmError?.action === 'syncNow' ? null : s.crmError));
  const now = useNow(30_000);
  const id = useId();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.querySelector<HTMLElement>('button')?.focus();
  }, []);
  const last = status.lastSuccessAt;
  return (
    <div
      ref={ref}
      id="sync-panel"
      className="popover sync-panel"
      role="dialog"
      aria-labelledby={`${id}-title`}
      data-testid="sync-panel"
      onKeyDown={(e) => {
        if (e.key !== 'Escape') return;
        e.preventDefault(); // not the window's Escape (reject a ringing call)
        onClose();
      }}
    >
      <header className="card-head">
        <h2 id={`${id}-title`} className="card-title">
          {t('sync.title')}
        </h2>
        <button type="button" className="note-dismiss" onClick={onClose}>
          {t('sync.close')}
        </button>
      </header>
      <dl className="facts">
        <div>
          <dt>{t('sync.stateLabel')}</dt>
          <dd>
            {t(`sync.crm.${status.crm}`)} · {t(`sync.state.${status.state}`)}
          </dd>
        </div>
        <div>
          <dt>{t('sync.pendingLabel')}</dt>
          <dd>{status.pending}</dd>
        </div>
        <div>
          <dt>{t('sync.lastSuccessLabel')}</dt>
          <dd>
            {last === null
              ? t('sync.never')
              : `${formatStamp(last, locale, now)} · ${formatAgo(Math.min(last, now), locale, now)}`}
          </dd>
        </div>
        {status.lastError && (
          <div>
            <dt>{t('sync.lastErrorLabel')}</dt>
            <dd className="facts-error" data-testid="sync-last-error">
              {status.lastError.message}
              <time className="muted" dateTime={new Date(status.lastError.at).toISOString()}>
                {formatStamp(status.lastError.at, locale, now)}
              </time>
            </dd>
          </div>
        )}
      </dl>
      <DeadLetters count={status.deadLetters} />
      {error && (
        <p
          className="note note-error"
          role="alert"
          data-testid="sync-panel-error"
          title={error.message}
        >
          {t('sync.failed', {
            action: t(`sync.action.${error.action}`),
            reason: t(`errors.code.${error.code}`),
          })}
        </p>
      )}
    </div>
  );
}

const KINDS = ['opt_out', 'call_log', 'note', 'disposition', 'callback', 'script_answers'] as const;
type KnownKind = (typeof KINDS)[number];
const isKnownKind = (k: string): k is KnownKind => (KINDS as readonly string[]).includes(k);

/** Changes the CRM refused: kept until retried, one by one or all at once. */
function DeadLetters({ count }: { count: number }) {
  const { t } = useTranslation();
  const crm = useCrm();
  const list = useAgent((s) => s.deadLetters);
  const requeued = useAgent((s) => s.requeued);
  const retryingAll = useAgent((s) => s.crmPending['retry:*'] === true);
  const id = useId();
  // Fetched when the panel opens, and again whenever main says the count changed.
  useEffect(() => {
    void crm.loadDeadLetters();
  }, [crm, count]);
  return (
    <section className="dead-letters" data-testid="dead-letters" aria-labelledby={id}>
      <header className="dead-letters-head">
        <h3 id={id} className="subhead">
          {t('deadLetters.title')}
        </h3>
        <button
          type="button"
          className="bar-btn light"
          data-testid="dead-letters-retry-all"
          disabled={!list?.length || retryingAll}
          onClick={() => void crm.retryDeadLetters()}
        >
          {t('deadLetters.retryAll')}
        </button>
      </header>
      {list === null ? (
        <p className="muted">{t('deadLetters.loading')}</p>
      ) : list.length === 0 ? (
        <p className="muted">{t('deadLetters.empty')}</p>
      ) : (
        <ul className="dead-letter-list">
          {list.map((d) => (
            <DeadLetterRow key={d.key} letter={d} />
          ))}
        </ul>
      )}
      {requeued !== null && (
        <p className="muted" role="status" data-testid="dead-letters-requeued">
          {t('deadLetters.requeued', { n: requeued })}
        </p>
      )}
      <p className="muted dead-letters-hint">{t('deadLetters.hint')}</p>
    </section>
  );
}

function DeadLetterRow({ letter }: { letter: DeadLetter }) {
  const { t } = useTranslation();
  const crm = useCrm();
  const locale = useAgent((s) => s.locale);
  const busy = useAgent(
    (s) => s.crmPending[`retry:${letter.key}`] === true || s.crmPending['retry:*'] === true,
  );
  const now = useNow(60_000);
  return (
    <li className="dead-letter" data-testid="dead-letter" data-key={letter.key}>
      <span className="dead-letter-kind" data-kind={letter.kind}>
        {isKnownKind(letter.kind) ? t(`deadLetters.kind.${letter.kind}`) : letter.kind}
      </span>
      <span className="dead-letter-error" title={letter.error}>
        {letter.error}
      </span>
      <span className="dead-letter-attempts">
        {t('deadLetters.attempts', { n: letter.attempts })}
      </span>
      <time className="dead-letter-when" dateTime={new Date(letter.createdAt).toISOString()}>
        {formatStamp(letter.createdAt, locale, now)}
      </time>
      <button
        type="button"
        className="bar-btn light"
        data-testid="dead-letter-retry"
        disabled={busy}
        onClick={() => void crm.retryDeadLetters(letter.key)}
      >
        {t('deadLetters.retry')}
      </button>
    </li>
  );
}
