// Small shared pieces of the outbound screen: how numbers, campaigns and refusals read.
import type { TFunction } from 'i18next';
import { parsePhoneNumberFromString } from 'libphonenumber-js/min';
import { DialBlock, type Campaign, type Locale } from '../../../preload/contract';
import type { OutboundError } from '../store/outbound-slice';

/** 03-5555-0101 for a Japanese number, (212) 555-1234 for a US one; else as given. */
export function displayNumber(number: string): string {
  if (!number.startsWith('+')) return number;
  const parsed = parsePhoneNumberFromString(number);
  if (!parsed) return number;
  return parsed.country === 'JP' ? parsed.formatNational() : parsed.formatInternational();
}

export const campaignName = (c: Campaign | undefined, locale: Locale): string =>
  c ? c.name[locale] : '';

export const isDialBlock = (v: unknown): v is DialBlock => DialBlock.safeParse(v).success;

/** Why a request failed, in the agent's words: a refusal names its rule (a DialBlock). */
export function failureText(
  t: TFunction,
  err: Pick<OutboundError, 'code'> & { reason?: string | null },
): string {
  if (err.code === 'refused' && isDialBlock(err.reason)) return t(`outbound.block.${err.reason}`);
  return t(`errors.code.${err.code}`);
}

/** The outbound keys (no modifier, never while typing), shown in the queue's legend. */
export const OUTBOUND_KEYS = [
  ['N', 'outbound.keys.next'],
  ['Enter', 'outbound.keys.dial'],
  ['S', 'outbound.keys.skip'],
  ['Esc', 'outbound.keys.stop'],
  ['Q', 'outbound.keys.queue'],
] as const;
