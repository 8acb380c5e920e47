// Preview dialing: "Next" shows main's pick with the campaign's countdown and dials at 0;
// Skip or Esc stops it; progressive mode previews the next one as soon as the agent is free
// (and waits while a result is owed); a dial main refuses says why, in the agent's language.
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Call, QueueItem, RpcError } from '../../../preload/contract';
import { fakeBridge, type FakeBridge, type Handlers } from './fake-bridge';
import {
  NOW,
  helloResult,
  queueItem,
  renewalCampaign,
  requestedCampaign,
  ringingCall,
} from './fixtures';
import { flush, renderAgent } from './render-agent';

beforeEach(() => {
  vi.useFakeTimers({ now: NOW });
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const advance = (ms: number) => act(() => void vi.advanceTimersByTime(ms));
const click = async (el: Element) => {
  act(() => void fireEvent.click(el));
  await flush();
};
const key = async (k: string, target: Element = document.body) => {
  act(() => void fireEvent.keyDown(target, { key: k }));
  await flush();
};

/** A renewal callback: its campaign counts down 10 s before dialling. */
const renewalItem = (id = 'cb-1', over: Partial<QueueItem> = {}) =>
  queueItem(id, { campaignId: 'renewal', campaignKind: 'renewal', ...over });

const outboundCall = (over: Partial<Call> = {}): Call =>
  ringingCall({ id: 'call-cb', direction: 'outbound', state: 'connecting', ...over });

/** A fake main with the two campaigns (requested: no countdown; renewal: 10 s). */
const withCampaigns = (handlers: Handlers = {}) =>
  fakeBridge({ getCampaigns: () => [requestedCampaign, renewalCampaign], ...handlers });

async function start(bridge: FakeBridge) {
  const r = await renderAgent({ bridge });
  await click(screen.getByTestId('tab-queue'));
  return r;
}

const card = () => screen.queryByTestId('callback-card');
const countdown = () => screen.queryByTestId('countdown');

describe('preview: Next and the countdown', () => {
  it('shows main’s next-best callback, counts down previewSeconds and dials at 0', async () => {
    const bridge = withCampaigns({
      nextCallback: () => ({ item: renewalItem() }),
      getCallback: () => ({ item: renewalItem(), attempts: [] }),
    });
    await start(bridge);
    await click(screen.getByTestId('queue-next'));
    expect(bridge.calls('nextCallback')).toEqual([{}]);
    expect(card()?.dataset.via).toBe('next');
    expect(within(card()!).getByText('次の架電先')).toBeTruthy();
    expect(countdown()?.textContent).toContain('10 秒後に発信します');
    // Enter dials: focus is on the Dial button.
    expect(document.activeElement).toBe(screen.getByTestId('callback-dial'));

    advance(9_000);
    expect(countdown()?.textContent).toContain('1 秒後に発信します');
    expect(bridge.calls('dialCallback')).toEqual([]);
    advance(1_000);
    await flush();
    expect(bridge.calls('dialCallback')).toEqual([{ callbackId: 'cb-1' }]);
    // Dialled: the card is done; the call (left column) and its customer take over.
    expect(card()).toBeNull();
    act(() => bridge.emit('call.updated', outboundCall()));
    await flush();
    expect(screen.getByTestId('tab-customer').getAttribute('aria-selected')).toBe('true');
  });

  it('previewSeconds 0: no countdown, the agent presses Dial', async () => {
    const item = queueItem('cb-2');
    const bridge = withCampaigns({ nextCallback: () => ({ item }) });
    await start(bridge);
    await key('n'); // N = Next
    expect(card()?.dataset.callbackId).toBe('cb-2');
    expect(countdown()).toBeNull();
    advance(60_000);
    expect(bridge.calls('dialCallback')).toEqual([]);
    await click(screen.getByTestId('callback-dial'));
    expect(bridge.calls('dialCallback')).toEqual([{ callbackId: 'cb-2' }]);
  });

  it('Esc stops the countdown; the preview stays for the agent to decide', async () => {
    const bridge = withCampaigns({ nextCallback: () => ({ item: renewalItem() }) });
    await start(bridge);
    await click(screen.getByTestId('queue-next'));
    advance(4_000);
    await key('Escape');
    expect(countdown()).toBeNull();
    advance(30_000);
    await flush();
    expect(bridge.calls('dialCallback')).toEqual([]);
    expect(card()?.dataset.callbackId).toBe('cb-1');
    expect((screen.getByTestId('callback-dial') as HTMLButtonElement).disabled).toBe(false);
  });

  it('Skip stops the countdown, asks why, and records it with main', async () => {
    const bridge = withCampaigns({ nextCallback: () => ({ item: renewalItem() }) });
    await start(bridge);
    await click(screen.getByTestId('queue-next'));
    advance(3_000);
    await click(screen.getByTestId('callback-skip'));
    expect(countdown()).toBeNull();
    const menu = screen.getByTestId('skip-menu');
    expect(
      within(menu)
        .getAllByRole('radio')
        .map((r) => r.parentElement!.textContent),
    ).toEqual(['今はかけない', 'データ不備', 'お客様の事情', 'その他']);
    await click(screen.getByTestId('skip-reason-wrong_data'));
    act(
      () =>
        void fireEvent.change(screen.getByTestId('skip-note'), {
          target: { value: '番号が古い' },
        }),
    );
    await click(screen.getByTestId('skip-confirm'));
    expect(bridge.calls('skipCallback')).toEqual([
      { callbackId: 'cb-1', reason: 'wrong_data', note: '番号が古い' },
    ]);
    expect(card()).toBeNull();
    advance(30_000);
    expect(bridge.calls('dialCallback')).toEqual([]);
  });

  it('S opens the skip menu (and stops the countdown); Esc closes it', async () => {
    const bridge = withCampaigns({ nextCallback: () => ({ item: renewalItem() }) });
    await start(bridge);
    await click(screen.getByTestId('queue-next'));
    await key('s');
    expect(countdown()).toBeNull();
    expect(screen.getByTestId('skip-menu')).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByTestId('skip-reason-not_now'));
    await key('Escape', document.activeElement!);
    expect(screen.queryByTestId('skip-menu')).toBeNull();
    expect(bridge.calls('skipCallback')).toEqual([]);
  });

  it('an inbound call during the countdown stops it', async () => {
    const bridge = withCampaigns({ nextCallback: () => ({ item: renewalItem() }) });
    await start(bridge);
    await click(screen.getByTestId('queue-next'));
    act(() => bridge.emit('call.updated', ringingCall()));
    await flush();
    expect(countdown()).toBeNull();
    advance(20_000);
    await flush();
    expect(bridge.calls('dialCallback')).toEqual([]);
  });

  it('Q switches between the customer and the queue; N from anywhere previews in the queue', async () => {
    const bridge = withCampaigns({ nextCallback: () => ({ item: queueItem('cb-1') }) });
    await renderAgent({ bridge });
    const selected = (tab: string) =>
      screen.getByTestId(`tab-${tab}`).getAttribute('aria-selected');
    await key('q');
    expect(selected('queue')).toBe('true');
    expect(screen.getByTestId('queue-panel')).toBeTruthy();
    await key('q');
    expect(selected('customer')).toBe('true');
    expect(screen.queryByTestId('queue-panel')).toBeNull();
    await key('n');
    expect(selected('queue')).toBe('true');
    expect(card()?.dataset.callbackId).toBe('cb-1');
    // The keys are listed under the queue.
    expect(screen.getByText('次の架電先', { selector: 'dd' })).toBeTruthy();
  });

  it('nothing to call now is said', async () => {
    const bridge = withCampaigns();
    await start(bridge);
    await click(screen.getByTestId('queue-next'));
    expect(screen.getByTestId('next-empty').textContent).toBe('今すぐ架電できる予定はありません。');
    expect(card()).toBeNull();
  });
});

describe('progressive mode', () => {
  it('previews the next callback when the agent becomes free, not while a result is owed', async () => {
    const talking = ringingCall({ state: 'active', answeredAt: NOW - 60_000 });
    const bridge = withCampaigns({
      hello: () => helloResult({ calls: [talking] }),
      nextCallback: () => ({ item: renewalItem() }),
    });
    await start(bridge);
    await click(screen.getByTestId('progressive'));
    // On a call: nothing is fetched, and the screen says why.
    expect(bridge.calls('nextCallback')).toEqual([]);
    expect(screen.getByTestId('next-busy').textContent).toBe('通話中です');
    expect((screen.getByTestId('queue-next') as HTMLButtonElement).disabled).toBe(true);

    // The call ends: its result is owed (wrap-up). Still nothing, however long it takes.
    act(() =>
      bridge.emit('call.updated', {
        ...talking,
        state: 'ended',
        endedAt: NOW,
        outcome: 'answered',
      }),
    );
    await flush();
    advance(120_000);
    await flush();
    expect(bridge.calls('nextCallback')).toEqual([]);
    expect(screen.getByTestId('wrap-up-banner')).toBeTruthy();
    expect(screen.getByTestId('next-busy').textContent).toBe(
      '先に前の通話の結果を入力してください',
    );

    // The result is saved: the agent is free, the next callback is previewed at once.
    await click(within(screen.getByTestId('wrap-up-banner')).getByRole('button'));
    await click(screen.getByTestId('disposition-completed'));
    await click(screen.getByTestId('disposition-save'));
    expect(bridge.calls('setDisposition')).toEqual([
      { interactionId: 'call-1', code: 'completed' },
    ]);
    expect(bridge.calls('nextCallback')).toEqual([{}]);
    expect(screen.getByTestId('tab-queue').getAttribute('aria-selected')).toBe('true');
    expect(card()?.dataset.via).toBe('next');
    expect(countdown()?.textContent).toContain('10 秒後に発信します');
    advance(10_000);
    await flush();
    expect(bridge.calls('dialCallback')).toEqual([{ callbackId: 'cb-1' }]);
  });

  it('after a skip, the next one; after an empty answer, asks again when the queue changes', async () => {
    const items = [renewalItem('cb-1'), null, renewalItem('cb-3')];
    const bridge = withCampaigns({ nextCallback: () => ({ item: items.shift() ?? null }) });
    await start(bridge);
    await click(screen.getByTestId('progressive'));
    expect(card()?.dataset.callbackId).toBe('cb-1');
    await click(screen.getByTestId('callback-skip'));
    await click(screen.getByTestId('skip-confirm'));
    expect(bridge.calls('skipCallback')).toEqual([{ callbackId: 'cb-1', reason: 'not_now' }]);
    // The next one: none dialable now.
    expect(bridge.calls('nextCallback')).toHaveLength(2);
    expect(card()).toBeNull();
    expect(screen.getByTestId('next-empty')).toBeTruthy();
    // No request loop while nothing changes…
    advance(10_000);
    await flush();
    expect(bridge.calls('nextCallback')).toHaveLength(2);
    // …until the queue changes.
    act(() => bridge.emit('queue.changed', { pending: 3, dialableNow: 1 }));
    await flush();
    expect(bridge.calls('nextCallback')).toHaveLength(3);
    expect(card()?.dataset.callbackId).toBe('cb-3');
  });

  it('off: nothing is fetched by itself', async () => {
    const bridge = withCampaigns({ nextCallback: () => ({ item: renewalItem() }) });
    await start(bridge);
    act(() => bridge.emit('queue.changed', { pending: 3, dialableNow: 1 }));
    advance(60_000);
    await flush();
    expect(bridge.calls('nextCallback')).toEqual([]);
  });
});

describe('a dial main refuses', () => {
  const refusal: RpcError = {
    code: 'refused',
    message: 'cannot dial this callback now: outside_window',
    reason: 'outside_window',
  };

  it('shows the reason in Japanese, then in English', async () => {
    const item = queueItem('cb-1');
    const bridge = withCampaigns({
      nextCallback: () => ({ item }),
      getCallback: () => ({ item, attempts: [] }),
      dialCallback: () => refusal,
    });
    await start(bridge);
    await click(screen.getByTestId('queue-next'));
    await click(screen.getByTestId('callback-dial'));
    expect(bridge.calls('dialCallback')).toEqual([{ callbackId: 'cb-1' }]);
    const error = screen.getByTestId('dial-error');
    expect(error.textContent).toBe(
      '発信できませんでした: お客様の現地時刻で、キャンペーンの架電時間外です。',
    );
    expect(error.title).toBe(refusal.message);
    // The card asks main again what blocks it now.
    expect(bridge.calls('getCallback')).toHaveLength(2);

    await click(screen.getByTestId('lang-en'));
    expect(screen.getByTestId('dial-error').textContent).toBe(
      'Not dialled: Outside the campaign’s calling hours on the customer’s clock.',
    );
  });

  it('every DialBlock has words in both languages; an unknown rule falls back to the code', async () => {
    const bridge = withCampaigns({
      nextCallback: () => ({ item: queueItem('cb-1') }),
      dialCallback: () => ({ ...refusal, reason: 'caller_id_cap' }),
    });
    await start(bridge);
    await click(screen.getByTestId('queue-next'));
    await click(screen.getByTestId('callback-dial'));
    expect(screen.getByTestId('dial-error').textContent).toBe(
      '発信できませんでした: キャンペーンの発信者番号がすべて本日の上限に達しています。',
    );
    bridge.handlers.dialCallback = () => ({ ...refusal, reason: 'some_new_rule' });
    await click(screen.getByTestId('callback-dial'));
    expect(screen.getByTestId('dial-error').textContent).toBe(
      '発信できませんでした: 発信ルールにより拒否されました',
    );
  });
});
