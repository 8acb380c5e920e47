// How the agent desktop maps onto a centre's kintone apps. kintone has no fixed schema: every
// centre names its apps and fields itself, so everything here is a field code the centre can
// change; the defaults are what a Japanese centre would call them. API tokens are deliberately
// not part of this (they come from the OS keychain): config can be shown, logged and exported.
import { z } from 'zod';

/**
 * A field code as it appears in a query. kintone allows letters (Japanese too), digits and `_`,
 * not starting with a digit; we refuse only what could break or inject into a query.
 */
export const FieldCode = z
  .string()
  .regex(
    /^(?![0-9])[^\s"'(),=<>!\\]{1,128}$/u,
    'not a kintone field code (1–128 characters, no spaces, quotes, brackets or operators, not starting with a digit)',
  );

const AppId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The domain's origin, e.g. https://example.cybozu.com. Plain http only on loopback (tests). */
export const KintoneBaseUrl = z.string().transform((raw, ctx) => {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    ctx.addIssue({ code: 'custom', message: `not a URL: "${raw.slice(0, 100)}"` });
    return z.NEVER;
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
    ctx.addIssue({
      code: 'custom',
      message: 'kintone must be reached over https (plain http only for localhost, in tests)',
    });
    return z.NEVER;
  }
  if (url.username || url.password || url.search || url.hash || url.pathname !== '/') {
    ctx.addIssue({
      code: 'custom',
      message: 'give only the domain, e.g. https://example.cybozu.com (no path, query or login)',
    });
    return z.NEVER;
  }
  return url.origin;
});

export const defaultKintoneMapping = {
  customers: {
    name: '顧客名',
    nameKana: 'フリガナ',
    segment: '顧客区分',
    phones: ['電話番号', '携帯電話'],
    optOut: '連絡停止',
    updatedAt: '更新日時',
  },
  activities: {
    type: '種別',
    /** Must be a text field with "prohibit duplicate values": the upsert key. */
    syncKey: '同期キー',
    /** Number field holding the customer's record id ($id) in the customers app. */
    customer: '顧客ID',
    at: '日時',
    direction: '方向',
    summary: '概要',
    /** Multi-line text: the item as JSON, for what has no field of its own. */
    detail: '詳細',
    updatedAt: '更新日時',
  },
  callbacks: {
    syncKey: '同期キー',
    callbackId: 'コールバックID',
    customer: '顧客ID',
    phone: '電話番号',
    dueAt: '予定日時',
    status: '状況',
    detail: '詳細',
    updatedAt: '更新日時',
  },
} as const;

/** Option labels of the drop-downs (kintone stores a drop-down's label, not a key). */
export const defaultKintoneValues = {
  segment: { new: '新規', repeat: 'リピート', heavy: '優良', dormant: '休眠' },
  optOut: { none: 'なし', marketing: '営業停止', all: '全停止' },
  direction: { inbound: '着信', outbound: '発信' },
  activityType: {
    call_log: '通話',
    note: 'メモ',
    disposition: '対応結果',
    opt_out: '連絡停止',
    script_answers: 'トーク回答',
    email: 'メール',
    chat: 'チャット',
    order: '注文',
    ticket: '問い合わせ',
  },
} as const;

const m = defaultKintoneMapping;
const v = defaultKintoneValues;
const Label = z.string().max(128);

const CustomerFields = z.object({
  name: FieldCode.default(m.customers.name),
  nameKana: FieldCode.default(m.customers.nameKana),
  segment: FieldCode.default(m.customers.segment),
  phones: z
    .array(FieldCode)
    .min(1)
    .max(5)
    .default(() => [...m.customers.phones]),
  optOut: FieldCode.default(m.customers.optOut),
  updatedAt: FieldCode.default(m.customers.updatedAt),
});

const ActivityFields = z.object({
  type: FieldCode.default(m.activities.type),
  syncKey: FieldCode.default(m.activities.syncKey),
  customer: FieldCode.default(m.activities.customer),
  at: FieldCode.default(m.activities.at),
  direction: FieldCode.default(m.activities.direction),
  summary: FieldCode.default(m.activities.summary),
  detail: FieldCode.default(m.activities.detail),
  updatedAt: FieldCode.default(m.activities.updatedAt),
});

const CallbackFields = z.object({
  syncKey: FieldCode.default(m.callbacks.syncKey),
  callbackId: FieldCode.default(m.callbacks.callbackId),
  customer: FieldCode.default(m.callbacks.customer),
  phone: FieldCode.default(m.callbacks.phone),
  dueAt: FieldCode.default(m.callbacks.dueAt),
  status: FieldCode.default(m.callbacks.status),
  detail: FieldCode.default(m.callbacks.detail),
  updatedAt: FieldCode.default(m.callbacks.updatedAt),
});

const Values = z.object({
  segment: z
    .object({
      new: Label.default(v.segment.new),
      repeat: Label.default(v.segment.repeat),
      heavy: Label.default(v.segment.heavy),
      dormant: Label.default(v.segment.dormant),
    })
    .prefault({}),
  optOut: z
    .object({
      none: Label.default(v.optOut.none),
      marketing: Label.min(1).default(v.optOut.marketing),
      all: Label.min(1).default(v.optOut.all),
    })
    .prefault({})
    .refine((o) => new Set([o.none, o.marketing, o.all]).size === 3, {
      message: 'the three opt-out labels must differ',
    }),
  direction: z
    .object({
      inbound: Label.min(1).default(v.direction.inbound),
      outbound: Label.min(1).default(v.direction.outbound),
    })
    .prefault({}),
  activityType: z
    .object({
      call_log: Label.min(1).default(v.activityType.call_log),
      note: Label.min(1).default(v.activityType.note),
      disposition: Label.min(1).default(v.activityType.disposition),
      opt_out: Label.min(1).default(v.activityType.opt_out),
      script_answers: Label.min(1).default(v.activityType.script_answers),
      email: Label.min(1).default(v.activityType.email),
      chat: Label.min(1).default(v.activityType.chat),
      order: Label.min(1).default(v.activityType.order),
      ticket: Label.min(1).default(v.activityType.ticket),
    })
    .prefault({}),
});

export const KintoneConfig = z.object({
  baseUrl: KintoneBaseUrl,
  apps: z.object({ customers: AppId, activities: AppId, callbacks: AppId }),
  fields: z
    .object({
      customers: CustomerFields.prefault({}),
      activities: ActivityFields.prefault({}),
      callbacks: CallbackFields.prefault({}),
    })
    .prefault({}),
  values: Values.prefault({}),
});
export type KintoneConfig = z.output<typeof KintoneConfig>;
export type KintoneConfigInput = z.input<typeof KintoneConfig>;
export type KintoneFieldMapping = KintoneConfig['fields'];

/**
 * API tokens, from the keychain. kintone tokens belong to one app each; give one per app (or a
 * list). They are sent comma-joined in one header, which kintone accepts for up to 9 tokens.
 */
export type KintoneTokens =
  string | string[] | { customers?: string; activities?: string; callbacks?: string };

/** kintone issues tokens of letters and digits; anything else would corrupt the header. */
const TOKEN = /^[A-Za-z0-9]{1,128}$/;

/**
 * The header value: distinct tokens, comma-joined (kintone refuses the same token twice with
 * GAIA_DA03). Throws with a message that never contains a token.
 */
export function joinTokens(tokens: KintoneTokens): string {
  const list =
    typeof tokens === 'string'
      ? tokens.split(',')
      : Array.isArray(tokens)
        ? tokens
        : [tokens.customers, tokens.activities, tokens.callbacks];
  const out: string[] = [];
  list.forEach((raw, i) => {
    if (raw === undefined) return;
    const t = raw.trim();
    if (!TOKEN.test(t)) {
      throw new Error(`kintone API token #${i + 1} is malformed (letters and digits only)`);
    }
    if (!out.includes(t)) out.push(t);
  });
  if (out.length === 0) throw new Error('no kintone API token given');
  if (out.length > 9) throw new Error('kintone accepts at most 9 API tokens in one request');
  return out.join(',');
}
