// What the sync status, the dead-letter panel, the do-not-call button and the CRM settings do.
// Like the call actions: one request of a kind at a time, a failure lands in the store, never
// throws.
import {
  AgentRpcError,
  type AgentApi,
  type Call,
  type CrmSettingsInput,
  type OptOutScope,
} from '../../preload/contract';
import type { AgentStore } from './store/agent-store';
import type { CrmAction, CrmError } from './store/crm-slice';

export interface CrmActions {
  syncNow(): Promise<void>;
  loadDeadLetters(): Promise<void>;
  /** One dead letter by key, or all of them. */
  retryDeadLetters(key?: string): Promise<void>;
  /** Do-not-call for the call's number (and its customer). */
  setOptOut(call: Call, scope: OptOutScope, reason: string | null): Promise<void>;
  /** The saved CRM connection (drops the last test's answer). */
  loadCrmSettings(): Promise<void>;
  /** Reaches the CRM with these settings; never saves. The answer lands in crmCheck. */
  testCrmConnection(input: CrmSettingsInput): Promise<void>;
  /**
   * Saves and switches sync to this CRM; true once saved (the store then holds main's new
   * view). The token, if any, is only passed through: it is never kept in the store.
   */
  saveCrmSettings(input: CrmSettingsInput): Promise<boolean>;
  /** Forget the last test's answer (the form changed since). */
  clearCrmCheck(): void;
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

/** Test and save never overlap: the answer of one would be read as about the other. */
const CRM_FORM = ['crmTest', 'crmSave'] as const;

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
    async loadCrmSettings() {
      const s = store.getState();
      if (s.crmPending.crmLoad || CRM_FORM.some((k) => s.crmPending[k])) return;
      s.setCrmPending('crmLoad', true);
      s.setCrmCheck(null);
      s.setCrmSettingsError(null);
      try {
        store.getState().setCrmSettingsView(await api.getCrmSettings({}));
      } catch (err) {
        store.getState().setCrmSettingsError({ action: 'load', ...errorOf(err) });
      } finally {
        store.getState().setCrmPending('crmLoad', false);
      }
    },
    async testCrmConnection(input) {
      const s = store.getState();
      if (CRM_FORM.some((k) => s.crmPending[k])) return;
      s.setCrmPending('crmTest', true);
      s.setCrmCheck(null);
      s.setCrmSettingsError(null);
      try {
        store.getState().setCrmCheck(await api.testCrmConnection(input));
      } catch (err) {
        store.getState().setCrmSettingsError({ action: 'test', ...errorOf(err) });
      } finally {
        store.getState().setCrmPending('crmTest', false);
      }
    },
    async saveCrmSettings(input) {
      const s = store.getState();
      if (CRM_FORM.some((k) => s.crmPending[k])) return false;
      s.setCrmPending('crmSave', true);
      s.setCrmSettingsError(null);
      try {
        const view = await api.setCrmSettings(input);
        store.getState().setCrmCheck(null);
        store.getState().setCrmSettingsView(view);
        return true;
      } catch (err) {
        store.getState().setCrmSettingsError({ action: 'save', ...errorOf(err) });
        return false;
      } finally {
        store.getState().setCrmPending('crmSave', false);
      }
    },
    clearCrmCheck() {
      const s = store.getState();
      if (s.crmCheck) s.setCrmCheck(null);
      if (s.crmSettingsError?.action === 'test') s.setCrmSettingsError(null);
    },
  };
}
