import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../../main/core/store/db';
import { createNoticeRepo, type NoticeRepo } from '../../../../main/core/store/notices';

const DAY = 24 * 3600_000;
const NOW = 1_700_000_000_000;

let db: Database;
let notices: NoticeRepo;

beforeEach(() => {
  db = openDatabase(':memory:');
  let ids = 0;
  notices = createNoticeRepo(db, { now: () => NOW, newId: () => `nt-${++ids}` });
});
afterEach(() => db.close());

describe('notices', () => {
  it('none sent: null', () => {
    expect(notices.latest('cust-1', 'renewal')).toBeNull();
  });

  it("the campaign's latest notice", () => {
    notices.record({
      customerId: 'cust-1',
      campaignId: 'renewal',
      channel: 'dm',
      sentAt: NOW - 10 * DAY,
      source: 'crm',
    });
    notices.record({
      customerId: 'cust-1',
      campaignId: 'renewal',
      channel: 'email',
      sentAt: NOW - 4 * DAY,
      source: 'crm',
    });
    notices.record({
      customerId: 'cust-1',
      campaignId: 'renewal',
      channel: 'sms',
      sentAt: NOW - 7 * DAY,
      source: 'import',
    });
    expect(notices.latest('cust-1', 'renewal')).toEqual({
      channel: 'email',
      sentAt: NOW - 4 * DAY,
    });
  });

  it("another campaign's or another customer's notice does not count", () => {
    notices.record({
      customerId: 'cust-1',
      campaignId: 'dm_follow_up',
      channel: 'dm',
      sentAt: NOW - DAY,
      source: 'crm',
    });
    notices.record({
      customerId: 'cust-2',
      campaignId: 'renewal',
      channel: 'dm',
      sentAt: NOW - DAY,
      source: 'crm',
    });
    expect(notices.latest('cust-1', 'renewal')).toBeNull();
    expect(notices.latest('cust-1', 'dm_follow_up')).toEqual({ channel: 'dm', sentAt: NOW - DAY });
  });

  it('a general notice (no campaign) counts for every campaign; the latest wins', () => {
    notices.record({
      customerId: 'cust-1',
      campaignId: null,
      channel: 'dm',
      sentAt: NOW - 5 * DAY,
      source: 'crm',
    });
    expect(notices.latest('cust-1', 'renewal')).toEqual({ channel: 'dm', sentAt: NOW - 5 * DAY });
    expect(notices.latest('cust-1', 'nps')).toEqual({ channel: 'dm', sentAt: NOW - 5 * DAY });
    notices.record({
      customerId: 'cust-1',
      campaignId: 'renewal',
      channel: 'email',
      sentAt: NOW - 6 * DAY,
      source: 'crm',
    });
    expect(notices.latest('cust-1', 'renewal')).toEqual({ channel: 'dm', sentAt: NOW - 5 * DAY });
    notices.record({
      customerId: 'cust-1',
      campaignId: 'renewal',
      channel: 'sms',
      sentAt: NOW - 2 * DAY,
      source: 'crm',
    });
    expect(notices.latest('cust-1', 'renewal')).toEqual({ channel: 'sms', sentAt: NOW - 2 * DAY });
  });

  it('refuses an invalid notice', () => {
    const ok = {
      customerId: 'cust-1',
      campaignId: null,
      channel: 'dm' as const,
      sentAt: NOW,
      source: 'crm',
    };
    expect(() => notices.record({ ...ok, channel: 'fax' as never })).toThrow(/channel/);
    expect(() => notices.record({ ...ok, sentAt: -5 })).toThrow(/sentAt/);
    expect(() => notices.record({ ...ok, customerId: '' })).toThrow(/customerId/);
    expect(() => notices.record({ ...ok, source: '' })).toThrow(/source/);
    expect(db.prepare('SELECT count(*) FROM notices').pluck().get()).toBe(0);
    // The schema's CHECK holds for SQL written by hand too.
    expect(() =>
      db
        .prepare(
          `INSERT INTO notices (id, customer_id, channel, sent_at, source) VALUES ('x', 'c', 'fax', 1, 'crm')`,
        )
        .run(),
    ).toThrow(/CHECK/);
  });

  it('latest() is two index seeks', () => {
    const plans: [string, unknown[]][] = [
      [
        `SELECT channel, sent_at FROM notices WHERE customer_id = ? AND campaign_id = ?
          ORDER BY sent_at DESC LIMIT 1`,
        ['cust-1', 'renewal'],
      ],
      [
        `SELECT channel, sent_at FROM notices WHERE customer_id = ? AND campaign_id IS NULL
          ORDER BY sent_at DESC LIMIT 1`,
        ['cust-1'],
      ],
    ];
    for (const [sql, params] of plans) {
      const plan = db
        .prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
        .all(...params)
        .map((r) => r.detail)
        .join('\n');
      expect(plan).toMatch(/SEARCH notices USING INDEX notices_by_customer/);
      expect(plan).not.toMatch(/TEMP B-TREE/);
    }
  });
});
