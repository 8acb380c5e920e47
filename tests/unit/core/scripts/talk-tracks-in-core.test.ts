// The talk-track parts as core wires them (no SIP account: the calls are logged ones): the
// centre's folder made at start and watched, problems listed by file name and line, an
// oversized file refused, a call's answers on its timeline entry, stale moves refused.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type {
  EventPayload,
  MethodName,
  TalkTrack,
  TimelineEntry,
} from '../../../../preload/contract';
import { createCore, DATABASE_FILE, type Core } from '../../../../main/core/core';
import { silentLogger } from '../../../../main/core/log';
import { MAX_FILE_BYTES } from '../../../../main/core/scripts/load-script';
import { openDatabase } from '../../../../main/core/store/db';
import { createInteractionRepo } from '../../../../main/core/store/interactions';
import { waitUntil } from '../../../infra/process';

const SAMPLES = join(import.meta.dirname, '../../../../assets/scripts');
const T0 = Date.UTC(2026, 10, 24, 1, 0);

let dataDir: string;
let core: Core;
let changed: EventPayload<'scripts.changed'>[];
let timeline: EventPayload<'timeline.added'>[];

async function call<T>(method: MethodName, args: unknown): Promise<T> {
  const r = await core.dispatch(method, args);
  if (!r.ok) throw Object.assign(new Error(r.error.message), r.error);
  return r.result as T;
}

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'talk-core-'));
  // An ended call of the demo customer 山田 太郎, as the timeline holds it.
  const db = openDatabase(join(dataDir, DATABASE_FILE));
  const { seedDemoData } = await import('../../../../main/core/store/demo-data');
  seedDemoData(db);
  createInteractionRepo(db).logCall({
    id: 'call-1',
    customerId: 'demo-c001',
    kind: 'call',
    direction: 'inbound',
    number: '+81355550101',
    startedAt: T0,
    answeredAt: T0 + 3_000,
    endedAt: T0 + 60_000,
    durationSec: 57,
    outcome: 'answered',
    endReason: null,
    quality: null,
  });
  db.close();
  core = await createCore({
    dataDir,
    version: 'test',
    log: silentLogger,
    now: () => T0 + 120_000,
    scriptFolders: [SAMPLES, join(dataDir, 'scripts')],
  });
  changed = [];
  timeline = [];
  core.on('scripts.changed', (e) => changed.push(e));
  core.on('timeline.added', (e) => timeline.push(e));
});

afterEach(async () => {
  await core.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('talk tracks in core', () => {
  it('makes the centre’s folder at start and loads a script dropped into it later', async () => {
    const folder = join(dataDir, 'scripts');
    expect(existsSync(folder)).toBe(true);
    writeFileSync(
      join(folder, 'centre-callback.yaml'),
      [
        'id: centre-callback',
        'version: 1',
        'title: { ja: センターの折り返し, en: Centre callback }',
        'languages: [ja, en]',
        'match: { direction: outbound, campaigns: [requested] }',
        'start: bye',
        'steps:',
        '  - id: bye',
        '    say: { ja: 失礼します, en: Goodbye }',
        '    end: { disposition: completed }',
      ].join('\n'),
    );
    await waitUntil(() => changed.length > 0, { timeoutMs: 10_000, what: 'scripts.changed' });
    const { scripts } = await call<{ scripts: { id: string }[] }>('listScripts', {});
    expect(scripts.map((s) => s.id)).toContain('centre-callback');
  });

  it('lists a broken file by its name and line, and refuses an oversized one', async () => {
    const folder = join(dataDir, 'scripts');
    writeFileSync(
      join(folder, 'broken.yaml'),
      [
        'id: broken',
        'version: 1',
        'title: { ja: 壊れた, en: Broken }',
        'languages: [ja, en]',
        'match: { direction: inbound }',
        'start: a',
        'steps:',
        '  - id: a',
        '    say: { ja: こんにちは, en: Hello }',
        '    next: nowhere',
      ].join('\n'),
    );
    writeFileSync(join(folder, 'huge.yaml'), `# ${'x'.repeat(MAX_FILE_BYTES)}\n`);
    await waitUntil(() => changed.some((c) => c.problems >= 2), {
      timeoutMs: 10_000,
      what: 'the problems to be listed',
    });
    const { problems } = await call<{
      problems: { file: string; line: number | null; message: string }[];
    }>('listScripts', {});
    expect(problems).toEqual([
      {
        file: 'broken.yaml',
        line: 10,
        message: "step 'a': next → 'nowhere' is not a step",
      },
      {
        file: 'huge.yaml',
        line: null,
        message: `the file is ${Math.ceil((MAX_FILE_BYTES + 3) / 1024)} KB; a script may be at most 256 KB`,
      },
    ]);
  });

  it('walks a logged call’s track; a stale move is refused; answers reach its timeline entry', async () => {
    const { talkTrack } = await call<{ talkTrack: TalkTrack }>('getTalkTrack', {
      callId: 'call-1',
    });
    // No reason is logged with a call: the general inbound script fits.
    expect(talkTrack.script.id).toBe('inbound-general');
    const first = { stepId: talkTrack.step.stepId, position: talkTrack.position };
    await call('talkTrackAction', { callId: 'call-1', at: first, action: { type: 'advance' } });
    const stale = await core.dispatch('talkTrackAction', {
      callId: 'call-1',
      at: first,
      action: { type: 'advance' },
    });
    expect(stale).toMatchObject({ ok: false, error: { code: 'invalid_state', reason: 'stale' } });
    await call('talkTrackAction', {
      callId: 'call-1',
      at: { stepId: 'recording_notice', position: 2 },
      action: { type: 'confirm' },
    });
    await call('talkTrackAction', {
      callId: 'call-1',
      at: { stepId: 'recording_notice', position: 2 },
      action: { type: 'advance' },
    });
    const answered = await call<TalkTrack>('talkTrackAction', {
      callId: 'call-1',
      at: { stepId: 'ask_purpose', position: 3 },
      action: { type: 'answer', value: 'consultation' },
    });
    expect(answered.step.stepId).toBe('ask_product');
    // The ended call's entry is re-sent with the answer, and read back by getTimeline.
    expect(timeline.at(-1)).toMatchObject({
      customerId: 'demo-c001',
      entry: {
        id: 'call-1',
        answers: [
          { question: '本日はどのようなご用件でしょうか。', answer: '商品の使い方のご相談' },
        ],
      },
    });
    const entries = await call<TimelineEntry[]>('getTimeline', { customerId: 'demo-c001' });
    expect(entries.find((e) => e.id === 'call-1')?.answers).toEqual(timeline.at(-1)?.entry.answers);
  });

  it('a timeline with no talk track answers reads as before, and an unknown id has no track', async () => {
    const entries = await call<TimelineEntry[]>('getTimeline', { customerId: 'demo-c002' });
    expect(entries.every((e) => e.answers === undefined)).toBe(true);
    expect(await call('getTalkTrack', { callId: 'call-none' })).toEqual({ talkTrack: null });
  });
});
