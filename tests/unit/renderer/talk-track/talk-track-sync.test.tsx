// The talk tracks follow core: fetched when a call wants one (not while an inbound call only
// rings), merged from 'talkTrack.updated', asked again after a reconnect and after a reload
// (core keeps the sessions), kept through wrap-up and forgotten once the call is gone and its
// result saved. The end step's result is chosen in the wrap-up, its next action a button.
import { act, cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { Call } from '../../../../preload/contract';
import { fakeBridge, type Handlers } from '../fake-bridge';
import { NOW, helloResult, requestedCampaign, ringingCall } from '../fixtures';
import { flush, renderAgent } from '../render-agent';
import { fakeTalkTracks, generalScript, inquiryScript } from './fake-talk-tracks';

afterEach(cleanup);

const talking = (over: Partial<Call> = {}): Call =>
  ringingCall({ state: 'active', answeredAt: NOW - 30_000, ...over });
const ended = (call: Call): Call => ({
  ...call,
  state: 'ended',
  endedAt: NOW,
  outcome: 'answered',
});

function withCore(core = fakeTalkTracks(), handlers: Handlers = {}, calls: Call[] = [talking()]) {
  const bridge = fakeBridge({
    hello: () => helloResult({ calls }),
    getCampaigns: () => [requestedCampaign],
    ...core.handlers,
    ...handlers,
  });
  core.attach(bridge);
  return bridge;
}

/** Walks the inquiry script to its end step (as the agent would have before). */
function walkToEnd(core: ReturnType<typeof fakeTalkTracks>, callId = 'call-1') {
  core.handlers.getTalkTrack!({ callId });
  core.act(callId, { type: 'advance' });
  core.act(callId, { type: 'confirm' });
  core.act(callId, { type: 'advance' });
  core.act(callId, { type: 'answer', value: 'cancel' });
  core.act(callId, { type: 'answer', value: true });
  core.act(callId, { type: 'answer', value: '山田' });
  core.act(callId, { type: 'answer', value: 2 });
  core.act(callId, { type: 'answer', value: '2025-06-01' });
  core.act(callId, { type: 'answer', value: 9 });
}

describe('talk tracks follow core', () => {
  it('a reload brings the same progress back: hello → getTalkTrack for each call', async () => {
    const core = fakeTalkTracks();
    core.handlers.getTalkTrack!({ callId: 'call-1' });
    core.act('call-1', { type: 'advance' });
    core.act('call-1', { type: 'confirm' });
    core.act('call-1', { type: 'advance' });
    core.act('call-1', { type: 'answer', value: 'address' });

    const first = await renderAgent({ bridge: withCore(core) });
    expect(screen.getByTestId('talk-step').dataset.stepId).toBe('member');
    expect(screen.getByTestId('talk-answer-purpose').textContent).toContain('住所変更');
    first.stopSync();
    cleanup();

    // The window reloads: a new store, the same core.
    const bridge = withCore(core);
    await renderAgent({ bridge });
    expect(bridge.calls('getTalkTrack')).toEqual([{ callId: 'call-1' }]);
    expect(screen.getByTestId('talk-step').dataset.stepId).toBe('member');
    expect(screen.getByTestId('talk-answer-purpose').textContent).toContain('住所変更');
  });

  it('merges talkTrack.updated by call id (a move made elsewhere shows here)', async () => {
    const core = fakeTalkTracks();
    const bridge = withCore(core);
    const { store } = await renderAgent({ bridge });
    expect(screen.getByTestId('talk-step').dataset.stepId).toBe('greeting');
    act(() => void core.act('call-1', { type: 'advance' }));
    expect(screen.getByTestId('talk-step').dataset.stepId).toBe('recording');
    // A push about a call this screen does not know is not kept.
    act(() => bridge.emit('talkTrack.updated', { ...core.track('call-1'), callId: 'call-x' }));
    expect(Object.keys(store.getState().talkTracks)).toEqual(['call-1']);
  });

  it('a ringing call’s script is offered on its pop; the panel opens on it once answered', async () => {
    const core = fakeTalkTracks();
    const bridge = withCore(core, {}, [ringingCall()]);
    await renderAgent({ bridge });
    // Asked for once the pop has painted (the next frame).
    await waitFor(() => expect(bridge.calls('getTalkTrack')).toEqual([{ callId: 'call-1' }]));
    await flush();
    const offered = screen.getByTestId('pop-script');
    expect(offered.dataset.scriptId).toBe('inbound-inquiry');
    expect(offered.textContent).toContain('おすすめのスクリプト：');
    expect(screen.queryByTestId('talk-track')).toBeNull();
    act(() => bridge.emit('call.updated', talking()));
    await flush();
    // The same session: not asked again.
    expect(bridge.calls('getTalkTrack')).toEqual([{ callId: 'call-1' }]);
    expect(screen.getByTestId('talk-step').dataset.stepId).toBe('greeting');
  });

  it('a consultation leg shows the talk track of the customer call it serves', async () => {
    const core = fakeTalkTracks();
    const customer = talking({ onHold: true });
    const consult = talking({
      id: 'call-consult',
      direction: 'outbound',
      consultFor: 'call-1',
      startedAt: NOW,
      pop: { customer: null, lastContacts: [] },
    });
    const bridge = withCore(core, {}, [customer, consult]);
    await renderAgent({ bridge });
    expect(bridge.calls('getTalkTrack')).toEqual([{ callId: 'call-1' }]);
    expect(screen.getByTestId('talk-track').dataset.callId).toBe('call-1');
  });

  it('asks again after a reconnect, and lists the scripts again on scripts.changed', async () => {
    const core = fakeTalkTracks();
    const bridge = withCore(core);
    await renderAgent({ bridge });
    expect(bridge.calls('listScripts')).toHaveLength(1);
    act(() => bridge.reconnect());
    await flush();
    expect(bridge.calls('getTalkTrack')).toEqual([{ callId: 'call-1' }, { callId: 'call-1' }]);
    act(() => bridge.emit('scripts.changed', { scripts: 2, problems: 1 }));
    await flush();
    expect(bridge.calls('listScripts').length).toBeGreaterThanOrEqual(3);
  });

  it('kept through wrap-up, forgotten once the call is gone and its result saved', async () => {
    const core = fakeTalkTracks();
    walkToEnd(core);
    const bridge = withCore(core);
    const { store } = await renderAgent({ bridge });
    act(() => bridge.emit('call.updated', ended(talking())));
    await flush();
    act(() => store.getState().removeCall('call-1')); // the ended call leaves the card
    await flush();
    // The result is owed: the talk track stays, its end step beside the wrap-up.
    expect(screen.getByTestId('talk-track').dataset.callId).toBe('call-1');
    expect(screen.getByTestId('talk-step').dataset.kind).toBe('end');

    // The script's suggestion is the wrap-up's choice to start with.
    const wrapUp = screen.getByTestId('wrap-up');
    expect(screen.getByTestId('disposition-completed')).toHaveProperty('checked', true);
    expect(within(wrapUp).getByTestId('disposition-suggested').textContent).toBe(
      'スクリプトの推奨',
    );
    await userEvent.click(screen.getByTestId('disposition-save'));
    await flush();
    expect(bridge.calls('setDisposition')).toEqual([
      { interactionId: 'call-1', code: 'completed' },
    ]);
    expect(screen.queryByTestId('talk-track')).toBeNull();
    expect(store.getState().talkTracks).toEqual({});
  });

  it('the agent may choose another result than the suggested one', async () => {
    const core = fakeTalkTracks();
    walkToEnd(core);
    const bridge = withCore(core);
    await renderAgent({ bridge });
    act(() => bridge.emit('call.updated', ended(talking())));
    await flush();
    await userEvent.click(screen.getByTestId('disposition-no_answer'));
    expect(screen.getByTestId('disposition-completed')).toHaveProperty('checked', false);
    await userEvent.click(screen.getByTestId('disposition-save'));
    await flush();
    expect(bridge.calls('setDisposition')).toEqual([
      { interactionId: 'call-1', code: 'no_answer' },
    ]);
  });

  it('a suggestion the campaign does not offer chooses nothing', async () => {
    const core = fakeTalkTracks([
      {
        ...generalScript,
        steps: [{ id: 'bye', say: 'x', end: { disposition: 'renewed', action: 'none' } }],
      },
    ]);
    const bridge = withCore(core);
    await renderAgent({ bridge });
    expect(screen.getByTestId('talk-end-disposition').textContent).toBe('renewed');
    act(() => bridge.emit('call.updated', ended(talking())));
    await flush();
    const radios = within(screen.getByTestId('wrap-up')).getAllByRole('radio');
    expect(radios.some((r) => (r as HTMLInputElement).checked)).toBe(false);
    expect(screen.queryByTestId('disposition-suggested')).toBeNull();
  });

  it('without a result owed, the talk track goes with the call', async () => {
    const core = fakeTalkTracks();
    const bridge = withCore(core, { getCampaigns: () => [] });
    const { store } = await renderAgent({ bridge });
    expect(store.getState().talkTracks['call-1']).toBeTruthy();
    act(() => bridge.emit('call.updated', ended(talking())));
    await flush();
    expect(store.getState().talkTracks['call-1']).toBeTruthy(); // the ended call still shows
    act(() => store.getState().removeCall('call-1'));
    await flush();
    expect(store.getState().talkTracks).toEqual({});
    expect(screen.queryByTestId('talk-track')).toBeNull();
  });

  it('the end step: Enter opens the schedule dialog for a callback', async () => {
    const core = fakeTalkTracks();
    walkToEnd(core);
    await renderAgent({ bridge: withCore(core) });
    expect(screen.getByTestId('talk-end-disposition').textContent).toBe('完了');
    await userEvent.keyboard('g{Enter}');
    await flush();
    const dialog = screen.getByTestId('schedule-dialog');
    expect(dialog.textContent).toContain('山田 太郎');
  });

  it('the end step: record do-not-call opens the notes card’s opt-out confirm', async () => {
    const core = fakeTalkTracks([generalScript, inquiryScript]);
    core.handlers.getTalkTrack!({ callId: 'call-1' });
    core.act('call-1', { type: 'advance' });
    await renderAgent({ bridge: withCore(core) });
    const action = screen.getByTestId('talk-action-optout');
    expect(action.textContent).toContain('架電停止を登録');
    await userEvent.click(action);
    await flush();
    const confirm = screen.getByTestId('opt-out-confirm');
    expect(within(screen.getByTestId('call-notes')).getByTestId('opt-out-confirm')).toBe(confirm);
    expect(document.activeElement).toBe(screen.getByTestId('opt-out-scope-all'));
  });

  it('the end step: take the order is a hint', async () => {
    const core = fakeTalkTracks([
      {
        ...generalScript,
        steps: [{ id: 'bye', say: 'x', end: { disposition: 'completed', action: 'take_order' } }],
      },
    ]);
    await renderAgent({ bridge: withCore(core) });
    expect(screen.getByTestId('talk-action-order').textContent).toBe(
      '受注システムでご注文を登録してください。',
    );
  });

  it('no script fits: said, with the scripts of the call’s direction to pick from', async () => {
    const core = fakeTalkTracks(undefined, { none: true });
    const bridge = withCore(core);
    await renderAgent({ bridge });
    const none = screen.getByTestId('talk-none');
    expect(none.textContent).toContain('この通話に合うトークスクリプトはありません。');
    await userEvent.click(within(none).getByTestId('talk-switch'));
    const menu = screen.getByTestId('talk-switch-menu');
    // The default fake's scripts (inquiry, general) are both inbound.
    expect(
      within(menu)
        .getAllByRole('menuitemradio')
        .map((b) => b.dataset.testid),
    ).toEqual([
      `talk-switch-${inquiryScript.summary.id}`,
      `talk-switch-${generalScript.summary.id}`,
    ]);
    await userEvent.click(within(menu).getByTestId('talk-switch-inbound-general'));
    await flush();
    expect(bridge.calls('switchScript')).toEqual([
      { callId: 'call-1', scriptId: 'inbound-general' },
    ]);
    expect(screen.getByTestId('talk-chosen-by-agent')).toBeTruthy();
    cleanup();
    const outboundOnly = fakeTalkTracks(
      [{ ...generalScript, summary: { ...generalScript.summary, direction: 'outbound' } }],
      { none: true },
    );
    await renderAgent({ bridge: withCore(outboundOnly) });
    expect(screen.queryByTestId('talk-track')).toBeNull();
  });

  it('a failed load is said with a retry', async () => {
    const core = fakeTalkTracks();
    let fail = true;
    const bridge = withCore(core, {
      getTalkTrack: (a) =>
        fail ? { code: 'internal', message: 'database is locked' } : core.handlers.getTalkTrack!(a),
    });
    await renderAgent({ bridge });
    const panel = screen.getByTestId('talk-track');
    expect(within(panel).getByRole('alert').textContent).toContain(
      'トークスクリプトを読み込めませんでした',
    );
    fail = false;
    await userEvent.click(within(panel).getByText('再試行'));
    await flush();
    expect(screen.getByTestId('talk-step').dataset.stepId).toBe('greeting');
  });
});
