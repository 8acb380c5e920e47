// The liveness rule of established calls (call-probe.ts): which in-dialog responses prove the
// far end is there, which are misses, and when the call ends.
import { describe, expect, it } from 'vitest';
import {
  PROBE_MISSES_TO_END,
  classifyProbe,
  probeStep,
  type ProbeVerdict,
} from '../../../../main/core/phone/call-probe';

describe('classifyProbe', () => {
  it.each([200, 202, 302, 400, 403, 404, 405, 415, 480, 486, 488, 491, 500, 501, 603])(
    '%i comes from a UA that knows the dialog: alive',
    (code) => {
      expect(classifyProbe(code)).toBe('alive');
    },
  );

  it('481 Call/Transaction Does Not Exist: gone', () => {
    expect(classifyProbe(481)).toBe('gone');
  });

  it.each([408, 477, 478, 502, 503, 504, 'timeout'] as const)(
    '%s did not reach the far end: a miss',
    (r) => {
      expect(classifyProbe(r)).toBe('miss');
    },
  );
});

describe('probeStep', () => {
  it('alive resets the misses and waits an interval', () => {
    expect(probeStep(0, 'alive')).toEqual({ misses: 0, action: 'schedule' });
    expect(probeStep(1, 'alive')).toEqual({ misses: 0, action: 'schedule' });
  });

  it('gone ends the call at once', () => {
    expect(probeStep(0, 'gone').action).toBe('end');
    expect(probeStep(1, 'gone').action).toBe('end');
  });

  it('one miss probes again at once; two in a row end the call', () => {
    expect(PROBE_MISSES_TO_END).toBe(2);
    expect(probeStep(0, 'miss')).toEqual({ misses: 1, action: 'retry' });
    expect(probeStep(1, 'miss')).toEqual({ misses: 2, action: 'end' });
  });

  it('a sequence: a blip between answers never ends a live call', () => {
    const run = (verdicts: ProbeVerdict[]) => {
      let misses = 0;
      const actions: string[] = [];
      for (const v of verdicts) {
        const s = probeStep(misses, v);
        misses = s.misses;
        actions.push(s.action);
      }
      return actions;
    };
    expect(run(['alive', 'miss', 'alive', 'miss', 'alive'])).toEqual([
      'schedule',
      'retry',
      'schedule',
      'retry',
      'schedule',
    ]);
    expect(run(['alive', 'miss', 'miss'])).toEqual(['schedule', 'retry', 'end']);
  });
});
