// Notes as append-only versions. Every save from the editor is a new version written with its
// outbox row in one transaction, so a save the screen saw acknowledged is on disk and will
// reach the CRM; a version is never overwritten (the schema's triggers refuse it too).
import { randomUUID } from 'node:crypto';
import type { Note } from '../../../preload/contract';
import { crmIdLookup } from './customers';
import type { Database } from './db';
import type { OutboxRepo } from './outbox';

export interface SaveNoteInput {
  noteId?: string;
  customerId: string | null;
  interactionId: string | null;
  body: string;
}

export interface NoteRepo {
  /** Appends the next version (creating the note when noteId is absent). */
  save(input: SaveNoteInput): Note;
  /** Latest version of each of the customer's notes, newest first. */
  forCustomer(customerId: string, limit?: number): Note[];
  /** All versions of a note, oldest first. */
  versions(noteId: string): Note[];
  /** Marks the version whose outbox key this is as acknowledged; returns it. */
  markSynced(syncKey: string, at: number): Note | null;
}

export class NoteNotFoundError extends Error {
  readonly code = 'not_found';
  constructor(noteId: string) {
    super(`no note ${noteId}`);
    this.name = 'NoteNotFoundError';
  }
}

interface NoteRow {
  noteId: string;
  customerId: string | null;
  interactionId: string | null;
  version: number;
  body: string;
  savedAt: number;
  syncedAt: number | null;
}

const NOTE = `n.id AS noteId, n.customer_id AS customerId, n.interaction_id AS interactionId,
  v.version, v.body, v.saved_at AS savedAt, v.synced_at AS syncedAt`;

export function createNoteRepo(
  db: Database,
  outbox: OutboxRepo,
  opts: { now?: () => number; newId?: () => string } = {},
): NoteRepo {
  const now = opts.now ?? Date.now;
  const newId = opts.newId ?? (() => `n-${randomUUID()}`);
  const insertNote = db.prepare(
    'INSERT INTO notes (id, customer_id, interaction_id, created_at) VALUES (?, ?, ?, ?)',
  );
  const getNote = db.prepare<[string], { customerId: string | null; interactionId: string | null }>(
    'SELECT customer_id AS customerId, interaction_id AS interactionId FROM notes WHERE id = ?',
  );
  const lastVersion = db
    .prepare<[string], number | null>('SELECT max(version) FROM note_versions WHERE note_id = ?')
    .pluck();
  const insertVersion = db.prepare(
    'INSERT INTO note_versions (note_id, version, body, saved_at, sync_key) VALUES (?, ?, ?, ?, ?)',
  );
  const crmIdOf = crmIdLookup(db);
  const byCustomer = db.prepare<[string, number], NoteRow>(
    `SELECT ${NOTE} FROM notes n
       JOIN note_versions v ON v.note_id = n.id
        AND v.version = (SELECT max(version) FROM note_versions WHERE note_id = n.id)
      WHERE n.customer_id = ? ORDER BY v.saved_at DESC, n.id LIMIT ?`,
  );
  const allVersions = db.prepare<[string], NoteRow>(
    `SELECT ${NOTE} FROM notes n JOIN note_versions v ON v.note_id = n.id
      WHERE n.id = ? ORDER BY v.version`,
  );
  const setSynced = db.prepare<[number, string]>(
    'UPDATE note_versions SET synced_at = ? WHERE sync_key = ? AND synced_at IS NULL',
  );
  const byKey = db.prepare<[string], NoteRow>(
    `SELECT ${NOTE} FROM note_versions v JOIN notes n ON n.id = v.note_id WHERE v.sync_key = ?`,
  );

  const save = db.transaction((input: SaveNoteInput): Note => {
    const t = now();
    let noteId = input.noteId;
    let owner: { customerId: string | null; interactionId: string | null };
    if (noteId === undefined) {
      noteId = newId();
      owner = { customerId: input.customerId, interactionId: input.interactionId };
      insertNote.run(noteId, owner.customerId, owner.interactionId, t);
    } else {
      const found = getNote.get(noteId);
      if (!found) throw new NoteNotFoundError(noteId);
      owner = found; // a note stays with the customer and call it was started for
    }
    const version = (lastVersion.get(noteId) ?? 0) + 1;
    const key = outbox.enqueue('note', `note:${noteId}`, {
      noteId,
      version,
      customerId: owner.customerId,
      customerCrmId: crmIdOf(owner.customerId),
      interactionId: owner.interactionId,
      body: input.body,
      savedAt: t,
    });
    insertVersion.run(noteId, version, input.body, t, key);
    return { noteId, ...owner, version, body: input.body, savedAt: t, synced: false };
  });

  return {
    save: (input) => save(input),
    forCustomer: (customerId, limit = 50) => byCustomer.all(customerId, limit).map(toNote),
    versions: (noteId) => allVersions.all(noteId).map(toNote),
    markSynced(syncKey, at) {
      setSynced.run(at, syncKey);
      const row = byKey.get(syncKey);
      return row ? toNote(row) : null;
    },
  };
}

function toNote(r: NoteRow): Note {
  return {
    noteId: r.noteId,
    customerId: r.customerId,
    interactionId: r.interactionId,
    version: r.version,
    body: r.body,
    savedAt: r.savedAt,
    synced: r.syncedAt !== null,
  };
}
