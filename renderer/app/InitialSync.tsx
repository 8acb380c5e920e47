import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useAgent } from './agent-context';
import { formatCount } from './format';

/** The first full pull from the CRM: how far it got (indeterminate until the total is known). */
export function InitialSync() {
  const { t } = useTranslation();
  const initial = useAgent((s) => s.syncStatus?.initial ?? null);
  const locale = useAgent((s) => s.locale);
  const id = useId();
  if (!initial) return null;
  const { done, total } = initial;
  const text =
    total === null
      ? t('sync.initialUnknown', { done: formatCount(done, locale) })
      : t('sync.initial', { done: formatCount(done, locale), total: formatCount(total, locale) });
  const known = total !== null && total > 0;
  return (
    <div className="initial-sync" data-testid="initial-sync">
      <span id={id} className="initial-sync-text">
        {text}
      </span>
      {/* Without a value a <progress> is indeterminate. */}
      <progress
        role="progressbar"
        aria-label={t('sync.initialLabel')}
        aria-describedby={id}
        aria-valuemin={known ? 0 : undefined}
        aria-valuenow={known ? Math.min(done, total) : undefined}
        aria-valuemax={known ? total : undefined}
        value={known ? Math.min(done, total) : undefined}
        max={known ? total : undefined}
      />
    </div>
  );
}
