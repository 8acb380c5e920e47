// Before a manual dial: what main would say to this number (checkNumber). An 'all' opt-out
// disables the dial button with the reason; 'marketing' is a warning (service calls may go).
// Main refuses an opted-out dial anyway: this only saves the agent the surprise.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAgent, useOutbound } from '../agent-context';
import type { NumberCheck } from '../store/outbound-slice';

/** The value once it has stayed the same for ms (at once when ms is 0). */
function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    if (ms <= 0) return;
    const id = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(id);
  }, [value, ms]);
  return ms <= 0 ? value : settled;
}

/** main's answer for the number (undefined until asked; null number: nothing to check). */
export function useNumberCheck(number: string | null, delayMs = 0): NumberCheck | undefined {
  const outbound = useOutbound();
  // Typing: ask once the agent pauses, not for every digit.
  const settled = useSettled(number, delayMs);
  const target = settled === number ? number : null;
  const check = useAgent((s) => (target ? s.numberChecks[target] : undefined));
  useEffect(() => {
    if (target && !check) void outbound.checkNumber(target);
  }, [target, check, outbound]);
  return target ? check : undefined;
}

export const refusesAll = (c: NumberCheck | undefined) =>
  c?.status === 'done' && c.optOut === 'all';

/** The opt-out of the number, said next to the dial button. */
export function DialWarning({ check, id }: { check: NumberCheck | undefined; id?: string }) {
  const { t } = useTranslation();
  if (check?.status !== 'done' || check.optOut === 'none') return null;
  const all = check.optOut === 'all';
  return (
    <p
      id={id}
      className={`note ${all ? 'note-error' : 'note-warn'} dial-warning`}
      data-testid="dial-warning"
      data-level={check.optOut}
      role="status"
    >
      <span aria-hidden="true">⊘</span>
      <span>{all ? t('outbound.check.all') : t('outbound.check.marketing')}</span>
    </p>
  );
}

/** The same, as a small tag beside a click-to-dial number. */
export function DialWarningTag({ check }: { check: NumberCheck | undefined }) {
  const { t } = useTranslation();
  if (check?.status !== 'done' || check.optOut === 'none') return null;
  const all = check.optOut === 'all';
  return (
    <span
      className="ctd-warn"
      data-level={check.optOut}
      data-testid="ctd-warning"
      title={all ? t('outbound.check.all') : t('outbound.check.marketing')}
    >
      ⊘ {all ? t('outbound.check.allShort') : t('outbound.check.marketingShort')}
    </span>
  );
}
