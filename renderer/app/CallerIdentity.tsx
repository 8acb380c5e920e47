import { useTranslation } from 'react-i18next';
import type { Call } from '../../preload/contract';
import { ClickToDial } from './ClickToDial';
import { SegmentBadge } from './SegmentBadge';

/** Who is calling: customer name + kana + number, or "unknown customer" / 非通知. */
export function CallerIdentity({ call }: { call: Call }) {
  const { t } = useTranslation();
  const customer = call.pop.customer;
  const anonymous = call.remote.anonymous;
  const name = customer
    ? customer.name
    : anonymous
      ? t('call.anonymous')
      : t('call.unknownCustomer');
  const honorific = customer ? t('call.honorific') : '';
  const cid = call.remote.displayName;
  return (
    <div
      className="identity"
      data-known={customer ? 'customer' : anonymous ? 'anonymous' : 'unknown'}
    >
      <p className="identity-name">
        <span data-testid="pop-name">{name}</span>
        {honorific && <span className="honorific">{honorific}</span>}
        {customer && <SegmentBadge segment={customer.segment} />}
      </p>
      {customer?.nameKana && (
        <p className="identity-kana" data-testid="pop-kana">
          {customer.nameKana}
        </p>
      )}
      {!anonymous && (
        <p className="identity-number">
          <span data-testid="pop-number">{call.remote.display || call.remote.raw}</span>
          {/* After the call: call back from the card. */}
          {call.state === 'ended' && (call.remote.e164 || call.remote.raw) && (
            <ClickToDial number={call.remote.e164 ?? call.remote.raw} label={t('dial.call')} />
          )}
        </p>
      )}
      {!customer && (
        <p className="identity-hint">
          {anonymous ? t('call.anonymousHint') : t('call.unknownHint')}
        </p>
      )}
      {cid && cid !== customer?.name && (
        <p className="identity-cid">{t('call.callerIdName', { name: cid })}</p>
      )}
    </div>
  );
}
