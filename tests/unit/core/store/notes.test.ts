import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCustomerRepo } from '../../../../main/core/store/customers';
import { openDatabase, type Database } from '../../../../main/core/store/db';
import {
  createNoteRepo,
  NoteNotFoundError,
  type NoteRepo,
} from '../../../../main/core/store/notes';
import { createOutboxRepo, type OutboxRepo } from '../../../../main/core/store/outbox';

let db: Database;
let outbox: OutboxRepo;
let notes: NoteRepo;
let clock: number;
let ids: number;
let keys: number;

beforeEach(() => {
  db = openDatabase(':memory:');
  clock = 1_700_000_000_000;
  ids = 0;
  keys = 0;
  const customers = createCustomerRepo(db, { now: () => clock });
  customers.upsert({
    id: 'cust-1',
    name: '山田 太郎',
    nameKana: 'ヤマダ タロウ',
    segment: 'heavy',
    phones: ['03-5555-0101'],
    crmId: '101',
  });
  customers.upsert({ id: 'cust-2', name: '佐藤 花子', segment: 'new', phones: ['090-1234-5678'] });
  outbox = createOutboxRepo(db, { now: () => clock, newKey: () => `key-${++keys}` });
  notes = createNoteRepo(db, outbox, { now: () => clock, newId: () => `n-${++ids}` });
});
afterEach(() => db.close());

interface VersionRow {
  note_id: string;
  version: number;
  body: string;
  saved_at: number;
  sync_key: string;
  synced_at: number | null;
}

function versionRows(): VersionRow[] {
  return db.prepare<[], VersionRow>('SELECT * FROM note_versions ORDER BY note_id, version').all();
}

function count(table: string): number {
  return db.prepare<[], number>(`SELECT count(*) FROM ${table}`).pluck().get()!;
}

describe('save', () => {
  it('creates a note at version 1 and queues it for the CRM in the same write', () => {
    const note = notes.save({
      customerId: 'cust-1',
      interactionId: 'call-1',
      body: '配送日の変更を希望',
    });
    expect(note).toEqual({
      noteId: 'n-1',
      customerId: 'cust-1',
      interactionId: 'call-1',
      version: 1,
      body: '配送日の変更を希望',
      savedAt: clock,
      synced: false,
    });
    const row = outbox.next(clock)!;
    expect(row.entity).toBe('note:n-1');
    expect(row.item).toEqual({
      key: 'key-1',
      kind: 'note',
      createdAt: clock,
      payload: {
        noteId: 'n-1',
        version: 1,
        customerId: 'cust-1',
        customerCrmId: '101',
        interactionId: 'call-1',
        body: '配送日の変更を希望',
        savedAt: clock,
      },
    });
    expect(versionRows()).toEqual([
      {
        note_id: 'n-1',
        version: 1,
        body: '配送日の変更を希望',
        saved_at: clock,
        sync_key: 'key-1',
        synced_at: null,
      },
    ]);
  });

  it('appends versions 2, 3… and keeps every earlier body', () => {
    const bodies = ['一回目', '二回目', '三回目（修正）', ''];
    const first = notes.save({ customerId: 'cust-1', interactionId: null, body: bodies[0]! });
    for (const body of bodies.slice(1)) {
      clock += 1000;
      notes.save({ noteId: first.noteId, customerId: 'cust-1', interactionId: null, body });
    }
    const all = notes.versions(first.noteId);
    expect(all.map((v) => [v.version, v.body])).toEqual(bodies.map((b, i) => [i + 1, b]));
    expect(new Set(versionRows().map((r) => r.sync_key)).size).toBe(4);
    expect(outbox.pendingCount()).toBe(4);
    // The customer's list shows the latest version of each note.
    expect(notes.forCustomer('cust-1')).toEqual([
      expect.objectContaining({ noteId: 'n-1', version: 4, body: '' }),
    ]);
  });

  it('a customer without a CRM id, or none, is queued with customerCrmId null', () => {
    notes.save({ customerId: 'cust-2', interactionId: null, body: 'a' });
    notes.save({ customerId: null, interactionId: 'call-9', body: 'b' });
    const payloads: unknown[] = [];
    for (let row = outbox.next(clock); row; row = outbox.next(clock)) {
      payloads.push(row.item.payload);
      outbox.acknowledge(row.seq);
    }
    expect(payloads).toEqual([
      expect.objectContaining({ customerId: 'cust-2', customerCrmId: null }),
      expect.objectContaining({ customerId: null, customerCrmId: null, interactionId: 'call-9' }),
    ]);
  });

  it('a note keeps the customer and call it was started for', () => {
    const first = notes.save({ customerId: 'cust-1', interactionId: 'call-1', body: 'v1' });
    const second = notes.save({
      noteId: first.noteId,
      customerId: 'cust-2',
      interactionId: 'call-2',
      body: 'v2',
    });
    expect(second).toMatchObject({ customerId: 'cust-1', interactionId: 'call-1', version: 2 });
    outbox.acknowledge(outbox.next(clock)!.seq);
    expect(outbox.next(clock)?.item.payload).toMatchObject({
      customerId: 'cust-1',
      customerCrmId: '101',
      interactionId: 'call-1',
      version: 2,
    });
    expect(notes.forCustomer('cust-2')).toEqual([]);
  });

  it('an unknown note id is refused and nothing is written', () => {
    expect(() =>
      notes.save({ noteId: 'n-missing', customerId: 'cust-1', interactionId: null, body: 'x' }),
    ).toThrow(NoteNotFoundError);
    expect(count('notes')).toBe(0);
    expect(count('note_versions')).toBe(0);
    expect(count('outbox')).toBe(0);
  });

  it('when the version cannot be written, nothing is queued (one transaction)', () => {
    const note = notes.save({ customerId: 'cust-1', interactionId: null, body: 'v1' });
    outbox.acknowledge(outbox.next(clock)!.seq);
    // An outbox that hands out a key already used by a version: the version insert fails.
    const clashing = createNoteRepo(
      db,
      {
        ...outbox,
        enqueue: (kind, entity, payload) => outbox.enqueue(kind, entity, payload, 'key-1'),
      },
      { now: () => clock },
    );
    expect(() =>
      clashing.save({ noteId: note.noteId, customerId: 'cust-1', interactionId: null, body: 'v2' }),
    ).toThrow(/UNIQUE/);
    expect(count('outbox')).toBe(0);
    expect(notes.versions(note.noteId).map((v) => v.body)).toEqual(['v1']);
  });

  it('when the outbox refuses the change, the version is not written either', () => {
    const failing = createNoteRepo(
      db,
      {
        ...outbox,
        enqueue: () => {
          throw new Error('disk full');
        },
      },
      { now: () => clock },
    );
    expect(() => failing.save({ customerId: 'cust-1', interactionId: null, body: 'x' })).toThrow(
      'disk full',
    );
    expect(count('notes')).toBe(0);
    expect(count('note_versions')).toBe(0);
  });
});

describe('append-only versions (schema triggers)', () => {
  beforeEach(() => {
    const n = notes.save({ customerId: 'cust-1', interactionId: null, body: '原文' });
    notes.save({ noteId: n.noteId, customerId: null, interactionId: null, body: '第二版' });
  });

  it.each([
    ["UPDATE note_versions SET body = '改ざん'"],
    ["UPDATE note_versions SET body = '改ざん' WHERE version = 1"],
    ['UPDATE note_versions SET version = version + 10'],
    ["UPDATE note_versions SET note_id = 'other'"],
    ['UPDATE note_versions SET saved_at = 0'],
    ["UPDATE note_versions SET sync_key = 'k'"],
    ['DELETE FROM note_versions'],
    ['DELETE FROM note_versions WHERE version = 2'],
  ])('refuses %s', (sql) => {
    const before = versionRows();
    expect(() => db.exec(sql)).toThrow(/append-only/);
    expect(versionRows()).toEqual(before);
  });

  it('refuses an upsert that would change a version', () => {
    const before = versionRows();
    expect(() =>
      db.exec(
        `INSERT INTO note_versions (note_id, version, body, saved_at, sync_key)
         VALUES ('n-1', 1, '改ざん', 0, 'k-new')
         ON CONFLICT (note_id, version) DO UPDATE SET body = excluded.body`,
      ),
    ).toThrow(/append-only/);
    expect(() =>
      db.exec(
        `INSERT INTO note_versions (note_id, version, body, saved_at, sync_key)
         VALUES ('n-1', 3, 'x', 0, 'key-1')`,
      ),
    ).toThrow(/UNIQUE/);
    expect(versionRows()).toEqual(before);
  });

  // db.ts turns on recursive_triggers, so REPLACE's implicit delete meets the trigger too.
  it('refuses INSERT OR REPLACE over an existing version', () => {
    const before = versionRows();
    try {
      db.exec(
        `INSERT OR REPLACE INTO note_versions (note_id, version, body, saved_at, sync_key)
         VALUES ('n-1', 1, '改ざん', 0, 'k-new')`,
      );
    } catch {
      // refused: what we want
    }
    expect(versionRows()).toEqual(before);
  });

  it('lets only synced_at change', () => {
    db.exec('UPDATE note_versions SET synced_at = 42 WHERE version = 1');
    expect(versionRows().map((r) => r.synced_at)).toEqual([42, null]);
  });
});

describe('markSynced', () => {
  it('marks the version with that key, once, and returns it', () => {
    const v1 = notes.save({ customerId: 'cust-1', interactionId: null, body: 'v1' });
    notes.save({ noteId: v1.noteId, customerId: null, interactionId: null, body: 'v2' });
    const marked = notes.markSynced('key-2', clock + 500);
    expect(marked).toMatchObject({ noteId: v1.noteId, version: 2, body: 'v2', synced: true });
    expect(notes.markSynced('key-2', clock + 9999)).toMatchObject({ version: 2, synced: true });
    expect(versionRows().map((r) => [r.version, r.synced_at])).toEqual([
      [1, null],
      [2, clock + 500],
    ]);
    expect(notes.versions(v1.noteId).map((v) => v.synced)).toEqual([false, true]);
    expect(notes.markSynced('key-unknown', clock)).toBeNull();
  });
});
