// A small core for the talk-track screen tests: walks fixture scripts with the engine's rules
// (a required step confirmed before moving on, answers checked, back, objections), answers
// getTalkTrack / talkTrackAction / switchScript / listScripts like core, and pushes
// 'talkTrack.updated' after every move as core does.
import type {
  AnswerValue,
  RpcError,
  ScriptAnswer,
  ScriptSummary,
  TalkTrack,
  TalkTrackAction,
  TalkTrackQuestion,
  TalkTrackStep,
} from '../../../../preload/contract';
import type { FakeBridge, Handlers } from '../fake-bridge';
import { NOW } from '../fixtures';

export interface FixtureStep {
  id: string;
  say?: string;
  ask?: string;
  question?: TalkTrackQuestion;
  mandatory?: boolean;
  confirm?: string;
  end?: TalkTrackStep['end'];
}

export interface FixtureScript {
  summary: ScriptSummary;
  steps: FixtureStep[];
  objections: { id: string; label: string; say: string; goto: string | null }[];
}

const summary = (id: string, title: string, over: Partial<ScriptSummary> = {}) => ({
  id,
  version: 1,
  title,
  direction: 'inbound' as const,
  reasons: [],
  campaigns: [],
  segments: [],
  ...over,
});

/** Every kind of step and question, in a line. */
export const inquiryScript: FixtureScript = {
  summary: summary('inbound-inquiry', 'お問い合わせ（受電）', { reasons: ['inquiry'] }),
  steps: [
    { id: 'greeting', say: 'お電話ありがとうございます。担当の佐藤でございます。' },
    {
      id: 'recording',
      say: 'このお電話は録音させていただいております。',
      mandatory: true,
      confirm: '通話録音の告知をしました',
    },
    {
      id: 'purpose',
      ask: '本日はどのようなご用件でしょうか。',
      question: {
        type: 'choice',
        options: [
          { value: 'cancel', label: 'キャンセル' },
          { value: 'address', label: '住所変更' },
          { value: 'other', label: 'その他' },
        ],
      },
    },
    { id: 'member', ask: '会員登録はお済みでしょうか。', question: { type: 'yes_no' } },
    { id: 'name', ask: 'お名前をお願いいたします。', question: { type: 'text', maxLength: 20 } },
    { id: 'qty', ask: '数量はおいくつですか。', question: { type: 'number', min: 1, max: 99 } },
    { id: 'when', ask: 'ご希望の日付はいつですか。', question: { type: 'date' } },
    {
      id: 'nps',
      ask: '当社を友人に薦める可能性は 0〜10 でどのくらいですか。',
      question: { type: 'nps', min: 0, max: 10 },
    },
    {
      id: 'end',
      say: 'お電話ありがとうございました。',
      end: { disposition: 'completed', action: 'schedule_callback' },
    },
  ],
  objections: [
    { id: 'busy', label: '今は忙しい', say: 'では改めてお電話いたしましょうか。', goto: null },
    { id: 'price', label: '高い', say: '今なら送料無料です。', goto: null },
  ],
};

export const generalScript: FixtureScript = {
  summary: summary('inbound-general', '一般のお問い合わせ（受電）'),
  steps: [
    { id: 'hello', say: 'お電話ありがとうございます。' },
    {
      id: 'bye',
      say: '失礼いたします。',
      end: { disposition: 'refused', action: 'record_opt_out' },
    },
  ],
  objections: [],
};

interface Session {
  scriptId: string;
  chosenBy: 'auto' | 'agent';
  current: number;
  history: number[];
  answers: Map<string, { value: AnswerValue; display: string; question: string; at: number }>;
  confirmed: Set<string>;
  objection: string | null;
}

const refusal = (reason: string, code: RpcError['code'] = 'invalid_state'): RpcError => ({
  code,
  message: `refused: ${reason}`,
  reason,
});

function check(q: TalkTrackQuestion, v: AnswerValue): { ok: boolean; display: string } {
  switch (q.type) {
    case 'choice': {
      const o = q.options.find((x) => x.value === v);
      return { ok: !!o, display: o?.label ?? '' };
    }
    case 'yes_no':
      return { ok: typeof v === 'boolean', display: v ? 'はい' : 'いいえ' };
    case 'text':
      return {
        ok: typeof v === 'string' && v.trim() !== '' && [...v].length <= q.maxLength,
        display: String(v),
      };
    case 'number':
      return {
        ok:
          typeof v === 'number' && (q.min === null || v >= q.min) && (q.max === null || v <= q.max),
        display: String(v),
      };
    case 'date':
      return { ok: typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v), display: String(v) };
    case 'nps':
      return {
        ok: typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 10,
        display: String(v),
      };
  }
}

export function fakeTalkTracks(
  scripts: FixtureScript[] = [inquiryScript, generalScript],
  opts: { fit?: Partial<TalkTrack['fit']>; none?: boolean } = {},
) {
  const sessions = new Map<string, Session>();
  let bridge: FakeBridge | null = null;
  const byId = (id: string) => scripts.find((s) => s.summary.id === id)!;

  function view(callId: string, s: Session): TalkTrack {
    const script = byId(s.scriptId);
    const step = script.steps[s.current]!;
    const objection = s.objection ? script.objections.find((o) => o.id === s.objection)! : null;
    const given = s.answers.get(step.id);
    const confirmed = s.confirmed.has(step.id);
    const kind = step.end ? 'end' : step.question ? 'ask' : 'say';
    return {
      callId,
      script: script.summary,
      chosenBy: s.chosenBy,
      fit: {
        direction: 'inbound',
        reason: 'inquiry',
        campaign: null,
        segment: 'repeat',
        ...opts.fit,
      },
      alternatives: scripts.map((x) => x.summary),
      step: {
        scriptId: script.summary.id,
        stepId: step.id,
        kind,
        say: step.say ?? null,
        ask: step.ask ?? null,
        question: step.question ?? null,
        answer: given?.value ?? null,
        mandatory: step.mandatory ?? false,
        confirmed,
        confirmText: step.mandatory ? (step.confirm ?? null) : null,
        canGoBack: s.history.length > 0 && !objection,
        canAdvance:
          kind !== 'end' &&
          !objection &&
          (kind === 'say' || given !== undefined) &&
          (!step.mandatory || confirmed),
        objections: script.objections.map((o) => ({ id: o.id, label: o.label })),
        objection,
        end: step.end ?? null,
      },
      position: s.history.length + 1,
      answers: [...s.answers].map(([stepId, a]): ScriptAnswer => ({
        stepId,
        question: a.question,
        value: a.value,
        display: a.display,
        answeredAt: a.at,
      })),
    };
  }

  function start(scriptId: string, chosenBy: Session['chosenBy']): Session {
    return {
      scriptId,
      chosenBy,
      current: 0,
      history: [],
      answers: new Map(),
      confirmed: new Set(),
      objection: null,
    };
  }

  function move(s: Session, action: TalkTrackAction): RpcError | null {
    const script = byId(s.scriptId);
    const step = script.steps[s.current]!;
    const leave = (): RpcError | null => {
      if (s.objection) return refusal('objection_open');
      if (step.end) return refusal('ended');
      if (step.mandatory && !s.confirmed.has(step.id)) return refusal('mandatory_unconfirmed');
      return null;
    };
    const forward = () => {
      s.history.push(s.current);
      s.current += 1;
    };
    switch (action.type) {
      case 'answer': {
        const no = leave();
        if (no) return no;
        if (!step.question) return refusal('not_a_question');
        const c = check(step.question, action.value);
        if (!c.ok) return refusal('invalid_answer', 'invalid_argument');
        s.answers.set(step.id, {
          value: action.value,
          display: c.display,
          question: step.ask ?? step.id,
          at: NOW,
        });
        forward();
        return null;
      }
      case 'advance': {
        const no = leave();
        if (no) return no;
        if (step.question && !s.answers.has(step.id)) return refusal('unanswered');
        forward();
        return null;
      }
      case 'back': {
        if (s.objection) return refusal('objection_open');
        const prev = s.history.pop();
        if (prev === undefined) return refusal('no_history');
        s.current = prev;
        return null;
      }
      case 'confirm':
        if (!step.mandatory) return refusal('not_mandatory');
        s.confirmed.add(step.id);
        return null;
      case 'openObjection':
        s.objection = action.objectionId;
        return null;
      case 'closeObjection':
        if (!s.objection) return refusal('no_objection');
        s.objection = null;
        return null;
    }
  }

  const send = (callId: string, s: Session): TalkTrack => {
    const track = view(callId, s);
    bridge?.emit('talkTrack.updated', track);
    return track;
  };

  const handlers: Handlers = {
    getTalkTrack: ({ callId }) => {
      if (opts.none) return { talkTrack: null };
      let s = sessions.get(callId);
      if (!s) {
        s = start(scripts[0]!.summary.id, 'auto');
        sessions.set(callId, s);
      }
      return { talkTrack: view(callId, s) };
    },
    talkTrackAction: ({ callId, at, action }) => {
      const s = sessions.get(callId);
      if (!s) return refusal('no_script', 'not_found');
      // Like core: a move made on a step that is no longer current is refused.
      const seen = view(callId, s);
      if (seen.step.stepId !== at.stepId || seen.position !== at.position) {
        return refusal('stale', 'invalid_state');
      }
      const no = move(s, action);
      return no ?? send(callId, s);
    },
    switchScript: ({ callId, scriptId }) => {
      // Like core: with no session (no script fitted), the agent's pick starts one.
      if (!scripts.some((x) => x.summary.id === scriptId)) return refusal('no_script', 'not_found');
      const next = start(scriptId, 'agent');
      sessions.set(callId, next);
      return send(callId, next);
    },
    listScripts: () => ({ scripts: scripts.map((x) => x.summary), problems: [] }),
  };

  return {
    handlers,
    sessions,
    attach(b: FakeBridge) {
      bridge = b;
    },
    /** The call's talk track as core has it now. */
    track(callId: string): TalkTrack {
      return view(callId, sessions.get(callId)!);
    },
    /** Moves the call's session (as another window would) without the screen asking. */
    act(callId: string, action: TalkTrackAction): TalkTrack {
      const s = sessions.get(callId)!;
      const no = move(s, action);
      if (no) throw new Error(no.message);
      return send(callId, s);
    },
  };
}
