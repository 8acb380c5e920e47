// "Do not call" from the call's notes card: one click, a tiny confirm with the scope, then
// setOptOut with the call's number and customer, and the result shown.
import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { Call, RpcError } from '../../../preload/contract';
import { fakeBridge } from './fake-bridge';
import { NOW, anonymousCall, helloResult, ringingCall, unknownCall } from './fixtures';
import { flush, renderAgent } from './render-agent';

afterEach(cleanup);

const active = (call: Call): Call => ({ ...call, state: 'active', answeredAt: NOW - 30_000 });

async function withCall(call: Call, bridge = fakeBridge()) {
  bridge.handlers.hello = () => helloResult({ calls: [call] });
  return renderAgent({ bridge });
}

describe('do not call', () => {
  it('confirms the scope, registers the number and customer, and shows the result', async () => {
    const { bridge } = await withCall(active(ringingCall()));
    const button = screen.getByTestId('opt-out');
    expect(button.textContent).toContain('架電停止');
    expect(screen.queryByTestId('opt-out-state')).toBeNull();

    await userEvent.click(button);
    const confirm = screen.getByTestId('opt-out-confirm');
    expect(button.getAttribute('aria-expanded')).toBe('true');
    expect(within(confirm).getByText('03-5555-0101 への架電を停止')).toBeTruthy();
    // All outbound calls unless the agent says marketing only.
    expect((screen.getByTestId('opt-out-scope-all') as HTMLInputElement).checked).toBe(true);
    await userEvent.click(screen.getByLabelText('販促の発信のみ'));
    await userEvent.type(screen.getByTestId('opt-out-reason'), '営業電話は不要とのこと');
    await userEvent.click(screen.getByTestId('opt-out-submit'));
    await flush();

    expect(bridge.calls('setOptOut')).toEqual([
      {
        number: '+81355550101',
        customerId: 'cust-1',
        scope: 'marketing',
        reason: '営業電話は不要とのこと',
      },
    ]);
    expect(screen.queryByTestId('opt-out-confirm')).toBeNull();
    const state = screen.getByTestId('opt-out-state');
    expect(state.dataset.state).toBe('done');
    expect(state.dataset.scope).toBe('marketing');
    expect(state.textContent).toBe('架電停止を登録しました: 販促の発信のみ（03-5555-0101）');
    // Marketing only can still be strengthened to all.
    expect((screen.getByTestId('opt-out') as HTMLButtonElement).disabled).toBe(false);
  });

  it('an unknown caller: the number alone, all outbound, no reason; then nothing left to do', async () => {
    const { bridge } = await withCall(active(unknownCall()));
    await userEvent.click(screen.getByTestId('opt-out'));
    await userEvent.click(screen.getByTestId('opt-out-submit'));
    await flush();
    expect(bridge.calls('setOptOut')).toEqual([
      { number: '+81312345678', customerId: null, scope: 'all', reason: null },
    ]);
    expect(screen.getByTestId('opt-out-state').textContent).toContain('すべての発信');
    expect((screen.getByTestId('opt-out') as HTMLButtonElement).disabled).toBe(true);
  });

  it('uses the raw number when main could not normalize it', async () => {
    const call = active(
      unknownCall({
        remote: { raw: '0120444444', e164: null, display: '', anonymous: false, displayName: null },
      }),
    );
    const { bridge } = await withCall(call);
    await userEvent.click(screen.getByTestId('opt-out'));
    await userEvent.click(screen.getByTestId('opt-out-submit'));
    await flush();
    expect(bridge.calls('setOptOut')).toEqual([
      { number: '0120444444', customerId: null, scope: 'all', reason: null },
    ]);
  });

  it('is not offered for a caller who withheld the number', async () => {
    await withCall(active(anonymousCall()));
    expect(screen.getByTestId('call-notes')).toBeTruthy();
    expect(screen.queryByTestId('opt-out')).toBeNull();
  });

  it('Cancel and Escape send nothing', async () => {
    const { bridge } = await withCall(active(ringingCall()));
    await userEvent.click(screen.getByTestId('opt-out'));
    await userEvent.click(screen.getByRole('button', { name: 'キャンセル' }));
    expect(screen.queryByTestId('opt-out-confirm')).toBeNull();
    await userEvent.click(screen.getByTestId('opt-out'));
    await userEvent.click(screen.getByTestId('opt-out-scope-marketing'));
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByTestId('opt-out-confirm')).toBeNull();
    expect(bridge.calls('setOptOut')).toEqual([]);
    expect(bridge.calls('hangupCall')).toEqual([]);
  });

  it('a failure is shown and can be tried again', async () => {
    const bridge = fakeBridge();
    const ok = bridge.handlers.setOptOut!;
    bridge.handlers.setOptOut = () =>
      ({ code: 'unavailable', message: 'socket closed' }) as RpcError;
    await withCall(active(ringingCall()), bridge);
    await userEvent.click(screen.getByTestId('opt-out'));
    await userEvent.click(screen.getByTestId('opt-out-submit'));
    await flush();
    const state = screen.getByTestId('opt-out-state');
    expect(state.dataset.state).toBe('error');
    expect(state.textContent).toBe('架電停止を登録できませんでした: アプリに接続できません');
    expect(state.title).toBe('socket closed');

    bridge.handlers.setOptOut = ok;
    await userEvent.click(screen.getByTestId('opt-out'));
    await userEvent.click(screen.getByTestId('opt-out-submit'));
    await flush();
    expect(screen.getByTestId('opt-out-state').dataset.state).toBe('done');
    expect(bridge.calls('setOptOut')).toHaveLength(2);
  });

  it('in English', async () => {
    const bridge = fakeBridge({
      hello: () => helloResult({ locale: 'en', calls: [active(ringingCall())] }),
    });
    await renderAgent({ bridge });
    await userEvent.click(screen.getByTestId('opt-out'));
    expect(screen.getByText('Stop calls to 03-5555-0101')).toBeTruthy();
    expect(screen.getByLabelText('All outbound calls')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Register' }));
    await flush();
    expect(screen.getByTestId('opt-out-state').textContent).toBe(
      'Do not call registered: All outbound calls (03-5555-0101)',
    );
  });
});
