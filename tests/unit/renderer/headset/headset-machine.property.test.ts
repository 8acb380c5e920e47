// Property: whatever the headset sends and however the calls change (replugs, test rings and
// the keyboard's media keys included), after each call update the LED reports the device last
// received match the calls (ring iff an inbound call rings, off-hook iff a call is talking,
// dialed or held, mute iff the focus call is muted, each report whole) — or, during a test ring
// with no call, ring and ringer only, until it ends — and no command names a call that does
// not exist or cannot take it. The same holds for a headset with media keys only.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseReportDescriptor } from '../../../../renderer/headset/hid-descriptor';
import { readBits } from '../../../../renderer/headset/hid-report-layout';
import type { HeadsetCall } from '../../../../renderer/headset/headset-calls';
import {
  DEFAULT_HEADSET_CONFIG,
  type HeadsetCommand,
} from '../../../../renderer/headset/headset-machine';
import { mediaKeysOf } from '../../../../renderer/headset/media-keys';
import {
  TELEPHONY_INPUTS,
  discoverTelephony,
  type TelephonyControls,
  type TelephonyInput,
} from '../../../../renderer/headset/telephony-controls';
import { buildInputReport } from '../../../../renderer/headset/telephony-reports';
import { headsetDriver } from './headset-driver';
import { fixtureCollections, fixtureControls } from '../../../infra/hid-fixtures';

const RUNS = Number(process.env.FC_RUNS ?? 1_000);
/** About 1 ms a case here; room for slow CI machines and large FC_RUNS. */
const TIMEOUT = Math.max(30_000, RUNS * 10);

/** A toggle-hook headset (relative hook and mute), besides the fixtures. */
function toggleHeadset(): TelephonyControls {
  const bytes = [
    0x05, 0x0b, 0x09, 0x05, 0xa1, 0x01, 0x85, 0x01, 0x15, 0x00, 0x25, 0x01, 0x75, 0x01,
  ];
  bytes.push(0x95, 0x01, 0x09, 0x20, 0x81, 0x06, 0x09, 0x2f, 0x81, 0x06, 0x09, 0x97, 0x81, 0x06);
  bytes.push(0x95, 0x05, 0x81, 0x01, 0x05, 0x08, 0x09, 0x17, 0x09, 0x09, 0x09, 0x18, 0x95, 0x03);
  bytes.push(0x91, 0x22, 0x95, 0x05, 0x91, 0x01, 0xc0);
  const found = discoverTelephony(parseReportDescriptor(bytes));
  if (found.kind !== 'telephony') throw new Error(found.reason);
  return found.controls;
}

const DEVICES: [string, TelephonyControls][] = [
  ['jabra-link-380c', fixtureControls('jabra-link-380c')],
  ['synthetic-absolute-mute', fixtureControls('synthetic-absolute-mute')],
  ['synthetic-nested-telephony', fixtureControls('synthetic-nested-telephony')],
  ['synthetic-two-telephony', fixtureControls('synthetic-two-telephony')],
  ['toggle hook', toggleHeadset()],
];

type Step =
  | { kind: 'calls'; calls: HeadsetCall[] }
  | { kind: 'built'; report: number; values: Partial<Record<TelephonyInput, number>> }
  | { kind: 'raw'; report: number; bytes: Uint8Array }
  | { kind: 'connect' }
  | { kind: 'disconnect' }
  | { kind: 'testRing' }
  | { kind: 'tick' }
  | { kind: 'mediaKey' };

const callsArb: fc.Arbitrary<HeadsetCall[]> = fc.uniqueArray(
  fc.record({
    id: fc.constantFrom('a', 'b', 'c'),
    state: fc.constantFrom<HeadsetCall['state']>('ringing', 'dialing', 'active', 'held'),
    muted: fc.boolean(),
    startedAt: fc.integer({ min: 0, max: 5 }),
  }),
  { maxLength: 3, selector: (c) => c.id },
);

const inputNames = Object.keys(TELEPHONY_INPUTS) as TelephonyInput[];

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: callsArb.map((calls): Step => ({ kind: 'calls', calls })) },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('built' as const),
      report: fc.nat(),
      values: fc.dictionary(fc.constantFrom(...inputNames), fc.constantFrom(0, 1)),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('raw' as const),
      report: fc.integer({ min: 0, max: 5 }),
      bytes: fc.uint8Array({ maxLength: 3 }),
    }),
  },
  { weight: 1, arbitrary: fc.constant<Step>({ kind: 'connect' }) },
  { weight: 1, arbitrary: fc.constant<Step>({ kind: 'disconnect' }) },
  { weight: 2, arbitrary: fc.constant<Step>({ kind: 'testRing' }) },
  { weight: 2, arbitrary: fc.constant<Step>({ kind: 'tick' }) },
  { weight: 1, arbitrary: fc.constant<Step>({ kind: 'mediaKey' }) },
);

const configArb = fc.record({
  echoWindowMs: fc.constantFrom(0, 500, 2000),
  rejectWith: fc.constantFrom(null, 'flash' as const, 'lineBusyTone' as const),
  testRingMs: fc.constantFrom(0, 1000, 3000),
  mediaKeyDedupMs: fc.constantFrom(0, 300),
});

const scenario = fc.record({
  device: fc.constantFrom(...DEVICES),
  config: configArb,
  steps: fc.array(fc.tuple(stepArb, fc.integer({ min: 0, max: 800 })), { maxLength: 40 }),
});

/** The call mute and hang-up act on: newest talking, else newest being dialed. */
function focusOf(calls: HeadsetCall[]): HeadsetCall | undefined {
  const newest = (state: HeadsetCall['state']) =>
    calls
      .filter((c) => c.state === state)
      .reduce<HeadsetCall | undefined>(
        (best, c) => (!best || c.startedAt >= best.startedAt ? c : best),
        undefined,
      );
  return newest('active') ?? newest('dialing');
}

function checkLeds(
  controls: TelephonyControls,
  device: Map<number, Uint8Array>,
  calls: HeadsetCall[],
  testing = false,
) {
  for (const { reportId, byteLength } of controls.outputReports)
    expect(device.get(reportId)?.length).toBe(byteLength);
  const ringing = calls.some((c) => c.state === 'ringing');
  const offHook = calls.some((c) => c.state !== 'ringing');
  const want = testing
    ? { ring: true, offHook: false, mute: false, hold: false, ringer: true }
    : {
        ring: ringing,
        offHook,
        mute: focusOf(calls)?.muted ?? false,
        hold: calls.some((c) => c.state === 'held'),
        ringer: ringing && !offHook,
      };
  for (const [name, on] of Object.entries(want) as [keyof typeof want, boolean][]) {
    const field = controls.outputs[name];
    if (!field) continue;
    const data = device.get(field.reportId) ?? new Uint8Array(0);
    expect([name, readBits(data, field.bitOffset, field.bitSize)]).toEqual([name, on ? 1 : 0]);
  }
}

function checkCommand(command: HeadsetCommand, calls: HeadsetCall[]) {
  const target = calls.find((c) => c.id === command.callId);
  expect(target, `${command.type} for a call that does not exist`).toBeDefined();
  const state = target!.state;
  if (command.type === 'answer' || command.type === 'reject') expect(state).toBe('ringing');
  else expect(['active', 'dialing']).toContain(state);
  if (command.type === 'setMute') expect(command.muted).toBe(!target!.muted);
}

describe('headset machine properties', () => {
  it(
    'LEDs never out of step with the calls; commands only for calls that can take them',
    () => {
      fc.assert(
        fc.property(scenario, ({ device: [, controls], config, steps }) => {
          const h = headsetDriver(config);
          const received = new Map<number, Uint8Array>();
          const canRing = !!(controls.outputs.ring ?? controls.outputs.ringer);
          let connected = true;
          let calls: HeadsetCall[] = [];
          let now = 0;
          /** The test ring the model expects: when it ends, or null. */
          let testUntil: number | null = null;
          const deliver = (r: ReturnType<typeof h.step>) => {
            if (!connected) expect(r.reports).toEqual([]);
            for (const report of r.reports) received.set(report.reportId, report.data);
            for (const command of r.commands) checkCommand(command, calls);
          };
          const check = () => {
            expect(h.state.testRingUntil).toBe(testUntil);
            if (connected) checkLeds(controls, received, calls, testUntil !== null);
          };
          deliver(h.step({ type: 'connected', controls, now }));
          check();

          for (const [step, wait] of steps) {
            now += wait;
            if (step.kind === 'calls') {
              calls = step.calls;
              if (calls.length > 0) testUntil = null;
              deliver(h.step({ type: 'calls', calls, now }));
              check();
            } else if (step.kind === 'connect') {
              connected = true;
              testUntil = null;
              received.clear(); // a new device: it holds nothing until we send
              deliver(h.step({ type: 'connected', controls, now }));
              check();
            } else if (step.kind === 'disconnect') {
              connected = false;
              testUntil = null;
              deliver(h.step({ type: 'disconnected', now }));
            } else if (step.kind === 'testRing') {
              if (connected && canRing && calls.length === 0) testUntil = now + config.testRingMs;
              deliver(h.step({ type: 'testRing', now }));
              check();
            } else if (step.kind === 'tick') {
              if (testUntil !== null && now >= testUntil) testUntil = null;
              deliver(h.step({ type: 'tick', now }));
              check();
            } else if (step.kind === 'mediaKey') {
              // The keyboard's Play/Pause is left alone while a telephony headset is open.
              const r = h.step({ type: 'mediaKey', key: 'playPause', now });
              if (connected) expect(r.commands).toEqual([]);
              deliver(r);
            } else {
              const layout = controls.inputReports[step.report % controls.inputReports.length]!;
              const [reportId, data] =
                step.kind === 'built'
                  ? [layout.reportId, buildInputReport(controls, layout.reportId, step.values)]
                  : [step.report, step.bytes];
              const r = h.step({ type: 'input', reportId, data, now });
              if (!connected) expect(r.commands).toEqual([]);
              deliver(r);
            }
          }
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );
});

/** Consumer-only headset (synthetic): report 1 bit 2 relative Mute, report 2 a 16-bit key array. */
const consumerKeys = (() => {
  const keys = mediaKeysOf(
    discoverTelephony(fixtureCollections('synthetic-consumer-only-headset')),
  );
  if (!keys) throw new Error('the consumer-only fixture has no media keys');
  return keys;
})();

type MediaStep =
  | { kind: 'calls'; calls: HeadsetCall[] }
  | { kind: 'report'; reportId: number; bytes: Uint8Array }
  | { kind: 'key' }
  | { kind: 'connect' }
  | { kind: 'disconnect' }
  | { kind: 'testRing' };

const mediaStepArb: fc.Arbitrary<MediaStep> = fc.oneof(
  { weight: 3, arbitrary: callsArb.map((calls): MediaStep => ({ kind: 'calls', calls })) },
  {
    weight: 5,
    arbitrary: fc
      .oneof(
        fc.constantFrom(
          [1, [0x04]],
          [1, [0x00]],
          [2, [0xcd, 0x00]],
          [2, [0x00, 0x00]],
          [2, [0xe9, 0x00]],
        ),
        fc.tuple(fc.integer({ min: 0, max: 3 }), fc.array(fc.nat(255), { maxLength: 3 })),
      )
      .map(([reportId, bytes]): MediaStep => ({
        kind: 'report',
        reportId: reportId as number,
        bytes: Uint8Array.from(bytes as number[]),
      })),
  },
  { weight: 2, arbitrary: fc.constant<MediaStep>({ kind: 'key' }) },
  { weight: 1, arbitrary: fc.constant<MediaStep>({ kind: 'connect' }) },
  { weight: 1, arbitrary: fc.constant<MediaStep>({ kind: 'disconnect' }) },
  { weight: 1, arbitrary: fc.constant<MediaStep>({ kind: 'testRing' }) },
);

describe('media-key headset properties', () => {
  it(
    'never sends a report, never tests a ring; commands only for calls that can take them',
    () => {
      fc.assert(
        fc.property(
          configArb,
          fc.array(fc.tuple(mediaStepArb, fc.integer({ min: 0, max: 800 })), { maxLength: 40 }),
          (config, steps) => {
            const h = headsetDriver(config);
            let calls: HeadsetCall[] = [];
            let now = 0;
            const deliver = (r: ReturnType<typeof h.step>) => {
              expect(r.reports).toEqual([]);
              for (const command of r.commands) checkCommand(command, calls);
            };
            deliver(h.step({ type: 'connectedMediaKeys', keys: consumerKeys, now }));
            for (const [step, wait] of steps) {
              now += wait;
              if (step.kind === 'calls') {
                calls = step.calls;
                deliver(h.step({ type: 'calls', calls, now }));
              } else if (step.kind === 'report') {
                deliver(h.step({ type: 'input', reportId: step.reportId, data: step.bytes, now }));
              } else if (step.kind === 'key') {
                deliver(h.step({ type: 'mediaKey', key: 'playPause', now }));
              } else if (step.kind === 'connect') {
                deliver(h.step({ type: 'connectedMediaKeys', keys: consumerKeys, now }));
              } else if (step.kind === 'disconnect') {
                deliver(h.step({ type: 'disconnected', now }));
              } else {
                deliver(h.step({ type: 'testRing', now }));
              }
              expect(h.state.testRingUntil).toBeNull();
            }
          },
        ),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );
});

// Keep the default config in the properties' range (a changed default is a reminder to look).
it('the default config is among those the properties try', () => {
  expect(DEFAULT_HEADSET_CONFIG).toEqual({
    echoWindowMs: 500,
    rejectWith: null,
    testRingMs: 3000,
    mediaKeyDedupMs: 300,
  });
});
