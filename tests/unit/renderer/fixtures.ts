// Test data shaped by the contract's types.
import type {
  Call,
  Campaign,
  CustomerSummary,
  Disposition,
  MethodResult,
  Note,
  PhoneStatus,
  QueueItem,
  SyncStatus,
  TimelineEntry,
} from '../../../preload/contract';

export const NOW = Date.UTC(2025, 4, 20, 3, 0, 0); // 2025-05-20 12:00 JST

export const yamada: CustomerSummary = {
  id: 'cust-1',
  name: '山田 太郎',
  nameKana: 'ヤマダ タロウ',
  segment: 'repeat',
  phone: '+81355550101',
};

export function entry(id: string, over: Partial<TimelineEntry> = {}): TimelineEntry {
  const startedAt = over.startedAt ?? NOW - 86_400_000;
  return {
    id,
    kind: 'call',
    direction: 'inbound',
    number: '+81355550101',
    startedAt,
    answeredAt: startedAt + 5_000,
    endedAt: startedAt + 185_000,
    durationSec: 180,
    outcome: 'answered',
    ...over,
  };
}

export function ringingCall(over: Partial<Call> = {}): Call {
  return {
    id: 'call-1',
    direction: 'inbound',
    state: 'ringing',
    remote: {
      raw: '0355550101',
      e164: '+81355550101',
      display: '03-5555-0101',
      anonymous: false,
      displayName: null,
    },
    pop: {
      customer: yamada,
      lastContacts: [
        entry('t-1', { startedAt: NOW - 2 * 86_400_000, durationSec: 252 }),
        entry('t-2', {
          startedAt: NOW - 9 * 86_400_000,
          direction: 'outbound',
          outcome: 'no_answer',
          answeredAt: null,
          durationSec: null,
        }),
      ],
    },
    startedAt: NOW - 3_000,
    answeredAt: null,
    endedAt: null,
    outcome: null,
    endReason: null,
    onHold: false,
    remoteHold: false,
    muted: false,
    consultFor: null,
    conferenceId: null,
    transfer: null,
    quality: null,
    sipStatus: null,
    reason: null,
    ...over,
  };
}

export function unknownCall(over: Partial<Call> = {}): Call {
  return ringingCall({
    id: 'call-unknown',
    remote: {
      raw: '0312345678',
      e164: '+81312345678',
      display: '03-1234-5678',
      anonymous: false,
      displayName: null,
    },
    pop: { customer: null, lastContacts: [] },
    ...over,
  });
}

export function anonymousCall(over: Partial<Call> = {}): Call {
  return ringingCall({
    id: 'call-anon',
    remote: { raw: 'anonymous', e164: null, display: '', anonymous: true, displayName: null },
    pop: { customer: null, lastContacts: [] },
    ...over,
  });
}

export const registered: PhoneStatus = {
  registration: 'registered',
  aor: 'sip:1001@pbx.example.jp',
  error: null,
  since: NOW - 60_000,
};

export function helloResult(over: Partial<MethodResult<'hello'>> = {}): MethodResult<'hello'> {
  return {
    version: '0.1.0',
    locale: 'ja',
    phone: registered,
    calls: [],
    settings: {
      dtmfMode: 'rfc4733',
      autoAnswer: false,
      audio: { microphoneId: null, speakerId: null, ringerId: null },
    },
    ...over,
  };
}

/** The local CRM: nothing to sync. */
export function localSync(over: Partial<SyncStatus> = {}): SyncStatus {
  return {
    crm: 'local',
    state: 'off',
    pending: 0,
    deadLetters: 0,
    lastSuccessAt: null,
    lastError: null,
    initial: null,
    ...over,
  };
}

export function kintoneSync(over: Partial<SyncStatus> = {}): SyncStatus {
  return localSync({ crm: 'kintone', state: 'idle', lastSuccessAt: NOW - 3 * 60_000, ...over });
}

export function note(noteId: string, over: Partial<Note> = {}): Note {
  return {
    noteId,
    customerId: 'cust-1',
    interactionId: 'call-old',
    version: 1,
    body: '前回: 配送日の変更を希望',
    savedAt: NOW - 2 * 86_400_000,
    synced: true,
    ...over,
  };
}

// ---------- outbound ----------

const disposition = (
  code: string,
  ja: string,
  en: string,
  effect: Disposition['effect'],
): Disposition => ({ code, label: { ja, en }, effect });

export const COMMON_DISPOSITIONS: Disposition[] = [
  disposition('completed', '完了', 'Completed', 'done'),
  disposition('no_answer', '不在', 'No answer', 'retry'),
  disposition('call_me_at', '時間指定で再架電', 'Call back at…', 'reschedule'),
  disposition('wrong_number', '番号違い', 'Wrong number', 'stop'),
  disposition('refused', '架電拒否', 'Refused calls', 'opt_out'),
];

/** Like main's default campaigns: 'requested' (no countdown) and a marketing one. */
export function campaign(id: string, over: Partial<Campaign> = {}): Campaign {
  return {
    id,
    kind: 'requested',
    name: { ja: 'ご依頼の折り返し', en: 'Requested callbacks' },
    marketing: false,
    window: { start: '09:00', end: '20:00', days: [1, 2, 3, 4, 5, 6], holidays: true },
    maxAttempts: 5,
    minIntervalMin: 60,
    maxPerCustomerPerDay: 2,
    maxPerCustomerPerWeek: 5,
    retryAfterMin: { no_answer: 60, busy: 15, voicemail: 120, failed: 20 },
    callerIds: [],
    callerIdDailyCap: 100,
    noticeDaysBefore: null,
    dispositions: COMMON_DISPOSITIONS,
    previewSeconds: 0,
    ...over,
  };
}

export const requestedCampaign = campaign('requested');
export const renewalCampaign = campaign('renewal', {
  kind: 'renewal',
  name: { ja: '契約更新のご案内', en: 'Subscription renewal' },
  marketing: true,
  maxAttempts: 4,
  callerIds: ['+815055500201'],
  noticeDaysBefore: 3,
  dispositions: [disposition('renewed', '更新済み', 'Renewed', 'done'), ...COMMON_DISPOSITIONS],
  previewSeconds: 10,
});

/** A callback waiting in the queue, dialable now unless `blocked` says otherwise. */
export function queueItem(id: string, over: Partial<QueueItem> = {}): QueueItem {
  return {
    id,
    customer: yamada,
    number: '+81355550101',
    campaignId: 'requested',
    campaignKind: 'requested',
    owner: 'me',
    priority: 5,
    promised: false,
    dueAt: NOW - 10 * 60_000,
    expiresAt: null,
    timeZone: 'Asia/Tokyo',
    status: 'pending',
    attempts: 0,
    attemptsLeft: 5,
    lastAttempt: null,
    nextAt: NOW - 10 * 60_000,
    blocked: [],
    optOut: 'none',
    notice: null,
    note: null,
    ...over,
  };
}
