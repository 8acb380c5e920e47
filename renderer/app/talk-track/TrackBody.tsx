// A call's talk track at work: what it was chosen on and the script switcher, an open
// objection, the current step, the last refusal, the objections, the answers so far and the
// keys. Every key of the panel is read here (talk-keys.ts) while the focus is inside it.
import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { TalkTrack } from '../../../preload/contract';
import { useAgent, useAgentStore, useTalkTrack } from '../agent-context';
import { AnswersList } from './AnswersList';
import { ErrorLine } from './ErrorLine';
import { FitLine } from './FitLine';
import { ObjectionButtons, OpenObjection } from './Objections';
import { ScriptSwitcher } from './ScriptSwitcher';
import { StepCard } from './StepCard';
import { OWN_ACTIVATION, TYPING, readTalkKey, type TalkKey } from './talk-keys';
import { TalkKeysLegend } from './TalkKeysLegend';
import { useFocusKeeper } from './use-focus-keeper';
import { useStepMoves } from './use-step-moves';

/** Keys pressed while a move is on its way, played once it is done (typing ahead). */
const TYPE_AHEAD = 4;

/** The NPS score typed so far ('1' then '0' is 10; a digit that makes it too big starts anew). */
function typeScore(typed: string, digit: number): string {
  const n = Number(`${typed}${digit}`);
  return String(n > 10 ? digit : n);
}

export function TrackBody({ callId, track }: { callId: string; track: TalkTrack }) {
  const talk = useTalkTrack();
  const step = track.step;
  const stepKey = `${step.scriptId}|${step.stepId}|${track.position}|${step.objection?.id ?? ''}`;
  const moves = useStepMoves(callId, track);
  const ref = useRef<HTMLDivElement>(null);
  const focus = useFocusKeeper(ref, stepKey);
  // Both belong to the step they were started on.
  const [nps, setNps] = useState({ at: stepKey, typed: '' });
  const npsTyped = nps.at === stepKey ? nps.typed : '';
  const [armedAt, setArmedAt] = useState<string | null>(null);
  const armed = armedAt === stepKey;
  const [switchOpen, setSwitchOpen] = useState(false);
  const busy = useAgent((s) => s.talkTrackBusy[callId] !== undefined);
  const ahead = useRef<TalkKey[]>([]);
  const [replays, replayed] = useState(0);
  const store = useAgentStore();

  // A refusal is about the step it was made on.
  const firstStep = useRef(stepKey);
  useEffect(() => {
    if (firstStep.current !== stepKey) talk.dismissError(callId);
    firstStep.current = stepKey;
  }, [talk, callId, stepKey]);

  const q = step.question;

  function handle(key: TalkKey, target: Element, typing: boolean): boolean {
    if (armed && key.kind !== 'digit') setArmedAt(null);
    switch (key.kind) {
      case 'escape':
        if (armed) return true;
        if (step.objection) {
          moves.closeObjection();
          return true;
        }
        if (typing) {
          // Out of the field, still in the panel: the letter keys work again.
          ref.current?.querySelector<HTMLElement>('[data-testid="talk-step"]')?.focus();
          return true;
        }
        return false;
      case 'back':
        moves.back();
        return true;
      case 'confirm':
        moves.confirm();
        return true;
      case 'enter': {
        const own = target.closest<HTMLElement>(OWN_ACTIVATION);
        if (own) {
          // The focused button does what it says (and the window's Enter does not answer).
          own.click();
          return true;
        }
        if (step.kind === 'end' && !step.objection) {
          const action = ref.current?.querySelector<HTMLElement>('[data-talk-action]');
          if (!action || (action as HTMLButtonElement).disabled) return false;
          action.click();
          return true;
        }
        moves.next(npsTyped);
        return true;
      }
      case 'space':
        if (target.closest(OWN_ACTIVATION) || target.matches('input[type="checkbox"]'))
          return false; // the element's own Space
        moves.confirm();
        return true;
      case 'backspace':
        if (npsTyped !== '') setNps({ at: stepKey, typed: '' });
        else moves.back();
        return true;
      case 'digit':
        if (armed) {
          setArmedAt(null);
          const o = key.digit > 0 ? step.objections[key.digit - 1] : undefined;
          if (o) moves.openObjection(o.id);
          return true;
        }
        if (step.objection) {
          talk.refuse(callId, 'objection_open');
          return true;
        }
        if (q?.type === 'choice') {
          const o = key.digit > 0 ? q.options[key.digit - 1] : undefined;
          if (o) moves.answer(o.value);
        } else if (q?.type === 'nps') {
          setNps({ at: stepKey, typed: typeScore(npsTyped, key.digit) });
        }
        return true; // never a DTMF tone from inside the panel
      case 'letter':
        switch (key.letter) {
          case 'y':
          case 'n':
            if (q?.type === 'yes_no') moves.answer(key.letter === 'y');
            return true;
          case 'c':
            moves.confirm();
            return true;
          case 'o':
            if (step.objections.length > 0) setArmedAt(stepKey);
            return true;
          case 's':
            if (track.alternatives.length > 0) setSwitchOpen(true);
            return true;
          default:
            return false; // the window's call keys (hang up, hold, mute…) still work here
        }
    }
  }

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.defaultPrevented) return;
    const target = e.target as Element;
    if (target.closest('[data-talk-menu]')) return; // the script menu reads its own keys
    const typing = target.closest(TYPING) !== null;
    const key = readTalkKey(e.nativeEvent, typing);
    if (!key) return;
    // A key for the next step, pressed before the step is there: kept for it, in order.
    const moving = store.getState().talkTrackBusy[callId] !== undefined; // not the last render's
    const queue = moving || ahead.current.length > 0;
    if (queue && key.kind !== 'escape' && !typing && !target.closest(OWN_ACTIVATION)) {
      if (key.kind === 'letter' && !'yncos'.includes(key.letter)) return;
      if (ahead.current.length < TYPE_AHEAD) ahead.current.push(key);
      e.preventDefault();
      return;
    }
    if (handle(key, target, typing)) e.preventDefault();
  };

  // The move is done and the step it led to is on screen: the keys typed ahead, one per
  // render (each sees the step and the state the one before it left).
  const latest = useRef(handle);
  useLayoutEffect(() => {
    latest.current = handle;
  });
  useEffect(() => {
    if (busy) return;
    // A refused move: the keys typed for the step after it are not for this one.
    if (store.getState().talkTrackErrors[callId]) {
      ahead.current = [];
      return;
    }
    const key = ahead.current.shift();
    const on = ref.current?.querySelector('[data-testid="talk-step"]');
    if (!key || !on) return;
    latest.current(key, on, false);
    if (ahead.current.length > 0 && !store.getState().talkTrackBusy[callId]) replayed((n) => n + 1);
  }, [busy, stepKey, replays, store, callId]);

  return (
    <div
      ref={ref}
      className="talk-body"
      data-step-key={stepKey}
      onKeyDown={onKeyDown}
      onFocus={focus.onFocus}
      onBlur={focus.onBlur}
    >
      <div className="talk-context">
        <FitLine fit={track.fit} />
        <ScriptSwitcher
          callId={callId}
          scripts={track.alternatives}
          currentId={track.script.id}
          best
          open={switchOpen}
          onOpenChange={setSwitchOpen}
        />
      </div>
      {step.objection && (
        <OpenObjection objection={step.objection} onClose={moves.closeObjection} />
      )}
      <StepCard callId={callId} track={track} moves={moves} npsTyped={npsTyped} />
      <ErrorLine callId={callId} />
      <ObjectionButtons
        objections={step.objections}
        openId={step.objection?.id ?? null}
        armed={armed}
        onOpen={moves.openObjection}
      />
      <AnswersList answers={track.answers} currentStepId={step.stepId} />
      <TalkKeysLegend />
    </div>
  );
}
