import { useTranslation } from 'react-i18next';
import { useActions, useAgent } from './agent-context';
import { DialWarningTag, refusesAll, useNumberCheck } from './outbound/NumberCheck';

/** An E.164 number in national form for display (+81355550101 → 0355550101). */
export function nationalForm(e164: string): string {
  return e164.startsWith('+81') ? `0${e164.slice(3)}` : e164;
}

/** A customer's number as a button that calls it (click-to-dial). */
export function ClickToDial({
  number,
  display,
  label,
}: {
  number: string;
  display?: string;
  /** A short caption instead of the number (when the number is shown next to it). */
  label?: string;
}) {
  const { t } = useTranslation();
  const actions = useActions();
  const dialing = useAgent((s) => s.dialing);
  const registered = useAgent((s) => s.phone?.registration === 'registered');
  const shown = display || nationalForm(number);
  // An opt-out of all calls: not offered (main refuses such a dial anyway).
  const check = useNumberCheck(number);
  const blocked = refusesAll(check);
  const caption = blocked ? t('outbound.check.all') : t('dial.clickToDial', { number: shown });
  return (
    <>
      <button
        type="button"
        className="click-to-dial"
        data-testid="click-to-dial"
        data-number={number}
        title={caption}
        aria-label={caption}
        disabled={dialing || !registered || blocked}
        onClick={() => void actions.dial(number)}
      >
        <span className="ctd-icon" aria-hidden="true">
          ☎
        </span>
        {label ?? shown}
      </button>
      <DialWarningTag check={check} />
    </>
  );
}
