// The schema's history. Each migration is numbered from 1 with no gaps, runs once in its
// own transaction, and is never edited after release: change the schema by adding the
// next file (0002-notes.ts, …) and appending it here.
import type { Database } from '../db';
import initial from './0001-initial';
import callQualityAndSettings from './0002-call-quality-and-settings';
import syncNotesOutbound from './0003-sync-notes-outbound';
import outbound from './0004-outbound';
import talkTracks from './0005-talk-tracks';

export interface Migration {
  /** Becomes PRAGMA user_version once up() has run. */
  version: number;
  name: string;
  /**
   * Runs inside a transaction, so it must not change PRAGMA foreign_keys or journal_mode
   * (no-ops there). Rebuild tables with the "create new, copy, drop, rename" pattern.
   */
  up(db: Database): void;
}

export const migrations: Migration[] = [
  initial,
  callQualityAndSettings,
  syncNotesOutbound,
  outbound,
  talkTracks,
];
