// The composition root main.tsx uses, with a fake bridge: hello → screen, ringer wired.
import { act, fireEvent, screen } from '@testing-library/react';
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

describe('startApp: notes', () => {
  it('stop() (the window closing) saves what the notes editor holds at once', async () => {
    const active = ringingCall({ state: 'active', answeredAt: Date.now() });
    const bridge = fakeBridge({ hello: () => helloResult({ calls: [active] }) });
    const container = document.body.appendChild(document.createElement('div'));
    let app!: RunningApp;
    await act(async () => {
      app = startApp({ bridge, container, notes: { debounceMs: 60_000 } });
    });
    await flush();
    const editor = screen.getByTestId('note-editor');
    act(() => void fireEvent.change(editor, { target: { value: '最後の一言' } }));
    expect(bridge.calls('saveNote')).toEqual([]);
    act(() => app.stop());
    expect(bridge.calls('saveNote')).toEqual([
      { customerId: 'cust-1', interactionId: 'call-1', body: '最後の一言' },
    ]);
    container.remove();
  });
});
