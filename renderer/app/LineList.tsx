import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useActions, useAgent } from './agent-context';
import { callWho, isEstablished } from './call-who';
import { CallStateBadge } from './CallStateBadge';
import { ShortcutKeys } from './ShortcutKeys';
import { selectCurrentCall } from './store/agent-store';

/** Every call in progress when there is more than one; pick one to talk on it. */
export function LineList() {
  const { t } = useTranslation();
  const calls = useAgent((s) => s.calls);
  const current = useAgent(selectCurrentCall);
  const pending = useAgent((s) => s.pending);
  const actions = useActions();
  const lines = useMemo(
    () =>
      Object.values(calls)
        .filter((c) => c.state !== 'ended')
        .sort((a, b) => a.startedAt - b.startedAt || (a.id < b.id ? -1 : 1)),
    [calls],
  );
  if (lines.length < 2) return null;
  return (
    <section className="card lines" aria-labelledby="lines-title" data-testid="lines">
      <header className="card-head">
        <h2 id="lines-title" className="card-title">
          {t('lines.title')}
        </h2>
        <span className="keys-hint">
          <ShortcutKeys shortcut="nextLine" />
          <span className="muted">{t('shortcuts.nextLine')}</span>
        </span>
      </header>
      <ol className="line-list">
        {lines.map((c, i) => {
          const isCurrent = c.id === current?.id;
          const canSwitch = isEstablished(c) && (!isCurrent || c.onHold);
          const hold = c.onHold ? 'local' : c.remoteHold ? 'remote' : null;
          return (
            <li key={c.id}>
              <button
                type="button"
                className="line"
                data-testid={`line-${c.id}`}
                data-current={isCurrent}
                data-state={c.state}
                data-hold={hold ?? undefined}
                aria-current={isCurrent ? 'true' : undefined}
                title={canSwitch ? t('lines.switch') : undefined}
                disabled={!canSwitch || pending[c.id] !== undefined}
                onClick={() => void actions.switchLine(c.id)}
              >
                <span className="line-no">{i + 1}</span>
                <span className="line-who">
                  {callWho(c, t)}
                  {c.consultFor && <span className="line-tag">{t('transfer.title')}</span>}
                </span>
                {hold ? (
                  <span className="flag" data-flag={`hold-${hold}`}>
                    {hold === 'local' ? t('call.onHold') : t('call.remoteHold')}
                  </span>
                ) : (
                  <CallStateBadge state={c.state} direction={c.direction} testId={null} />
                )}
              </button>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
