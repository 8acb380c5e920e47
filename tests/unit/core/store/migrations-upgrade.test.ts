// Upgrading from every earlier schema version keeps all data: a database made by an older
// app (every table it had, filled), reopened by this one, has every row unchanged, the new
// columns at their defaults, and the new tables empty and usable.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCustomerRepo } from '../../../../main/core/store/customers';
import { openDatabase, type Database } from '../../../../main/core/store/db';
import { createInteractionRepo } from '../../../../main/core/store/interactions';
import { migrations } from '../../../../main/core/store/migrations';
import { createNoteRepo } from '../../../../main/core/store/notes';
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
    },
    {
      id: 'cust-2',
      name: '佐藤 花子',
      name_kana: null,
      segment: 'new',
      created_at: T + 2,
      updated_at: T + 3,
    },
    {
      id: 'cust-3',
      name: '株式会社さくら商事　総務部',
      name_kana: 'カブシキガイシャサクラショウジ',
      segment: 'dormant',
      created_at: T + 4,
      updated_at: T + 5,
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
};

/** Defaults the later migrations give to columns added to old tables. */
const NEW_COLUMN_DEFAULTS: Record<string, Row> = {
  customers: { crm_id: null, crm_revision: null },
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
        expect(outbox.pendingCount()).toBe(4);
        expect(outbox.next(T + 100_000)?.item.kind).toBe('opt_out');
        expect(db.pragma('foreign_key_check')).toEqual([]);
      } finally {
        db.close();
      }
    });
  },
);
