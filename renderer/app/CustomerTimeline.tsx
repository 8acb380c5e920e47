import { useTranslation } from 'react-i18next';
import type { Call, TimelineEntry } from '../../preload/contract';
import { useAgent } from './agent-context';
import { selectCurrentCall, selectRingingCall } from './store/agent-store';
import { ClickToDial } from './ClickToDial';
import { SegmentBadge } from './SegmentBadge';
import { TimelineItem } from './TimelineItem';
import { useNow } from './use-now';

const NONE: TimelineEntry[] = [];

/** Right column: the focused customer and every contact with them, newest first. */
export function CustomerTimeline() {
  const { t } = useTranslation();
  const customer = useAgent((s) => s.focusedCustomer);
  const entries = useAgent((s) => (customer ? s.timelines[customer.id] : undefined)) ?? NONE;
  const error = useAgent((s) => s.timelineError);
  const now = useNow(60_000);
  const ringing = useAgent(selectRingingCall);
  const current = useAgent(selectCurrentCall);
  return (
    <section className="card timeline-card" aria-labelledby="timeline-title">
      <header className="card-head">
        <h2 id="timeline-title" className="card-title">
          {t('timeline.title')}
        </h2>
        {customer && <span className="count">{entries.length}</span>}
      </header>
      {customer ? (
        <>
          <div className="customer-head" data-testid="timeline-customer">
            <p className="customer-name">
              {customer.name}
              {customer.nameKana && <span className="customer-kana">{customer.nameKana}</span>}
            </p>
            <SegmentBadge segment={customer.segment} />
            {customer.phone && <ClickToDial number={customer.phone} />}
          </div>
          {error && (
            <p className="note note-warn" role="status">
              {t('timeline.loadFailed', { message: error })}
            </p>
          )}
          <ol className="timeline" data-testid="timeline">
            {entries.map((e) => (
              <TimelineItem key={e.id} entry={e} now={now} />
            ))}
          </ol>
          {entries.length === 0 && <p className="muted empty">{t('timeline.empty')}</p>}
        </>
      ) : (
        <NoCustomer call={ringing ?? current} />
      )}
    </section>
  );
}

/** Why there is no timeline: a caller we do not know, one who hid the number, or no call. */
function NoCustomer({ call }: { call: Call | null }) {
  const { t } = useTranslation();
  if (call && call.state !== 'ended') {
    const anonymous = call.remote.anonymous;
    return (
      <div className="empty-state">
        <p>{anonymous ? t('timeline.anonymousCaller') : t('timeline.unknownCaller')}</p>
        {!anonymous && <p className="muted">{call.remote.display || call.remote.raw}</p>}
      </div>
    );
  }
  return (
    <div className="empty-state">
      <p>{t('timeline.noCustomer')}</p>
      <p className="muted">{t('timeline.noCustomerHint')}</p>
    </div>
  );
}
