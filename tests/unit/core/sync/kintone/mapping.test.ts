// Outbox items → kintone record bodies, kintone records → CRM types, reply shapes and the
// form check: the pure half of the kintone adapter.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CrmError,
  type OptOutLevel,
  type OutboxItem,
} from '../../../../../main/core/sync/crm/adapter';
import { KintoneConfig } from '../../../../../main/core/sync/crm/kintone/config';
import { formProblems, requiredFields } from '../../../../../main/core/sync/crm/kintone/form-check';
import {
  activityRecord,
  callbackRecord,
  readActivityKind,
  readOptOut,
  readSegment,
  strongerOptOut,
  toActivity,
  toCustomer,
  toKintoneDatetime,
} from '../../../../../main/core/sync/crm/kintone/mapping';
import {
  parseReply,
  RecordsReply,
  RecordView,
  UpsertReply,
  type KintoneRecord,
} from '../../../../../main/core/sync/crm/kintone/replies';

const cfg = KintoneConfig.parse({
  baseUrl: 'https://example.cybozu.com',
  apps: { customers: 1, activities: 2, callbacks: 3 },
});
const A = cfg.fields.activities;
const C = cfg.fields.customers;
const T = Date.parse('2026-04-01T01:02:03.456Z');

const level = fc.constantFrom<OptOutLevel>('none', 'marketing', 'all');
const rank = { none: 0, marketing: 1, all: 2 };

describe('opt-out levels', () => {
  it('the stronger of two never weakens either, and order does not matter', () => {
    fc.assert(
      fc.property(level, level, (a, b) => {
        const s = strongerOptOut(a, b);
        return (
          rank[s] >= rank[a] &&
          rank[s] >= rank[b] &&
          s === strongerOptOut(b, a) &&
          (s === a || s === b)
        );
      }),
    );
  });

  it('reads labels, English keys, and fails safe on anything unknown', () => {
    expect(readOptOut('', cfg)).toBe('none');
    expect(readOptOut('なし', cfg)).toBe('none');
    expect(readOptOut(' 営業停止 ', cfg)).toBe('marketing');
    expect(readOptOut('all', cfg)).toBe('all');
    expect(readOptOut('電話NG(手書き)', cfg)).toBe('all');
  });
});

describe('reading labels', () => {
  it('segments, defaulting to new', () => {
    expect(readSegment('優良', cfg)).toBe('heavy');
    expect(readSegment('dormant', cfg)).toBe('dormant');
    expect(readSegment('', cfg)).toBe('new');
    expect(readSegment('VIP', cfg)).toBe('new');
  });

  it('activity types: other channels by name; ours that are not timeline entries are other', () => {
    expect(readActivityKind('メール', cfg)).toBe('email');
    expect(readActivityKind('チャット', cfg)).toBe('chat');
    expect(readActivityKind('注文', cfg)).toBe('order');
    expect(readActivityKind('問い合わせ', cfg)).toBe('ticket');
    expect(readActivityKind('通話', cfg)).toBe('call');
    expect(readActivityKind('メモ', cfg)).toBe('note');
    expect(readActivityKind('対応結果', cfg)).toBe('other');
    expect(readActivityKind('トーク回答', cfg)).toBe('other');
    expect(readActivityKind('連絡停止', cfg)).toBe('other');
    expect(readActivityKind('FAX', cfg)).toBe('note');
  });
});

describe('record bodies', () => {
  it('kintone datetimes: UTC, whole seconds; a non-time is refused', () => {
    expect(toKintoneDatetime(T)).toBe('2026-04-01T01:02:03Z');
    expect(() => toKintoneDatetime(Number.NaN)).toThrow(RangeError);
    expect(() => toKintoneDatetime(1e20)).toThrow(RangeError);
  });

  const item = (over: Partial<OutboxItem> & Pick<OutboxItem, 'kind' | 'payload'>): OutboxItem =>
    ({ key: 'k-1', createdAt: T, ...over }) as OutboxItem;

  it('a call log: type, customer, time, direction, a one-line summary and the JSON detail', () => {
    const body = activityRecord(
      item({
        kind: 'call_log',
        payload: {
          interactionId: 'i1',
          customerId: null,
          customerCrmId: null,
          direction: 'inbound',
          number: '+81355550101',
          startedAt: T,
          answeredAt: null,
          endedAt: null,
          durationSec: null,
          outcome: 'missed',
        },
      }) as Extract<OutboxItem, { kind: 'call_log' }>,
      cfg,
    );
    expect(body).toEqual({
      [A.type]: { value: '通話' },
      [A.customer]: { value: '' },
      [A.at]: { value: '2026-04-01T01:02:03Z' },
      [A.summary]: { value: '+81355550101 · missed' },
      [A.direction]: { value: '着信' },
      [A.detail]: { value: expect.any(String) },
    });
    expect(JSON.parse(body[A.detail]!.value)).toMatchObject({
      kind: 'call_log',
      key: 'k-1',
      outcome: 'missed',
    });
  });

  it('a note: no direction, the body on one line, cut at 100 characters', () => {
    const body = activityRecord(
      item({
        kind: 'note',
        payload: {
          noteId: 'n',
          version: 3,
          customerId: null,
          customerCrmId: '9',
          interactionId: null,
          body: `行1\n行2 ${'あ'.repeat(200)}`,
          savedAt: T,
        },
      }) as Extract<OutboxItem, { kind: 'note' }>,
      cfg,
    );
    expect(body[A.direction]).toBeUndefined();
    expect(body[A.summary]!.value.startsWith('行1 行2 ')).toBe(true);
    expect(body[A.summary]!.value).toHaveLength(100);
    expect(JSON.parse(body[A.detail]!.value).body).toContain('\n');
  });

  it('script answers take the item’s time; an opt-out can name the customer found by phone', () => {
    const sa = activityRecord(
      item({
        kind: 'script_answers',
        payload: {
          interactionId: 'i',
          customerId: null,
          customerCrmId: null,
          scriptId: 's1',
          answers: { a: 1 },
        },
      }) as Extract<OutboxItem, { kind: 'script_answers' }>,
      cfg,
    );
    expect(sa[A.at]!.value).toBe('2026-04-01T01:02:03Z');
    const oo = activityRecord(
      item({
        kind: 'opt_out',
        payload: {
          customerId: null,
          customerCrmId: null,
          e164: '+8131',
          scope: 'all',
          source: 'crm',
          reason: null,
          at: T,
        },
      }) as Extract<OutboxItem, { kind: 'opt_out' }>,
      cfg,
      { customer: '77', detail: { customers: [{ id: '77', level: 'all' }] } },
    );
    expect(oo[A.customer]!.value).toBe('77');
    expect(oo[A.summary]!.value).toBe('all (crm)');
    expect(JSON.parse(oo[A.detail]!.value).customers).toEqual([{ id: '77', level: 'all' }]);
  });

  it('a callback goes to the callbacks app’s fields', () => {
    const b = cfg.fields.callbacks;
    expect(
      callbackRecord(
        {
          key: 'k',
          payload: {
            callbackId: 'cb',
            customerId: null,
            customerCrmId: '4',
            e164: '+81312345678',
            dueAt: T,
            status: 'due',
          },
        },
        cfg,
      ),
    ).toMatchObject({
      [b.callbackId]: { value: 'cb' },
      [b.customer]: { value: '4' },
      [b.phone]: { value: '+81312345678' },
      [b.dueAt]: { value: '2026-04-01T01:02:03Z' },
      [b.status]: { value: 'due' },
    });
  });
});

const rec = (fields: Record<string, string>): KintoneRecord =>
  Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, { type: 'X', value: v }]));

describe('records → CRM types', () => {
  it('a customer: phones from every phone field, without blanks or repeats', () => {
    const r = new RecordView(
      rec({
        $id: '12',
        $revision: '4',
        [C.updatedAt]: '2026-04-01T01:00:00Z',
        [C.name]: ' 山田 太郎 ',
        [C.nameKana]: '',
        [C.segment]: 'リピート',
        [C.phones[0]!]: '03-5555-0101',
        [C.phones[1]!]: '03-5555-0101',
        [C.optOut]: '営業停止',
      }),
      'pull customers',
    );
    expect(toCustomer(r, cfg)).toEqual({
      crmId: '12',
      revision: '4',
      name: '山田 太郎',
      nameKana: null,
      segment: 'repeat',
      phones: ['03-5555-0101'],
      optOut: 'marketing',
      updatedAt: '2026-04-01T01:00:00Z',
    });
  });

  it('an activity: an empty time falls back to the update time; a non-numeric customer is none', () => {
    const r = new RecordView(
      rec({
        $id: '3',
        $revision: '1',
        [A.updatedAt]: '2026-04-01T01:00:00Z',
        [A.type]: 'チャット',
        [A.syncKey]: '',
        [A.customer]: 'abc',
        [A.at]: '',
        [A.direction]: '発信',
        [A.summary]: '',
      }),
      'pull activities',
    );
    expect(toActivity(r, cfg)).toEqual({
      crmId: '3',
      customerCrmId: null,
      kind: 'chat',
      direction: 'outbound',
      at: Date.parse('2026-04-01T01:00:00Z'),
      summary: null,
      syncKey: null,
      updatedAt: '2026-04-01T01:00:00Z',
    });
  });

  it('names the record and field when a value is missing or of the wrong kind', () => {
    const r = new RecordView(
      { $id: { value: '8' }, [C.name]: { type: 'CHECK_BOX', value: ['a'] } },
      'pull customers',
    );
    expect(() => r.text(C.name)).toThrow(/record 8 field "顧客名" is not text \(CHECK_BOX\)/);
    expect(() => r.text(C.segment)).toThrow(/record 8 field "顧客区分" is missing/);
    expect(() => r.revision()).toThrow(CrmError);
    expect(() => new RecordView({ $id: { value: 'x' } }, 'pull')).toThrow(/without a valid \$id/);
    const bad = new RecordView({ $id: { value: '8' }, t: { value: 'yesterday' } }, 'p');
    expect(() => bad.datetime('t')).toThrow(/is not a datetime/);
  });
});

describe('reply shapes', () => {
  it('a body that is not JSON is bad_reply, quoting its start', () => {
    try {
      parseReply(RecordsReply, '<html><body>Service Unavailable', 'pull customers');
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({ kind: 'bad_reply' });
      expect((e as Error).message).toBe(
        'kintone pull customers: reply is not JSON ("<html><body>Service Unavailable")',
      );
    }
  });

  it('an unexpected shape is bad_reply naming where', () => {
    expect(() => parseReply(RecordsReply, { records: 'none' }, 'pull')).toThrow(
      /unexpected reply at records/,
    );
    expect(() =>
      parseReply(UpsertReply, { records: [{ id: 'x', revision: '1' }] }, 'push'),
    ).toThrow(/at records\.0\.id/);
    expect(() => parseReply(UpsertReply, { records: [] }, 'push')).toThrow(/at records/);
  });

  it('accepts ids and counts as strings (the service) or integers (the spec)', () => {
    expect(
      parseReply(UpsertReply, { records: [{ id: '5', revision: '2', operation: 'INSERT' }] }, 'p')
        .records[0],
    ).toEqual({
      id: '5',
      revision: '2',
      operation: 'INSERT',
    });
    expect(parseReply(UpsertReply, { records: [{ id: 5, revision: 2 }] }, 'p').records[0]).toEqual({
      id: '5',
      revision: '2',
    });
    expect(parseReply(RecordsReply, { records: [], totalCount: '12' }, 'p').totalCount).toBe('12');
    expect(parseReply(RecordsReply, { records: [], totalCount: null }, 'p').totalCount).toBeNull();
  });
});

describe('the form check', () => {
  const needs = requiredFields(cfg);
  const text = (code: string, extra = {}) => ({ type: 'SINGLE_LINE_TEXT', code, ...extra });

  it('lists every problem: missing, wrong type, not unique, missing options', () => {
    const form = {
      [A.type]: { type: 'DROP_DOWN', code: A.type, options: { 通話: { label: '通話' } } },
      [A.syncKey]: text(A.syncKey, { unique: false }),
      [A.customer]: { type: 'NUMBER', code: A.customer },
      [A.at]: { type: 'DATE', code: A.at },
      [A.direction]: text(A.direction),
      [A.summary]: text(A.summary),
      [A.updatedAt]: { type: 'UPDATED_TIME', code: A.updatedAt },
    };
    const problems = formProblems(needs.activities, form);
    expect(problems).toEqual([
      'field "種別" lacks the option(s) "メモ", "対応結果", "連絡停止", "トーク回答"',
      'field "同期キー" must prohibit duplicate values (it is the upsert key)',
      'field "日時" is DATE, expected DATETIME',
      'field "詳細" is missing',
    ]);
  });

  it('accepts a fitting form (text fields stand in for drop-downs; no options to check)', () => {
    const form = Object.fromEntries(
      needs.callbacks.map((n) => [n.code, { type: n.types[0]!, code: n.code, unique: n.unique }]),
    );
    expect(formProblems(needs.callbacks, form)).toEqual([]);
  });
});
