import { act, cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatClock } from '../../../renderer/app/format';
import { NOW, helloResult, ringingCall } from './fixtures';
import { renderAgent } from './render-agent';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('call timer', () => {
  it('ticks every second from answeredAt, and freezes when the call ends', async () => {
    vi.useFakeTimers({ now: NOW });
    const active = ringingCall({ state: 'active', answeredAt: NOW - 5_000 });
    const { bridge } = await renderAgent({
      handlers: { hello: () => helloResult({ calls: [active] }) },
    });
    const timer = () => screen.getByTestId('call-timer').textContent;
    expect(timer()).toBe('0:05');
    act(() => vi.advanceTimersByTime(1_000));
    expect(timer()).toBe('0:06');
    act(() => vi.advanceTimersByTime(60_000));
    expect(timer()).toBe('1:06');

    act(() =>
      bridge.emit('call.updated', {
        ...active,
        state: 'ended',
        endedAt: NOW + 61_500,
        outcome: 'answered',
        endReason: 'remote hung up',
      }),
    );
    act(() => vi.advanceTimersByTime(800)); // before the ended card is dropped
    expect(timer()).toBe('1:06');
    expect(screen.getByTestId('call-state').dataset.state).toBe('ended');
    expect((screen.getByTestId('hangup') as HTMLButtonElement).disabled).toBe(true);
    // the end is told in the agent's language; core's English reason is only the tooltip
    const end = document.querySelector('.end-reason') as HTMLElement;
    expect(end.textContent).toBe('終了: 応答');
    expect(end.title).toBe('remote hung up');
  });

  it('formats long calls as h:mm:ss', () => {
    expect(formatClock(0)).toBe('0:00');
    expect(formatClock(59.9)).toBe('0:59');
    expect(formatClock(3_725)).toBe('1:02:05');
    expect(formatClock(-3)).toBe('0:00');
  });
});
