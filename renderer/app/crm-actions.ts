// What the sync status, the dead-letter panel and the do-not-call button do. Like the call
// actions: one request of a kind at a time, a failure lands in the store, never throws.
import { AgentRpcError, type AgentApi, type Call, type OptOutScope } from '../../preload/contract';
import type { AgentStore } from './store/agent-store';
import type { CrmAction, CrmError } from './store/crm-slice';

export interface CrmActions {
  syncNow(): Promise<void>;
  loadDeadLetters(): Promise<void>;
  /** One dead letter by key, or all of them. */
  retryDeadLetters(key?: string): Promise<void>;
  /** Do-not-call for the call's number (and its customer). */
  setOptOut(call: Call, scope: OptOutScope, reason: string | null): Promise<void>;
}

const errorOf = (err: unknown): CrmError => ({
  code: err instanceof AgentRpcError ? err.code : 'internal',
  message: err instanceof Error ? err.message : String(err),
});

/** The number to register: E.164 when main could normalize it, else the raw number. */
export function optOutNumber(call: Call): string | null {
  if (call.remote.anonymous) return null;
  const n = call.remote.e164 ?? call.remote.raw;
  return /^[0-9０-９+＋*#()（）\-－ー\s.]+$/.test(n) && /[0-9０-９]/.test(n) ? n : null;
}

export function createCrmActions(api: AgentApi, store: AgentStore): CrmActions {
  async function once(key: string, action: CrmAction, run: () => Promise<void>) {
    const s = store.getState();
    if (s.crmPending[key]) return;
    s.setCrmPending(key, true);
    if (s.crmError?.action === action) s.setCrmError(null);
    try {
      await run();
    } catch (err) {
      store.getState().setCrmError({ action, ...errorOf(err) });
    } finally {
      store.getState().setCrmPending(key, false);
    }
  }

  const loadDeadLetters = () =>
    once('deadLetters', 'deadLetters', async () => {
      store.getState().setDeadLetters(await api.getDeadLetters({}));
    });

  return {
    syncNow: () =>
      once('syncNow', 'syncNow', async () => {
        await api.syncNow({});
      }),
    loadDeadLetters,
    async retryDeadLetters(key) {
      await once(`retry:${key ?? '*'}`, 'retry', async () => {
        store.getState().setRequeued(null);
        const { requeued } = await api.retryDeadLetters(key === undefined ? {} : { key });
        store.getState().setRequeued(requeued);
      });
      await loadDeadLetters();
    },
    async setOptOut(call, scope, reason) {
      const s = store.getState();
      const number = optOutNumber(call);
      if (!number || s.optOuts[call.id]?.status === 'saving') return;
      s.setOptOut(call.id, { status: 'saving', scope, e164: null, error: null });
      try {
        const r = await api.setOptOut({
          number,
          customerId: call.pop.customer?.id ?? null,
          scope,
          reason: reason?.trim() ? reason.trim() : null,
        });
        store.getState().setOptOut(call.id, {
          status: 'done',
          scope: r.scope,
          e164: r.e164,
          error: null,
        });
      } catch (err) {
        store
          .getState()
          .setOptOut(call.id, { status: 'error', scope, e164: null, error: errorOf(err) });
      }
    },
  };
}
