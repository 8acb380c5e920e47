// Test data shaped by the contract's types.
import type {
  Call,
  CustomerSummary,
  MethodResult,
  Note,
  PhoneStatus,
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
