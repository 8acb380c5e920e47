// Wrap-up and scheduling: an answered call ends → its campaign's results to pick (a
// 'reschedule' one needs a time) → setDisposition with the call (and callback) id. Scheduling
// a callback shows the time on the customer's clock and the agent's side by side and sends
// the UTC instant.
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Call, RpcError } from '../../../preload/contract';
import { fakeBridge, type Handlers } from './fake-bridge';
import {
  NOW,
  helloResult,
  queueItem,
  renewalCampaign,
  requestedCampaign,
  ringingCall,
  unknownCall,
} from './fixtures';
import { flush, renderAgent } from './render-agent';

beforeEach(() => {
  vi.useFakeTimers({ now: NOW, toFake: ['Date'] }); // dates only; timers stay real
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const talking = (over: Partial<Call> = {}) =>
  ringingCall({ state: 'active', answeredAt: NOW - 90_000, ...over });
const ended = (call: Call): Call => ({
  ...call,
  state: 'ended',
  endedAt: NOW,
  outcome: call.answeredAt ? 'answered' : 'no_answer',
});

function withCampaigns(handlers: Handlers = {}) {
  return fakeBridge({ getCampaigns: () => [requestedCampaign, renewalCampaign], ...handlers });
}

async function endCall(bridge: ReturnType<typeof fakeBridge>, call: Call) {
  act(() => bridge.emit('call.updated', ended(call)));
  await flush();
}

const setField = (testId: string, value: string) =>
  act(() => void fireEvent.change(screen.getByTestId(testId), { target: { value } }));

describe('wrap-up', () => {
  it('a call from a callback: that campaign’s results; setDisposition with call and callback', async () => {
    const item = queueItem('cb-7', { campaignId: 'renewal', campaignKind: 'renewal' });
    const bridge = withCampaigns({
      nextCallback: () => ({ item }),
      dialCallback: () => ({ callId: 'call-cb' }),
    });
    await renderAgent({ bridge });
    await userEvent.click(screen.getByTestId('tab-queue'));
    await flush();
    await userEvent.click(screen.getByTestId('queue-next'));
    await flush();
    await userEvent.click(screen.getByTestId('callback-dial'));
    await flush();
    expect(bridge.calls('dialCallback')).toEqual([{ callbackId: 'cb-7' }]);

    const call = talking({ id: 'call-cb', direction: 'outbound' });
    act(() => bridge.emit('call.updated', call));
    await endCall(bridge, call);

    // The customer's column, with the result to give first.
    expect(screen.getByTestId('tab-customer').getAttribute('aria-selected')).toBe('true');
    const wrapUp = screen.getByTestId('wrap-up');
    expect(wrapUp.dataset.callId).toBe('call-cb');
    expect(within(wrapUp).getByText('架電 · 契約更新のご案内')).toBeTruthy();
    expect(
      within(wrapUp)
        .getAllByRole('radio')
        .map((r) => r.parentElement!.querySelector('.disp-label')!.textContent),
    ).toEqual(['更新済み', '完了', '不在', '時間指定で再架電', '番号違い', '架電拒否']);
    // A callback's result is owed: no closing without one.
    expect(within(wrapUp).queryByTestId('wrap-up-dismiss')).toBeNull();

    // Nothing chosen: said, nothing sent.
    await userEvent.click(screen.getByTestId('disposition-save'));
    expect(screen.getByTestId('wrap-up-problem').textContent).toBe('結果を選んでください');
    expect(bridge.calls('setDisposition')).toEqual([]);

    await userEvent.click(screen.getByTestId('disposition-renewed'));
    await userEvent.click(screen.getByTestId('disposition-save'));
    await flush();
    expect(bridge.calls('setDisposition')).toEqual([
      { interactionId: 'call-cb', code: 'renewed', callbackId: 'cb-7' },
    ]);
    expect(screen.queryByTestId('wrap-up')).toBeNull();
    // Free again: back to the queue the agent came from.
    expect(screen.getByTestId('tab-queue').getAttribute('aria-selected')).toBe('true');
  });

  it("any answered call: the default campaign's results; 'reschedule' needs a time", async () => {
    const bridge = withCampaigns({ hello: () => helloResult({ calls: [talking()] }) });
    await renderAgent({ bridge });
    await endCall(bridge, talking());
    const wrapUp = screen.getByTestId('wrap-up');
    expect(within(wrapUp).getByText('山田 太郎')).toBeTruthy();
    expect(within(wrapUp).queryByText(/架電 ·/)).toBeNull();

    await userEvent.click(screen.getByTestId('disposition-call_me_at'));
    // The customer's zone from the +81 number.
    expect((screen.getByTestId('schedule-zone') as HTMLSelectElement).value).toBe('Asia/Tokyo');
    await userEvent.click(screen.getByTestId('disposition-save'));
    expect(screen.getByTestId('wrap-up-problem').textContent).toBe(
      '折り返しの日時を選んでください',
    );
    expect(bridge.calls('setDisposition')).toEqual([]);

    setField('schedule-date', '2025-05-21');
    setField('schedule-time', '10:00');
    await userEvent.click(screen.getByTestId('disposition-save'));
    await flush();
    expect(bridge.calls('setDisposition')).toEqual([
      { interactionId: 'call-1', code: 'call_me_at', rescheduleAt: Date.UTC(2025, 4, 21, 1, 0) },
    ]);
    expect(screen.queryByTestId('wrap-up')).toBeNull();
  });

  it("'opt_out' says what it does; a failure keeps the choice for a retry", async () => {
    const bridge = withCampaigns({ hello: () => helloResult({ calls: [talking()] }) });
    const ok = bridge.handlers.setDisposition!;
    bridge.handlers.setDisposition = () =>
      ({ code: 'unavailable', message: 'socket closed' }) as RpcError;
    await renderAgent({ bridge });
    await endCall(bridge, talking());
    await userEvent.click(screen.getByTestId('disposition-refused'));
    expect(screen.getByTestId('wrap-up-optout-hint').textContent).toContain('架電停止');
    await userEvent.click(screen.getByTestId('disposition-save'));
    await flush();
    expect(screen.getByTestId('wrap-up-error').textContent).toBe(
      '結果を保存できませんでした: アプリに接続できません',
    );
    expect((screen.getByTestId('disposition-refused') as HTMLInputElement).checked).toBe(true);
    bridge.handlers.setDisposition = ok;
    await userEvent.click(screen.getByTestId('disposition-save'));
    await flush();
    expect(bridge.calls('setDisposition')).toHaveLength(2);
    expect(screen.queryByTestId('wrap-up')).toBeNull();
  });

  it('an inbound call from no callback may be closed without a result', async () => {
    const bridge = withCampaigns({ hello: () => helloResult({ calls: [talking()] }) });
    const { store } = await renderAgent({ bridge });
    await endCall(bridge, talking());
    await userEvent.click(screen.getByTestId('wrap-up-dismiss'));
    expect(screen.queryByTestId('wrap-up')).toBeNull();
    expect(bridge.calls('setDisposition')).toEqual([]);
    expect(Object.keys(store.getState().wrapUps)).toEqual([]);
  });

  it('no wrap-up for a call never answered, nor on a desk with no campaigns', async () => {
    const missed = ringingCall();
    const bridge = withCampaigns({ hello: () => helloResult({ calls: [missed] }) });
    await renderAgent({ bridge });
    await endCall(bridge, missed);
    expect(screen.queryByTestId('wrap-up')).toBeNull();
    cleanup();

    const inboundOnly = fakeBridge({ hello: () => helloResult({ calls: [talking()] }) });
    await renderAgent({ bridge: inboundOnly });
    await endCall(inboundOnly, talking());
    await flush();
    expect(screen.queryByTestId('wrap-up')).toBeNull();
  });

  it('in English', async () => {
    const bridge = withCampaigns({
      hello: () => helloResult({ locale: 'en', calls: [talking()] }),
    });
    await renderAgent({ bridge });
    await endCall(bridge, talking());
    const wrapUp = screen.getByTestId('wrap-up');
    expect(within(wrapUp).getByText('Call result')).toBeTruthy();
    expect(within(wrapUp).getByText('Completed')).toBeTruthy();
    expect(within(wrapUp).getByText('Call back at a set time')).toBeTruthy();
    expect(within(wrapUp).getByRole('button', { name: 'Save result' })).toBeTruthy();
  });
});

describe('schedule a callback', () => {
  it("from a call: the customer's clock (Tokyo) and the agent's (New York), the UTC instant", async () => {
    const bridge = withCampaigns({ hello: () => helloResult({ calls: [talking()] }) });
    await renderAgent({ bridge, agentZone: 'America/New_York' });
    await userEvent.click(screen.getByTestId('call-schedule'));
    await flush();
    const dialog = screen.getByRole('dialog');
    expect(within(dialog).getByText('山田 太郎')).toBeTruthy();
    expect((screen.getByTestId('schedule-zone') as HTMLSelectElement).value).toBe('Asia/Tokyo');
    // The first field has the focus.
    expect(document.activeElement).toBe(screen.getByTestId('schedule-date'));

    setField('schedule-date', '2025-05-21');
    setField('schedule-time', '10:00');
    const customer = screen.getByTestId('clock-customer');
    const agent = screen.getByTestId('clock-agent');
    expect(customer.textContent).toBe('お客様の時刻5/21(水) 10:00JST');
    expect(agent.textContent).toBe('あなたの時刻5/20(火) 21:00ニューヨーク時間');

    await userEvent.click(screen.getByTestId('schedule-owner-pool'));
    await userEvent.type(screen.getByTestId('schedule-note'), '午前中に');
    await userEvent.click(screen.getByTestId('schedule-save'));
    await flush();
    expect(bridge.calls('scheduleCallback')).toEqual([
      {
        customerId: 'cust-1',
        number: '+81355550101',
        dueAt: Date.UTC(2025, 4, 21, 1, 0),
        timeZone: 'Asia/Tokyo',
        campaignId: 'requested',
        owner: 'pool',
        note: '午前中に',
        interactionId: 'call-1',
      },
    ]);
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.getByTestId('schedule-done').textContent).toContain(
      '折り返しを予約しました: 5/21(水) 10:00',
    );
  });

  it('same zone: one clock, said to be the same', async () => {
    const bridge = withCampaigns({ hello: () => helloResult({ calls: [talking()] }) });
    await renderAgent({ bridge, agentZone: 'Asia/Tokyo' });
    await userEvent.click(screen.getByTestId('call-schedule'));
    setField('schedule-date', '2025-05-21');
    setField('schedule-time', '10:00');
    expect(screen.getByTestId('clock-agent').textContent).toBe(
      'あなたの時刻5/21(水) 10:00あなたの時刻と同じ',
    );
  });

  it('a number from abroad: the agent picks the zone; a past time is refused', async () => {
    const abroad = unknownCall({
      state: 'active',
      answeredAt: NOW - 30_000,
      remote: {
        raw: '+12125551234',
        e164: '+12125551234',
        display: '+1 212-555-1234',
        anonymous: false,
        displayName: null,
      },
    });
    const bridge = withCampaigns({ hello: () => helloResult({ calls: [abroad] }) });
    await renderAgent({ bridge, agentZone: 'Asia/Tokyo' });
    await userEvent.click(screen.getByTestId('call-schedule'));
    expect((screen.getByTestId('schedule-zone') as HTMLSelectElement).value).toBe('');
    setField('schedule-date', '2025-05-20');
    setField('schedule-time', '09:00');
    await userEvent.click(screen.getByTestId('schedule-save'));
    expect(screen.getByTestId('schedule-problem').textContent).toBe(
      'お客様のタイムゾーンを選んでください',
    );
    await userEvent.selectOptions(screen.getByTestId('schedule-zone'), 'America/New_York');
    // 09:00 on 20 May in New York is 22:00 in Tokyo: after NOW (12:00 JST).
    expect(screen.getByTestId('clock-agent').textContent).toContain('5/20(火) 22:00');
    setField('schedule-date', '2025-05-19');
    await userEvent.click(screen.getByTestId('schedule-save'));
    expect(screen.getByTestId('schedule-problem').textContent).toBe('その時刻はすでに過ぎています');
    expect(bridge.calls('scheduleCallback')).toEqual([]);
    setField('schedule-date', '2025-05-20');
    await userEvent.click(screen.getByTestId('schedule-save'));
    await flush();
    expect(bridge.calls('scheduleCallback')).toEqual([
      expect.objectContaining({
        customerId: null,
        number: '+12125551234',
        dueAt: Date.UTC(2025, 4, 20, 13, 0),
        timeZone: 'America/New_York',
        owner: 'me',
      }),
    ]);
  });

  it("outside the campaign's hours: warned here, and main's refusal named", async () => {
    const bridge = withCampaigns({
      hello: () => helloResult({ calls: [talking()] }),
      scheduleCallback: () => ({
        code: 'refused',
        message: 'the campaign does not call at that time (outside_window)',
        reason: 'outside_window',
      }),
    });
    await renderAgent({ bridge, agentZone: 'Asia/Tokyo' });
    await userEvent.click(screen.getByTestId('call-schedule'));
    setField('schedule-date', '2025-05-21');
    setField('schedule-time', '21:30');
    expect(screen.getByTestId('schedule-window').textContent).toBe(
      'キャンペーンの架電時間外です（お客様の時刻で 09:00〜20:00）',
    );
    await userEvent.click(screen.getByTestId('schedule-save'));
    await flush();
    expect(screen.getByTestId('schedule-error').textContent).toBe(
      '予約できませんでした: お客様の現地時刻で、キャンペーンの架電時間外です。',
    );
    // Still open, as typed, for a fix.
    expect((screen.getByTestId('schedule-time') as HTMLInputElement).value).toBe('21:30');
  });

  it("from a callback's card, in its zone and campaign; Escape closes without sending", async () => {
    const item = queueItem('cb-1', {
      timeZone: 'Asia/Seoul',
      campaignId: 'renewal',
      campaignKind: 'renewal',
    });
    const bridge = withCampaigns({
      getQueue: () => ({ total: 1, items: [item] }),
      getCallback: () => ({ item, attempts: [] }),
      nextCallback: () => ({ item }),
    });
    await renderAgent({ bridge, agentZone: 'Asia/Tokyo' });
    await userEvent.click(screen.getByTestId('tab-queue'));
    await flush();
    await userEvent.click(screen.getByTestId('queue-next'));
    await flush();
    await userEvent.click(screen.getByTestId('callback-schedule'));
    expect((screen.getByTestId('schedule-zone') as HTMLSelectElement).value).toBe('Asia/Seoul');
    expect((screen.getByTestId('schedule-campaign') as HTMLSelectElement).value).toBe('renewal');
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(bridge.calls('scheduleCallback')).toEqual([]);
    // Still previewing the callback.
    expect(screen.getByTestId('callback-card')).toBeTruthy();
  });

  it('in English', async () => {
    const bridge = withCampaigns({
      hello: () => helloResult({ locale: 'en', calls: [talking()] }),
    });
    await renderAgent({ bridge, agentZone: 'America/New_York' });
    await userEvent.click(screen.getByRole('button', { name: /Schedule callback/ }));
    setField('schedule-date', '2025-05-21');
    setField('schedule-time', '10:00');
    expect(screen.getByTestId('clock-customer').textContent).toBe(
      'Customer’s timeWed 21/05, 10:00Japan Time',
    );
    expect(screen.getByTestId('clock-agent').textContent).toBe(
      'Your timeTue 20/05, 21:00New York Time',
    );
  });
});
