import { describe, expect, it, vi } from 'vitest';
import { ringWhileInboundRinging } from '../../../renderer/app/ring-on-incoming';
import { createAgentStore } from '../../../renderer/app/store/agent-store';
import { createRinger } from '../../../renderer/media/ringer';
import { ringingCall } from './fixtures';

function fakeAudioContext() {
  const oscillators: Array<{ start: ReturnType<typeof vi.fn>; stop: ReturnType<typeof vi.fn> }> =
    [];
  const param = () => ({
    value: 0,
    setValueAtTime: vi.fn(),
    exponentialRampToValueAtTime: vi.fn(),
  });
  const node = () => ({ connect: vi.fn((n: unknown) => n) });
  const ctx = {
    state: 'running',
    currentTime: 0,
    destination: {},
    resume: vi.fn(async () => {}),
    createOscillator: () => {
      const o = { ...node(), type: '', frequency: param(), start: vi.fn(), stop: vi.fn() };
      oscillators.push(o);
      return o;
    },
    createGain: () => ({ ...node(), gain: param() }),
  };
  return { ctx, oscillators };
}

describe('ringer (WebAudio)', () => {
  it('chimes at once and every 2.5 s until stopped; start is idempotent', () => {
    vi.useFakeTimers();
    const { ctx, oscillators } = fakeAudioContext();
    const ringer = createRinger(() => ctx as unknown as AudioContext);
    ringer.start();
    ringer.start();
    expect(ringer.ringing).toBe(true);
    expect(oscillators).toHaveLength(2);
    vi.advanceTimersByTime(2_500);
    expect(oscillators).toHaveLength(4);
    ringer.stop();
    expect(ringer.ringing).toBe(false);
    expect(oscillators[3]!.stop).toHaveBeenCalledTimes(2); // scheduled stop + stopped now
    vi.advanceTimersByTime(10_000);
    expect(oscillators).toHaveLength(4);
    vi.useRealTimers();
  });

  it('never throws when there is no audio device', () => {
    const ringer = createRinger(() => {
      throw new Error('no AudioContext');
    });
    expect(() => ringer.start()).not.toThrow();
    ringer.stop();
  });

  it('resumes a suspended context (autoplay rules) when unlocked in a gesture', () => {
    const { ctx } = fakeAudioContext();
    ctx.state = 'suspended';
    createRinger(() => ctx as unknown as AudioContext).unlock();
    expect(ctx.resume).toHaveBeenCalled();
  });
});

describe('ringing follows the calls', () => {
  it('rings while an inbound call rings, stops on the answer press and stays quiet', () => {
    const store = createAgentStore();
    const ringer = { start: vi.fn(), stop: vi.fn() };
    ringWhileInboundRinging(store, ringer);
    const s = () => store.getState();
    s().upsertCall(ringingCall({ direction: 'outbound' }));
    expect(ringer.start).not.toHaveBeenCalled(); // our own outbound call is not a ring

    s().upsertCall(ringingCall());
    expect(ringer.start).toHaveBeenCalledTimes(1);
    s().setPending('call-1', 'answer');
    expect(ringer.stop).toHaveBeenCalled();
    s().setPending('call-1', null); // main's reply came before its 'connecting' update
    expect(ringer.start).toHaveBeenCalledTimes(1);
    s().upsertCall(ringingCall({ state: 'connecting' }));
    expect(ringer.start).toHaveBeenCalledTimes(1);
  });

  it('rings again when the press failed', () => {
    const store = createAgentStore();
    const ringer = { start: vi.fn(), stop: vi.fn() };
    ringWhileInboundRinging(store, ringer);
    const s = () => store.getState();
    s().upsertCall(ringingCall());
    s().setPending('call-1', 'reject');
    s().setActionError({ callId: 'call-1', action: 'reject', code: 'timeout', message: 'x' });
    s().setPending('call-1', null);
    expect(ringer.start).toHaveBeenCalledTimes(2);
  });
});
