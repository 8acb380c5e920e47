// A date and a time on the customer's clock (what they were promised), with the same instant
// on the agent's clock beside it. The customer's zone comes from the callback or the number;
// when neither tells, the agent picks it from a short list.
import { useTranslation } from 'react-i18next';
import type { Locale } from '../../../preload/contract';
import { useAgent } from '../agent-context';
import { useNow } from '../use-now';
import {
  ZONE_CHOICES,
  formatWhen,
  instantOf,
  quickPick,
  sameClock,
  wallOf,
  zoneName,
} from './time';

export interface ZonedValue {
  date: string;
  time: string;
  /** The customer's zone; '' until known or picked. */
  zone: string;
}

/** The instant the fields say (UTC ms), or null while incomplete. */
export const instantOfValue = (v: ZonedValue): number | null =>
  v.zone ? instantOf(v.date, v.time, v.zone) : null;

const QUICK = ['hour', 'tomorrowMorning', 'tomorrowEvening'] as const;

export function ZonedDateTime({
  id,
  value,
  onChange,
  invalid,
}: {
  id: string;
  value: ZonedValue;
  onChange(value: ZonedValue): void;
  /** Describes what is wrong (an id of a message below), or undefined. */
  invalid?: string;
}) {
  const { t } = useTranslation();
  const locale = useAgent((s) => s.locale);
  const agentZone = useAgent((s) => s.agentZone);
  const now = useNow(30_000);
  const at = instantOfValue(value);
  const zones: string[] = [...ZONE_CHOICES];
  if (value.zone && !zones.includes(value.zone)) zones.unshift(value.zone);
  return (
    <div className="zdt" data-testid="zoned-date-time">
      <div className="zdt-fields">
        <div>
          <label className="field-label" htmlFor={`${id}-date`}>
            {t('outbound.schedule.date')}
          </label>
          <input
            id={`${id}-date`}
            type="date"
            className="field field-small"
            data-testid="schedule-date"
            value={value.date}
            aria-invalid={invalid ? true : undefined}
            aria-describedby={invalid}
            onChange={(e) => onChange({ ...value, date: e.target.value })}
          />
        </div>
        <div>
          <label className="field-label" htmlFor={`${id}-time`}>
            {t('outbound.schedule.time')}
          </label>
          <input
            id={`${id}-time`}
            type="time"
            step={300}
            className="field field-small"
            data-testid="schedule-time"
            value={value.time}
            aria-invalid={invalid ? true : undefined}
            aria-describedby={invalid}
            onChange={(e) => onChange({ ...value, time: e.target.value })}
          />
        </div>
        <div className="zdt-zone">
          <label className="field-label" htmlFor={`${id}-zone`}>
            {t('outbound.schedule.zone')}
          </label>
          <select
            id={`${id}-zone`}
            className="field field-small"
            data-testid="schedule-zone"
            value={value.zone}
            onChange={(e) => onChange({ ...value, zone: e.target.value })}
          >
            {!value.zone && <option value="">{t('outbound.schedule.chooseZone')}</option>}
            {zones.map((z) => (
              <option key={z} value={z}>
                {`${zoneName(z, locale, now)} (${z})`}
              </option>
            ))}
          </select>
        </div>
      </div>
      {value.zone && (
        <div className="zdt-quick" role="group" aria-label={t('outbound.schedule.quickLabel')}>
          {QUICK.map((k) => (
            <button
              key={k}
              type="button"
              className="chip"
              data-testid={`quick-${k}`}
              onClick={() =>
                onChange({ ...value, ...wallOf(quickPick(k, now, value.zone), value.zone) })
              }
            >
              {t(`outbound.schedule.quick.${k}`)}
            </button>
          ))}
        </div>
      )}
      <Clocks
        at={at ?? now}
        chosen={at !== null}
        zone={value.zone}
        agentZone={agentZone}
        locale={locale}
      />
    </div>
  );
}

/** The chosen instant on both clocks, side by side. */
function Clocks({
  at,
  chosen,
  zone,
  agentZone,
  locale,
}: {
  at: number;
  chosen: boolean;
  zone: string;
  agentZone: string;
  locale: Locale;
}) {
  const { t } = useTranslation();
  const same = zone !== '' && sameClock(zone, agentZone, at);
  return (
    <div className="zdt-clocks" aria-live="polite">
      <div className="zdt-clock" data-testid="clock-customer">
        <span className="zdt-clock-label">{t('outbound.schedule.customerClock')}</span>
        <span className="zdt-clock-time">
          {chosen && zone ? formatWhen(at, zone, locale) : '—'}
        </span>
        <span className="zdt-clock-zone">{zone ? zoneName(zone, locale, at) : ''}</span>
      </div>
      <div className="zdt-clock" data-testid="clock-agent" data-same={same || undefined}>
        <span className="zdt-clock-label">{t('outbound.schedule.agentClock')}</span>
        <span className="zdt-clock-time">{chosen ? formatWhen(at, agentZone, locale) : '—'}</span>
        <span className="zdt-clock-zone">
          {same ? t('outbound.schedule.sameClock') : zoneName(agentZone, locale, at)}
        </span>
      </div>
    </div>
  );
}
