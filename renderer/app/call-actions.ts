// What the agent's buttons and shortcuts do. Each action runs at most once per call at a time
// and a failure lands in the store as an inline error — it never throws into React.
import {
  AgentRpcError,
  type AgentApi,
  type Locale,
  type PhoneSettings,
} from '../../preload/contract';
import type { AgentStore } from './store/agent-store';
import type { ActionError, CallAction } from './store/ui-slice';

export interface CallActions {
  answer(callId: string): Promise<void>;
  reject(callId: string): Promise<void>;
  hangup(callId: string): Promise<void>;
  hold(callId: string): Promise<void>;
  resume(callId: string): Promise<void>;
  setMute(callId: string, muted: boolean): Promise<void>;
  /** One key of the keypad: the tone goes out at once (never blocked by another action). */
  sendDtmf(callId: string, tones: string): Promise<void>;
  /** Returns the new call's id, or null when the dial failed (the error is shown). */
  dial(target: string): Promise<string | null>;
  switchLine(callId: string): Promise<void>;
  blindTransfer(callId: string, target: string): Promise<void>;
  startConsult(callId: string, target: string): Promise<void>;
  completeTransfer(callId: string, consultCallId: string): Promise<void>;
  conference(callIds: [string, string]): Promise<void>;
  setPhoneSettings(patch: Partial<PhoneSettings>): Promise<void>;
  setLocale(locale: Locale): Promise<void>;
  dismissError(): void;
}

export interface ActionHooks {
  /** Local feedback tone for a keypad press (the far end hears the real DTMF). */
  dtmfFeedback?(tone: string): void;
}

export function createCallActions(
  api: AgentApi,
  store: AgentStore,
  hooks: ActionHooks = {},
): CallActions {
  const fail = (err: unknown, rest: Pick<ActionError, 'callId' | 'action'>) =>
    store.getState().setActionError({
      ...rest,
      code: err instanceof AgentRpcError ? err.code : 'internal',
      message: err instanceof Error ? err.message : String(err),
      ...(err instanceof AgentRpcError && err.reason ? { reason: err.reason } : {}),
    });

  async function run(action: CallAction, callId: string, call: () => Promise<unknown>) {
    const s = store.getState();
    if (s.pending[callId]) return;
    s.setPending(callId, action);
    if (s.actionError?.callId === callId) s.setActionError(null);
    try {
      await call();
    } catch (err) {
      fail(err, { callId, action });
    } finally {
      store.getState().setPending(callId, null);
    }
  }

  const select = (callId: string) => store.getState().selectCall(callId);

  return {
    answer: (callId) =>
      run('answer', callId, async () => {
        await api.answerCall({ callId });
        select(callId); // a waiting call answered becomes the current one (core holds the other)
      }),
    reject: (callId) => run('reject', callId, () => api.rejectCall({ callId })),
    hangup: (callId) => run('hangup', callId, () => api.hangupCall({ callId })),
    hold: (callId) => run('hold', callId, () => api.holdCall({ callId })),
    resume: (callId) => run('resume', callId, () => api.resumeCall({ callId })),
    setMute: (callId, muted) =>
      run(muted ? 'mute' : 'unmute', callId, () => api.setMute({ callId, muted })),
    async sendDtmf(callId, tones) {
      hooks.dtmfFeedback?.(tones);
      store.getState().addDtmfSent(callId, tones);
      try {
        await api.sendDtmf({ callId, tones });
      } catch (err) {
        fail(err, { callId, action: 'dtmf' });
      }
    },
    async dial(target) {
      const s = store.getState();
      if (s.dialing) return null;
      s.setDialing(true);
      if (s.actionError?.action === 'dial') s.setActionError(null);
      try {
        const { callId } = await api.dial({ target });
        select(callId);
        return callId;
      } catch (err) {
        fail(err, { callId: null, action: 'dial' });
        return null;
      } finally {
        store.getState().setDialing(false);
      }
    },
    switchLine: (callId) =>
      run('switchLine', callId, async () => {
        select(callId); // the card follows the agent's choice at once
        await api.switchLine({ callId });
      }),
    blindTransfer: (callId, target) =>
      run('blindTransfer', callId, () => api.blindTransfer({ callId, target })),
    startConsult: (callId, target) =>
      run('startConsult', callId, async () => {
        const { consultCallId } = await api.startConsult({ callId, target });
        select(consultCallId);
      }),
    completeTransfer: (callId, consultCallId) =>
      run('completeTransfer', callId, () => api.completeTransfer({ callId, consultCallId })),
    conference: (callIds) =>
      run('conference', callIds[0], () => api.conference({ callIds: [...callIds] })),
    async setPhoneSettings(patch) {
      const s = store.getState();
      const previous = s.settings;
      if (previous) s.setSettings({ ...previous, ...patch }); // at once; main confirms
      try {
        store.getState().setSettings(await api.setPhoneSettings(patch));
      } catch (err) {
        if (previous) store.getState().setSettings(previous);
        fail(err, { callId: null, action: 'settings' });
      }
    },
    async setLocale(locale) {
      const s = store.getState();
      const previous = s.locale;
      if (previous === locale) return;
      s.setLocale(locale); // switch at once; main confirms with 'locale.changed'
      try {
        await api.setLocale({ locale });
      } catch (err) {
        store.getState().setLocale(previous);
        fail(err, { callId: null, action: 'setLocale' });
      }
    },
    dismissError: () => store.getState().setActionError(null),
  };
}
