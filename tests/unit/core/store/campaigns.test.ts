import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Campaign, CampaignKind, type Campaign as CampaignT } from '../../../../preload/contract';
import type { Logger } from '../../../../main/core/log';
import {
  DEFAULT_CAMPAIGN_BY_KIND,
  DEFAULT_CAMPAIGNS,
} from '../../../../main/core/outbound/default-campaigns';
import {
  createCampaignRepo,
  InvalidCampaignError,
  type CampaignRepo,
} from '../../../../main/core/store/campaigns';
import { openDatabase, type Database } from '../../../../main/core/store/db';

let db: Database;
let repo: CampaignRepo;
let clock: number;
let logged: { level: string; msg: string; fields?: Record<string, unknown> }[];

const log: Logger = {
  debug: (msg, fields) => logged.push({ level: 'debug', msg, fields }),
  info: (msg, fields) => logged.push({ level: 'info', msg, fields }),
  warn: (msg, fields) => logged.push({ level: 'warn', msg, fields }),
  error: (msg, fields) => logged.push({ level: 'error', msg, fields }),
};

beforeEach(() => {
  db = openDatabase(':memory:');
  clock = 1_700_000_000_000;
  logged = [];
  repo = createCampaignRepo(db, { now: () => clock, log });
});
afterEach(() => db.close());

const renewal = (): CampaignT => structuredClone(DEFAULT_CAMPAIGN_BY_KIND.renewal);

describe('DEFAULT_CAMPAIGNS', () => {
  it('has one valid campaign per kind, its id being the kind', () => {
    expect(DEFAULT_CAMPAIGNS.map((c) => c.kind).sort()).toEqual([...CampaignKind.options].sort());
    for (const c of DEFAULT_CAMPAIGNS) {
      expect(Campaign.parse(c)).toEqual(c);
      expect(c.id).toBe(c.kind);
      expect(c.name.ja).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
      expect(c.window).toMatchObject({ start: '09:00', end: '20:00', days: [1, 2, 3, 4, 5, 6] });
      expect(c.maxPerCustomerPerDay).toBe(2);
      expect(c.maxPerCustomerPerWeek).toBe(5);
      const codes = c.dispositions.map((d) => d.code);
      expect(new Set(codes).size).toBe(codes.length);
      for (const code of ['completed', 'no_answer', 'busy', 'voicemail', 'call_me_at']) {
        expect(codes).toContain(code);
      }
      expect(c.dispositions.find((d) => d.code === 'refused')?.effect).toBe('opt_out');
      expect(c.dispositions.find((d) => d.code === 'wrong_number')?.effect).toBe('stop');
    }
  });

  it('service calls are not marketing and may call on holidays; marketing never does', () => {
    const service = DEFAULT_CAMPAIGNS.filter((c) => !c.marketing).map((c) => c.id);
    expect(service.sort()).toEqual(['delivery_delay', 'requested']);
    for (const c of DEFAULT_CAMPAIGNS) expect(c.window.holidays).toBe(!c.marketing);
  });

  it('needs a notice for renewal and DM follow-up only; requested calls are dialled by hand', () => {
    const byKind = DEFAULT_CAMPAIGN_BY_KIND;
    expect(byKind.renewal.noticeDaysBefore).toBe(3);
    expect(byKind.dm_follow_up.noticeDaysBefore).toBe(3);
    expect(byKind.nps.noticeDaysBefore).toBeNull();
    expect(byKind.requested).toMatchObject({ previewSeconds: 0, callerIds: [] });
    for (const c of DEFAULT_CAMPAIGNS.filter((x) => x.kind !== 'requested')) {
      expect(c.previewSeconds).toBeGreaterThanOrEqual(10);
      expect(c.callerIds.length).toBeGreaterThan(0);
      for (const n of c.callerIds) expect(n).toMatch(/^\+8150\d{8}$/);
    }
    expect(byKind.renewal.dispositions.map((d) => d.code)).toEqual(
      expect.arrayContaining(['renewed', 'declined']),
    );
    expect(byKind.nps.dispositions.map((d) => d.code)).toContain('survey_done');
    expect(byKind.reactivation.dispositions.map((d) => d.code)).toEqual(
      expect.arrayContaining(['ordered', 'not_interested']),
    );
  });
});

describe('ensureDefaults', () => {
  it('inserts every default campaign, in order, once', () => {
    expect(repo.list()).toEqual([]);
    repo.ensureDefaults();
    repo.ensureDefaults();
    expect(repo.list()).toEqual(DEFAULT_CAMPAIGNS);
    expect(db.prepare('SELECT count(*) FROM campaigns').pluck().get()).toBe(6);
  });

  it("never overwrites an admin's edits, and adds only the missing ones", () => {
    const edited = { ...renewal(), maxAttempts: 9, name: { ja: '更新（編集済み）', en: 'Edited' } };
    repo.upsert(edited);
    repo.ensureDefaults();
    expect(repo.get('renewal')).toEqual(edited);
    expect(repo.list()).toHaveLength(6);
    expect(repo.list()[0]).toEqual(edited); // written first, listed first
  });

  it('does not bring back a campaign the admin turned off', () => {
    repo.ensureDefaults();
    expect(repo.setActive('nps', false)).toBe(true);
    repo.ensureDefaults();
    expect(repo.list().map((c) => c.id)).not.toContain('nps');
    expect(repo.get('nps')?.kind).toBe('nps'); // callbacks of it still read its rules
    expect(repo.setActive('nps', true)).toBe(true);
    expect(repo.list().map((c) => c.id)).toContain('nps');
    expect(repo.setActive('nope', true)).toBe(false);
  });
});

describe('upsert and get', () => {
  it('round-trips a campaign, replacing it on the second write', () => {
    const c = renewal();
    repo.upsert(c);
    expect(repo.get('renewal')).toEqual(c);
    clock += 1000;
    repo.upsert({ ...c, previewSeconds: 30 });
    expect(repo.get('renewal')?.previewSeconds).toBe(30);
    expect(db.prepare("SELECT updated_at FROM campaigns WHERE id = 'renewal'").pluck().get()).toBe(
      clock,
    );
    expect(repo.get('unknown')).toBeUndefined();
  });

  it('refuses an invalid campaign with a clear error and writes nothing', () => {
    const bad = { ...renewal(), maxAttempts: 0, callerIds: ['0312345678'] };
    expect(() => repo.upsert(bad)).toThrow(InvalidCampaignError);
    expect(() => repo.upsert(bad)).toThrow(/campaign "renewal" is invalid/);
    expect(() => repo.upsert(bad)).toThrow(/maxAttempts/);
    expect(() => repo.upsert(bad)).toThrow(/callerIds/);
    expect(() => repo.upsert({ ...renewal(), kind: 'cold_call' as never })).toThrow(/kind/);
    expect(db.prepare('SELECT count(*) FROM campaigns').pluck().get()).toBe(0);
  });

  it('strips unknown keys before storing', () => {
    repo.upsert({ ...renewal(), secretField: 'x' } as CampaignT);
    expect(
      db.prepare("SELECT rules FROM campaigns WHERE id = 'renewal'").pluck().get(),
    ).not.toMatch(/secretField/);
  });
});

describe('corrupt rows are logged and skipped, never crash', () => {
  beforeEach(() => repo.ensureDefaults());

  it.each([
    ['not JSON', '{"id": "nps", ', /not JSON/],
    [
      'invalid rules',
      JSON.stringify({ ...DEFAULT_CAMPAIGN_BY_KIND.nps, maxAttempts: -1 }),
      /invalid/,
    ],
    [
      'another id',
      JSON.stringify({ ...DEFAULT_CAMPAIGN_BY_KIND.nps, id: 'renewal' }),
      /another id/,
    ],
  ])('%s', (_, rules, message) => {
    db.prepare("UPDATE campaigns SET rules = ? WHERE id = 'nps'").run(rules);
    const list = repo.list();
    expect(list.map((c) => c.id)).toEqual(
      DEFAULT_CAMPAIGNS.map((c) => c.id).filter((id) => id !== 'nps'),
    );
    expect(repo.get('nps')).toBeUndefined();
    const errors = logged.filter((l) => l.level === 'error');
    expect(errors).toHaveLength(2);
    expect(errors[0]!.msg).toMatch(message);
    expect(errors[0]!.fields).toMatchObject({ campaignId: 'nps' });
  });
});
