// The moves the panel's buttons and keys make on the current step. Checks the screen can make
// at once (a required step not confirmed, an objection open, an empty or out-of-range answer)
// are said without asking core; everything else is core's call. What the agent typed stays in
// the store until core took the answer.
import { useTranslation } from 'react-i18next';
import type { AnswerValue, TalkTrack } from '../../../preload/contract';
import { useAgent, useAgentStore, useTalkTrack } from '../agent-context';
import { draftKey } from '../store/talk-track-slice';
import { answerText, isTyped, readTypedAnswer } from './typed-answer';

export interface StepMoves {
  /** The text in the step's field: the draft, else the answer given earlier. */
  typed: string;
  setTyped(text: string): void;
  answer(value: AnswerValue): void;
  /** Enter / Next: take the typed answer or the NPS score typed, else move on. */
  next(npsTyped: string): void;
  back(): void;
  confirm(): void;
  openObjection(objectionId: string): void;
  closeObjection(): void;
}

export function useStepMoves(callId: string, track: TalkTrack): StepMoves {
  const { t } = useTranslation();
  const talk = useTalkTrack();
  const store = useAgentStore();
  const step = track.step;
  const key = draftKey(callId, step.scriptId, step.stepId);
  const draft = useAgent((s) => s.talkDrafts[key]);
  const typed = draft ?? answerText(step.answer);
  const blocked = step.mandatory && !step.confirmed;

  const refuse = (reason: string, text?: string) => talk.refuse(callId, reason, text);
  /** Nothing leaves the step while a required confirmation or an objection is pending. */
  const mayLeave = (): boolean => {
    if (step.objection) refuse('objection_open');
    else if (blocked) refuse('mandatory_unconfirmed');
    else if (step.kind === 'end') refuse('ended');
    else return true;
    return false;
  };
  const answer = (value: AnswerValue) => {
    if (!mayLeave()) return;
    void talk.act(callId, { type: 'answer', value }).then((ok) => {
      if (ok) store.getState().setTalkDraft(key, null);
    });
  };

  return {
    typed,
    setTyped: (text) => store.getState().setTalkDraft(key, text),
    answer,
    next(npsTyped) {
      if (step.objection) {
        void talk.act(callId, { type: 'closeObjection' });
        return;
      }
      if (!mayLeave()) return;
      const q = step.question;
      if (isTyped(q)) {
        const read = readTypedAnswer(q, typed);
        if (!read.ok) {
          const { key: problem, ...params } = read.problem;
          refuse(
            problem === 'talkTrack.invalid.empty' ? 'unanswered' : 'invalid_answer',
            t(problem, params),
          );
          return;
        }
        // The same answer as before (after going back): just move on.
        if (read.value === step.answer && step.canAdvance) {
          void talk.act(callId, { type: 'advance' });
          store.getState().setTalkDraft(key, null);
        } else answer(read.value);
        return;
      }
      if (q?.type === 'nps' && npsTyped !== '') {
        answer(Number(npsTyped));
        return;
      }
      if (step.canAdvance) void talk.act(callId, { type: 'advance' });
      else refuse(step.kind === 'ask' ? 'unanswered' : 'ended');
    },
    back() {
      if (step.objection) refuse('objection_open');
      else if (!step.canGoBack) refuse('no_history');
      else void talk.act(callId, { type: 'back' });
    },
    confirm() {
      if (step.mandatory && !step.confirmed) void talk.act(callId, { type: 'confirm' });
    },
    openObjection(objectionId) {
      void talk.act(callId, { type: 'openObjection', objectionId });
    },
    closeObjection() {
      if (step.objection) void talk.act(callId, { type: 'closeObjection' });
    },
  };
}
