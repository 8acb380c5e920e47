// The callback queue as the agent sees it: rows from the store joined with what the rules say
// about them right now. The next-best pick walks the store's candidates in queue order and
// stops at the first one every rule allows, so it costs little however long the queue is.
// Facts shared by many rows (a campaign's window in a zone, its caller-ID usage) are worked
// out once per pick; facts about one customer only for rows that pass the cheap checks.
import type {
  Campaign,
  CustomerSummary,
  DialBlock,
  OptOutLevel,
  QueueFilter,
  QueueItem,
} from '../../../preload/contract';
import type { AttemptRepo } from '../store/attempts';
import { searchPatterns, type CallbackRepo, type CallbackRow } from '../store/callbacks';
import type { CampaignRepo } from '../store/campaigns';
import type { NoticeRepo } from '../store/notices';
import type { OptOutRepo } from '../store/opt-outs';
import { stronger } from '../store/opt-outs';
import { callerIdDayStart, pickCallerId, type CallerIdPick } from './caller-id';
import { windowBlock, localDayStart } from './calling-window';
import { dialBlocks, type DialFacts } from './dial-rules';
import { customerZones } from './time-zones';

export interface QueueDeps {
  callbacks: CallbackRepo;
  attempts: AttemptRepo;
  campaigns: CampaignRepo;
  notices: NoticeRepo;
  optOuts: OptOutRepo;
  customerSummary: (customerId: string) => CustomerSummary | null;
}

const WEEK_MS = 7 * 24 * 3600_000;
/** dialableOnly lists at most this many ready rows (each needs every rule checked). */
const DIALABLE_SCAN_LIMIT = 5000;

/** Per-pick memo: the same campaign, zone set and clock give the same answers. */
interface PickContext {
  now: number;
  usage: Map<string, number> | null;
  callerIds: Map<string, CallerIdPick>;
  windows: Map<string, ReturnType<typeof windowBlock>>;
  /** Campaign rules are JSON validated on read: once per pick is enough. */
  campaigns: Map<string, Campaign | undefined>;
  /** Local midnight per zone at `now` (a luxon computation, ~50 µs). */
  dayStarts: Map<string, number>;
}

export interface Queue {
  /** Every reason the rules give against dialling this callback now ([] = may dial). */
  blocksFor(row: CallbackRow, now: number): DialBlock[];
  /** The caller ID the next call of this campaign would present (or 'capped'). */
  callerIdFor(campaign: Campaign, now: number): CallerIdPick;
  item(row: CallbackRow, now: number): QueueItem;
  /** The next-best callback every rule allows now, or null. */
  next(now: number): QueueItem | null;
  page(
    filter: QueueFilter,
    now: number,
    offset: number,
    limit: number,
  ): { total: number; items: QueueItem[] };
  /** Strongest opt-out over the number and its customer. */
  optOutLevel(e164: string, customerId: string | null): OptOutLevel;
  zonesOf(row: Pick<CallbackRow, 'e164' | 'timeZone'>): string[];
}

export function createQueue(deps: QueueDeps): Queue {
  const { callbacks, attempts, campaigns, notices, optOuts } = deps;

  const context = (now: number): PickContext => ({
    now,
    usage: null,
    callerIds: new Map(),
    windows: new Map(),
    campaigns: new Map(),
    dayStarts: new Map(),
  });

  // A callback row's timeZone is already its own zone or else its customer's (joined).
  function zonesOf(row: Pick<CallbackRow, 'e164' | 'timeZone'>): string[] {
    return customerZones(row.timeZone, row.e164);
  }

  function optOutLevel(e164: string, customerId: string | null): OptOutLevel {
    const byNumber = optOuts.levelFor(e164);
    return customerId ? stronger(byNumber, optOuts.levelForCustomer(customerId)) : byNumber;
  }

  function callerIdIn(ctx: PickContext, campaign: Campaign): CallerIdPick {
    let pick = ctx.callerIds.get(campaign.id);
    if (!pick) {
      ctx.usage ??= attempts.callerIdUsage(callerIdDayStart(ctx.now));
      pick = pickCallerId(campaign, ctx.usage);
      ctx.callerIds.set(campaign.id, pick);
    }
    return pick;
  }

  function dayStartIn(ctx: PickContext, zone: string): number {
    let start = ctx.dayStarts.get(zone);
    if (start === undefined) ctx.dayStarts.set(zone, (start = localDayStart(zone, ctx.now)));
    return start;
  }

  function windowIn(ctx: PickContext, campaign: Campaign, zones: string[]) {
    const key = `${campaign.id}|${zones.join(',')}`;
    if (!ctx.windows.has(key)) ctx.windows.set(key, windowBlock(campaign.window, zones, ctx.now));
    return ctx.windows.get(key) ?? null;
  }

  /** Cheap checks first: a row failing one is not worth the per-customer queries. */
  function quickBlocked(ctx: PickContext, row: CallbackRow, campaign: Campaign): boolean {
    if (row.status !== 'pending') return true;
    if (row.attempts >= campaign.maxAttempts) return true;
    if (row.expiresAt !== null && ctx.now >= row.expiresAt) return true;
    if (ctx.now < (row.nextAt ?? row.dueAt)) return true;
    if (callerIdIn(ctx, campaign).kind === 'capped') return true;
    return windowIn(ctx, campaign, zonesOf(row)) !== null;
  }

  function factsFor(ctx: PickContext, row: CallbackRow, campaign: Campaign): DialFacts {
    const zones = zonesOf(row);
    const who = { customerId: row.customerId, e164: row.e164 };
    return {
      now: ctx.now,
      campaign,
      callback: {
        status: row.status,
        dueAt: row.dueAt,
        nextAt: row.nextAt,
        expiresAt: row.expiresAt,
        attempts: row.attempts,
        promised: row.promised,
      },
      optOut: optOutLevel(row.e164, row.customerId),
      zones,
      lastAttemptAt: attempts.lastAt(who),
      customerAttemptsToday: attempts.countSince(who, dayStartIn(ctx, zones[0]!)),
      customerAttemptsWeek: attempts.countSince(who, ctx.now - WEEK_MS),
      callerIdAvailable: callerIdIn(ctx, campaign).kind !== 'capped',
      noticeSentAt: row.customerId
        ? (notices.latest(row.customerId, campaign.id)?.sentAt ?? null)
        : null,
    };
  }

  function campaignOf(ctx: PickContext, row: CallbackRow): Campaign | undefined {
    if (!ctx.campaigns.has(row.campaignId)) {
      ctx.campaigns.set(row.campaignId, campaigns.get(row.campaignId));
    }
    return ctx.campaigns.get(row.campaignId);
  }

  function blocksIn(ctx: PickContext, row: CallbackRow): DialBlock[] {
    const campaign = campaignOf(ctx, row);
    // A callback whose campaign is gone or unreadable is never dialled blind.
    if (!campaign) return ['closed'];
    return dialBlocks(factsFor(ctx, row, campaign));
  }

  function itemIn(ctx: PickContext, row: CallbackRow, known?: DialBlock[]): QueueItem {
    const campaign = campaignOf(ctx, row);
    const zones = zonesOf(row);
    const history = attempts.forCallback(row.id);
    const last = history[0];
    const notice = row.customerId && campaign ? notices.latest(row.customerId, campaign.id) : null;
    const blocked = known ?? blocksIn(ctx, row);
    return {
      id: row.id,
      customer: row.customerId ? deps.customerSummary(row.customerId) : null,
      number: row.e164,
      campaignId: row.campaignId,
      campaignKind: campaign?.kind ?? 'requested',
      owner: row.owner,
      priority: row.priority,
      promised: row.promised,
      dueAt: row.dueAt,
      expiresAt: row.expiresAt,
      timeZone: zones[0]!,
      status: row.status,
      attempts: row.attempts,
      attemptsLeft: Math.max(0, (campaign?.maxAttempts ?? 0) - row.attempts),
      lastAttempt: last ? { at: last.at, outcome: last.outcome } : null,
      nextAt: row.status === 'pending' ? (row.nextAt ?? row.dueAt) : null,
      blocked,
      optOut: optOutLevel(row.e164, row.customerId),
      notice,
      note: row.note,
    };
  }

  return {
    blocksFor: (row, now) => blocksIn(context(now), row),
    callerIdFor: (campaign, now) => callerIdIn(context(now), campaign),
    item: (row, now) => itemIn(context(now), row),
    next(now) {
      const ctx = context(now);
      for (const row of callbacks.candidates(now)) {
        const campaign = campaignOf(ctx, row);
        if (!campaign || quickBlocked(ctx, row, campaign)) continue;
        if (dialBlocks(factsFor(ctx, row, campaign)).length === 0) return itemIn(ctx, row, []);
      }
      return null;
    },
    page(filter, now, offset, limit) {
      const ctx = context(now);
      if (!filter.dialableOnly) {
        const { total, rows } = callbacks.page(filter, now, offset, limit);
        return { total, items: rows.map((r) => itemIn(ctx, r)) };
      }
      // Dialable now ⊆ ready now: walk the ready rows in queue order and keep those every
      // rule allows (bounded: the agent works the top of this list, not its 5,000th row).
      const ready: CallbackRow[] = [];
      let scanned = 0;
      for (const row of callbacks.candidates(now)) {
        if (++scanned > DIALABLE_SCAN_LIMIT) break;
        if (!matches(row, filter)) continue;
        const campaign = campaignOf(ctx, row);
        if (!campaign || quickBlocked(ctx, row, campaign)) continue;
        if (dialBlocks(factsFor(ctx, row, campaign)).length === 0) ready.push(row);
      }
      return {
        total: ready.length,
        items: ready.slice(offset, offset + limit).map((r) => itemIn(ctx, r, [])),
      };
    },
    optOutLevel,
    zonesOf,
  };

  function matches(row: CallbackRow, filter: QueueFilter): boolean {
    if (filter.campaignId && row.campaignId !== filter.campaignId) return false;
    if (filter.owner && row.owner !== filter.owner) return false;
    return searchMatches(filter.search, row, () =>
      row.customerId ? deps.customerSummary(row.customerId) : null,
    );
  }
}

/** The list's SQL search (store/callbacks.ts searchPatterns) for rows already in memory. */
function searchMatches(
  search: string | undefined,
  row: CallbackRow,
  customer: () => CustomerSummary | null,
): boolean {
  const p = searchPatterns(search);
  if (!p) return true;
  const unlike = (pattern: string) => pattern.slice(1, -1).replace(/\\(.)/g, '$1').toLowerCase();
  const squash = (s: string | null) => (s ?? '').replace(/[ \u3000]/g, '').toLowerCase();
  if (p.numberLike && row.e164.includes(unlike(p.numberLike))) return true;
  if (p.nationalLike && row.e164.startsWith(p.nationalLike.slice(0, -1))) return true;
  const c = customer();
  if (!c) return false;
  return (
    squash(c.name).includes(unlike(p.nameLike)) || squash(c.nameKana).includes(unlike(p.kanaLike))
  );
}
