// Customers keyed by normalized E.164 numbers, and the call timeline. Timestamps are epoch
// milliseconds (UTC). Enum columns that mirror the contract and will not grow keep a CHECK;
// `kind` and `outcome` stay open because CRM channels and dialer results will add values,
// and changing a CHECK in SQLite means rebuilding the table. Repositories validate them.
import type { Migration } from './index';

const initial: Migration = {
  version: 1,
  name: 'initial',
  up(db) {
    db.exec(`
      CREATE TABLE customers (
        id         TEXT PRIMARY KEY NOT NULL,
        name       TEXT NOT NULL,
        name_kana  TEXT,
        segment    TEXT NOT NULL CHECK (segment IN ('new', 'repeat', 'heavy', 'dormant')),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );

      -- One row per (number, customer): families and companies share numbers. The primary
      -- key leads with e164, so a pop is one seek; WITHOUT ROWID keeps it a single b-tree.
      CREATE TABLE customer_phones (
        e164        TEXT NOT NULL,
        customer_id TEXT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
        label       TEXT,
        is_primary  INTEGER NOT NULL DEFAULT 0 CHECK (is_primary IN (0, 1)),
        PRIMARY KEY (e164, customer_id)
      ) WITHOUT ROWID;
      -- Foreign-key child index (cascades, "phones of a customer").
      CREATE INDEX customer_phones_by_customer ON customer_phones (customer_id);
      -- At most one primary phone per customer; also the seek for CustomerSummary.phone.
      CREATE UNIQUE INDEX customer_phones_primary ON customer_phones (customer_id)
        WHERE is_primary = 1;

      -- The timeline. customer_id is NULL for numbers no customer owns (yet); the history
      -- of an unknown caller is found by number.
      CREATE TABLE interactions (
        id           TEXT PRIMARY KEY NOT NULL,
        customer_id  TEXT REFERENCES customers (id) ON DELETE SET NULL,
        kind         TEXT NOT NULL,
        direction    TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
        number       TEXT NOT NULL,
        started_at   INTEGER NOT NULL,
        answered_at  INTEGER,
        ended_at     INTEGER,
        duration_sec INTEGER CHECK (duration_sec IS NULL OR duration_sec >= 0),
        outcome      TEXT,
        end_reason   TEXT
      );
      CREATE INDEX interactions_by_customer ON interactions (customer_id, started_at DESC);
      CREATE INDEX interactions_by_number ON interactions (number, started_at DESC);
    `);
  },
};

export default initial;
