// Why a talk-track move did not happen, in the agent's words: the engine's reason when it gave
// one (core's message, in English, stays the tooltip), else the request's error code.
import type { TFunction } from 'i18next';
import type { TalkTrackError } from '../store/talk-track-slice';

const SAID = [
  'mandatory_unconfirmed',
  'unanswered',
  'invalid_answer',
  'ended',
  'no_history',
  'objection_open',
  'no_objection',
  'not_mandatory',
  'not_a_question',
] as const;
type Said = (typeof SAID)[number];

/** The script changed under the screen (reloaded, switched): the move was about an old step. */
const STALE = new Set(['unknown_step', 'unknown_objection', 'wrong_script', 'branch_loop']);

const isSaid = (reason: string | null): reason is Said =>
  reason !== null && (SAID as readonly string[]).includes(reason);

export function refusalText(t: TFunction, err: TalkTrackError): string {
  if (err.text) return err.text;
  if (isSaid(err.reason)) return t(`talkTrack.refusal.${err.reason}`);
  if (err.reason !== null && STALE.has(err.reason)) return t('talkTrack.refusal.stale');
  return t('talkTrack.failed', { reason: t(`errors.code.${err.code}`) });
}
