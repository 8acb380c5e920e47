// Call quality on the call record (issue 3: loss, jitter, RTT and an estimated MOS, stored
// with the call) and a small key/value table for the agent's phone settings (audio devices,
// DTMF mode, auto-answer), which must survive restarts and renderer reloads.
import type { Migration } from './index';

const callQualityAndSettings: Migration = {
  version: 2,
  name: 'call-quality-and-settings',
  up(db) {
    db.exec(`
      ALTER TABLE interactions ADD COLUMN quality_mos REAL;
      ALTER TABLE interactions ADD COLUMN quality_loss_pct REAL;
      ALTER TABLE interactions ADD COLUMN quality_jitter_ms REAL;
      ALTER TABLE interactions ADD COLUMN quality_rtt_ms REAL;

      -- One row per setting; value is JSON validated by the repository on read and write.
      CREATE TABLE settings (
        key        TEXT PRIMARY KEY NOT NULL,
        value      TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      );
    `);
  },
};

export default callQualityAndSettings;
