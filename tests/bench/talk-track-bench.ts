// Talk-track benchmark (issue 7), one BENCH line with a baseline measured in the same run:
//
//   talk_track_move_ms  one move of the agent (answer, back, confirm, advance) through the
//                       whole core: the dispatcher's validation, the service, the engine, the
//                       answer stored and queued for the CRM and the position written through
//                       to SQLite (one transaction each), the screen's event built. On the
//                       shipped inquiry script, in a real database holding the demo customers
//                       and BENCH_TALK_CALLS earlier calls with answers. Goal p99 ≤ 5 ms: the
//                       next step is on screen before the agent looks up.
//                       Baseline: the same moves through the pure engine alone (no store, no
//                       dispatcher): the ratio is what keeping it durable costs.
//
// Knobs: BENCH_TALK_MOVES (default 3,000), BENCH_TALK_CALLS (default 2,000).
// Direct entry: `npx tsx tests/bench/talk-track-bench.ts`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TalkTrack, TalkTrackAction } from '../../preload/contract';
import { createCore, DATABASE_FILE } from '../../main/core/core';
import { silentLogger } from '../../main/core/log';
import * as engine from '../../main/core/scripts/engine';
import { loadScriptFolder } from '../../main/core/scripts/load-script';
import { openDatabase } from '../../main/core/store/db';
import { seedDemoData } from '../../main/core/store/demo-data';
import { createInteractionRepo } from '../../main/core/store/interactions';
import { bundledScripts } from '../infra/app';
import { benchLine, printBench } from './stats';

const MOVES = Number(process.env.BENCH_TALK_MOVES ?? 3_000);
const CALLS = Number(process.env.BENCH_TALK_CALLS ?? 2_000);
const T0 = Date.UTC(2026, 10, 24, 1, 0);

/** The walk to the retention offer, then back and forth over its last two answers. */
const WALK: TalkTrackAction[] = [
  { type: 'advance' },
  { type: 'confirm' },
  { type: 'advance' },
  { type: 'confirm' },
  { type: 'answer', value: true },
  { type: 'answer', value: 'cancellation' },
];
const LOOP: TalkTrackAction[] = [
  { type: 'answer', value: 'price' },
  { type: 'answer', value: true },
  { type: 'back' },
  { type: 'back' },
];

export async function runTalkTrackBenches(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-talk-'));
  try {
    // Earlier calls on the record, each with its talk-track answers (what a busy desk holds).
    const db = openDatabase(join(dir, DATABASE_FILE));
    seedDemoData(db);
    const interactions = createInteractionRepo(db);
    const customers = db.prepare<[], string>('SELECT id FROM customers ORDER BY id').pluck().all();
    const answer = db.prepare(
      `INSERT INTO script_answers (interaction_id, script_id, step_id, value, answered_at,
         script_version, customer_id, question, display) VALUES (?, 'inbound-inquiry', ?, ?, ?, 1, ?, ?, ?)`,
    );
    db.transaction(() => {
      for (let i = 0; i < CALLS + 1; i++) {
        const customerId = customers[i % customers.length]!;
        const id = `bench-call-${i}`;
        interactions.logCall({
          id,
          customerId,
          kind: 'call',
          direction: 'inbound',
          number: '+81355550101',
          startedAt: T0 - (CALLS - i) * 60_000,
          answeredAt: T0 - (CALLS - i) * 60_000 + 5_000,
          endedAt: T0 - (CALLS - i) * 60_000 + 120_000,
          durationSec: 115,
          outcome: 'answered',
          endReason: null,
          quality: null,
        });
        if (i === CALLS) continue; // the call the bench walks: no answers yet
        for (const step of ['identity_check', 'ask_topic', 'cancel_reason']) {
          answer.run(id, step, '"x"', T0, customerId, '質問', '回答');
        }
      }
    })();
    db.close();

    const core = await createCore({
      dataDir: dir,
      version: 'bench',
      log: silentLogger,
      now: () => T0,
      scriptFolders: [bundledScripts],
    });
    const callId = `bench-call-${CALLS}`;
    const ours: number[] = [];
    try {
      let track: TalkTrack;
      const send = async (action: TalkTrackAction): Promise<TalkTrack> => {
        const at = { stepId: track.step.stepId, position: track.position };
        const r = await core.dispatch('talkTrackAction', { callId, at, action });
        if (!r.ok) throw new Error(`${action.type}: ${r.error.message}`);
        track = r.result as TalkTrack;
        return track;
      };
      const switched = await core.dispatch('switchScript', {
        callId,
        scriptId: 'inbound-inquiry',
      });
      if (!switched.ok) throw new Error(switched.error.message);
      track = switched.result as TalkTrack;
      for (const a of WALK) await send(a);
      for (let i = 0; i < MOVES; i++) {
        const action = LOOP[i % LOOP.length]!;
        const t = performance.now();
        await send(action);
        ours.push(performance.now() - t);
      }
    } finally {
      await core.close();
    }

    // Baseline: the pure engine on the same script and moves.
    const script = loadScriptFolder(bundledScripts).scripts.find(
      (s) => s.id === 'inbound-inquiry',
    )!;
    const ctx: engine.ScriptContext = {
      customer: { name: '山田 太郎', segment: 'heavy' },
      callback: null,
      agent: { name: '佐藤' },
    };
    const pure = (s: engine.Session, a: TalkTrackAction): engine.Session => {
      switch (a.type) {
        case 'advance':
          return engine.advance(script, s, ctx);
        case 'confirm':
          return engine.confirm(script, s);
        case 'answer':
          return engine.answer(script, s, a.value, ctx);
        case 'back':
          return engine.back(script, s);
        default:
          throw new Error(a.type);
      }
    };
    let session = engine.start(script, ctx);
    for (const a of WALK) session = pure(session, a);
    const base: number[] = [];
    for (let i = 0; i < MOVES; i++) {
      const t = performance.now();
      session = pure(session, LOOP[i % LOOP.length]!);
      engine.view(script, session, ctx, 'ja');
      base.push(performance.now() - t);
    }

    printBench(
      benchLine('talk_track_move_ms', ours, base, {
        moves: MOVES,
        earlierCalls: CALLS,
        script: script.id,
        baselineWhat: 'the same moves and views through the pure engine (no store, no dispatch)',
        goalP99: 5,
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  runTalkTrackBenches().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
