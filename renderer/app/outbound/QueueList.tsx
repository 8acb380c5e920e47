// The callback queue as a virtual list (@tanstack/react-virtual): only the rows in view are
// in the DOM, whatever the queue's size; the page each visible row falls in is fetched from
// main (getQueue, PAGE_SIZE rows) as the agent scrolls, and fetched again when the queue
// changes. The total from main sizes the scrollbar. Arrow keys move, Enter opens.
import { memo, useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useTranslation } from 'react-i18next';
import type { Campaign, Locale, QueueItem } from '../../../preload/contract';
import { useAgent, useOutbound } from '../agent-context';
import { PAGE_SIZE, queueFilterOf } from '../outbound-actions';
import { campaignName, displayNumber, failureText } from './labels';
import { DueClock, QueueBadges } from './QueueBadges';

/** Fixed row height (px): two lines; kept in step with .q-row in styles.css. */
export const ROW_HEIGHT = 62;

export function QueueList() {
  const { t } = useTranslation();
  const outbound = useOutbound();
  const total = useAgent((s) => s.queueTotal);
  const pages = useAgent((s) => s.queuePages);
  const loading = useAgent((s) => s.queueLoading);
  const gen = useAgent((s) => s.queueGen);
  const seq = useAgent((s) => s.queueSeq);
  const error = useAgent((s) => s.outboundErrors.queue);
  const filtered = useAgent((s) => queueFilterOf(s.queueView) !== undefined);
  const selectedId = useAgent((s) => s.card?.item.id ?? null);
  const campaigns = useAgent((s) => s.campaigns);
  const locale = useAgent((s) => s.locale);
  const agentZone = useAgent((s) => s.agentZone);
  const scrollRef = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState(0);
  const count = total ?? 0;
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is read in render only
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 6,
    // React 19: no flushSync from inside its effects (scrolls render in the next batch).
    useFlushSync: false,
  });
  const rows = virtualizer.getVirtualItems();
  const first = rows[0]?.index ?? 0;
  const last = rows[rows.length - 1]?.index ?? 0;

  // New filters: a new list, read from its top.
  useEffect(() => {
    if (seq === 0) return;
    setActive(0);
    virtualizer.scrollToOffset(0);
  }, [seq, virtualizer]);

  // The pages of the rows in view (missing, or older than the queue): fetched, once each.
  useEffect(() => {
    outbound.ensureRows(first, last);
  }, [outbound, first, last, total, gen, pages, loading]);

  const itemAt = (i: number): QueueItem | undefined =>
    pages[Math.floor(i / PAGE_SIZE)]?.items[i % PAGE_SIZE];
  const cursor = Math.min(active, Math.max(0, count - 1));

  const move = (to: number) => {
    const i = Math.max(0, Math.min(count - 1, to));
    setActive(i);
    virtualizer.scrollToIndex(i, { align: 'auto' });
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (count === 0) return;
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 0) / ROW_HEIGHT));
    const keys: Record<string, () => void> = {
      ArrowDown: () => move(cursor + 1),
      ArrowUp: () => move(cursor - 1),
      PageDown: () => move(cursor + page),
      PageUp: () => move(cursor - page),
      Home: () => move(0),
      End: () => move(count - 1),
      Enter: () => {
        const item = itemAt(cursor);
        if (item) outbound.open(item);
      },
    };
    const run = keys[e.key];
    if (!run) return;
    e.preventDefault(); // not the window's Enter (answer) or the page's scroll
    run();
  };

  const openRow = useCallback(
    (item: QueueItem, index: number) => {
      setActive(index);
      outbound.open(item);
    },
    [outbound],
  );
  const byId = new Map((campaigns ?? []).map((c) => [c.id, c]));
  return (
    <div className="queue-list">
      <div className="queue-list-head">
        <span className="muted" data-testid="queue-total">
          {total === null
            ? t('outbound.list.loading')
            : t('outbound.list.total', {
                n: total.toLocaleString(locale === 'ja' ? 'ja-JP' : 'en-GB'),
              })}
        </span>
      </div>
      {error && (
        <p className="note note-error" role="alert" data-testid="queue-error" title={error.message}>
          <span>{t('outbound.list.failed', { reason: failureText(t, error) })}</span>
          <button type="button" className="note-dismiss" onClick={() => outbound.refreshQueue()}>
            {t('outbound.list.retry')}
          </button>
        </p>
      )}
      <div
        ref={scrollRef}
        className="queue-scroll"
        data-testid="queue-scroll"
        role="listbox"
        aria-label={t('outbound.list.label')}
        aria-activedescendant={count > 0 ? `q-row-${cursor}` : undefined}
        tabIndex={0}
        onKeyDown={onKeyDown}
      >
        <div className="queue-spacer" style={{ height: virtualizer.getTotalSize() }}>
          {rows.map((v) => (
            <QueueRow
              key={v.index}
              index={v.index}
              start={v.start}
              total={count}
              item={itemAt(v.index)}
              campaign={byId.get(itemAt(v.index)?.campaignId ?? '')}
              selected={itemAt(v.index)?.id === selectedId}
              active={v.index === cursor}
              locale={locale}
              agentZone={agentZone}
              onOpen={openRow}
            />
          ))}
        </div>
      </div>
      {total === 0 && (
        <p className="muted queue-empty" data-testid="queue-empty">
          {filtered ? t('outbound.list.emptyFiltered') : t('outbound.list.empty')}
        </p>
      )}
    </div>
  );
}

const QueueRow = memo(function QueueRow({
  index,
  start,
  total,
  item,
  campaign,
  selected,
  active,
  locale,
  agentZone,
  onOpen,
}: {
  index: number;
  start: number;
  total: number;
  item: QueueItem | undefined;
  campaign: Campaign | undefined;
  selected: boolean;
  active: boolean;
  locale: Locale;
  agentZone: string;
  onOpen(item: QueueItem, index: number): void;
}) {
  const { t } = useTranslation();
  const common = {
    id: `q-row-${index}`,
    role: 'option',
    'aria-posinset': index + 1,
    'aria-setsize': total,
    // Positioned by the virtualizer (CSSOM, not an inline style attribute: CSP-safe).
    style: { transform: `translateY(${start}px)` },
  } as const;
  if (!item) {
    return (
      <div
        {...common}
        className="q-row q-row-loading"
        aria-selected={false}
        aria-busy="true"
        data-testid="queue-row-loading"
      >
        <span className="q-skeleton" />
        <span className="q-skeleton q-skeleton-short" />
      </div>
    );
  }
  const name = item.customer?.name ?? displayNumber(item.number);
  return (
    <div
      {...common}
      className="q-row"
      data-testid="queue-row"
      data-index={index}
      data-callback-id={item.id}
      data-optout={item.optOut}
      data-dialable={item.blocked.length === 0 && item.optOut !== 'all' ? 'true' : 'false'}
      data-promised={item.promised || undefined}
      data-active={active || undefined}
      aria-selected={selected}
      onClick={() => onOpen(item, index)}
    >
      <span className="q-prio" title={t('outbound.row.priority', { n: item.priority })}>
        {item.priority}
      </span>
      <span className="q-main">
        <span className="q-line">
          <span className="q-name">{name}</span>
          {item.customer && <span className="q-number">{displayNumber(item.number)}</span>}
        </span>
        <span className="q-line q-line-2">
          <span className="q-campaign">{campaignName(campaign, locale)}</span>
          <QueueBadges item={item} locale={locale} />
        </span>
      </span>
      <DueClock item={item} agentZone={agentZone} locale={locale} />
    </div>
  );
});
