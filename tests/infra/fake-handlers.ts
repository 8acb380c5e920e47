// Request handlers that accept every valid request and do nothing, for tests of the
// transports (dispatcher, IPC, browser mode) that are about routing, not behaviour. Every
// handler is a vi.fn, so a test can assert what reached it.
import { vi } from 'vitest';
import type {
  CrmSettingsView,
  Note,
  PhoneSettings,
  PhoneStatus,
  SyncStatus,
} from '../../preload/contract';
import type { Handlers } from '../../main/core/rpc/dispatcher';

export const defaultSettings: PhoneSettings = {
  dtmfMode: 'rfc4733',
  autoAnswer: false,
  audio: { microphoneId: null, speakerId: null, ringerId: null },
};

export const localSyncStatus: SyncStatus = {
  crm: 'local',
  state: 'off',
  pending: 0,
  deadLetters: 0,
  lastSuccessAt: null,
  lastError: null,
  initial: null,
};

const localCrm: CrmSettingsView = { kind: 'local', baseUrl: null, apps: null, hasToken: false };

const note: Note = {
  noteId: 'n-1',
  customerId: null,
  interactionId: null,
  version: 1,
  body: '',
  savedAt: 0,
  synced: false,
};

export function fakeHandlers(
  phone: PhoneStatus = { registration: 'unconfigured', aor: null, error: null, since: 0 },
): Handlers {
  const ok = async () => ({ ok: true as const });
  return {
    hello: vi.fn(async () => ({
      version: 't',
      locale: 'ja' as const,
      phone,
      calls: [],
      settings: defaultSettings,
    })),
    answerCall: vi.fn(ok),
    rejectCall: vi.fn(ok),
    hangupCall: vi.fn(ok),
    dial: vi.fn(async () => ({ callId: 'out-1' })),
    holdCall: vi.fn(ok),
    resumeCall: vi.fn(ok),
    switchLine: vi.fn(ok),
    setMute: vi.fn(ok),
    sendDtmf: vi.fn(ok),
    blindTransfer: vi.fn(ok),
    startConsult: vi.fn(async () => ({ consultCallId: 'consult-1' })),
    completeTransfer: vi.fn(ok),
    conference: vi.fn(async () => ({ conferenceId: 'conf-1' })),
    reportQuality: vi.fn(ok),
    getTimeline: vi.fn(async () => []),
    setLocale: vi.fn(ok),
    setPhoneSettings: vi.fn(async () => defaultSettings),
    saveNote: vi.fn(async () => note),
    getNotes: vi.fn(async () => []),
    setOptOut: vi.fn(async () => ({ e164: '+81312345678', scope: 'all' as const })),
    getCrmSettings: vi.fn(async () => localCrm),
    testCrmConnection: vi.fn(async () => ({ ok: true as const, detail: 'local' })),
    setCrmSettings: vi.fn(async () => localCrm),
    getSyncStatus: vi.fn(async () => localSyncStatus),
    syncNow: vi.fn(ok),
    getDeadLetters: vi.fn(async () => []),
    retryDeadLetters: vi.fn(async () => ({ requeued: 0 })),
  };
}
