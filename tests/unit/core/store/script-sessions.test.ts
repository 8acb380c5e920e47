import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../../../main/core/log';
import type { Session } from '../../../../main/core/scripts/engine';
import { openDatabase, type Database } from '../../../../main/core/store/db';
import {
  createScriptSessionRepo,
  type ScriptSessionRepo,
  type StoredTalkTrack,
} from '../../../../main/core/store/script-sessions';

const NOW = 1_700_000_000_000;

let db: Database;
let repo: ScriptSessionRepo;
let clock: number;
let logged: { level: string; msg: string; fields?: Record<string, unknown> }[];

const log: Logger = {
  debug: () => {},
  info: () => {},
  warn: (msg, fields) => logged.push({ level: 'warn', msg, fields }),
  error: (msg, fields) => logged.push({ level: 'error', msg, fields }),
};

beforeEach(() => {
  db = openDatabase(':memory:');
  clock = NOW;
  logged = [];
  repo = createScriptSessionRepo(db, { now: () => clock, log });
});
afterEach(() => db.close());

function session(scriptId: string, over: Partial<Session> = {}): Session {
  return {
    scriptId,
    version: 1,
    current: 'identity_check',
    history: ['greeting', 'recording_notice'],
    answers: { ask_topic: 'cancellation', identity_check: true, qty: 3 },
    confirmed: ['recording_notice'],
    objection: { id: 'obj_busy', returnTo: 'identity_check' },
    ended: null,
    ...over,
  };
}

const track: StoredTalkTrack = {
  scriptId: 'inbound-order',
  chosenBy: 'agent',
  sessions: {
    'inbound-inquiry': session('inbound-inquiry'),
    'inbound-order': session('inbound-order', {
      version: 2,
      current: 'end_ordered',
      history: ['greeting'],
      answers: {},
      confirmed: [],
      objection: null,
      ended: { disposition: 'ordered', action: 'take_order' },
    }),
  },
};

const row = (id: string): unknown =>
  db
    .prepare(
      `SELECT interaction_id, script_id, chosen_by, updated_at FROM script_sessions
        WHERE interaction_id = ?`,
    )
    .get(id);

describe('put and get', () => {
  it('round-trips every session of the call', () => {
    repo.put('call-1', track);
    expect(repo.get('call-1')).toEqual(track);
    expect(row('call-1')).toEqual({
      interaction_id: 'call-1',
      script_id: 'inbound-order',
      chosen_by: 'agent',
      updated_at: NOW,
    });
    expect(logged).toEqual([]);
  });

  it('replaces the call’s row on the next put', () => {
    repo.put('call-1', track);
    clock += 5000;
    const next: StoredTalkTrack = {
      scriptId: 'inbound-inquiry',
      chosenBy: 'auto',
      sessions: { 'inbound-inquiry': session('inbound-inquiry', { objection: null }) },
    };
    repo.put('call-1', next);
    expect(repo.get('call-1')).toEqual(next);
    expect(row('call-1')).toMatchObject({
      script_id: 'inbound-inquiry',
      chosen_by: 'auto',
      updated_at: NOW + 5000,
    });
    expect(db.prepare('SELECT count(*) FROM script_sessions').pluck().get()).toBe(1);
  });

  it('gives null for a call with no row, without a warning', () => {
    expect(repo.get('call-none')).toBeNull();
    expect(logged).toEqual([]);
  });

  it('refuses to store what the schema does not allow (chosen_by)', () => {
    expect(() => repo.put('call-1', { ...track, chosenBy: 'robot' as never })).toThrow(
      /CHECK constraint/,
    );
    expect(repo.get('call-1')).toBeNull();
  });
});

describe('an unreadable row', () => {
  const corrupt = (sessions: string): void => {
    repo.put('call-1', track);
    db.prepare("UPDATE script_sessions SET sessions = ? WHERE interaction_id = 'call-1'").run(
      sessions,
    );
  };
  const warning = {
    level: 'warn',
    msg: 'stored talk-track session is unreadable; starting afresh',
    fields: { interactionId: 'call-1' },
  };

  it.each([
    ['not JSON', '{"scriptId": "inbound-order", '],
    ['JSON of another shape', '{"scriptId": "x", "chosenBy": "robot", "sessions": {}}'],
    [
      'a session missing a field',
      JSON.stringify({
        ...track,
        sessions: { x: { ...session('x'), current: undefined } },
      }),
    ],
    [
      'a session with an unknown field',
      JSON.stringify({ ...track, sessions: { x: { ...session('x'), extra: 1 } } }),
    ],
    ['null', 'null'],
  ])('reads as null with a warning: %s', (_, sessions) => {
    corrupt(sessions);
    expect(repo.get('call-1')).toBeNull();
    expect(logged).toEqual([warning]);
  });

  it('reads as null without a logger too', () => {
    corrupt('garbage');
    expect(createScriptSessionRepo(db).get('call-1')).toBeNull();
  });
});

describe('prune', () => {
  it('forgets the rows not touched since the given time and says how many', () => {
    repo.put('call-old', track);
    clock = NOW + 1000;
    repo.put('call-edge', track);
    clock = NOW + 2000;
    repo.put('call-new', track);
    expect(repo.prune(NOW + 1000)).toBe(1);
    expect(repo.get('call-old')).toBeNull();
    expect(repo.get('call-edge')).toEqual(track);
    expect(repo.get('call-new')).toEqual(track);
    expect(repo.prune(NOW + 1000)).toBe(0);
    expect(repo.prune(NOW + 3000)).toBe(2);
    expect(db.prepare('SELECT count(*) FROM script_sessions').pluck().get()).toBe(0);
  });

  it('keeps the row of a call touched again after the cut-off', () => {
    repo.put('call-1', track);
    clock = NOW + 10_000;
    repo.put('call-1', track);
    expect(repo.prune(NOW + 5000)).toBe(0);
    expect(repo.get('call-1')).toEqual(track);
  });
});
