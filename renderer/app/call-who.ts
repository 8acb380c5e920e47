import type { TFunction } from 'i18next';
import type { Call } from '../../preload/contract';

/** How a call's other party is named in short labels (lines, consult links). */
export function callWho(call: Call, t: TFunction): string {
  return (
    call.pop.customer?.name ??
    (call.remote.anonymous
      ? t('call.anonymous')
      : call.remote.display || call.remote.raw || t('call.unknownCustomer'))
  );
}

/** Calls that can be mixed or switched: established and not ended. */
export const isEstablished = (c: Call) => c.state === 'active';
