// Issue 5's full schema: the CRM link on customers and the timeline, notes as append-only
// versions, opt-outs that only get stronger, dispositions, callbacks and attempts (worked by
// the outbound queue), talk-track answers, the outbox and the pull cursors.
// Rules that must hold whatever code runs are triggers here, not just repository checks:
// a note version or an opt-out row cannot be updated or deleted by anyone.
import type { Migration } from './index';

const syncNotesOutbound: Migration = {
  version: 3,
  name: 'sync-notes-outbound',
  up(db) {
    db.exec(`
      -- The CRM's record id and revision (optimistic locking), and when the CRM last changed it.
      ALTER TABLE customers ADD COLUMN crm_id TEXT;
      ALTER TABLE customers ADD COLUMN crm_revision TEXT;
      CREATE UNIQUE INDEX customers_by_crm_id ON customers (crm_id) WHERE crm_id IS NOT NULL;

      -- Entries from the CRM (other channels) sit on the same timeline as our calls.
      ALTER TABLE interactions ADD COLUMN summary TEXT;
      ALTER TABLE interactions ADD COLUMN source TEXT NOT NULL DEFAULT 'local'
        CHECK (source IN ('local', 'crm'));
      ALTER TABLE interactions ADD COLUMN crm_id TEXT;
      CREATE UNIQUE INDEX interactions_by_crm_id ON interactions (crm_id) WHERE crm_id IS NOT NULL;

      CREATE TABLE notes (
        id             TEXT PRIMARY KEY NOT NULL,
        customer_id    TEXT REFERENCES customers (id) ON DELETE SET NULL,
        interaction_id TEXT,
        created_at     INTEGER NOT NULL
      );
      CREATE INDEX notes_by_customer ON notes (customer_id, created_at DESC);

      -- Every save is a new row; the latest version is the note's text.
      CREATE TABLE note_versions (
        note_id    TEXT NOT NULL REFERENCES notes (id),
        version    INTEGER NOT NULL CHECK (version >= 1),
        body       TEXT NOT NULL,
        saved_at   INTEGER NOT NULL,
        sync_key   TEXT NOT NULL UNIQUE,
        synced_at  INTEGER,
        PRIMARY KEY (note_id, version)
      );
      CREATE TRIGGER note_versions_append_only_update BEFORE UPDATE OF note_id, version, body, saved_at, sync_key
        ON note_versions BEGIN SELECT RAISE(ABORT, 'note versions are append-only'); END;
      CREATE TRIGGER note_versions_append_only_delete BEFORE DELETE ON note_versions
        BEGIN SELECT RAISE(ABORT, 'note versions are append-only'); END;

      -- Do-not-call. One row per decision; the effective scope of a number is the strongest
      -- row ('all' > 'marketing'). Rows are never changed or removed.
      CREATE TABLE opt_outs (
        id          TEXT PRIMARY KEY NOT NULL,
        e164        TEXT NOT NULL,
        customer_id TEXT,
        scope       TEXT NOT NULL CHECK (scope IN ('marketing', 'all')),
        source      TEXT NOT NULL CHECK (source IN ('agent', 'crm', 'import')),
        reason      TEXT,
        created_at  INTEGER NOT NULL
      );
      CREATE INDEX opt_outs_by_number ON opt_outs (e164, scope);
      CREATE INDEX opt_outs_by_customer ON opt_outs (customer_id) WHERE customer_id IS NOT NULL;
      CREATE TRIGGER opt_outs_never_weaken_update BEFORE UPDATE ON opt_outs
        BEGIN SELECT RAISE(ABORT, 'opt-outs cannot be changed'); END;
      CREATE TRIGGER opt_outs_never_weaken_delete BEFORE DELETE ON opt_outs
        BEGIN SELECT RAISE(ABORT, 'opt-outs cannot be removed'); END;

      CREATE TABLE dispositions (
        interaction_id TEXT PRIMARY KEY NOT NULL,
        code           TEXT NOT NULL,
        campaign_id    TEXT,
        note           TEXT,
        set_at         INTEGER NOT NULL
      );

      CREATE TABLE callbacks (
        id          TEXT PRIMARY KEY NOT NULL,
        customer_id TEXT REFERENCES customers (id) ON DELETE SET NULL,
        e164        TEXT NOT NULL,
        campaign_id TEXT,
        kind        TEXT NOT NULL,
        owner       TEXT NOT NULL CHECK (owner IN ('me', 'pool')),
        priority    INTEGER NOT NULL DEFAULT 0,
        promised    INTEGER NOT NULL DEFAULT 0 CHECK (promised IN (0, 1)),
        due_at      INTEGER NOT NULL,
        window_end  INTEGER,
        expires_at  INTEGER,
        time_zone   TEXT,
        status      TEXT NOT NULL DEFAULT 'pending',
        attempts    INTEGER NOT NULL DEFAULT 0,
        next_at     INTEGER,
        crm_id      TEXT,
        created_at  INTEGER NOT NULL,
        updated_at  INTEGER NOT NULL
      );
      CREATE INDEX callbacks_pending ON callbacks (status, due_at);
      CREATE INDEX callbacks_by_number ON callbacks (e164);

      CREATE TABLE attempts (
        id             TEXT PRIMARY KEY NOT NULL,
        callback_id    TEXT REFERENCES callbacks (id),
        customer_id    TEXT,
        e164           TEXT NOT NULL,
        interaction_id TEXT,
        started_at     INTEGER NOT NULL,
        outcome        TEXT,
        duration_sec   INTEGER,
        agent          TEXT
      );
      CREATE INDEX attempts_by_callback ON attempts (callback_id, started_at);
      CREATE INDEX attempts_by_number ON attempts (e164, started_at);

      CREATE TABLE script_answers (
        interaction_id TEXT NOT NULL,
        script_id      TEXT NOT NULL,
        step_id        TEXT NOT NULL,
        value          TEXT NOT NULL,
        answered_at    INTEGER NOT NULL,
        PRIMARY KEY (interaction_id, step_id)
      );

      -- What the CRM must still learn. Written in the same transaction as the change; the
      -- key is the idempotency key made here. Deleted only when the CRM acknowledges it;
      -- a refused one is parked as 'dead' (shown, retried on request), never dropped.
      -- lane 0 = opt-outs (pushed before everything else), 1 = the rest.
      CREATE TABLE outbox (
        seq        INTEGER PRIMARY KEY AUTOINCREMENT,
        key        TEXT NOT NULL UNIQUE,
        kind       TEXT NOT NULL,
        entity     TEXT NOT NULL,
        payload    TEXT NOT NULL,
        lane       INTEGER NOT NULL,
        state      TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'dead')),
        attempts   INTEGER NOT NULL DEFAULT 0,
        next_at    INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX outbox_next ON outbox (state, lane, seq);
      CREATE INDEX outbox_by_entity ON outbox (entity) WHERE state = 'pending';

      -- Pull positions per stream, as the CRM gave them (its clock, its ids).
      CREATE TABLE sync_cursors (
        stream     TEXT PRIMARY KEY NOT NULL,
        cursor     TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      );
    `);
  },
};

export default syncNotesOutbound;
