// One rule for one-button call control: the shell's global shortcut (main/electron) and the
// headset's toggle press (the renderer's machine: a relative hook switch, Play/Pause) act on
// the same call in every situation — a press seen by both can never do two different things.
import { describe, expect, it } from 'vitest';
import type { Call } from '../../../preload/contract';
import { linesFrom, togglePress } from '../../../preload/call-focus';
import { commandFor } from '../../../main/electron/global-shortcuts';
import { headsetStep, initialHeadsetState } from '../../../renderer/headset/headset-machine';

const call = (id: string, over: Partial<Call>): Call =>
  ({
    id,
    direction: 'inbound',
    state: 'active',
    onHold: false,
    muted: false,
    startedAt: 1000,
    answeredAt: 1000,
    ...over,
  }) as Call;

const A = call('A', {});
const cases: Array<[string, Call[], { type: 'answer' | 'hangup'; callId: string } | null]> = [
  ['nothing', [], null],
  [
    'a call rings',
    [call('B', { state: 'ringing', answeredAt: null })],
    { type: 'answer', callId: 'B' },
  ],
  ['talking', [A], { type: 'hangup', callId: 'A' }],
  [
    'talking, a second call waits (core holds A)',
    [A, call('B', { state: 'ringing', answeredAt: null, startedAt: 2000 })],
    { type: 'answer', callId: 'B' },
  ],
  [
    'dialling, a call rings',
    [
      call('O', { direction: 'outbound', state: 'ringing', answeredAt: null }),
      call('B', { state: 'ringing', answeredAt: null, startedAt: 2000 }),
    ],
    { type: 'answer', callId: 'B' },
  ],
  [
    'dialling',
    [call('O', { direction: 'outbound', state: 'connecting', answeredAt: null })],
    { type: 'hangup', callId: 'O' },
  ],
  ['only a held call', [call('H', { onHold: true })], null],
  [
    'a held call and a talking one',
    [call('H', { onHold: true }), call('A', { startedAt: 2000 })],
    { type: 'hangup', callId: 'A' },
  ],
  [
    'two ring: the oldest',
    [
      call('B', { state: 'ringing', answeredAt: null, startedAt: 3000 }),
      call('C', { state: 'ringing', answeredAt: null, startedAt: 2000 }),
    ],
    { type: 'answer', callId: 'C' },
  ],
];

describe('one-button rule (preload/call-focus.ts)', () => {
  it.each(cases)('%s', (_name, calls, expected) => {
    const lines = linesFrom(calls);
    expect(togglePress(lines)).toEqual(expected);

    // The shell's global shortcut, long after any answer (its grace does not apply).
    const shell = commandFor('answerOrHangup', calls, 1_000_000);
    expect(
      shell && {
        type: shell.method === 'answerCall' ? 'answer' : 'hangup',
        callId: shell.args.callId,
      },
    ).toEqual(expected);

    // The headset machine: a Play/Pause key press, long after the LEDs last changed.
    let state = initialHeadsetState();
    state = headsetStep(state, { type: 'calls', calls: lines, now: 0 }).state;
    const step = headsetStep(state, { type: 'mediaKey', key: 'playPause', now: 1_000_000 });
    expect(step.commands).toEqual(expected ? [expected] : []);
  });
});
