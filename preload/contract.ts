// THE contract between main and the renderer. Every request method with its argument and
// result schema, every event main pushes, and every media request main makes of the
// renderer. Main validates with these schemas; the renderer takes its types from them.
// Served over Electron IPC (preload/index.ts) and, in browser mode, over a loopback
// WebSocket (main/web) — the same frames either way (see RpcFrame below).
import { z } from 'zod';

// ---------- shared shapes ----------

/** Opaque ids made by main; restricted charset so they are safe in logs and DOM ids. */
export const Id = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9._:@-]+$/, 'invalid id');

export const Locale = z.enum(['ja', 'en']);
export type Locale = z.infer<typeof Locale>;

/** Epoch milliseconds (UTC). */
export const EpochMs = z.number().int().nonnegative();

export const Segment = z.enum(['new', 'repeat', 'heavy', 'dormant']);
export type Segment = z.infer<typeof Segment>;

export const RegistrationState = z.enum([
  'unconfigured', // no SIP account set
  'connecting', // transport connecting or REGISTER in flight
  'registered',
  'unregistered', // transport down / registration lapsed; retrying
  'failed', // gave up: e.g. wrong password (error says why)
]);
export type RegistrationState = z.infer<typeof RegistrationState>;

export const PhoneErrorCode = z.enum([
  'auth_failed',
  'transport_error',
  'registration_rejected',
  'timeout',
  'config_invalid',
]);

export const PhoneStatus = z.object({
  registration: RegistrationState,
  /** sip:1001@example.org — the agent's address of record, null when unconfigured. */
  aor: z.string().nullable(),
  error: z.object({ code: PhoneErrorCode, message: z.string() }).nullable(),
  /** When the state last changed (epoch ms). */
  since: EpochMs,
});
export type PhoneStatus = z.infer<typeof PhoneStatus>;

export const Direction = z.enum(['inbound', 'outbound']);
export type Direction = z.infer<typeof Direction>;

/**
 * Why an inbound caller rings, as the IVR or the dialled line tells it (X-Call-Reason on the
 * INVITE): picks the talk track.
 */
export const CallReason = z.enum([
  'order', // new orders and requests
  'repeat_order',
  'inquiry', // cancellation, address change, return, missing delivery
  'consultation', // how to use
]);
export type CallReason = z.infer<typeof CallReason>;

export const CallOutcome = z.enum([
  'answered', // talked (duration > 0 possible)
  'missed', // inbound, caller gave up before answer (CANCEL)
  'rejected', // inbound, agent declined
  'busy',
  'no_answer',
  'failed',
]);
export type CallOutcome = z.infer<typeof CallOutcome>;

/** Call quality estimated from WebRTC stats (getStats) in the renderer. */
export const CallQuality = z.object({
  /** Estimated MOS (1–4.5, E-model from loss, jitter and RTT). */
  mos: z.number().min(1).max(5),
  lossPct: z.number().min(0).max(100),
  jitterMs: z.number().min(0).max(60_000),
  rttMs: z.number().min(0).max(60_000).nullable(),
});
export type CallQuality = z.infer<typeof CallQuality>;

/** Calls are ours; the other kinds are pulled from the CRM (other channels, other desks). */
export const InteractionKind = z.enum(['call', 'email', 'chat', 'order', 'ticket', 'note']);
export type InteractionKind = z.infer<typeof InteractionKind>;

export const TimelineEntry = z.object({
  id: Id,
  kind: InteractionKind,
  direction: Direction,
  /** E.164 when it could be normalized, else the raw string as received (may be empty). */
  number: z.string(),
  startedAt: EpochMs,
  answeredAt: EpochMs.nullable(),
  endedAt: EpochMs.nullable(),
  durationSec: z.number().int().nonnegative().nullable(),
  outcome: CallOutcome.nullable(),
  /** The call's quality over its life (worst-of / average as the phone computes it). */
  quality: CallQuality.nullable().optional(),
  /** One line for entries from the CRM (an email's subject, an order's items). */
  summary: z.string().max(500).nullable().optional(),
  /** A call's talk-track answers, in the order they were given (absent: none). */
  answers: z
    .array(z.object({ question: z.string().max(4000), answer: z.string().max(4000) }))
    .max(200)
    .optional(),
});
export type TimelineEntry = z.infer<typeof TimelineEntry>;

export const CustomerSummary = z.object({
  id: Id,
  name: z.string(),
  nameKana: z.string().nullable(),
  segment: Segment,
  /** Primary phone, E.164. */
  phone: z.string(),
});
export type CustomerSummary = z.infer<typeof CustomerSummary>;

export const CallerNumber = z.object({
  /** The user part / number as it arrived (From or P-Asserted-Identity), sanitized. */
  raw: z.string(),
  /** Normalized E.164, null when not a phone number. */
  e164: z.string().nullable(),
  /** Display form for the agent (national format for JP numbers). */
  display: z.string(),
  anonymous: z.boolean(),
  /** Display name from the SIP header, sanitized; null when absent. */
  displayName: z.string().nullable(),
});
export type CallerNumber = z.infer<typeof CallerNumber>;

export const Pop = z.object({
  /** null = unknown customer (or anonymous caller). */
  customer: CustomerSummary.nullable(),
  lastContacts: z.array(TimelineEntry),
});
export type Pop = z.infer<typeof Pop>;

export const CallState = z.enum([
  'ringing', // inbound ringing at the agent / outbound ringing at the far end (180/183)
  'connecting', // inbound: answer sent, waiting for ACK; outbound: INVITE sent, no 18x yet
  'active', // established (on hold or not: see onHold / remoteHold)
  'ended',
]);
export type CallState = z.infer<typeof CallState>;

export const TransferState = z.object({
  kind: z.enum(['blind', 'attended']),
  /** The transfer target as the agent gave it (number or SIP URI), sanitized. */
  target: z.string(),
  /** trying: REFER sent; accepted: 202; progress: NOTIFY 1xx; succeeded: NOTIFY 2xx; failed. */
  state: z.enum(['trying', 'accepted', 'progress', 'succeeded', 'failed']),
  /** Last progress line, e.g. 'SIP/2.0 180 Ringing' from the NOTIFY sipfrag. */
  detail: z.string().nullable(),
  /** Attended: the consult call being joined. */
  consultCallId: Id.nullable(),
});
export type TransferState = z.infer<typeof TransferState>;

export const Call = z.object({
  id: Id,
  direction: Direction,
  state: CallState,
  /** We put the call on hold (re-INVITE a=sendonly). */
  onHold: z.boolean(),
  /** The far end put us on hold (its SDP says sendonly/inactive). */
  remoteHold: z.boolean(),
  /** Our microphone is muted (no re-INVITE; the track is disabled in the renderer). */
  muted: z.boolean(),
  /** This call is a consultation leg placed for an attended transfer of that call. */
  consultFor: Id.nullable(),
  /** Calls mixed together in a local 3-way conference share this id. */
  conferenceId: Id.nullable(),
  transfer: TransferState.nullable(),
  /** Latest quality sample while the call lasts. */
  quality: CallQuality.nullable(),
  /** Final SIP status of a failed outbound call (486, 404, 503…), else null. */
  sipStatus: z.number().int().min(100).max(699).nullable(),
  remote: CallerNumber,
  /** Inbound: the reason the IVR gave (X-Call-Reason), else null. */
  reason: CallReason.nullable(),
  pop: Pop,
  startedAt: EpochMs,
  answeredAt: EpochMs.nullable(),
  endedAt: EpochMs.nullable(),
  outcome: CallOutcome.nullable(),
  /** Human-readable reason for the end, e.g. 'remote hung up', 'SIP 486 Busy Here'. */
  endReason: z.string().nullable(),
});
export type Call = z.infer<typeof Call>;

// ---------- notes, opt-outs, sync ----------

/** A note as the editor shows it: its latest version and whether the CRM has that version. */
export const Note = z.object({
  noteId: Id,
  customerId: Id.nullable(),
  interactionId: Id.nullable(),
  /** Versions count from 1; every save appends one, none is ever overwritten. */
  version: z.number().int().positive(),
  body: z.string(),
  savedAt: EpochMs,
  /** The CRM acknowledged this version. */
  synced: z.boolean(),
});
export type Note = z.infer<typeof Note>;

export const NoteBody = z.string().max(20_000);

export const OptOutScope = z.enum(['marketing', 'all']);
export type OptOutScope = z.infer<typeof OptOutScope>;

export const SyncState = z.enum([
  'off', // local CRM: nothing to sync
  'idle', // everything acknowledged, pulls up to date
  'syncing',
  'offline', // the CRM cannot be reached; retrying with backoff
  'error', // the CRM refuses (token, permission, mapping): needs an admin; nothing is lost
]);
export type SyncState = z.infer<typeof SyncState>;

export const SyncStatus = z.object({
  crm: z.enum(['local', 'kintone']),
  state: SyncState,
  /** Changes waiting for the CRM (dead letters not included). */
  pending: z.number().int().nonnegative(),
  /** Changes the CRM refused; kept and shown until retried. */
  deadLetters: z.number().int().nonnegative(),
  lastSuccessAt: EpochMs.nullable(),
  lastError: z.object({ message: z.string(), at: EpochMs }).nullable(),
  /** The first full pull: records applied so far and the CRM's total when known. */
  initial: z
    .object({
      done: z.number().int().nonnegative(),
      total: z.number().int().nonnegative().nullable(),
    })
    .nullable(),
});
export type SyncStatus = z.infer<typeof SyncStatus>;

export const DeadLetter = z.object({
  key: z.string(),
  kind: z.string(),
  attempts: z.number().int().nonnegative(),
  error: z.string(),
  createdAt: EpochMs,
});
export type DeadLetter = z.infer<typeof DeadLetter>;

const AppIds = z
  .object({
    customers: z.number().int().positive(),
    activities: z.number().int().positive(),
    callbacks: z.number().int().positive(),
  })
  .strict();

/** What the admin sets. The token is write-only: omitted = keep the stored one. */
export const CrmSettingsInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('local') }).strict(),
  z
    .object({
      kind: z.literal('kintone'),
      baseUrl: z.string().trim().min(1).max(200),
      apps: AppIds,
      token: z.string().trim().min(1).max(1200).optional(),
    })
    .strict(),
]);
export type CrmSettingsInput = z.infer<typeof CrmSettingsInput>;

/** What the screen may see: never the token, only whether one is stored. */
export const CrmSettingsView = z.object({
  kind: z.enum(['local', 'kintone']),
  baseUrl: z.string().nullable(),
  apps: AppIds.nullable(),
  hasToken: z.boolean(),
});
export type CrmSettingsView = z.infer<typeof CrmSettingsView>;

export const CrmCheck = z.union([
  z.object({ ok: z.literal(true), detail: z.string() }),
  z.object({ ok: z.literal(false), code: z.string(), message: z.string() }),
]);

// ---------- outbound: campaigns, the callback queue, dialing rules ----------

export const OptOutLevel = z.enum(['none', 'marketing', 'all']);
export type OptOutLevel = z.infer<typeof OptOutLevel>;

/** An IANA time zone name (Asia/Tokyo); checked against the runtime's zone data in main. */
export const TimeZone = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z_]+(?:\/[A-Za-z0-9_+-]+){0,2}$|^UTC$/, 'not an IANA time zone');

/** A wall-clock time of day, 24 h: "09:00", "20:30". */
export const LocalTime = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM');

export const E164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'expected an E.164 number');

export const CampaignKind = z.enum([
  'requested', // the customer asked to be called back (a promised time)
  'renewal', // subscription renewal before expiry
  'delivery_delay', // a delivery is late: tell them first
  'nps', // satisfaction / NPS survey
  'reactivation', // dormant customer
  'dm_follow_up', // after a DM (postcard, email) went out
]);
export type CampaignKind = z.infer<typeof CampaignKind>;

/** What a disposition does to the callback it closes. */
export const DispositionEffect = z.enum([
  'done', // reached, finished
  'retry', // try again later (no answer, busy, voicemail, bad moment)
  'reschedule', // "call me at…": a promised time in the customer's zone
  'stop', // wrong number, deceased, moved: never again for this callback
  'opt_out', // refused calls: records an opt-out, cancels every pending callback
]);
export type DispositionEffect = z.infer<typeof DispositionEffect>;

export const DispositionCode = z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, 'invalid code');

export const Disposition = z.object({
  code: DispositionCode,
  label: z.object({ ja: z.string().min(1).max(60), en: z.string().min(1).max(60) }),
  effect: DispositionEffect,
});
export type Disposition = z.infer<typeof Disposition>;

/** When the campaign may ring, in the customer's local time. */
export const CallingWindow = z.object({
  start: LocalTime,
  end: LocalTime,
  /** ISO weekdays allowed: 1 = Monday … 7 = Sunday. */
  days: z.array(z.number().int().min(1).max(7)).min(1).max(7),
  /** Whether calls may go out on Japanese public holidays. */
  holidays: z.boolean(),
});
export type CallingWindow = z.infer<typeof CallingWindow>;

const Minutes = z
  .number()
  .int()
  .min(0)
  .max(60 * 24 * 60);

export const Campaign = z.object({
  id: Id,
  kind: CampaignKind,
  name: z.object({ ja: z.string().min(1).max(80), en: z.string().min(1).max(80) }),
  /** Marketing calls stop at a 'marketing' opt-out; service calls only at 'all'. */
  marketing: z.boolean(),
  window: CallingWindow,
  /** Attempts per callback before it is given up. */
  maxAttempts: z.number().int().min(1).max(50),
  /** Least time between two attempts at the same customer. */
  minIntervalMin: Minutes,
  /** Attempts at one customer (any campaign) per local day and per 7 days. */
  maxPerCustomerPerDay: z.number().int().min(1).max(20),
  maxPerCustomerPerWeek: z.number().int().min(1).max(100),
  /** When to try again after each unanswered outcome. */
  retryAfterMin: z.object({
    no_answer: Minutes,
    busy: Minutes,
    voicemail: Minutes,
    failed: Minutes,
  }),
  /** Numbers shown to the customer, rotated; empty = the SIP account's own. */
  callerIds: z.array(E164).max(50),
  /** Calls per caller ID per day (Japan time), to keep each number's reputation. */
  callerIdDailyCap: z.number().int().min(1).max(10_000),
  /** The DM/email must have gone out at least this many days before the first call. */
  noticeDaysBefore: z.number().int().min(0).max(90).nullable(),
  dispositions: z.array(Disposition).min(1).max(40),
  /** Preview countdown before the call is placed; 0 = the agent presses dial. */
  previewSeconds: z.number().int().min(0).max(600),
});
export type Campaign = z.infer<typeof Campaign>;

export const CallbackStatus = z.enum([
  'pending', // waiting in the queue
  'dialing', // an attempt is under way
  'wrap_up', // answered; waiting for the agent's disposition
  'done',
  'exhausted', // out of attempts
  'stopped', // wrong number and the like
  'expired',
  'opted_out', // the customer said no: never dialled again
]);
export type CallbackStatus = z.infer<typeof CallbackStatus>;

/** Why a callback or a number cannot be dialled now. */
export const DialBlock = z.enum([
  'opted_out',
  'outside_window', // outside the campaign's hours in the customer's time
  'day_not_allowed', // weekend / day not in the campaign's days
  'holiday', // Japanese public holiday
  'attempt_limit', // this callback's attempts used up
  'customer_day_limit',
  'customer_week_limit',
  'too_soon', // less than the minimum interval since the last attempt
  'caller_id_cap', // every caller ID of the campaign reached its daily cap
  'notice_missing', // the DM/email did not go out early enough
  'not_due', // before its due time / retry time
  'expired',
  'closed', // not pending any more (done, stopped, opted out…)
]);
export type DialBlock = z.infer<typeof DialBlock>;

export const AttemptOutcome = z.enum([
  'answered',
  'no_answer',
  'busy',
  'voicemail',
  'failed',
  'refused_dial', // blocked in main before any INVITE (kept for the audit trail)
]);
export type AttemptOutcome = z.infer<typeof AttemptOutcome>;

export const Attempt = z.object({
  id: Id,
  callbackId: Id.nullable(),
  at: EpochMs,
  outcome: AttemptOutcome.nullable(),
  durationSec: z.number().int().nonnegative().nullable(),
  disposition: DispositionCode.nullable(),
  callerId: z.string().nullable(),
  agent: z.string().nullable(),
});
export type Attempt = z.infer<typeof Attempt>;

export const NoticeChannel = z.enum(['dm', 'email', 'sms']);

export const QueueItem = z.object({
  id: Id,
  customer: CustomerSummary.nullable(),
  /** E.164. */
  number: z.string(),
  campaignId: Id,
  campaignKind: CampaignKind,
  owner: z.enum(['me', 'pool']),
  priority: z.number().int(),
  /** The customer was promised a call at dueAt. */
  promised: z.boolean(),
  dueAt: EpochMs,
  expiresAt: EpochMs.nullable(),
  /** The customer's zone (from their address, else their number). */
  timeZone: TimeZone,
  status: CallbackStatus,
  attempts: z.number().int().nonnegative(),
  attemptsLeft: z.number().int().nonnegative(),
  lastAttempt: z.object({ at: EpochMs, outcome: AttemptOutcome.nullable() }).nullable(),
  /** Earliest time the rules allow the next attempt (null: not pending). */
  nextAt: EpochMs.nullable(),
  /** Why it cannot be dialled now; empty = dialable. */
  blocked: z.array(DialBlock),
  optOut: OptOutLevel,
  /** The latest pre-contact notice sent to this customer for this campaign. */
  notice: z.object({ channel: NoticeChannel, sentAt: EpochMs }).nullable(),
  note: z.string().nullable(),
});
export type QueueItem = z.infer<typeof QueueItem>;

export const QueueFilter = z
  .object({
    campaignId: Id.optional(),
    owner: z.enum(['me', 'pool']).optional(),
    /** Only callbacks that can be dialled right now. */
    dialableOnly: z.boolean().optional(),
    /** Name, kana or number fragment. */
    search: z.string().trim().max(64).optional(),
  })
  .strict();
export type QueueFilter = z.infer<typeof QueueFilter>;

export const SkipReason = z.enum(['not_now', 'wrong_data', 'customer_context', 'other']);
export type SkipReason = z.infer<typeof SkipReason>;

export const OptOutImportResult = z.object({
  added: z.number().int().nonnegative(),
  /** Already at that level or stronger. */
  unchanged: z.number().int().nonnegative(),
  /** Rows that could not be read, with their line number in the file. */
  rejected: z.array(
    z.object({ line: z.number().int().positive(), value: z.string(), reason: z.string() }),
  ),
  /** Pending callbacks cancelled because of the new opt-outs. */
  callbacksCancelled: z.number().int().nonnegative(),
});
export type OptOutImportResult = z.infer<typeof OptOutImportResult>;

// ---------- talk tracks ----------

/** An answer as stored: date 'YYYY-MM-DD', NPS 0–10, a choice's value, yes/no as a boolean. */
export const AnswerValue = z.union([z.string().max(4000), z.number(), z.boolean()]);
export type AnswerValue = z.infer<typeof AnswerValue>;

export const ScriptSummary = z.object({
  id: z.string().max(64),
  version: z.number().int(),
  /** In the agent's language. */
  title: z.string(),
  direction: Direction,
  reasons: z.array(CallReason),
  campaigns: z.array(CampaignKind),
  segments: z.array(Segment),
});
export type ScriptSummary = z.infer<typeof ScriptSummary>;

export const NextAction = z.enum(['none', 'schedule_callback', 'record_opt_out', 'take_order']);
export type NextAction = z.infer<typeof NextAction>;

export const TalkTrackQuestion = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('choice'),
    options: z.array(z.object({ value: z.string(), label: z.string() })),
  }),
  z.object({ type: z.literal('yes_no') }),
  z.object({ type: z.literal('text'), maxLength: z.number().int() }),
  z.object({ type: z.literal('number'), min: z.number().nullable(), max: z.number().nullable() }),
  z.object({ type: z.literal('date') }),
  z.object({ type: z.literal('nps'), min: z.literal(0), max: z.literal(10) }),
]);
export type TalkTrackQuestion = z.infer<typeof TalkTrackQuestion>;

/** The step on screen, texts in the agent's language with the call's data filled in. */
export const TalkTrackStep = z.object({
  scriptId: z.string(),
  stepId: z.string(),
  kind: z.enum(['say', 'ask', 'end']),
  say: z.string().nullable(),
  ask: z.string().nullable(),
  question: TalkTrackQuestion.nullable(),
  /** The answer already given to this step (after going back), if any. */
  answer: AnswerValue.nullable(),
  /** Must be confirmed before moving on (recording notice, identity check). */
  mandatory: z.boolean(),
  confirmed: z.boolean(),
  confirmText: z.string().nullable(),
  canGoBack: z.boolean(),
  /** Moving on without answering would work now (a say step, or an ask step answered). */
  canAdvance: z.boolean(),
  objections: z.array(z.object({ id: z.string(), label: z.string() })),
  /** The objection handler on screen, if one is open. */
  objection: z
    .object({ id: z.string(), label: z.string(), say: z.string(), goto: z.string().nullable() })
    .nullable(),
  /** An end step: the suggested disposition and next action. */
  end: z.object({ disposition: z.string(), action: NextAction }).nullable(),
});
export type TalkTrackStep = z.infer<typeof TalkTrackStep>;

export const ScriptAnswer = z.object({
  stepId: z.string(),
  /** The question as asked, in the agent's language at the time. */
  question: z.string(),
  value: AnswerValue,
  /** The answer as read back (a choice's label, はい/いいえ…). */
  display: z.string(),
  answeredAt: EpochMs,
});
export type ScriptAnswer = z.infer<typeof ScriptAnswer>;

/** A call's talk track: the script, where the agent is, the answers so far. */
export const TalkTrack = z.object({
  callId: Id,
  script: ScriptSummary,
  /** auto = the best fit for the call; agent = the agent switched to it. */
  chosenBy: z.enum(['auto', 'agent']),
  /** The facts of the call the choice was made on. */
  fit: z.object({
    direction: Direction,
    reason: CallReason.nullable(),
    campaign: CampaignKind.nullable(),
    segment: Segment,
  }),
  /** The scripts for this call's direction, best fit first (the agent may switch). */
  alternatives: z.array(ScriptSummary),
  step: TalkTrackStep,
  /** Steps walked so far, the current one included. */
  position: z.number().int().positive(),
  answers: z.array(ScriptAnswer),
});
export type TalkTrack = z.infer<typeof TalkTrack>;

export const TalkTrackAction = z.discriminatedUnion('type', [
  z.object({ type: z.literal('answer'), value: AnswerValue }).strict(),
  z.object({ type: z.literal('advance') }).strict(),
  z.object({ type: z.literal('back') }).strict(),
  z.object({ type: z.literal('confirm') }).strict(),
  z.object({ type: z.literal('openObjection'), objectionId: z.string().max(64) }).strict(),
  z.object({ type: z.literal('closeObjection') }).strict(),
]);
export type TalkTrackAction = z.infer<typeof TalkTrackAction>;

/** A script file that did not load, as `file:line: step 'id': message`. */
export const ScriptProblemView = z.object({
  file: z.string(),
  line: z.number().int().nullable(),
  message: z.string(),
});

// ---------- requests: renderer → main ----------

const NoArgs = z.object({}).strict();
const CallRef = z.object({ callId: Id }).strict();
const Ok = z.object({ ok: z.literal(true) });
/** What an agent may type or click to dial: digits, +, separators, or a SIP URI. */
const DialTarget = z
  .string()
  .trim()
  .min(1)
  .max(128)
  .regex(/^(?:sips?:[^\s<>"]+|[0-9０-９+＋*#()（）\-－ー\s.]+)$/, 'not a phone number or SIP URI');
const DtmfTones = z.string().regex(/^[0-9A-D#*,]{1,64}$/, 'DTMF tones are 0-9, A-D, *, # and ,');

export const AudioDevicePrefs = z.object({
  /** deviceId from enumerateDevices; null = system default. */
  microphoneId: z.string().max(256).nullable(),
  speakerId: z.string().max(256).nullable(),
  /** Where the ring tone plays (e.g. the PC speaker while talking on the headset). */
  ringerId: z.string().max(256).nullable(),
});
export type AudioDevicePrefs = z.infer<typeof AudioDevicePrefs>;

export const PhoneSettings = z.object({
  dtmfMode: z.enum(['rfc4733', 'info']),
  /** Answer automatically when the server asks for it (Call-Info: answer-after). */
  autoAnswer: z.boolean(),
  audio: AudioDevicePrefs,
});
export type PhoneSettings = z.infer<typeof PhoneSettings>;

export const methods = {
  /** First call of every renderer (also after a reload): the whole state to render. */
  hello: {
    args: NoArgs,
    result: z.object({
      version: z.string(),
      locale: Locale,
      phone: PhoneStatus,
      calls: z.array(Call),
      settings: PhoneSettings,
    }),
  },
  answerCall: { args: CallRef, result: Ok },
  rejectCall: { args: CallRef, result: Ok },
  hangupCall: { args: CallRef, result: Ok },
  /** Outbound call; the number is normalized to E.164 in main. */
  dial: { args: z.object({ target: DialTarget }).strict(), result: z.object({ callId: Id }) },
  holdCall: { args: CallRef, result: Ok },
  resumeCall: { args: CallRef, result: Ok },
  /** Make this line the active one: resume it, hold every other established call. */
  switchLine: { args: CallRef, result: Ok },
  setMute: { args: z.object({ callId: Id, muted: z.boolean() }).strict(), result: Ok },
  sendDtmf: { args: z.object({ callId: Id, tones: DtmfTones }).strict(), result: Ok },
  blindTransfer: { args: z.object({ callId: Id, target: DialTarget }).strict(), result: Ok },
  /** Attended transfer, step 1: hold the call and dial the consult target. */
  startConsult: {
    args: z.object({ callId: Id, target: DialTarget }).strict(),
    result: z.object({ consultCallId: Id }),
  },
  /** Attended transfer, step 2: REFER the original call to the consult party (Replaces). */
  completeTransfer: {
    args: z.object({ callId: Id, consultCallId: Id }).strict(),
    result: Ok,
  },
  /** Local 3-way conference: both calls resumed and mixed in the renderer. */
  conference: {
    args: z.object({ callIds: z.array(Id).length(2) }).strict(),
    result: z.object({ conferenceId: Id }),
  },
  /** The renderer's periodic quality sample for a call (from getStats). */
  reportQuality: { args: z.object({ callId: Id, quality: CallQuality }).strict(), result: Ok },
  setPhoneSettings: { args: PhoneSettings.partial().strict(), result: PhoneSettings },
  getTimeline: {
    args: z.object({ customerId: Id, limit: z.number().int().min(1).max(200).optional() }).strict(),
    result: z.array(TimelineEntry),
  },
  setLocale: { args: z.object({ locale: Locale }).strict(), result: Ok },
  /**
   * Saves the editor's text as the note's next version (a new note without noteId). The
   * result is sent once the version is committed to SQLite with its outbox row.
   */
  saveNote: {
    args: z
      .object({
        noteId: Id.optional(),
        customerId: Id.nullable(),
        interactionId: Id.nullable(),
        body: NoteBody,
      })
      .strict(),
    result: Note,
  },
  /** The customer's notes, newest first (latest version of each). */
  getNotes: { args: z.object({ customerId: Id }).strict(), result: z.array(Note) },
  /** Do-not-call for a number (and its customer): only ever strengthens; pushed to the CRM first. */
  setOptOut: {
    args: z
      .object({
        number: DialTarget,
        customerId: Id.nullable(),
        scope: OptOutScope,
        reason: z.string().max(2000).nullable(),
      })
      .strict(),
    result: z.object({ e164: z.string(), scope: OptOutScope }),
  },
  getCrmSettings: { args: NoArgs, result: CrmSettingsView },
  /** Reaches the CRM with these settings (the stored token when none is given); never saves. */
  testCrmConnection: { args: CrmSettingsInput, result: CrmCheck },
  /** Saves (token into the OS keychain) and switches sync to this CRM. */
  setCrmSettings: { args: CrmSettingsInput, result: CrmSettingsView },
  getSyncStatus: { args: NoArgs, result: SyncStatus },
  /** Push and pull now instead of waiting for the next round (also ends an offline wait). */
  syncNow: { args: NoArgs, result: Ok },
  getDeadLetters: { args: NoArgs, result: z.array(DeadLetter) },
  /** Puts dead letters back in the queue (one by key, or all). */
  retryDeadLetters: {
    args: z.object({ key: z.string().max(64).optional() }).strict(),
    result: z.object({ requeued: z.number().int() }),
  },
  // ----- outbound -----
  getCampaigns: { args: NoArgs, result: z.array(Campaign) },
  /** A page of the queue in the order it will be worked (the next-best first). */
  getQueue: {
    args: z
      .object({
        filter: QueueFilter.optional(),
        offset: z.number().int().min(0).max(1_000_000).optional(),
        limit: z.number().int().min(1).max(500).optional(),
      })
      .strict(),
    result: z.object({ total: z.number().int().nonnegative(), items: z.array(QueueItem) }),
  },
  /** One callback with its whole attempt history, newest first. */
  getCallback: {
    args: z.object({ callbackId: Id }).strict(),
    result: z.object({ item: QueueItem, attempts: z.array(Attempt) }),
  },
  /** The next-best callback that may be dialled now (picked in main), or null. */
  nextCallback: { args: NoArgs, result: z.object({ item: QueueItem.nullable() }) },
  /** Dials a callback; every rule is checked here, in main: refused with the reason. */
  dialCallback: { args: z.object({ callbackId: Id }).strict(), result: z.object({ callId: Id }) },
  /** Preview: not this one now. Recorded with the reason; it comes back later. */
  skipCallback: {
    args: z
      .object({ callbackId: Id, reason: SkipReason, note: z.string().max(500).optional() })
      .strict(),
    result: Ok,
  },
  /** A callback promised during a call (or planned by the agent), at an instant (UTC ms). */
  scheduleCallback: {
    args: z
      .object({
        customerId: Id.nullable(),
        number: DialTarget,
        dueAt: EpochMs,
        /** The customer's zone when known better than from the number. */
        timeZone: TimeZone.optional(),
        campaignId: Id.optional(),
        owner: z.enum(['me', 'pool']),
        note: z.string().max(2000).optional(),
        /** The call it was promised on. */
        interactionId: Id.optional(),
      })
      .strict(),
    result: QueueItem,
  },
  /** Closes a call's wrap-up: the code's effect decides what happens to its callback. */
  setDisposition: {
    args: z
      .object({
        interactionId: Id,
        code: DispositionCode,
        callbackId: Id.optional(),
        /** For a 'reschedule' code: the promised instant. */
        rescheduleAt: EpochMs.optional(),
        note: z.string().max(2000).optional(),
      })
      .strict(),
    result: z.object({ callback: QueueItem.nullable() }),
  },
  /** Do-not-call list from a CSV file: number[,scope[,reason]] per line. */
  importOptOuts: {
    args: z
      .object({
        csv: z.string().max(5_000_000),
        /** Scope for rows that name none. */
        scope: OptOutScope,
      })
      .strict(),
    result: OptOutImportResult,
  },
  /** What main would say to dialling this number by hand (for a warning before the click). */
  checkNumber: {
    args: z.object({ number: DialTarget }).strict(),
    result: z.object({ e164: z.string().nullable(), optOut: OptOutLevel }),
  },
  // ----- talk tracks -----
  /** The call's talk track; the first request starts it with the best-fitting script. */
  getTalkTrack: { args: CallRef, result: z.object({ talkTrack: TalkTrack.nullable() }) },
  /** The agent picks another script for the call (its earlier answers are kept). */
  switchScript: {
    args: z.object({ callId: Id, scriptId: z.string().max(64) }).strict(),
    result: TalkTrack,
  },
  /**
   * One move in the talk track; refused (invalid_state, reason = why) if the step forbids it.
   * `at` is the step the agent saw: a move made on a step that has since changed (another
   * window moved on, core restarted the script) is refused as 'stale', never applied to the
   * step now on screen.
   */
  talkTrackAction: {
    args: z
      .object({
        callId: Id,
        at: z
          .object({ stepId: z.string().max(64), position: z.number().int().positive() })
          .strict(),
        action: TalkTrackAction,
      })
      .strict(),
    result: TalkTrack,
  },
  /** Every script loaded, and the files that did not load. */
  listScripts: {
    args: NoArgs,
    result: z.object({ scripts: z.array(ScriptSummary), problems: z.array(ScriptProblemView) }),
  },
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type MethodArgs<M extends MethodName> = z.input<Methods[M]['args']>;
export type MethodResult<M extends MethodName> = z.output<Methods[M]['result']>;

export const methodNames = Object.keys(methods) as MethodName[];
export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.hasOwn(methods, name);
}

// ---------- events: main → renderer ----------

export const events = {
  'phone.status': PhoneStatus,
  /** A call appeared or changed; 'ended' is sent once, then the call is dropped from lists. */
  'call.updated': Call,
  /** A timeline entry was written (e.g. a call ended and was logged). */
  'timeline.added': z.object({ customerId: Id.nullable(), entry: TimelineEntry }),
  'locale.changed': z.object({ locale: Locale }),
  'settings.changed': PhoneSettings,
  'sync.status': SyncStatus,
  /** A note's version was saved or acknowledged by the CRM. */
  'note.updated': Note,
  /** The queue changed (a callback added, dialled, closed; an opt-out arrived): refetch. */
  'queue.changed': z.object({
    pending: z.number().int().nonnegative(),
    dialableNow: z.number().int().nonnegative(),
  }),
  /** A call's talk track moved (also when core moved it: a script reloaded, the locale). */
  'talkTrack.updated': TalkTrack,
  /** The script folder changed: scripts loaded, files that did not. */
  'scripts.changed': z.object({
    scripts: z.number().int().nonnegative(),
    problems: z.number().int().nonnegative(),
  }),
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

// ---------- media requests: main → renderer (the MediaPort) ----------
// SIP.js lives in main; the renderer owns one RTCPeerConnection per call. These are the
// SessionDescriptionHandler operations forwarded to it.

export const mediaRequests = {
  /** Create the local SDP: an answer when a remote offer is set, else an offer. */
  getDescription: {
    /** iceRestart: a fresh offer with new ICE credentials (network path changed). */
    args: z.object({ callId: Id, hold: z.boolean(), iceRestart: z.boolean().optional() }).strict(),
    result: z.object({ sdp: z.string().min(1).max(65536) }),
  },
  /** Apply the remote SDP (offer or answer; the renderer knows from its signaling state). */
  setDescription: {
    args: z.object({ callId: Id, sdp: z.string().min(1).max(65536) }).strict(),
    result: Ok,
  },
  sendDtmf: {
    args: z.object({ callId: Id, tones: DtmfTones }).strict(),
    result: z.object({ sent: z.boolean() }),
  },
  close: { args: z.object({ callId: Id }).strict(), result: Ok },
  /** Disable/enable our microphone track for the call (no re-INVITE). */
  setMute: { args: z.object({ callId: Id, muted: z.boolean() }).strict(), result: Ok },
  /** Mix these calls' audio together (each hears the agent and the others); [] ends mixing. */
  conference: { args: z.object({ callIds: z.array(Id).max(8) }).strict(), result: Ok },
} as const;

export type MediaRequests = typeof mediaRequests;
export type MediaMethod = keyof MediaRequests;
export type MediaArgs<M extends MediaMethod> = z.output<MediaRequests[M]['args']>;
export type MediaResult<M extends MediaMethod> = z.output<MediaRequests[M]['result']>;

export function isMediaMethod(name: unknown): name is MediaMethod {
  return typeof name === 'string' && Object.hasOwn(mediaRequests, name);
}

// ---------- errors and frames ----------

export const RpcErrorCode = z.enum([
  'invalid_argument', // args failed the schema
  'unknown_method',
  'not_found', // e.g. no such call
  'invalid_state', // e.g. answering a call that already ended
  'forbidden', // wrong sender frame / bad token
  'refused', // a rule forbids it (e.g. dialling an opted-out number); reason says which
  'unavailable', // e.g. no renderer attached for media
  'timeout',
  'internal',
]);
export type RpcErrorCode = z.infer<typeof RpcErrorCode>;

export const RpcError = z.object({
  code: RpcErrorCode,
  message: z.string(),
  /** For invalid_argument: where the argument failed (zod issue paths and messages). */
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  /** For refused: the rule, e.g. a DialBlock ('opted_out', 'outside_window'…). */
  reason: z.string().optional(),
});
export type RpcError = z.infer<typeof RpcError>;

export type RpcResponse<T = unknown> = { ok: true; result: T } | { ok: false; error: RpcError };

/** Thrown on the renderer side when a request comes back with an error. */
export class AgentRpcError extends Error {
  readonly code: RpcErrorCode;
  readonly issues: RpcError['issues'];
  readonly reason: string | undefined;
  constructor(error: RpcError) {
    super(error.message);
    this.name = 'AgentRpcError';
    this.code = error.code;
    this.issues = error.issues;
    this.reason = error.reason;
  }
}

/**
 * Wire frames, identical over IPC channels and the browser-mode WebSocket:
 *  renderer → main: invoke (request), mediaResult (answer to a media request)
 *  main → renderer: result (answer to invoke), event, media (request)
 */
export const RendererFrame = z.discriminatedUnion('t', [
  z.object({ t: z.literal('invoke'), id: z.number().int(), method: z.string(), args: z.unknown() }),
  z.object({
    t: z.literal('mediaResult'),
    id: z.number().int(),
    ok: z.boolean(),
    result: z.unknown().optional(),
    error: z.string().optional(),
  }),
]);
export type RendererFrame = z.infer<typeof RendererFrame>;

export type MainFrame =
  | { t: 'result'; id: number; response: RpcResponse }
  | { t: 'event'; event: EventName; payload: unknown }
  | { t: 'media'; id: number; method: MediaMethod; args: unknown };

/** The typed API the renderer uses: api.answerCall({ callId }) → Promise<result>. */
export type AgentApi = {
  [M in MethodName]: (args: MethodArgs<M>) => Promise<MethodResult<M>>;
};

/** What the renderer needs from its transport (window.agent in Electron, WS shim in browser). */
export interface AgentBridge {
  invoke(method: MethodName, args: unknown): Promise<RpcResponse>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  /** Register the renderer's media port; main sends SDH operations to it. */
  serveMedia(
    handler: <M extends MediaMethod>(method: M, args: MediaArgs<M>) => Promise<MediaResult<M>>,
  ): () => void;
}
