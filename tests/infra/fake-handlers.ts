// Request handlers that accept every valid request and do nothing, for tests of the
// transports (dispatcher, IPC, browser mode) that are about routing, not behaviour. Every
// handler is a vi.fn, so a test can assert what reached it.
import { vi } from 'vitest';
import type {
  CrmSettingsView,
  Note,
  PhoneSettings,
  PhoneStatus,
  QueueItem,
  ScriptSummary,
  SyncStatus,
  TalkTrack,
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

export const queueItem: QueueItem = {
  id: 'cb-1',
  customer: null,
  number: '+81355550101',
  campaignId: 'requested',
  campaignKind: 'requested',
  owner: 'me',
  priority: 0,
  promised: true,
  dueAt: 0,
  expiresAt: null,
  timeZone: 'Asia/Tokyo',
  status: 'pending',
  attempts: 0,
  attemptsLeft: 3,
  lastAttempt: null,
  nextAt: 0,
  blocked: [],
  optOut: 'none',
  notice: null,
  note: null,
};

export const scriptSummary: ScriptSummary = {
  id: 'inbound-general',
  version: 1,
  title: '一般のお問い合わせ（受電）',
  direction: 'inbound',
  reasons: [],
  campaigns: [],
  segments: [],
};

/** A talk track on its first step (the recording notice, to be confirmed). */
export function talkTrack(callId: string, script: ScriptSummary = scriptSummary): TalkTrack {
  return {
    callId,
    script,
    chosenBy: 'auto',
    fit: { direction: 'inbound', reason: null, campaign: null, segment: 'new' },
    alternatives: [script],
    step: {
      scriptId: script.id,
      stepId: 'recording_notice',
      kind: 'say',
      say: 'このお電話は録音させていただいております。',
      ask: null,
      question: null,
      answer: null,
      mandatory: true,
      confirmed: false,
      confirmText: '通話録音の告知をしました',
      canGoBack: false,
      canAdvance: false,
      objections: [],
      objection: null,
      end: null,
    },
    position: 1,
    answers: [],
  };
}

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
    getCampaigns: vi.fn(async () => []),
    getQueue: vi.fn(async () => ({ total: 0, items: [] })),
    getCallback: vi.fn(async () => ({ item: queueItem, attempts: [] })),
    nextCallback: vi.fn(async () => ({ item: null })),
    dialCallback: vi.fn(async () => ({ callId: 'out-2' })),
    skipCallback: vi.fn(ok),
    scheduleCallback: vi.fn(async () => queueItem),
    setDisposition: vi.fn(async () => ({ callback: null })),
    importOptOuts: vi.fn(async () => ({
      added: 0,
      unchanged: 0,
      rejected: [],
      callbacksCancelled: 0,
    })),
    checkNumber: vi.fn(async () => ({ e164: '+81355550101', optOut: 'none' as const })),
    // Talk tracks: every call has the one script's first step; a move or a switch answers
    // with that step (tests about behaviour override these).
    getTalkTrack: vi.fn(async ({ callId }: { callId: string }) => ({
      talkTrack: talkTrack(callId),
    })),
    switchScript: vi.fn(async ({ callId, scriptId }: { callId: string; scriptId: string }) => ({
      ...talkTrack(callId, { ...scriptSummary, id: scriptId }),
      chosenBy: 'agent' as const,
    })),
    talkTrackAction: vi.fn(async ({ callId }: { callId: string }) => talkTrack(callId)),
    listScripts: vi.fn(async () => ({ scripts: [scriptSummary], problems: [] })),
  };
}
