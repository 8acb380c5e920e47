// Property: whatever the headset sends and however the calls change (replugs included),
// after each call update the LED reports the device last received match the calls (ring iff
// an inbound call rings, off-hook iff a call is talking, dialed or held, mute iff the focus
// call is muted, each report whole), and no command names a call that does not exist or
// cannot take it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseReportDescriptor } from '../../../../renderer/headset/hid-descriptor';
import { readBits } from '../../../../renderer/headset/hid-report-layout';
import type { HeadsetCall } from '../../../../renderer/headset/headset-calls';
import type { HeadsetCommand } from '../../../../renderer/headset/headset-machine';
import {
  TELEPHONY_INPUTS,
  discoverTelephony,
  type TelephonyControls,
  type TelephonyInput,
} from '../../../../renderer/headset/telephony-controls';
import { buildInputReport } from '../../../../renderer/headset/telephony-reports';
import { headsetDriver } from './headset-driver';
import { fixtureControls } from '../../../infra/hid-fixtures';

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
  | { kind: 'disconnect' };

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
);

const scenario = fc.record({
  device: fc.constantFrom(...DEVICES),
  config: fc.record({
    echoWindowMs: fc.constantFrom(0, 500, 2000),
    rejectWith: fc.constantFrom(null, 'flash' as const, 'lineBusyTone' as const),
  }),
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
) {
  for (const { reportId, byteLength } of controls.outputReports)
    expect(device.get(reportId)?.length).toBe(byteLength);
  const ringing = calls.some((c) => c.state === 'ringing');
  const offHook = calls.some((c) => c.state !== 'ringing');
  const want = {
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
          let connected = true;
          let calls: HeadsetCall[] = [];
          let now = 0;
          const deliver = (r: ReturnType<typeof h.step>) => {
            if (!connected) expect(r.reports).toEqual([]);
            for (const report of r.reports) received.set(report.reportId, report.data);
            for (const command of r.commands) checkCommand(command, calls);
          };
          deliver(h.step({ type: 'connected', controls, now }));
          checkLeds(controls, received, calls);

          for (const [step, wait] of steps) {
            now += wait;
            if (step.kind === 'calls') {
              calls = step.calls;
              deliver(h.step({ type: 'calls', calls, now }));
              if (connected) checkLeds(controls, received, calls);
            } else if (step.kind === 'connect') {
              connected = true;
              received.clear(); // a new device: it holds nothing until we send
              deliver(h.step({ type: 'connected', controls, now }));
              checkLeds(controls, received, calls);
            } else if (step.kind === 'disconnect') {
              connected = false;
              deliver(h.step({ type: 'disconnected', now }));
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
