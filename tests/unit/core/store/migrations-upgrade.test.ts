// Upgrading from every earlier schema version keeps all data: a database made by an older
// app (every table it had, filled), reopened by this one, has every row unchanged, the new
// columns at their defaults, and the new tables empty and usable.
// 3 → 4 (the outbound queue) also gets its own checks: the old callbacks and attempts are
// worked by the new repositories, and the opt-out guard covers the old opt-outs.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CAMPAIGN_BY_KIND,
  DEFAULT_CAMPAIGNS,
} from '../../../../main/core/outbound/default-campaigns';
import { createAttemptRepo, isOptOutRefusal } from '../../../../main/core/store/attempts';
import { createCallbackRepo } from '../../../../main/core/store/callbacks';
import { createCampaignRepo } from '../../../../main/core/store/campaigns';
import { createCustomerRepo } from '../../../../main/core/store/customers';
import { openDatabase, type Database } from '../../../../main/core/store/db';
import { createInteractionRepo } from '../../../../main/core/store/interactions';
import { migrations } from '../../../../main/core/store/migrations';
import { createNoteRepo } from '../../../../main/core/store/notes';
import { createNoticeRepo } from '../../../../main/core/store/notices';
import { createOptOutRepo } from '../../../../main/core/store/opt-outs';
import { createOutboxRepo } from '../../../../main/core/store/outbox';
import { createSettingsRepo } from '../../../../main/core/store/settings';
import { useTempDir } from './temp-dir';

const tempDir = useTempDir();
const LATEST = migrations.length;
const T = 1_700_000_000_000;

type Row = Record<string, string | number | null>;

/**
 * Representative rows for every table an older schema can have, with a value for every
 * column any of those schemas has (columns a version lacks are left out when inserting).
 * A table or column added by a future migration to an old version must be added here:
 * the test fails until it is.
 */
const FIXTURES: Record<string, Row[]> = {
  customers: [
    {
      id: 'cust-1',
      name: '山田 太郎',
      name_kana: 'ヤマダ タロウ',
      segment: 'heavy',
      created_at: T,
      updated_at: T + 1,
      crm_id: '101',
      crm_revision: '7',
      time_zone: 'Asia/Tokyo',
    },
    {
      id: 'cust-2',
      name: '佐藤 花子',
      name_kana: null,
      segment: 'new',
      created_at: T + 2,
      updated_at: T + 3,
      crm_id: null,
      crm_revision: null,
      time_zone: null,
    },
    {
      id: 'cust-3',
      name: '株式会社さくら商事　総務部',
      name_kana: 'カブシキガイシャサクラショウジ',
      segment: 'dormant',
      created_at: T + 4,
      updated_at: T + 5,
      crm_id: '103',
      crm_revision: '1',
      time_zone: null,
    },
  ],
  customer_phones: [
    { e164: '+81355550101', customer_id: 'cust-1', label: '自宅', is_primary: 1 },
    { e164: '+819012345678', customer_id: 'cust-1', label: '携帯', is_primary: 0 },
    { e164: '+81612345678', customer_id: 'cust-2', label: null, is_primary: 1 },
    // A shared company number: two customers, one of them primary.
    { e164: '+81451234567', customer_id: 'cust-3', label: '代表', is_primary: 1 },
    { e164: '+81451234567', customer_id: 'cust-2', label: '勤務先', is_primary: 0 },
  ],
  interactions: [
    {
      id: 'call-1',
      customer_id: 'cust-1',
      kind: 'call',
      direction: 'inbound',
      number: '+81355550101',
      started_at: T + 10_000,
      answered_at: T + 14_000,
      ended_at: T + 74_000,
      duration_sec: 60,
      outcome: 'answered',
      end_reason: 'remote hung up',
      quality_mos: 4.21,
      quality_loss_pct: 0.4,
      quality_jitter_ms: 12.5,
      quality_rtt_ms: 48,
      summary: null,
      source: 'local',
      crm_id: null,
    },
    {
      id: 'call-2',
      customer_id: 'cust-2',
      kind: 'call',
      direction: 'outbound',
      number: '+81612345678',
      started_at: T + 20_000,
      answered_at: null,
      ended_at: T + 50_000,
      duration_sec: null,
      outcome: 'no_answer',
      end_reason: 'SIP 480 Temporarily Unavailable',
      quality_mos: null,
      quality_loss_pct: null,
      quality_jitter_ms: null,
      quality_rtt_ms: null,
      summary: null,
      source: 'local',
      crm_id: null,
    },
    {
      // An unknown caller: no customer, a number that is not E.164.
      id: 'call-3',
      customer_id: null,
      kind: 'call',
      direction: 'inbound',
      number: 'anonymous',
      started_at: T + 30_000,
      answered_at: T + 31_000,
      ended_at: null,
      duration_sec: null,
      outcome: null,
      end_reason: null,
      quality_mos: 2.9,
      quality_loss_pct: 7.25,
      quality_jitter_ms: 80,
      quality_rtt_ms: null,
      summary: null,
      source: 'local',
      crm_id: null,
    },
    {
      // Another channel's entry, pulled from the CRM (schema 3 on).
      id: 'crm-5001',
      customer_id: 'cust-2',
      kind: 'email',
      direction: 'inbound',
      number: '',
      started_at: T + 35_000,
      answered_at: null,
      ended_at: null,
      duration_sec: null,
      outcome: null,
      end_reason: null,
      quality_mos: null,
      quality_loss_pct: null,
      quality_jitter_ms: null,
      quality_rtt_ms: null,
      summary: '配送日の変更について',
      source: 'crm',
      crm_id: '5001',
    },
  ],
  settings: [
    {
      key: 'phone',
      value: JSON.stringify({
        dtmfMode: 'info',
        autoAnswer: true,
        audio: { microphoneId: 'mic-ヘッドセット', speakerId: null, ringerId: 'default' },
      }),
      updated_at: T + 40_000,
    },
    { key: 'window', value: '{"width":1280,"height":800}', updated_at: T + 41_000 },
  ],
  // Schema 3 on.
  notes: [
    { id: 'n-old-1', customer_id: 'cust-1', interaction_id: 'call-1', created_at: T + 50_000 },
  ],
  note_versions: [
    {
      note_id: 'n-old-1',
      version: 1,
      body: '解約を検討中とのこと',
      saved_at: T + 50_000,
      sync_key: 'k-note-1',
      synced_at: T + 51_000,
    },
    {
      note_id: 'n-old-1',
      version: 2,
      body: '解約を検討中とのこと。来週折り返し。',
      saved_at: T + 52_000,
      sync_key: 'k-note-2',
      synced_at: null,
    },
  ],
  dispositions: [
    {
      interaction_id: 'call-1',
      code: 'completed',
      campaign_id: 'requested',
      note: null,
      set_at: T + 75_000,
    },
  ],
  callbacks: [
    {
      id: 'cb-old-1',
      customer_id: 'cust-1',
      e164: '+81355550101',
      campaign_id: 'renewal',
      kind: 'renewal',
      owner: 'me',
      priority: 2,
      promised: 0,
      due_at: T + 60_000,
      window_end: null,
      expires_at: null,
      time_zone: null,
      status: 'pending',
      attempts: 1,
      next_at: T + 90_000,
      crm_id: null,
      created_at: T + 55_000,
      updated_at: T + 56_000,
      note: '夕方希望',
      skip_reason: 'not_now',
      skipped_at: T + 57_000,
      marketing: 1,
    },
    {
      id: 'cb-old-2',
      customer_id: 'cust-2',
      e164: '+81612345678',
      campaign_id: null,
      kind: 'requested',
      owner: 'pool',
      priority: 0,
      promised: 1,
      due_at: T + 70_000,
      window_end: T + 80_000,
      expires_at: T + 999_000,
      time_zone: 'Asia/Tokyo',
      status: 'pending',
      attempts: 0,
      next_at: null,
      crm_id: 'cb-crm-9',
      created_at: T + 57_000,
      updated_at: T + 57_000,
      note: null,
      skip_reason: null,
      skipped_at: null,
      marketing: 0,
    },
    {
      id: 'cb-old-3',
      customer_id: null,
      e164: '+819099998888',
      campaign_id: 'nps',
      kind: 'nps',
      owner: 'me',
      priority: 5,
      promised: 0,
      due_at: T + 10_000,
      window_end: null,
      expires_at: null,
      time_zone: null,
      status: 'done',
      attempts: 2,
      next_at: null,
      crm_id: null,
      created_at: T + 58_000,
      updated_at: T + 59_000,
      note: null,
      skip_reason: null,
      skipped_at: null,
      marketing: 0,
    },
  ],
  attempts: [
    {
      // At a number that opted out of marketing: written before the guard existed.
      id: 'a-old-1',
      callback_id: 'cb-old-1',
      customer_id: 'cust-1',
      e164: '+81355550101',
      interaction_id: 'call-1',
      started_at: T + 60_000,
      outcome: 'no_answer',
      duration_sec: null,
      agent: 'agent-1',
      caller_id: '+815055500201',
      disposition: 'call_me_at',
      // (1 would meet the opt-out trigger: cust-1 said no to marketing calls.)
      marketing: 0,
    },
    {
      id: 'a-old-2',
      callback_id: null,
      customer_id: null,
      e164: '+819099998888',
      interaction_id: null,
      started_at: T + 61_000,
      outcome: null,
      duration_sec: null,
      agent: null,
      caller_id: null,
      disposition: null,
      marketing: 0,
    },
  ],
  // After the attempts: a number called before its owner opted out (the trigger of schema 4
  // refuses attempts to numbers already opted out).
  opt_outs: [
    {
      id: 'o-1',
      e164: '+81355550101',
      customer_id: 'cust-1',
      scope: 'marketing',
      source: 'agent',
      reason: '営業電話は不要',
      created_at: T + 53_000,
    },
    {
      id: 'o-2',
      e164: '+819099998888',
      customer_id: null,
      scope: 'all',
      source: 'import',
      reason: null,
      created_at: T + 54_000,
    },
  ],
  campaigns: [
    {
      id: 'renewal-2026',
      rules: JSON.stringify({ ...DEFAULT_CAMPAIGN_BY_KIND.renewal, id: 'renewal-2026' }),
      active: 1,
      updated_at: T + 40_000,
    },
  ],
  notices: [
    {
      id: 'nt-1',
      customer_id: 'cust-1',
      campaign_id: 'renewal-2026',
      channel: 'dm',
      sent_at: T + 30_000,
      source: 'crm',
    },
  ],
  script_answers: [
    {
      interaction_id: 'call-1',
      script_id: 'renewal-v1',
      step_id: 'q1',
      value: '"はい"',
      answered_at: T + 62_000,
    },
  ],
  outbox: [
    {
      seq: 1,
      key: 'k-note-2',
      kind: 'note',
      entity: 'note:n-old-1',
      payload: JSON.stringify({
        noteId: 'n-old-1',
        version: 2,
        customerId: 'cust-1',
        customerCrmId: '101',
        interactionId: 'call-1',
        body: '解約を検討中とのこと。来週折り返し。',
        savedAt: T + 52_000,
      }),
      lane: 1,
      state: 'pending',
      attempts: 2,
      next_at: T + 63_000,
      last_error: 'HTTP 503',
      created_at: T + 52_000,
    },
    {
      seq: 2,
      key: 'callback:cb-old-2',
      kind: 'callback',
      entity: 'callback:cb-old-2',
      payload: JSON.stringify({
        callbackId: 'cb-old-2',
        customerId: 'cust-2',
        customerCrmId: null,
        e164: '+81612345678',
        dueAt: T + 70_000,
        status: 'pending',
      }),
      lane: 1,
      state: 'dead',
      attempts: 5,
      next_at: 0,
      last_error: 'CRM refused: field missing',
      created_at: T + 57_000,
    },
  ],
  sync_cursors: [
    {
      stream: 'customers',
      cursor: JSON.stringify({ updatedAt: '2024-05-01T09:00:00Z', id: '103' }),
      updated_at: T + 64_000,
    },
  ],
};

/** Defaults the later migrations give to columns added to old tables. */
const NEW_COLUMN_DEFAULTS: Record<string, Row> = {
  customers: { crm_id: null, crm_revision: null, time_zone: null },
  callbacks: { note: null, skip_reason: null, skipped_at: null, marketing: 0 },
  attempts: { caller_id: null, disposition: null, marketing: 0 },
  script_answers: { script_version: 0, customer_id: null, question: '', display: '' },
  interactions: {
    quality_mos: null,
    quality_loss_pct: null,
    quality_jitter_ms: null,
    quality_rtt_ms: null,
    summary: null,
    source: 'local',
    crm_id: null,
  },
};

/** Generated columns added since, computed from the old row. */
const GENERATED: Record<string, Record<string, (r: Row) => unknown>> = {
  callbacks: {
    queue_rank: (r) => 0 - (r.priority as number),
    ready_at: (r) => r.next_at ?? r.due_at,
  },
};

function tables(db: Database): string[] {
  return db
    .prepare<[], string>(
      `SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
       ORDER BY name`,
    )
    .pluck()
    .all();
}

function columns(db: Database, table: string): string[] {
  return (db.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name);
}

/** Rows in insertion order (customer_phones is WITHOUT ROWID: by its key, e164 then id). */
function read(db: Database, table: string): Row[] {
  const order = table === 'customer_phones' ? 'e164, customer_id' : 'rowid';
  return db.prepare(`SELECT * FROM ${table} ORDER BY ${order}`).all() as Row[];
}

function inReadOrder(table: string, rows: Row[]): Row[] {
  if (table !== 'customer_phones') return rows;
  const key = (r: Row) => `${r.e164}\u0000${r.customer_id}`;
  return [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

function fill(db: Database, version: number): Record<string, Row[]> {
  const written: Record<string, Row[]> = {};
  // Parents before children (foreign keys are on), in the order FIXTURES lists them.
  const order = Object.keys(FIXTURES);
  const rank = (t: string) => (order.includes(t) ? order.indexOf(t) : order.length);
  for (const table of tables(db).sort((a, b) => rank(a) - rank(b))) {
    const fixture = FIXTURES[table];
    expect(fixture, `no fixture rows for table ${table} (schema ${version})`).toBeDefined();
    const cols = columns(db, table);
    const rows = fixture!.map((r) => {
      for (const c of cols) {
        expect(Object.hasOwn(r, c), `fixture for ${table} lacks column ${c}`).toBe(true);
      }
      return Object.fromEntries(cols.map((c) => [c, r[c]!])) as Row;
    });
    const insert = db.prepare(
      `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map((c) => `@${c}`).join(', ')})`,
    );
    db.transaction(() => rows.forEach((r) => insert.run(r)))();
    written[table] = inReadOrder(table, rows);
  }
  return written;
}

describe.each(Array.from({ length: LATEST - 1 }, (_, i) => i + 1))(
  'upgrading from schema %i',
  (from) => {
    it('keeps every row of every table unchanged, column by column', () => {
      const file = join(tempDir(), 'agent.sqlite');
      const old = openDatabase(file, { migrations: migrations.slice(0, from) });
      expect(old.pragma('user_version', { simple: true })).toBe(from);
      const oldTables = tables(old);
      const oldColumns = Object.fromEntries(oldTables.map((t) => [t, columns(old, t)]));
      const written = fill(old, from);
      old.close();

      const db = openDatabase(file);
      try {
        expect(db.pragma('user_version', { simple: true })).toBe(LATEST);
        expect(db.pragma('foreign_key_check')).toEqual([]);
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        for (const table of oldTables) {
          const rows = read(db, table);
          expect(rows, table).toHaveLength(written[table]!.length);
          rows.forEach((row, i) => {
            const before = written[table]![i]!;
            for (const c of oldColumns[table]!) {
              expect(row[c], `${table}[${i}].${c}`).toStrictEqual(before[c]);
            }
            // Columns added since: their defaults, not values invented from elsewhere.
            for (const c of Object.keys(row).filter((k) => !oldColumns[table]!.includes(k))) {
              const computed = GENERATED[table]?.[c];
              if (computed) {
                expect(row[c], `${table}[${i}].${c}`).toStrictEqual(computed(before));
                continue;
              }
              expect(
                NEW_COLUMN_DEFAULTS[table],
                `default for new column ${table}.${c}`,
              ).toHaveProperty(c);
              expect(row[c], `${table}[${i}].${c}`).toStrictEqual(NEW_COLUMN_DEFAULTS[table]![c]);
            }
          });
        }
      } finally {
        db.close();
      }
    });

    it('leaves the new tables empty and usable, and the old data readable by the app', () => {
      const file = join(tempDir(), 'agent.sqlite');
      const old = openDatabase(file, { migrations: migrations.slice(0, from) });
      const oldTables = tables(old);
      fill(old, from);
      old.close();

      const db = openDatabase(file);
      try {
        const added = tables(db).filter((t) => !oldTables.includes(t));
        expect(added.length).toBeGreaterThan(0);
        for (const t of added) {
          expect(db.prepare(`SELECT count(*) FROM ${t}`).pluck().get(), t).toBe(0);
        }

        // The pop and the timeline read the old rows.
        const customers = createCustomerRepo(db);
        expect(customers.findByPhone('+819012345678')).toEqual({
          id: 'cust-1',
          name: '山田 太郎',
          nameKana: 'ヤマダ タロウ',
          segment: 'heavy',
          phone: '+81355550101',
        });
        expect(customers.findByPhone('+81451234567')?.id).toBe('cust-3');
        const outbox = createOutboxRepo(db, { now: () => T + 100_000 });
        const pendingBefore = outbox.pendingCount();
        const interactions = createInteractionRepo(db, { outbox });
        const timeline = interactions.recentForCustomer('cust-1', 10);
        expect(timeline).toHaveLength(1);
        expect(timeline[0]).toMatchObject({ id: 'call-1', durationSec: 60, summary: null });
        expect(timeline[0]!.quality).toEqual(
          from >= 2 ? { mos: 4.21, lossPct: 0.4, jitterMs: 12.5, rttMs: 48 } : null,
        );
        expect(interactions.recentForNumber('anonymous', 10).map((e) => e.id)).toEqual(['call-3']);
        if (from >= 2) {
          expect(createSettingsRepo(db).phone()).toMatchObject({
            dtmfMode: 'info',
            autoAnswer: true,
          });
        }

        // The new tables take writes: a note version, an opt-out, their outbox rows.
        const notes = createNoteRepo(db, outbox, { now: () => T + 100_000 });
        const note = notes.save({
          customerId: 'cust-1',
          interactionId: 'call-1',
          body: '移行後のメモ',
        });
        notes.save({ noteId: note.noteId, customerId: null, interactionId: null, body: '第二版' });
        expect(notes.versions(note.noteId).map((v) => v.body)).toEqual(['移行後のメモ', '第二版']);
        const optOuts = createOptOutRepo(db, outbox, { now: () => T + 100_000 });
        expect(
          optOuts.record({
            e164: '+81612345678',
            customerId: 'cust-2',
            scope: 'all',
            source: 'agent',
            reason: '本人の申し出',
          }),
        ).toBe(true);
        expect(optOuts.levelForCustomer('cust-2')).toBe('all');
        // An old call logged again after the upgrade is queued for the CRM.
        interactions.logCall({
          id: 'call-2',
          customerId: 'cust-2',
          kind: 'call',
          direction: 'outbound',
          number: '+81612345678',
          startedAt: T + 20_000,
          answeredAt: null,
          endedAt: T + 50_000,
          durationSec: null,
          outcome: 'no_answer',
          endReason: null,
          quality: null,
        });
        expect(outbox.pendingCount()).toBe(pendingBefore + 4);
        expect(outbox.next(T + 100_000)?.item.kind).toBe('opt_out');
        expect(db.pragma('foreign_key_check')).toEqual([]);
      } finally {
        db.close();
      }
    });
  },
);

describe('upgrading from schema 3 to 4 (the outbound queue)', () => {
  const NOW = T + 100_000;

  function upgraded(): Database {
    const file = join(tempDir(), 'agent.sqlite');
    const old = openDatabase(file, { migrations: migrations.slice(0, 3) });
    fill(old, 3);
    old.close();
    return openDatabase(file);
  }

  it('the old callbacks are in the queue, worked and re-queued for the CRM', () => {
    const db = upgraded();
    try {
      const outbox = createOutboxRepo(db, { now: () => NOW });
      const callbacks = createCallbackRepo(db, outbox, { now: () => NOW });
      expect(callbacks.get('cb-old-2')).toMatchObject({
        campaignId: 'requested', // no campaign id before: its kind, which names the default
        kind: 'requested',
        owner: 'pool',
        promised: true,
        timeZone: 'Asia/Tokyo',
        marketing: false,
        note: null,
        skipReason: null,
      });
      expect(callbacks.get('cb-old-1')).toMatchObject({
        campaignId: 'renewal',
        attempts: 1,
        nextAt: T + 90_000,
      });
      // Promised and due first; the closed one never.
      expect([...callbacks.candidates(NOW)].map((r) => r.id)).toEqual(['cb-old-2', 'cb-old-1']);
      expect(callbacks.counts(NOW)).toEqual({ pending: 2, readyNow: 2 });
      const page = callbacks.page({ search: '佐藤' }, NOW, 0, 10);
      expect(page.rows.map((r) => r.id)).toEqual(['cb-old-2']);

      // The dead letter of cb-old-2 is revived by the change, under the same key.
      expect(outbox.deadCount()).toBe(1);
      callbacks.update('cb-old-2', { status: 'dialing', attempts: 1 });
      expect(outbox.deadCount()).toBe(0);
      expect(outbox.hasPending('callback:cb-old-2')).toBe(true);
    } finally {
      db.close();
    }
  });

  it('the old opt-outs guard new attempts; old attempts still count for the limits', () => {
    const db = upgraded();
    try {
      const attempts = createAttemptRepo(db, { now: () => NOW });
      // cust-1's number opted out of marketing before the upgrade.
      const marketing = {
        callbackId: 'cb-old-1',
        customerId: 'cust-1',
        e164: '+81355550101',
        callerId: null,
        agent: 'agent-1',
        marketing: true,
      };
      let refused: unknown;
      try {
        attempts.start(marketing);
      } catch (err) {
        refused = err;
      }
      expect(isOptOutRefusal(refused)).toBe(true);
      attempts.start({ ...marketing, marketing: false }); // a service call may go
      // '+819099998888' opted out of everything.
      expect(() =>
        attempts.start({
          ...marketing,
          callbackId: null,
          customerId: null,
          e164: '+819099998888',
          marketing: false,
        }),
      ).toThrow(/opted out/);

      expect(attempts.byInteraction('call-1')).toMatchObject({
        id: 'a-old-1',
        outcome: 'no_answer',
        disposition: null,
        callerId: null,
        customerId: 'cust-1',
      });
      expect(attempts.forCallback('cb-old-1').map((a) => a.id)).toEqual([
        expect.stringMatching(/^a-/),
        'a-old-1',
      ]);
      expect(attempts.countSince({ customerId: 'cust-1', e164: '+81355550101' }, T)).toBe(2);
      expect(attempts.lastAt({ customerId: null, e164: '+819099998888' })).toBe(T + 61_000);
      // Old attempts have no caller ID recorded: they count for no caller ID's cap.
      expect(attempts.callerIdUsage(T)).toEqual(new Map([['', 1]]));
    } finally {
      db.close();
    }
  });

  it('campaigns and notices start empty and take their defaults and writes', () => {
    const db = upgraded();
    try {
      const campaigns = createCampaignRepo(db, { now: () => NOW });
      expect(campaigns.list()).toEqual([]);
      campaigns.ensureDefaults();
      expect(campaigns.list()).toEqual(DEFAULT_CAMPAIGNS);
      const notices = createNoticeRepo(db);
      notices.record({
        customerId: 'cust-1',
        campaignId: 'renewal',
        channel: 'dm',
        sentAt: T,
        source: 'crm',
      });
      expect(notices.latest('cust-1', 'renewal')).toEqual({ channel: 'dm', sentAt: T });
      expect(db.pragma('foreign_key_check')).toEqual([]);
    } finally {
      db.close();
    }
  });
});
