// What the schedule dialog is about, from a call in progress or from a call in wrap-up (the
// call's button, the wrap-up's button and the talk track's end step all ask the same way).
import type { Call } from '../../../preload/contract';
import type { ScheduleRequest, WrapUp } from '../store/outbound-slice';
import { displayNumber } from './labels';
import { zoneForNumber } from './time';

/** null for a withheld number: there is nobody to call back. */
export function scheduleRequestForCall(call: Call): ScheduleRequest | null {
  if (call.remote.anonymous) return null;
  const number = call.remote.e164 ?? call.remote.raw;
  if (!number) return null;
  return {
    customerId: call.pop.customer?.id ?? null,
    name: call.pop.customer?.name ?? null,
    number,
    display: call.remote.display || displayNumber(number),
    timeZone: zoneForNumber(call.remote.e164),
    interactionId: call.id,
  };
}

export function scheduleRequestForWrapUp(w: WrapUp): ScheduleRequest | null {
  if (!w.number) return null;
  return {
    customerId: w.customerId,
    name: w.name,
    number: w.number,
    display: w.display,
    timeZone: w.timeZone,
    interactionId: w.callId,
    ...(w.campaignId ? { campaignId: w.campaignId } : {}),
  };
}
