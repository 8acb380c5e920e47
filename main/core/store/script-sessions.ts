// Where each call is in its talk track: the engine's session for the script on screen and
// for scripts the agent switched away from. Written on every move, so the progress outlives a
// renderer reload and a restart during wrap-up. A row that no longer parses is reported and
// ignored (the call starts its script afresh; its answers are in script_answers).
import { z } from 'zod';
import type { Logger } from '../log';
import { Session } from '../scripts/engine';
import type { Database } from './db';

export const StoredTalkTrack = z.object({
  scriptId: z.string(),
  chosenBy: z.enum(['auto', 'agent']),
  /** By script id. */
  sessions: z.record(z.string(), Session),
});
export type StoredTalkTrack = z.infer<typeof StoredTalkTrack>;

export interface ScriptSessionRepo {
  get(interactionId: string): StoredTalkTrack | null;
  put(interactionId: string, track: StoredTalkTrack): void;
  /** Forgets sessions not touched since `before` (their answers stay). Returns how many. */
  prune(before: number): number;
}

export function createScriptSessionRepo(
  db: Database,
  opts: { now?: () => number; log?: Logger } = {},
): ScriptSessionRepo {
  const now = opts.now ?? Date.now;
  const read = db
    .prepare<[string], string>('SELECT sessions FROM script_sessions WHERE interaction_id = ?')
    .pluck();
  const write = db.prepare(
    `INSERT INTO script_sessions (interaction_id, script_id, chosen_by, sessions, updated_at)
     VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (interaction_id) DO UPDATE SET script_id = excluded.script_id,
       chosen_by = excluded.chosen_by, sessions = excluded.sessions,
       updated_at = excluded.updated_at`,
  );
  const del = db.prepare<[number]>('DELETE FROM script_sessions WHERE updated_at < ?');

  return {
    get(interactionId) {
      const text = read.get(interactionId);
      if (text === undefined) return null;
      try {
        const parsed = StoredTalkTrack.safeParse(JSON.parse(text));
        if (parsed.success) return parsed.data;
      } catch {
        /* not JSON: fall through */
      }
      opts.log?.warn('stored talk-track session is unreadable; starting afresh', {
        interactionId,
      });
      return null;
    },
    put(interactionId, track) {
      write.run(interactionId, track.scriptId, track.chosenBy, JSON.stringify(track), now());
    },
    prune: (before) => del.run(before).changes,
  };
}
