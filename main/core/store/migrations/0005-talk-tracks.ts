// Issue 7: talk tracks. A call's progress through its script is kept in core (script_sessions:
// it outlives a renderer reload, and a restart during wrap-up), and each answer is stored the
// moment it is given. script_answers is rebuilt so answers are keyed by script too: an agent
// who switches scripts mid-call keeps both scripts' answers even where step ids repeat. The
// question and the answer as read back are stored with the value, so the record still reads
// right after the script file changed or was removed.
import type { Migration } from './index';

const talkTracks: Migration = {
  version: 5,
  name: 'talk-tracks',
  up(db) {
    db.exec(`
      CREATE TABLE script_answers_new (
        interaction_id TEXT NOT NULL,
        script_id      TEXT NOT NULL,
        step_id        TEXT NOT NULL,
        -- JSON of the answer (string, number or boolean).
        value          TEXT NOT NULL,
        answered_at    INTEGER NOT NULL,
        -- 0 = written before schema 5 (version unknown).
        script_version INTEGER NOT NULL DEFAULT 0,
        customer_id    TEXT,
        -- '' = written before schema 5: readers show the step id and the value instead.
        question       TEXT NOT NULL DEFAULT '',
        display        TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (interaction_id, script_id, step_id)
      );
      INSERT INTO script_answers_new (interaction_id, script_id, step_id, value, answered_at)
        SELECT interaction_id, script_id, step_id, value, answered_at FROM script_answers
        ORDER BY rowid;
      DROP TABLE script_answers;
      ALTER TABLE script_answers_new RENAME TO script_answers;

      -- One row per call with a talk track: the engine's session (JSON) of the script on
      -- screen, and the sessions of scripts the agent switched away from (kept to come back to).
      CREATE TABLE script_sessions (
        interaction_id TEXT PRIMARY KEY NOT NULL,
        script_id      TEXT NOT NULL,
        chosen_by      TEXT NOT NULL CHECK (chosen_by IN ('auto', 'agent')),
        sessions       TEXT NOT NULL,
        updated_at     INTEGER NOT NULL
      );
      CREATE INDEX script_sessions_by_age ON script_sessions (updated_at);
    `);
  },
};

export default talkTracks;
