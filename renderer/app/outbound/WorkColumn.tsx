// The column beside the call: the customer of the call (wrap-up, notes, timeline) or the
// callback queue, as two tabs. The customer tab stays mounted (the notes editor keeps its
// place); the queue mounts when opened, so an inbound-only desk never fetches it.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useAgent } from '../agent-context';
import { formatCount } from '../format';
import { selectInWrapUp, type WorkTab } from '../store/outbound-slice';
import { QueuePanel } from './QueuePanel';

const TABS: readonly WorkTab[] = ['customer', 'queue'];

export function WorkColumn({ customer }: { customer: ReactNode }) {
  const tab = useAgent((s) => s.workTab);
  return (
    <>
      <WorkTabs />
      <div
        id="work-customer"
        className="work-panel"
        role="tabpanel"
        aria-labelledby="work-tab-customer"
        hidden={tab !== 'customer'}
      >
        {customer}
      </div>
      {tab === 'queue' && (
        <div
          id="work-queue"
          className="work-panel"
          role="tabpanel"
          aria-labelledby="work-tab-queue"
        >
          <QueuePanel />
        </div>
      )}
    </>
  );
}

function WorkTabs() {
  const { t } = useTranslation();
  const tab = useAgent((s) => s.workTab);
  const setTab = useAgent((s) => s.setWorkTab);
  const ready = useAgent((s) => s.queueCounts?.dialableNow ?? null);
  const locale = useAgent((s) => s.locale);
  const inWrapUp = useAgent(selectInWrapUp);
  return (
    <div className="work-tabs" role="tablist" aria-label={t('outbound.tabs.label')}>
      {TABS.map((k) => (
        <button
          key={k}
          id={`work-tab-${k}`}
          type="button"
          role="tab"
          className="work-tab"
          data-testid={`tab-${k}`}
          aria-selected={tab === k}
          aria-controls={`work-${k}`}
          tabIndex={tab === k ? 0 : -1}
          onClick={() => setTab(k)}
          onKeyDown={(e) => {
            if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
            e.preventDefault();
            const next = k === 'customer' ? 'queue' : 'customer';
            setTab(next);
            document.getElementById(`work-tab-${next}`)?.focus();
          }}
        >
          {t(`outbound.tabs.${k}`)}
          {k === 'customer' && inWrapUp && <span className="tab-dot" aria-hidden="true" />}
          {k === 'queue' && ready !== null && ready > 0 && (
            <span className="tab-count" title={t('outbound.tabs.ready', { n: ready })}>
              {formatCount(ready, locale)}
            </span>
          )}
        </button>
      ))}
      <span className="keys work-tabs-key" aria-hidden="true">
        <kbd>Q</kbd>
      </span>
    </div>
  );
}
