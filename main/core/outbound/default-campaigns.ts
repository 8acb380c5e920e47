// The campaigns a new installation starts with: one per kind, with rules a Japanese centre
// would use out of the box (calls 09:00–20:00 in the customer's time, Monday to Saturday;
// marketing never on public holidays). Written once by CampaignRepo.ensureDefaults(); an
// admin's later edits are never overwritten.
import type { Campaign, CampaignKind, Disposition } from '../../../preload/contract';

const d = (code: string, ja: string, en: string, effect: Disposition['effect']): Disposition => ({
  code,
  label: { ja, en },
  effect,
});

/** Outcomes every campaign offers; campaign-specific results come first in each list. */
const COMMON: Disposition[] = [
  d('completed', '完了', 'Completed', 'done'),
  d('no_answer', '不在', 'No answer', 'retry'),
  d('busy', '話し中', 'Busy', 'retry'),
  d('voicemail', '留守番電話', 'Voicemail', 'retry'),
  d('call_me_at', '時間指定で再架電', 'Call back at…', 'reschedule'),
  d('wrong_number', '番号違い', 'Wrong number', 'stop'),
  d('refused', '架電拒否', 'Refused calls', 'opt_out'),
];

const WEEKDAYS_AND_SATURDAY = [1, 2, 3, 4, 5, 6];

/** What most campaigns share; each entry below says what differs. */
const BASE = {
  window: { start: '09:00', end: '20:00', days: WEEKDAYS_AND_SATURDAY, holidays: false },
  maxPerCustomerPerDay: 2,
  maxPerCustomerPerWeek: 5,
  retryAfterMin: { no_answer: 120, busy: 20, voicemail: 240, failed: 30 },
  callerIdDailyCap: 100,
  noticeDaysBefore: null,
} satisfies Partial<Campaign>;

// Fictional 050 (IP phone) numbers, as centres rotate for outbound campaigns.
const SERVICE_LINES = ['+815055500101', '+815055500102'];
const SALES_LINES = ['+815055500201', '+815055500202', '+815055500203'];

export const DEFAULT_CAMPAIGNS: Campaign[] = [
  {
    ...BASE,
    id: 'requested',
    kind: 'requested',
    name: { ja: 'ご依頼の折り返し', en: 'Requested callbacks' },
    marketing: false,
    // A promised call: also on holidays, more tries, shorter waits.
    window: { ...BASE.window, holidays: true },
    maxAttempts: 5,
    minIntervalMin: 60,
    retryAfterMin: { no_answer: 60, busy: 15, voicemail: 120, failed: 20 },
    callerIds: [],
    // Also the codes an inbound call closes with (orders, cancellations, retention offers).
    dispositions: [
      d('ordered', 'ご注文', 'Ordered', 'done'),
      d('retained', '継続（解約引き止め）', 'Retained', 'done'),
      d('cancelled', '解約受付', 'Cancelled', 'done'),
      ...COMMON,
    ],
    previewSeconds: 0,
  },
  {
    ...BASE,
    id: 'renewal',
    kind: 'renewal',
    name: { ja: '契約更新のご案内', en: 'Subscription renewal' },
    marketing: true,
    maxAttempts: 4,
    minIntervalMin: 180,
    callerIds: SALES_LINES,
    noticeDaysBefore: 3,
    dispositions: [
      d('renewed', '更新済み', 'Renewed', 'done'),
      d('declined', '更新辞退', 'Declined renewal', 'done'),
      ...COMMON,
    ],
    previewSeconds: 15,
  },
  {
    ...BASE,
    id: 'delivery_delay',
    kind: 'delivery_delay',
    name: { ja: 'お届け遅延のご連絡', en: 'Delivery delay notice' },
    marketing: false,
    window: { ...BASE.window, holidays: true },
    maxAttempts: 4,
    minIntervalMin: 60,
    retryAfterMin: { no_answer: 90, busy: 20, voicemail: 180, failed: 30 },
    callerIds: SERVICE_LINES,
    dispositions: [d('informed', 'ご連絡済み', 'Informed', 'done'), ...COMMON],
    previewSeconds: 10,
  },
  {
    ...BASE,
    id: 'nps',
    kind: 'nps',
    name: { ja: '満足度アンケート', en: 'Satisfaction survey (NPS)' },
    marketing: true,
    maxAttempts: 3,
    minIntervalMin: 240,
    callerIds: SERVICE_LINES,
    dispositions: [
      d('survey_done', 'アンケート回答済み', 'Survey completed', 'done'),
      d('survey_declined', '回答辞退', 'Declined the survey', 'done'),
      ...COMMON,
    ],
    previewSeconds: 10,
  },
  {
    ...BASE,
    id: 'reactivation',
    kind: 'reactivation',
    name: { ja: '休眠顧客へのご案内', en: 'Win-back (dormant customers)' },
    marketing: true,
    maxAttempts: 3,
    minIntervalMin: 240,
    callerIds: SALES_LINES,
    dispositions: [
      d('ordered', 'ご注文', 'Ordered', 'done'),
      d('not_interested', '興味なし', 'Not interested', 'done'),
      ...COMMON,
    ],
    previewSeconds: 15,
  },
  {
    ...BASE,
    id: 'dm_follow_up',
    kind: 'dm_follow_up',
    name: { ja: 'DM送付後のフォロー', en: 'Direct mail follow-up' },
    marketing: true,
    maxAttempts: 3,
    minIntervalMin: 180,
    callerIds: SALES_LINES,
    noticeDaysBefore: 3,
    dispositions: [
      d('interested', '資料請求・関心あり', 'Interested', 'done'),
      d('not_interested', '興味なし', 'Not interested', 'done'),
      ...COMMON,
    ],
    previewSeconds: 15,
  },
];

/** The default campaign of each kind (its id is the kind). */
export const DEFAULT_CAMPAIGN_BY_KIND = Object.fromEntries(
  DEFAULT_CAMPAIGNS.map((c) => [c.kind, c]),
) as Record<CampaignKind, Campaign>;

/** The disposition codes of each kind's default campaign (for checking scripts' end steps). */
export function defaultDispositions(kind: CampaignKind): ReadonlySet<string> | null {
  return new Set(DEFAULT_CAMPAIGN_BY_KIND[kind].dispositions.map((x) => x.code));
}
