// How each kind of contact on a timeline is marked: calls are ours; the others are pulled
// from the CRM (other channels, other desks). Glyphs from common fonts (no colour emoji).
import type { InteractionKind } from '../../preload/contract';

export const KIND_ICON: Record<InteractionKind, string> = {
  call: '☎',
  email: '✉',
  chat: '❝',
  order: '¥',
  ticket: '⚑',
  note: '✎',
};
