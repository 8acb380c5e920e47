// What a callback's row says at a glance: do-not-call (loudly), why it cannot be dialled now,
// a promise, the attempts left, the notice sent; and its due time on both clocks.
import { useTranslation } from 'react-i18next';
import type { Locale, QueueItem } from '../../../preload/contract';
import { formatDay, formatWhen, sameClock } from './time';

export function QueueBadges({ item, locale }: { item: QueueItem; locale: Locale }) {
  const { t } = useTranslation();
  const optOut = item.optOut !== 'none';
  return (
    <span className="qbadges">
      {item.optOut === 'all' && (
        <span
          className="qb qb-optout"
          data-badge="opt-out-all"
          title={t('outbound.card.optOutAll')}
        >
          ⊘ {t('outbound.badge.optOutAll')}
        </span>
      )}
      {item.optOut === 'marketing' && (
        <span
          className="qb qb-optout-marketing"
          data-badge="opt-out-marketing"
          title={t('outbound.card.optOutMarketing')}
        >
          {t('outbound.badge.optOutMarketing')}
        </span>
      )}
      {item.blocked
        .filter((b) => !(optOut && b === 'opted_out'))
        .map((b) => (
          <span
            key={b}
            className="qb qb-block"
            data-badge={b}
            data-kind={b === 'not_due' || b === 'too_soon' ? 'time' : 'rule'}
            title={t(`outbound.block.${b}`)}
          >
            {t(`outbound.blockShort.${b}`)}
          </span>
        ))}
      {item.promised && (
        <span className="qb qb-promised" data-badge="promised">
          {t('outbound.badge.promised')}
        </span>
      )}
      {item.status === 'pending' && item.attemptsLeft > 0 && (
        <span className="qb qb-attempts" data-badge="attempts-left">
          {t('outbound.badge.attemptsLeft', { n: item.attemptsLeft })}
        </span>
      )}
      {item.notice && (
        <span className="qb qb-notice" data-badge="notice">
          {t('outbound.badge.notice', {
            channel: t(`outbound.channel.${item.notice.channel}`),
            date: formatDay(item.notice.sentAt, item.timeZone, locale),
          })}
        </span>
      )}
    </span>
  );
}

/** The due time on the customer's clock, and on the agent's when it reads differently. */
export function DueClock({
  item,
  agentZone,
  locale,
}: {
  item: QueueItem;
  agentZone: string;
  locale: Locale;
}) {
  const { t } = useTranslation();
  const same = sameClock(item.timeZone, agentZone, item.dueAt);
  return (
    <span className="due" data-same={same || undefined}>
      <span className="due-customer" data-testid="due-customer">
        {!same && <span className="due-label">{t('outbound.clock.customer')}</span>}
        {formatWhen(item.dueAt, item.timeZone, locale)}
      </span>
      {!same && (
        <span className="due-agent" data-testid="due-agent">
          <span className="due-label">{t('outbound.clock.agent')}</span>
          {formatWhen(item.dueAt, agentZone, locale)}
        </span>
      )}
    </span>
  );
}
