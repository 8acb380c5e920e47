// Core's calls as the headset sees them, the calls its buttons act on, and the LEDs.
import { describe, expect, it } from 'vitest';
import {
  focusCall,
  headsetCallsFrom,
  ledsFor,
  ringingCall,
} from '../../../../renderer/headset/headset-calls';
import { ringingCall as coreCall } from '../fixtures';
import { call } from './headset-driver';

describe('headsetCallsFrom', () => {
  it('maps core states: inbound ringing, outbound dialing, answered, held; ended calls drop out', () => {
    const calls = [
      coreCall({ id: 'in', state: 'ringing', startedAt: 1 }),
      coreCall({ id: 'in-answering', state: 'connecting' }),
      coreCall({ id: 'out-trying', direction: 'outbound', state: 'connecting' }),
      coreCall({ id: 'out-ringing', direction: 'outbound', state: 'ringing' }),
      coreCall({ id: 'talk', state: 'active', muted: true }),
      coreCall({ id: 'held', direction: 'outbound', state: 'active', onHold: true }),
      coreCall({ id: 'gone', state: 'ended' }),
    ];
    expect(headsetCallsFrom(calls).map((c) => [c.id, c.state, c.muted])).toEqual([
      ['in', 'ringing', false],
      ['in-answering', 'active', false],
      ['out-trying', 'dialing', false],
      ['out-ringing', 'dialing', false],
      ['talk', 'active', true],
      ['held', 'held', false],
    ]);
    expect(headsetCallsFrom(calls)[0]!.startedAt).toBe(1);
  });
});

describe('the call a button acts on', () => {
  it('answer and reject: the oldest ringing call', () => {
    expect(
      ringingCall([call('b', 'ringing', { startedAt: 2 }), call('a', 'ringing', { startedAt: 1 })])
        ?.id,
    ).toBe('a');
    expect(ringingCall([call('a', 'active')])).toBeNull();
  });

  it('hang up and mute: the newest talking call, else the newest being dialed; never a held one', () => {
    const calls = [
      call('old', 'active', { startedAt: 1 }),
      call('new', 'active', { startedAt: 2 }),
      call('d', 'dialing', { startedAt: 3 }),
      call('h', 'held', { startedAt: 4 }),
    ];
    expect(focusCall(calls)?.id).toBe('new');
    expect(focusCall([call('d', 'dialing'), call('h', 'held')])?.id).toBe('d');
    expect(focusCall([call('h', 'held'), call('r', 'ringing')])).toBeNull();
  });
});

describe('ledsFor', () => {
  it('no call: all off', () => {
    expect(ledsFor([])).toEqual({
      offHook: false,
      ring: false,
      mute: false,
      hold: false,
      microphone: false,
      ringer: false,
    });
  });

  it('ringing alone rings the LED and the ringer; beside a call only the LED', () => {
    expect(ledsFor([call('r', 'ringing')])).toMatchObject({
      ring: true,
      ringer: true,
      offHook: false,
    });
    expect(ledsFor([call('a', 'active'), call('r', 'ringing')])).toMatchObject({
      ring: true,
      ringer: false,
      offHook: true,
    });
  });

  it('mute follows the focus call; hold while a call is held', () => {
    expect(ledsFor([call('a', 'active', { muted: true })])).toMatchObject({
      mute: true,
      hold: false,
    });
    expect(ledsFor([call('h', 'held', { muted: true })])).toMatchObject({
      mute: false,
      hold: true,
      offHook: true,
    });
  });
});
