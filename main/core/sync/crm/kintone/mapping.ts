// Outbox items → kintone record bodies, and kintone records → the engine's CRM types. Pure:
// no I/O, so every mapping rule is unit-testable.
import type {
  CrmActivity,
  CrmCustomer,
  OptOutLevel,
  OutboxItem,
  OutboxKind,
  OutboxPayload,
} from '../adapter';
import type { KintoneConfig } from './config';
import type { RecordView } from './replies';

export type RecordBody = Record<string, { value: string }>;

const LEVEL_ORDER: Record<OptOutLevel, number> = { none: 0, marketing: 1, all: 2 };

/** The stronger of two opt-out levels (an opt-out only ever moves right). */
export function strongerOptOut(a: OptOutLevel, b: OptOutLevel): OptOutLevel {
  return LEVEL_ORDER[a] >= LEVEL_ORDER[b] ? a : b;
}

/** kintone DATETIME: ISO 8601 in UTC, whole seconds (kintone keeps minutes anyway). */
export function toKintoneDatetime(ms: number): string {
  const d = new Date(ms);
  if (!Number.isFinite(ms) || Number.isNaN(d.getTime())) {
    throw new RangeError(`not a time: ${String(ms)}`);
  }
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function oneLine(s: string, max = 100): string {
  const line = s.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** Reads an opt-out label. Unknown non-empty labels count as 'all': do-not-call fails safe. */
export function readOptOut(label: string, cfg: KintoneConfig): OptOutLevel {
  const t = label.trim();
  const o = cfg.values.optOut;
  if (t === '' || t === o.none || t === 'none') return 'none';
  if (t === o.marketing || t === 'marketing') return 'marketing';
  return 'all';
}

export function readSegment(label: string, cfg: KintoneConfig): CrmCustomer['segment'] {
  const t = label.trim();
  const s = cfg.values.segment;
  for (const key of ['repeat', 'heavy', 'dormant', 'new'] as const) {
    if (t === s[key] || t === key) return key;
  }
  return 'new';
}

export function readDirection(label: string, cfg: KintoneConfig): 'inbound' | 'outbound' {
  const t = label.trim();
  return t === cfg.values.direction.outbound || t === 'outbound' ? 'outbound' : 'inbound';
}

/** kintone activity type label → the engine's activity kind ('other': not a timeline entry). */
export function readActivityKind(label: string, cfg: KintoneConfig): CrmActivity['kind'] {
  const t = label.trim();
  const a = cfg.values.activityType;
  const is = (k: keyof typeof a) => t === a[k] || t === k;
  if (is('disposition') || is('script_answers') || is('opt_out')) return 'other';
  if (is('call_log') || t === 'call') return 'call';
  if (is('email')) return 'email';
  if (is('chat')) return 'chat';
  if (is('order')) return 'order';
  if (is('ticket')) return 'ticket';
  return 'note';
}

export function toCustomer(r: RecordView, cfg: KintoneConfig): CrmCustomer {
  const f = cfg.fields.customers;
  const phones: string[] = [];
  for (const code of f.phones) {
    const p = r.optionalText(code);
    if (p && !phones.includes(p)) phones.push(p);
  }
  return {
    crmId: r.id,
    revision: r.revision(),
    name: r.text(f.name).trim(),
    nameKana: r.optionalText(f.nameKana),
    segment: readSegment(r.text(f.segment), cfg),
    phones,
    optOut: readOptOut(r.text(f.optOut), cfg),
    updatedAt: r.datetime(f.updatedAt),
  };
}

export function toActivity(r: RecordView, cfg: KintoneConfig): CrmActivity {
  const f = cfg.fields.activities;
  const updatedAt = r.datetime(f.updatedAt);
  const atText = r.text(f.at);
  const at = atText ? Date.parse(atText) : NaN;
  const customer = r.optionalText(f.customer);
  return {
    crmId: r.id,
    customerCrmId: customer && /^\d+$/.test(customer) ? customer : null,
    kind: readActivityKind(r.text(f.type), cfg),
    direction: readDirection(r.text(f.direction), cfg),
    at: Number.isNaN(at) ? Date.parse(updatedAt) : at,
    summary: r.optionalText(f.summary),
    syncKey: r.optionalText(f.syncKey),
    updatedAt,
  };
}

/** Field codes to ask for, so a wide app does not send every field. */
export function customerFieldList(cfg: KintoneConfig): string[] {
  const f = cfg.fields.customers;
  return unique([
    '$id',
    '$revision',
    f.updatedAt,
    f.name,
    f.nameKana,
    f.segment,
    ...f.phones,
    f.optOut,
  ]);
}

export function activityFieldList(cfg: KintoneConfig): string[] {
  const f = cfg.fields.activities;
  return unique([
    '$id',
    '$revision',
    f.updatedAt,
    f.type,
    f.syncKey,
    f.customer,
    f.at,
    f.direction,
    f.summary,
  ]);
}

function unique(list: string[]): string[] {
  return [...new Set(list)];
}

type ActivityKind = Exclude<OutboxKind, 'callback'>;
type ActivityItem = Extract<OutboxItem, { kind: ActivityKind }>;

/** What an activity record says in its summary field: one line, for a person scanning a list. */
function summaryOf(item: ActivityItem): string {
  switch (item.kind) {
    case 'call_log': {
      const p = item.payload;
      const parts = [p.number];
      if (p.durationSec !== null) parts.push(`${Math.round(p.durationSec)}s`);
      if (p.outcome) parts.push(p.outcome);
      return oneLine(parts.join(' · '));
    }
    case 'note':
      return oneLine(item.payload.body);
    case 'disposition':
      return oneLine(item.payload.code);
    case 'script_answers':
      return oneLine(item.payload.scriptId);
    case 'opt_out':
      return oneLine(`${item.payload.scope} (${item.payload.source})`);
  }
}

function atOf(item: ActivityItem): number {
  switch (item.kind) {
    case 'call_log':
      return item.payload.startedAt;
    case 'note':
      return item.payload.savedAt;
    case 'disposition':
    case 'opt_out':
      return item.payload.at;
    case 'script_answers':
      return item.createdAt;
  }
}

function directionOf(item: ActivityItem): 'inbound' | 'outbound' | null {
  return item.kind === 'call_log' ? item.payload.direction : null;
}

/**
 * The activity record for an item (the sync key is set by the upsert's updateKey). `customer`
 * overrides the payload's customer record id (opt-outs found by phone number).
 */
export function activityRecord(
  item: ActivityItem,
  cfg: KintoneConfig,
  extra: { customer?: string | null; detail?: Record<string, unknown> } = {},
): RecordBody {
  const f = cfg.fields.activities;
  const customer = extra.customer !== undefined ? extra.customer : item.payload.customerCrmId;
  const direction = directionOf(item);
  const body: RecordBody = {
    [f.type]: { value: cfg.values.activityType[item.kind] },
    [f.customer]: { value: customer ?? '' },
    [f.at]: { value: toKintoneDatetime(atOf(item)) },
    [f.summary]: { value: summaryOf(item) },
    [f.detail]: {
      value: JSON.stringify({ kind: item.kind, key: item.key, ...item.payload, ...extra.detail }),
    },
  };
  if (direction) body[f.direction] = { value: cfg.values.direction[direction] };
  return body;
}

export function callbackRecord(
  item: { key: string; payload: OutboxPayload<'callback'> },
  cfg: KintoneConfig,
): RecordBody {
  const f = cfg.fields.callbacks;
  const p = item.payload;
  return {
    [f.callbackId]: { value: p.callbackId },
    [f.customer]: { value: p.customerCrmId ?? '' },
    [f.phone]: { value: p.e164 },
    [f.dueAt]: { value: toKintoneDatetime(p.dueAt) },
    [f.status]: { value: p.status },
    [f.detail]: { value: JSON.stringify({ kind: 'callback', key: item.key, ...p }) },
  };
}
