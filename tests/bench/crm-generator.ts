// A synthetic CRM for the sync benchmarks: customer i (0-based) is computed on demand from
// i alone, so a million of them cost no memory and every process (the bench, the child that
// runs the real core, a fake kintone server) sees the same records.
//
// Records look like CRM data: Japanese names with kana (a tenth without), CRM record ids
// 1…n, kintone-like modification times kept to the minute (50 records per minute, so the
// id breaks ties), one mobile number each and a landline for 40%, written the way operators
// type them (090-1234-5678 mostly; about 20% 09012345678, 5% of landlines (03)1234-5678, 2%
// +81 90-…, 1% in full-width digits), and a few opt-outs (1% marketing, 0.2% all).
import type {
  CrmActivity,
  CrmAdapter,
  CrmCustomer,
  OptOutLevel,
  PullCursor,
  PullPage,
} from '../../main/core/sync/crm/adapter';

const SURNAMES: [string, string][] = [
  ['佐藤', 'サトウ'],
  ['鈴木', 'スズキ'],
  ['高橋', 'タカハシ'],
  ['田中', 'タナカ'],
  ['伊藤', 'イトウ'],
  ['渡辺', 'ワタナベ'],
  ['山本', 'ヤマモト'],
  ['中村', 'ナカムラ'],
  ['小林', 'コバヤシ'],
  ['加藤', 'カトウ'],
  ['吉田', 'ヨシダ'],
  ['山田', 'ヤマダ'],
  ['佐々木', 'ササキ'],
  ['山口', 'ヤマグチ'],
  ['松本', 'マツモト'],
  ['井上', 'イノウエ'],
  ['木村', 'キムラ'],
  ['林', 'ハヤシ'],
  ['斎藤', 'サイトウ'],
  ['清水', 'シミズ'],
];
const GIVEN: [string, string][] = [
  ['太郎', 'タロウ'],
  ['花子', 'ハナコ'],
  ['一郎', 'イチロウ'],
  ['美咲', 'ミサキ'],
  ['健', 'ケン'],
  ['さくら', 'サクラ'],
  ['直樹', 'ナオキ'],
  ['由美', 'ユミ'],
  ['翔太', 'ショウタ'],
  ['陽子', 'ヨウコ'],
  ['大輔', 'ダイスケ'],
  ['恵', 'メグミ'],
  ['拓也', 'タクヤ'],
  ['明美', 'アケミ'],
  ['誠', 'マコト'],
  ['愛', 'アイ'],
  ['浩二', 'コウジ'],
  ['真由美', 'マユミ'],
  ['隆', 'タカシ'],
  ['千尋', 'チヒロ'],
];
const SEGMENTS = ['new', 'repeat', 'heavy', 'dormant'] as const;
const MOBILE_PREFIXES = ['090', '080', '070'];
/** Area code and how many subscriber digits follow it (10 digits in all). */
const AREAS: [string, number][] = [
  ['03', 8],
  ['06', 8],
  ['052', 7],
  ['045', 7],
  ['092', 7],
];

// Subscriber numbers: index i → BASE + (i · SPREAD) mod RANGE is a bijection on the range
// (SPREAD is prime and does not divide RANGE), so numbers never repeat yet arrive scattered.
const MOBILE_BASE = 10_000_000; // 8 digits, first one 1-9 (070-0… is not allocated)
const MOBILE_RANGE = 90_000_000;
const MOBILE_SPREAD = 48_271;
const LAND_SPREAD = 69_623;

/** 2024-01-01T00:00Z; record i was last modified at minute floor(i / PER_MINUTE). */
const EPOCH = Date.UTC(2024, 0, 1);
const PER_MINUTE = 50;

/** A 32-bit mix of i (so traits look random but are reproducible). */
function hash(i: number): number {
  let h = Math.imul(i ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

const FULLWIDTH_DIGITS = '０１２３４５６７８９';
const fullWidth = (s: string) =>
  s.replace(/[0-9]/g, (d) => FULLWIDTH_DIGITS[Number(d)]!).replaceAll('-', '－');

interface Phone {
  /** National digits with the trunk 0, split as written: [area or prefix, middle, last]. */
  parts: [string, string, string];
}

function mobileOf(i: number): Phone {
  const sub = String(MOBILE_BASE + ((i * MOBILE_SPREAD) % MOBILE_RANGE));
  return { parts: [MOBILE_PREFIXES[i % 3]!, sub.slice(0, 4), sub.slice(4)] };
}

function landlineOf(i: number): Phone {
  const [area, digits] = AREAS[(i >>> 3) % AREAS.length]!;
  const range = 9 * 10 ** (digits - 1);
  const sub = String(10 ** (digits - 1) + ((i * LAND_SPREAD) % range));
  const mid = digits - 4;
  return { parts: [area, sub.slice(0, mid), sub.slice(mid)] };
}

const e164 = (p: Phone) => `+81${p.parts.join('').slice(1)}`;

/** How a CRM operator wrote it: the format depends on the record (h) and which phone (k). */
function written(p: Phone, h: number, k: number): string {
  const [a, b, c] = p.parts;
  const f = ((h >>> (8 + k * 7)) & 0x3ff) % 1000;
  if (f < 5) return fullWidth(`${a}-${b}-${c}`); // 0.5%
  if (f < 15) return `+81 ${a.slice(1)}-${b}-${c}`; // 1%
  if (f < 215) return `${a}${b}${c}`; // 20%
  if (f < 265 && k === 1) return `(${a})${b}-${c}`;
  return `${a}-${b}-${c}`;
}

function phonesOf(i: number): Phone[] {
  const h = hash(i);
  return h % 10 < 4 ? [mobileOf(i), landlineOf(i)] : [mobileOf(i)];
}

function updatedAtOf(i: number): string {
  return new Date(EPOCH + Math.floor(i / PER_MINUTE) * 60_000).toISOString().slice(0, 16) + ':00Z';
}

/** Customer i as the CRM holds it. */
export function crmCustomer(i: number): CrmCustomer {
  const h = hash(i);
  const [surname, surnameKana] = SURNAMES[(h >>> 4) % SURNAMES.length]!;
  const [given, givenKana] = GIVEN[(h >>> 12) % GIVEN.length]!;
  const o = (h >>> 20) % 1000;
  const optOut: OptOutLevel = o < 2 ? 'all' : o < 12 ? 'marketing' : 'none';
  return {
    crmId: String(i + 1),
    revision: String(1 + (h % 7)),
    name: `${surname} ${given}`,
    nameKana: (h >>> 24) % 10 === 0 ? null : `${surnameKana} ${givenKana}`,
    segment: SEGMENTS[(h >>> 28) % 4]!,
    phones: phonesOf(i).map((p, k) => written(p, h, k)),
    optOut,
    updatedAt: updatedAtOf(i),
  };
}

/** Customer i as the local store should hold it (the baseline's rows): E.164, primary first. */
export function storedCustomer(i: number): {
  id: string;
  name: string;
  nameKana: string | null;
  segment: CrmCustomer['segment'];
  crmId: string;
  crmRevision: string | null;
  e164s: string[];
} {
  const c = crmCustomer(i);
  return {
    id: `crm-${c.crmId}`,
    name: c.name,
    nameKana: c.nameKana,
    segment: c.segment,
    crmId: c.crmId,
    crmRevision: c.revision,
    e164s: phonesOf(i).map(e164),
  };
}

/** A number that customer i holds (its mobile). */
export function knownNumber(i: number): string {
  return e164(mobileOf(i));
}

/** A valid Japanese mobile number no generated customer holds (050 IP phones are never used). */
export function unknownNumber(k: number): string {
  return `+8150${String(MOBILE_BASE + ((k * MOBILE_SPREAD) % MOBILE_RANGE))}`;
}

/** Position of record i in the CRM's (modification time, numeric id) order. */
function after(i: number, since: PullCursor): boolean {
  const t = EPOCH + Math.floor(i / PER_MINUTE) * 60_000;
  const s = Date.parse(since.updatedAt);
  if (t !== s) return t > s;
  return i + 1 > Number(since.id || 0);
}

/** First record strictly after the cursor (binary search: records are in cursor order). */
export function firstAfter(n: number, since: PullCursor | null): number {
  if (!since) return 0;
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (after(mid, since)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** One page the way a CRM's server-side cursor query answers it. */
export function customerPage(
  n: number,
  since: PullCursor | null,
  limit: number,
): PullPage<CrmCustomer> {
  const start = firstAfter(n, since);
  const end = Math.min(n, start + limit);
  const records: CrmCustomer[] = [];
  for (let i = start; i < end; i++) records.push(crmCustomer(i));
  const last = records[records.length - 1];
  return {
    records,
    cursor: last ? { updatedAt: last.updatedAt, id: last.crmId } : null,
    done: end >= n,
    total: n - start,
  };
}

/**
 * An in-process CRM holding n generated customers and no activities. It says it is kintone
 * (the engine skips pulling for the 'local' kind); pushes are acknowledged at once.
 */
export function createGeneratedCrm(n: number): CrmAdapter {
  const empty: PullPage<CrmActivity> = { records: [], cursor: null, done: true, total: 0 };
  return {
    kind: 'kintone',
    check: async () => ({ ok: true, detail: `generated CRM (${n} customers)` }),
    push: async (item) => ({ remoteId: item.key, revision: null }),
    pullCustomers: async (since, limit) => customerPage(n, since, limit),
    pullActivities: async () => empty,
  };
}
