// What the agent's buttons and shortcuts do. Each action runs at most once per call at a time
// and a failure lands in the store as an inline error — it never throws into React.
import { AgentRpcError, type AgentApi, type Locale } from '../../preload/contract';
import type { AgentStore } from './store/agent-store';
import type { ActionError, CallAction } from './store/ui-slice';

export interface CallActions {
  answer(callId: string): Promise<void>;
  reject(callId: string): Promise<void>;
  hangup(callId: string): Promise<void>;
  setLocale(locale: Locale): Promise<void>;
  dismissError(): void;
}

export function createCallActions(api: AgentApi, store: AgentStore): CallActions {
  const fail = (err: unknown, rest: Pick<ActionError, 'callId' | 'action'>) =>
    store.getState().setActionError({
      ...rest,
      code: err instanceof AgentRpcError ? err.code : 'internal',
      message: err instanceof Error ? err.message : String(err),
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

  return {
    answer: (callId) => run('answer', callId, () => api.answerCall({ callId })),
    reject: (callId) => run('reject', callId, () => api.rejectCall({ callId })),
    hangup: (callId) => run('hangup', callId, () => api.hangupCall({ callId })),
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
