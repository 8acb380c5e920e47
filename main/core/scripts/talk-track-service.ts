// Each call's talk track, kept in core: which script, where the agent is in it, the answers.
// The renderer only shows it and sends moves, so a reload of the screen (or a second window)
// finds the same step. Every move is written through (script_sessions), every answer is
// stored and queued for the CRM the moment it is given (script_answers + outbox).
//
// The script is chosen for the call (choose-script.ts) the first time the screen asks. Until
// the agent does anything with it, it is chosen again whenever the call's facts change (an
// outbound call's campaign is known once its attempt is linked; a customer is assigned); the
// agent may switch at any time, and a script switched away from keeps its session and
// answers to come back to.
import type {
  AnswerValue,
  Locale,
  ScriptAnswer,
  TalkTrack,
  TalkTrackAction,
} from '../../../preload/contract';
import type { Logger } from '../log';
import type { ScriptAnswerRepo } from '../store/script-answers';
import type { ScriptSessionRepo } from '../store/script-sessions';
import type { CallInfo } from './call-info';
import { scriptContext } from './call-info';
import { chooseScripts, summarize, type CallFacts } from './choose-script';
import * as engine from './engine';
import type { Script } from './script-format';
import type { ScriptLibrary } from './script-library';

export interface TalkTrackDeps {
  library: ScriptLibrary;
  sessions: ScriptSessionRepo;
  answers: ScriptAnswerRepo;
  callInfo: (callId: string) => CallInfo | null;
  locale: () => Locale;
  agentName: () => string | null;
  emit: (track: TalkTrack) => void;
  /** An answer was stored for a call (its timeline entry may show it). */
  onAnswered?: (callId: string) => void;
  now: () => number;
  log: Logger;
  /** Calls kept in memory (the rest are read back from SQLite when asked). Default 50. */
  keep?: number;
}

/** The step the agent saw when moving: its id and the track's position. */
export interface StepAt {
  stepId: string;
  position: number;
}

export interface TalkTrackService {
  /** The call's talk track, starting it with the best-fitting script; null if none fits. */
  get(callId: string): TalkTrack | null;
  /** One move; with `at`, refused as 'stale' unless the agent saw the step now current. */
  act(callId: string, action: TalkTrackAction, at?: StepAt): TalkTrack;
  switchTo(callId: string, scriptId: string): TalkTrack;
  /** A call changed: an untouched automatic choice is made again on the new facts. */
  callChanged(callId: string): void;
  /** The scripts or the locale changed: untouched choices are redone, every track re-sent. */
  refresh(): void;
}

/** A refusal the dispatcher turns into an RpcFailure: not_found / invalid_state / argument. */
export class TalkTrackError extends Error {
  constructor(
    readonly kind: 'not_found' | 'invalid_state' | 'invalid_argument',
    message: string,
    readonly reason: string,
  ) {
    super(message);
    this.name = 'TalkTrackError';
  }
}

interface Live {
  info: CallInfo;
  scriptId: string;
  chosenBy: 'auto' | 'agent';
  /** By script id: the script object the session walks (its version) and the session. */
  sessions: Map<string, { script: Script; session: engine.Session }>;
  touchedAt: number;
}

export function createTalkTrackService(deps: TalkTrackDeps): TalkTrackService {
  const { library, log } = deps;
  const live = new Map<string, Live>();
  const keep = deps.keep ?? 50;

  const ctxOf = (l: Live, lang: Locale): engine.ScriptContext =>
    scriptContext(l.info, lang, deps.now(), deps.agentName());

  function untouched(l: Live): boolean {
    if (l.chosenBy !== 'auto' || l.sessions.size !== 1) return false;
    const s = l.sessions.get(l.scriptId)!.session;
    return (
      s.history.length === 0 &&
      Object.keys(s.answers).length === 0 &&
      s.confirmed.length === 0 &&
      s.objection === null
    );
  }

  function startOn(l: Live, script: Script): void {
    l.scriptId = script.id;
    const held = l.sessions.get(script.id);
    if (held && held.script.version === script.version) return;
    l.sessions.set(script.id, { script, session: engine.start(script, ctxOf(l, deps.locale())) });
  }

  function persist(callId: string, l: Live): void {
    l.touchedAt = deps.now();
    const sessions: Record<string, engine.Session> = {};
    for (const [id, s] of l.sessions) sessions[id] = s.session;
    try {
      deps.sessions.put(callId, { scriptId: l.scriptId, chosenBy: l.chosenBy, sessions });
    } catch (err) {
      // The answers are stored on their own; losing the position is not worth failing a move.
      log.error('could not store the talk-track position', { callId, err });
    }
  }

  function evict(): void {
    if (live.size <= keep) return;
    const oldest = [...live].sort((a, b) => a[1].touchedAt - b[1].touchedAt);
    for (const [id] of oldest.slice(0, live.size - keep)) live.delete(id);
  }

  /** Restores a stored position, keeping only sessions whose script version is still known. */
  function restore(callId: string, info: CallInfo): Live | null {
    const stored = deps.sessions.get(callId);
    if (!stored) return null;
    const l: Live = {
      info,
      scriptId: stored.scriptId,
      chosenBy: stored.chosenBy,
      sessions: new Map(),
      touchedAt: deps.now(),
    };
    for (const [id, session] of Object.entries(stored.sessions)) {
      const script = library.version(id, session.version);
      if (!script) continue;
      try {
        engine.view(script, session, ctxOf(l, deps.locale()), deps.locale());
        l.sessions.set(id, { script, session });
      } catch {
        // The step is gone from the script: that session cannot go on.
      }
    }
    if (!l.sessions.has(l.scriptId)) return null;
    return l;
  }

  function begin(callId: string, info: CallInfo, script: Script, chosenBy: Live['chosenBy']): Live {
    const l: Live = { info, scriptId: script.id, chosenBy, sessions: new Map(), touchedAt: 0 };
    startOn(l, script);
    live.set(callId, l);
    persist(callId, l);
    evict();
    return l;
  }

  /** The call's track: in memory, else restored from SQLite, else started (null: none fits). */
  function ensure(callId: string, known?: CallInfo): Live | null {
    const have = live.get(callId);
    if (have) return have;
    const info = known ?? deps.callInfo(callId);
    if (!info) return null;
    const restored = restore(callId, info);
    if (restored) {
      live.set(callId, restored);
      evict();
      return restored;
    }
    const { best } = chooseScripts(library.all(), info.facts);
    return best ? begin(callId, info, best, 'auto') : null;
  }

  function need(callId: string): Live {
    const l = ensure(callId);
    if (!l) {
      throw new TalkTrackError('not_found', `no talk track for call ${callId}`, 'no_script');
    }
    return l;
  }

  function render(callId: string, l: Live): TalkTrack {
    const lang = deps.locale();
    const { script, session } = l.sessions.get(l.scriptId)!;
    const step = engine.view(script, session, ctxOf(l, lang), lang);
    return {
      callId,
      script: summarize(script, lang),
      chosenBy: l.chosenBy,
      fit: l.info.facts,
      alternatives: chooseScripts(library.all(), l.info.facts).ranked.map((s) =>
        summarize(s, lang),
      ),
      step,
      position: session.history.length + 1,
      answers: safeAnswers(callId, script.id),
    };
  }

  function safeAnswers(callId: string, scriptId: string): ScriptAnswer[] {
    try {
      return deps.answers.forScript(callId, scriptId);
    } catch (err) {
      log.error('could not read the talk-track answers', { callId, err });
      return [];
    }
  }

  function send(callId: string, l: Live): TalkTrack {
    const track = render(callId, l);
    deps.emit(track);
    return track;
  }

  /** The question as asked and the answer as read back, in the agent's language. */
  function describeAnswer(
    script: Script,
    before: engine.Session,
    l: Live,
    value: AnswerValue,
  ): { question: string; display: string } {
    const lang = deps.locale();
    const v = engine.view(script, before, ctxOf(l, lang), lang);
    // Bounded as the contract's timeline entries are (a filled-in text can grow).
    return {
      question: (v.ask ?? v.say ?? v.stepId).slice(0, 4000),
      display: engine.answerText(script, v.stepId, value, lang).slice(0, 4000),
    };
  }

  function apply(callId: string, l: Live, action: TalkTrackAction): void {
    const held = l.sessions.get(l.scriptId)!;
    const { script, session } = held;
    const ctx = ctxOf(l, deps.locale());
    let next: engine.Session;
    switch (action.type) {
      case 'answer':
        next = engine.answer(script, session, action.value, ctx);
        break;
      case 'advance':
        next = engine.advance(script, session, ctx);
        break;
      case 'back':
        next = engine.back(script, session);
        break;
      case 'confirm':
        next = engine.confirm(script, session);
        break;
      case 'openObjection':
        next = engine.openObjection(script, session, action.objectionId);
        break;
      case 'closeObjection':
        next = engine.closeObjection(script, session, ctx);
        break;
    }
    if (action.type === 'answer') {
      const stepId = session.current;
      const stored = next.answers[stepId]!;
      const { question, display } = describeAnswer(script, session, l, stored);
      // Stored before the move is taken: an answer the disk refused is not shown as given.
      deps.answers.save({
        interactionId: callId,
        customerId: l.info.customer?.id ?? null,
        scriptId: script.id,
        scriptVersion: script.version,
        stepId,
        question,
        value: stored,
        display,
        at: deps.now(),
      });
    }
    held.session = next;
  }

  return {
    get(callId) {
      const l = ensure(callId);
      return l ? render(callId, l) : null;
    },
    act(callId, action, at) {
      const l = need(callId);
      if (at) {
        const { session } = l.sessions.get(l.scriptId)!;
        if (session.current !== at.stepId || session.history.length + 1 !== at.position) {
          throw new TalkTrackError(
            'invalid_state',
            `the talk track is at '${session.current}' (step ${session.history.length + 1}), not at '${at.stepId}' (step ${at.position})`,
            'stale',
          );
        }
      }
      try {
        apply(callId, l, action);
      } catch (err) {
        if (err instanceof engine.ScriptError) throw refusal(err);
        throw err;
      }
      persist(callId, l);
      if (action.type === 'answer') {
        try {
          deps.onAnswered?.(callId);
        } catch (err) {
          // The answer is stored; telling the timeline is not worth failing the move.
          log.error('could not announce a talk-track answer', { callId, err });
        }
      }
      return send(callId, l);
    },
    switchTo(callId, scriptId) {
      const script = library.get(scriptId);
      if (!script) {
        throw new TalkTrackError('not_found', `no script '${scriptId}' is loaded`, 'no_script');
      }
      const info = deps.callInfo(callId);
      if (!info) throw new TalkTrackError('not_found', `no call ${callId}`, 'no_call');
      if (script.match.direction !== info.facts.direction) {
        throw new TalkTrackError(
          'invalid_state',
          `script '${scriptId}' is for ${script.match.direction} calls, this one is ${info.facts.direction}`,
          'wrong_direction',
        );
      }
      // With nothing offered (no script fits), the agent's pick starts the track.
      const l = ensure(callId, info) ?? begin(callId, info, script, 'agent');
      l.chosenBy = 'agent';
      startOn(l, script);
      persist(callId, l);
      return send(callId, l);
    },
    callChanged(callId) {
      const l = live.get(callId);
      if (!l) return;
      const info = deps.callInfo(callId);
      // Once the call has ended its facts are history: the track stays as it was (the
      // timeline row does not even know the IVR's reason).
      if (!info?.live) return;
      const factsChanged = !sameFacts(l.info.facts, info.facts);
      const customerChanged = l.info.customer?.id !== info.customer?.id;
      l.info = info;
      if (!factsChanged && !customerChanged) return;
      if (factsChanged && untouched(l)) {
        const { best } = chooseScripts(library.all(), info.facts);
        if (best && best.id !== l.scriptId) {
          l.sessions.clear();
          startOn(l, best);
          persist(callId, l);
        }
      }
      // The texts may name the customer: re-sent even when the script stays.
      send(callId, l);
    },
    refresh() {
      for (const [callId, l] of live) {
        try {
          if (untouched(l)) {
            // A reloaded script (a new object) restarts an untouched session on its new text.
            const { best } = chooseScripts(library.all(), l.info.facts);
            if (best && best !== l.sessions.get(l.scriptId)!.script) {
              l.sessions.clear();
              startOn(l, best);
              persist(callId, l);
            }
          }
          send(callId, l);
        } catch (err) {
          log.warn('could not refresh a talk track', { callId, err });
        }
      }
    },
  };
}

function sameFacts(a: CallFacts, b: CallFacts): boolean {
  return (
    a.direction === b.direction &&
    a.reason === b.reason &&
    a.campaign === b.campaign &&
    a.segment === b.segment
  );
}

const NOT_FOUND = new Set<engine.ScriptErrorCode>(['unknown_step', 'unknown_objection']);

function refusal(err: engine.ScriptError): TalkTrackError {
  const kind =
    err.code === 'invalid_answer'
      ? 'invalid_argument'
      : NOT_FOUND.has(err.code)
        ? 'not_found'
        : 'invalid_state';
  return new TalkTrackError(kind, err.message, err.code);
}
