// Issue 6: the outbound callback queue. Campaigns (their rules as validated JSON), the
// customer's time zone, what the queue and the dial rules need on callbacks and attempts,
// pre-contact notices (DM, email, SMS), and the indexes that keep "the next callback to
// dial" an index walk with 100,000 pending callbacks.
// "Never dial an opted-out number" is also a trigger here: the dial path writes the attempt
// row before the INVITE, so whatever code runs, an opted-out number cannot get one.
import type { Migration } from './index';

const outbound: Migration = {
  version: 4,
  name: 'outbound',
  up(db) {
    db.exec(`
      -- IANA zone from the CRM's address; NULL = derive it from the number.
      ALTER TABLE customers ADD COLUMN time_zone TEXT;

      -- rules is the whole Campaign (contract) as JSON, validated on every read and write.
      CREATE TABLE campaigns (
        id         TEXT PRIMARY KEY NOT NULL,
        rules      TEXT NOT NULL,
        active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
        updated_at INTEGER NOT NULL
      );

      ALTER TABLE callbacks ADD COLUMN note TEXT;
      ALTER TABLE callbacks ADD COLUMN skip_reason TEXT;
      ALTER TABLE callbacks ADD COLUMN skipped_at INTEGER;
      -- Copied from the campaign when the callback is made, so a marketing opt-out can cancel
      -- the right callbacks in one statement.
      ALTER TABLE callbacks ADD COLUMN marketing INTEGER NOT NULL DEFAULT 0
        CHECK (marketing IN (0, 1));

      -- Queue keys as columns (virtual: computed on read, stored only in the indexes), so a
      -- resumed walk can seek with a row value: (rank, due_at, id) > (?, ?, ?).
      ALTER TABLE callbacks ADD COLUMN queue_rank INTEGER GENERATED ALWAYS AS (-priority) VIRTUAL;
      ALTER TABLE callbacks ADD COLUMN ready_at INTEGER
        GENERATED ALWAYS AS (coalesce(next_at, due_at)) VIRTUAL;

      -- The queue. Each index serves one ordered part of it (see callbacks.ts), read in
      -- index order in chunks that resume with a row-value seek, so no part is ever sorted.
      -- (1) promised and due: own before pool, then the earliest promise.
      CREATE INDEX callbacks_queue_promised ON callbacks (owner, due_at, id, next_at, expires_at)
        WHERE status = 'pending' AND promised = 1;
      -- (2) the rest that is ready: own before pool, priority (high first), then due.
      CREATE INDEX callbacks_queue_ready ON callbacks
        (owner, queue_rank, due_at, id, ready_at, expires_at, promised)
        WHERE status = 'pending';
      -- (3) not ready yet, by when it will be.
      CREATE INDEX callbacks_queue_later ON callbacks (ready_at, id, expires_at)
        WHERE status = 'pending';
      -- Callbacks of a customer (opt-outs by customer cancel them).
      CREATE INDEX callbacks_by_customer ON callbacks (customer_id) WHERE customer_id IS NOT NULL;

      ALTER TABLE attempts ADD COLUMN caller_id TEXT;
      ALTER TABLE attempts ADD COLUMN disposition TEXT;
      ALTER TABLE attempts ADD COLUMN marketing INTEGER NOT NULL DEFAULT 0
        CHECK (marketing IN (0, 1));
      -- Per-customer limits and the minimum interval (attempts_by_number already exists).
      CREATE INDEX attempts_by_customer ON attempts (customer_id, started_at)
        WHERE customer_id IS NOT NULL;
      -- Caller-ID daily caps ('' = the SIP account's own number).
      CREATE INDEX attempts_by_caller_id ON attempts (caller_id, started_at);
      CREATE INDEX attempts_by_interaction ON attempts (interaction_id)
        WHERE interaction_id IS NOT NULL;

      -- The last line of "never dial an opted-out number". A dial blocked in main before any
      -- INVITE may still be recorded for the audit trail, as 'refused_dial' from the start,
      -- and such a row can never become anything else.
      CREATE TRIGGER attempts_refuse_opted_out BEFORE INSERT ON attempts
        WHEN NEW.outcome IS NOT 'refused_dial'
      BEGIN
        SELECT RAISE(ABORT, 'opted out: this number or customer must not be called')
         WHERE EXISTS (SELECT 1 FROM opt_outs
                        WHERE e164 = NEW.e164 AND (scope = 'all' OR NEW.marketing = 1))
            OR (NEW.customer_id IS NOT NULL AND EXISTS (SELECT 1 FROM opt_outs
                        WHERE customer_id = NEW.customer_id
                          AND (scope = 'all' OR NEW.marketing = 1)));
      END;
      CREATE TRIGGER attempts_refused_stay_refused BEFORE UPDATE OF outcome, e164, customer_id,
        marketing ON attempts
        WHEN OLD.outcome = 'refused_dial'
          AND (NEW.outcome IS NOT OLD.outcome OR NEW.e164 IS NOT OLD.e164
               OR NEW.customer_id IS NOT OLD.customer_id OR NEW.marketing IS NOT OLD.marketing)
      BEGIN
        SELECT RAISE(ABORT, 'a refused dial cannot be changed');
      END;

      -- Pre-contact notices: a campaign may only call once its DM/email went out early
      -- enough. campaign_id NULL = a general notice that counts for every campaign.
      CREATE TABLE notices (
        id          TEXT PRIMARY KEY NOT NULL,
        customer_id TEXT NOT NULL,
        campaign_id TEXT,
        channel     TEXT NOT NULL CHECK (channel IN ('dm', 'email', 'sms')),
        sent_at     INTEGER NOT NULL,
        source      TEXT NOT NULL
      );
      CREATE INDEX notices_by_customer ON notices (customer_id, campaign_id, sent_at);
    `);
  },
};

export default outbound;
