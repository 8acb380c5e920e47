import { useTranslation } from 'react-i18next';
import type { Call } from '../../preload/contract';
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
        <p className="identity-number" data-testid="pop-number">
          {call.remote.display || call.remote.raw}
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
