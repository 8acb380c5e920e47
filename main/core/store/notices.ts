// Pre-contact notices: the DM, email or SMS a customer was sent before a campaign may call
// (Campaign.noticeDaysBefore). A notice without a campaign is a general one and counts for
// every campaign.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { EpochMs, Id, NoticeChannel } from '../../../preload/contract';
import type { Database } from './db';

export type NoticeChannelName = z.infer<typeof NoticeChannel>;

export interface NoticeInput {
  customerId: string;
  /** null = a general notice (counts for every campaign). */
  campaignId: string | null;
  channel: NoticeChannelName;
  sentAt: number;
  /** Where we learned of it: 'crm', 'import', 'agent'… */
  source: string;
}

export interface NoticeRepo {
  record(input: NoticeInput): void;
  /** The latest notice for this campaign or a general one; null when none was sent. */
  latest(
    customerId: string,
    campaignId: string,
  ): { channel: NoticeChannelName; sentAt: number } | null;
}

const Input = z.object({
  customerId: Id,
  campaignId: Id.nullable(),
  channel: NoticeChannel,
  sentAt: EpochMs,
  source: z.string().min(1).max(64),
});

interface Row {
  channel: NoticeChannelName;
  sentAt: number;
}

export function createNoticeRepo(
  db: Database,
  opts: { now?: () => number; newId?: () => string } = {},
): NoticeRepo {
  const newId = opts.newId ?? (() => `nt-${randomUUID()}`);
  const insert = db.prepare(
    `INSERT INTO notices (id, customer_id, campaign_id, channel, sent_at, source)
     VALUES (@id, @customerId, @campaignId, @channel, @sentAt, @source)`,
  );
  // Two seeks on notices_by_customer (the campaign's latest, the latest general one).
  const forCampaign = db.prepare<[string, string], Row>(
    `SELECT channel, sent_at AS sentAt FROM notices WHERE customer_id = ? AND campaign_id = ?
      ORDER BY sent_at DESC LIMIT 1`,
  );
  const general = db.prepare<[string], Row>(
    `SELECT channel, sent_at AS sentAt FROM notices WHERE customer_id = ? AND campaign_id IS NULL
      ORDER BY sent_at DESC LIMIT 1`,
  );

  return {
    record(input) {
      const parsed = Input.safeParse(input);
      if (!parsed.success) {
        throw new RangeError(`invalid notice:\n${z.prettifyError(parsed.error)}`);
      }
      insert.run({ id: newId(), ...parsed.data });
    },
    latest(customerId, campaignId) {
      const a = forCampaign.get(customerId, campaignId);
      const b = general.get(customerId);
      const pick = !a ? b : !b ? a : a.sentAt >= b.sentAt ? a : b;
      return pick ? { channel: pick.channel, sentAt: pick.sentAt } : null;
    },
  };
}
