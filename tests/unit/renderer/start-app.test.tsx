// The composition root main.tsx uses, with a fake bridge: hello → screen, ringer wired.
import { act, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { startApp, type RunningApp } from '../../../renderer/app/start-app';
import { fakeBridge } from './fake-bridge';
import { helloResult, ringingCall } from './fixtures';
import { flush } from './render-agent';

describe('startApp', () => {
  it('says hello, renders the pop and rings', async () => {
    const bridge = fakeBridge({ hello: () => helloResult({ calls: [ringingCall()] }) });
    const ringer = { start: vi.fn(), stop: vi.fn() };
    const container = document.body.appendChild(document.createElement('div'));
    let app!: RunningApp;
    await act(async () => {
      app = startApp({ bridge, container, ringer });
    });
    await flush();
    expect(bridge.calls('hello')).toEqual([{}]);
    expect(screen.getByTestId('pop-name').textContent).toBe('山田 太郎');
    expect(ringer.start).toHaveBeenCalled();
    act(() => app.stop());
    expect(container.innerHTML).toBe('');
    container.remove();
  });
});
