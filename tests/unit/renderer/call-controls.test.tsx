// Answer / reject / hang up: by button and by keyboard shortcut, each reaching the api.
import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { helloResult, ringingCall } from './fixtures';
import { flush, renderAgent } from './render-agent';

afterEach(cleanup);

const ringing = () =>
  renderAgent({ handlers: { hello: () => helloResult({ calls: [ringingCall()] }) } });
const talking = () =>
  renderAgent({
    handlers: {
      hello: () =>
        helloResult({ calls: [ringingCall({ state: 'active', answeredAt: Date.now() })] }),
    },
  });

describe('call controls', () => {
  it('buttons show their shortcuts', async () => {
    await ringing();
    const answer = screen.getByTestId('answer');
    expect(answer.tagName).toBe('BUTTON');
    expect(answer.getAttribute('aria-keyshortcuts')).toBe('Enter A');
    expect(answer.textContent).toBe('応答EnterA');
    expect(screen.getByRole('button', { name: '応答' })).toBe(answer);
    expect(screen.getByTestId('reject').getAttribute('aria-keyshortcuts')).toBe('R Escape');
  });

  it('answer button → answerCall', async () => {
    const { bridge } = await ringing();
    await userEvent.click(screen.getByTestId('answer'));
    expect(bridge.calls('answerCall')).toEqual([{ callId: 'call-1' }]);
  });

  it('reject button → rejectCall', async () => {
    const { bridge } = await ringing();
    await userEvent.click(screen.getByTestId('reject'));
    expect(bridge.calls('rejectCall')).toEqual([{ callId: 'call-1' }]);
  });

  it('hang-up button → hangupCall', async () => {
    const { bridge } = await talking();
    await userEvent.click(screen.getByTestId('hangup'));
    expect(bridge.calls('hangupCall')).toEqual([{ callId: 'call-1' }]);
  });

  it.each([['{Enter}'], ['a'], ['A']])('%s answers the ringing call', async (keys) => {
    const { bridge } = await ringing();
    await userEvent.keyboard(keys);
    expect(bridge.calls('answerCall')).toEqual([{ callId: 'call-1' }]);
    expect(bridge.calls('rejectCall')).toEqual([]);
  });

  it.each([['r'], ['{Escape}']])('%s rejects the ringing call', async (keys) => {
    const { bridge } = await ringing();
    await userEvent.keyboard(keys);
    expect(bridge.calls('rejectCall')).toEqual([{ callId: 'call-1' }]);
  });

  it('h hangs up the current call', async () => {
    const { bridge } = await talking();
    await userEvent.keyboard('h');
    expect(bridge.calls('hangupCall')).toEqual([{ callId: 'call-1' }]);
  });

  it('letters with a Japanese IME on (key "Process") still work by physical key', async () => {
    const { bridge } = await ringing();
    fireEvent.keyDown(document.body, { key: 'Process', code: 'KeyA' });
    await flush();
    expect(bridge.calls('answerCall')).toHaveLength(1);
  });

  it('shortcuts do nothing without a matching call, with modifiers, or while typing', async () => {
    const { bridge } = await renderAgent();
    // Only the start-up requests (hello, the sync status), nothing from the keys.
    expect(bridge.invoke.mock.calls.map(([m]) => m)).toEqual(['hello', 'getSyncStatus']);
    await userEvent.keyboard('a{Enter}rh{Escape}');
    expect(bridge.invoke.mock.calls.map(([m]) => m)).toEqual(['hello', 'getSyncStatus']);

    const input = document.createElement('input');
    document.body.append(input);
    act(() => bridge.emit('call.updated', ringingCall()));
    input.focus();
    await userEvent.keyboard('a{Enter}');
    await userEvent.keyboard('{Control>}a{/Control}');
    expect(bridge.calls('answerCall')).toEqual([]);
    input.remove();
  });

  it('Enter on the focused reject button rejects (the button wins inside the call card)', async () => {
    const { bridge } = await ringing();
    screen.getByTestId('reject').focus();
    await userEvent.keyboard('{Enter}');
    expect(bridge.calls('rejectCall')).toEqual([{ callId: 'call-1' }]);
    expect(bridge.calls('answerCall')).toEqual([]);
  });

  it('Enter with focus left on the language switch answers, not switches', async () => {
    const { bridge } = await ringing();
    screen.getByTestId('lang-en').focus();
    await userEvent.keyboard('{Enter}');
    expect(bridge.calls('answerCall')).toHaveLength(1);
    expect(bridge.calls('setLocale')).toEqual([]);
  });

  it('a double press sends one request; the button is busy meanwhile', async () => {
    let release!: () => void;
    const { bridge } = await ringing();
    const gate = new Promise<void>((r) => (release = r));
    const original = bridge.invoke.getMockImplementation()!;
    bridge.invoke.mockImplementation(async (m, a) => {
      if (m === 'answerCall') await gate;
      return original(m, a);
    });
    await userEvent.keyboard('a');
    await userEvent.keyboard('a');
    expect(bridge.calls('answerCall')).toHaveLength(1);
    expect(screen.getByTestId('answer').textContent).toContain('応答中…');
    expect((screen.getByTestId('answer') as HTMLButtonElement).disabled).toBe(true);
    release();
    await flush();
    expect((screen.getByTestId('answer') as HTMLButtonElement).disabled).toBe(false);
  });

  it('a failed action is shown inline, and the screen keeps working', async () => {
    const { bridge } = await ringing();
    bridge.handlers.answerCall = () => ({ code: 'invalid_state', message: 'call already ended' });
    await userEvent.click(screen.getByTestId('answer'));
    const alert = screen.getByTestId('action-error');
    expect(alert.getAttribute('role')).toBe('alert');
    expect(alert.textContent).toContain('応答に失敗しました: 現在の通話状態では実行できません');
    expect(alert.getAttribute('title')).toBe('call already ended');
    await userEvent.click(screen.getByRole('button', { name: '閉じる' }));
    expect(screen.queryByTestId('action-error')).toBeNull();
    await userEvent.click(screen.getByTestId('reject'));
    expect(bridge.calls('rejectCall')).toHaveLength(1);
  });
});
