// The talk-track panel beside the call, driven by the keyboard: G goes in; the current step
// large; a required step blocks until confirmed; choice, yes/no, text, number, date and NPS
// answered by keys; back; objections; switching the script; refusals said without losing what
// was typed; the answers listed; and the panel's keys never reach the window's call keys.
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { Call } from '../../../../preload/contract';
import { fakeBridge, type Handlers } from '../fake-bridge';
import { NOW, helloResult, ringingCall } from '../fixtures';
import { flush, renderAgent } from '../render-agent';
import { fakeTalkTracks } from './fake-talk-tracks';

afterEach(cleanup);

const talking = (over: Partial<Call> = {}): Call =>
  ringingCall({ state: 'active', answeredAt: NOW - 30_000, reason: 'inquiry', ...over });

async function setup(
  opts: { handlers?: Handlers; calls?: Call[]; core?: ReturnType<typeof fakeTalkTracks> } = {},
) {
  const core = opts.core ?? fakeTalkTracks();
  const bridge = fakeBridge({
    hello: () => helloResult({ calls: opts.calls ?? [talking()] }),
    ...core.handlers,
    ...opts.handlers,
  });
  core.attach(bridge);
  const app = await renderAgent({ bridge });
  return { ...app, core };
}

const step = () => screen.getByTestId('talk-step');
const press = async (keys: string) => {
  await userEvent.keyboard(keys);
  await flush();
};

/** From the greeting to the choice step: G, Enter, confirm with Space, Enter. */
async function toPurpose() {
  await press('g');
  await press('{Enter}');
  await press(' ');
  await press('{Enter}');
  expect(step().dataset.stepId).toBe('purpose');
}

describe('talk-track panel', () => {
  it('sits beside the call: script, what it was chosen on, the current step large', async () => {
    const { bridge } = await setup();
    expect(bridge.calls('getTalkTrack')).toEqual([{ callId: 'call-1' }]);
    const panel = screen.getByTestId('talk-track');
    expect(panel.dataset.callId).toBe('call-1');
    // The call's controls and the customer stay in view beside it.
    expect(screen.getByTestId('active-call')).toBeTruthy();
    expect(within(panel).getByText('お問い合わせ（受電）')).toBeTruthy();
    expect(screen.getByTestId('talk-fit').textContent).toContain('お問い合わせ · リピーター');
    expect(step().dataset.kind).toBe('say');
    const say = step().querySelector('.talk-say')!;
    expect(say.textContent).toBe('お電話ありがとうございます。担当の佐藤でございます。');
    expect(screen.getByTestId('talk-back')).toHaveProperty('disabled', true);
    expect(screen.getByTestId('talk-next').textContent).toContain('Enter');
    expect(within(screen.getByTestId('talk-keys')).getByText('G')).toBeTruthy();
  });

  it('walks every kind of step by keyboard, and lists the answers', async () => {
    const { bridge } = await setup();
    await press('g');
    expect(document.activeElement).toBe(step());
    await press('{Enter}');
    // Each move names the step it was made on (core refuses a stale one).
    expect(bridge.calls('talkTrackAction')).toEqual([
      { callId: 'call-1', at: { stepId: 'greeting', position: 1 }, action: { type: 'advance' } },
    ]);

    // A required step: marked, Next disabled, Enter says why; Space confirms.
    expect(step().dataset.stepId).toBe('recording');
    expect(screen.getByTestId('talk-mandatory').textContent).toBe('必須');
    expect(screen.getByTestId('talk-next')).toHaveProperty('disabled', true);
    expect(screen.getByTestId('talk-confirm')).toHaveProperty('checked', false);
    await press('{Enter}');
    expect(screen.getByTestId('talk-error').textContent).toContain(
      '先にこのステップを確認してください',
    );
    expect(bridge.calls('talkTrackAction')).toHaveLength(1); // said on the screen, not sent
    await press(' ');
    expect(screen.getByTestId('talk-confirm')).toHaveProperty('checked', true);
    expect(screen.getByTestId('talk-mandatory').textContent).toContain('確認済み');
    expect(screen.getByTestId('talk-next')).toHaveProperty('disabled', false);
    expect(screen.queryByTestId('talk-error')).toBeNull();
    await press('{Enter}');

    // Choice: the digit picks.
    expect(step().dataset.stepId).toBe('purpose');
    expect(document.activeElement).toBe(step());
    expect(screen.getByTestId('talk-choice-address').textContent).toContain('2');
    await press('2');
    // Yes / no.
    expect(step().dataset.stepId).toBe('member');
    await press('y');
    // Text: the field takes the focus; Enter takes it.
    expect(step().dataset.stepId).toBe('name');
    expect(document.activeElement).toBe(screen.getByTestId('talk-input'));
    await press('山田太郎{Enter}');
    // Number: full-width digits read as digits.
    expect(step().dataset.stepId).toBe('qty');
    expect(document.activeElement).toBe(screen.getByTestId('talk-input'));
    await press('１２{Enter}');
    // Date.
    expect(step().dataset.stepId).toBe('when');
    const date = screen.getByTestId('talk-input') as HTMLInputElement;
    expect(date.type).toBe('date');
    act(() => void fireEvent.change(date, { target: { value: '2025-06-01' } }));
    await press('{Enter}');
    // NPS: type the score, Enter.
    expect(step().dataset.stepId).toBe('nps');
    await press('10');
    expect(screen.getByTestId('talk-nps-typed').textContent).toBe('10 点: Enter で確定');
    expect(screen.getByTestId('talk-choice-10').getAttribute('aria-pressed')).toBe('true');
    await press('{Enter}');

    expect(step().dataset.kind).toBe('end');
    const answers = bridge
      .calls('talkTrackAction')
      .map((a) => (a as { action: { type: string; value?: unknown } }).action)
      .filter((a) => a.type === 'answer')
      .map((a) => a.value);
    expect(answers).toEqual(['address', true, '山田太郎', 12, '2025-06-01', 10]);
    const list = screen.getByTestId('talk-answers');
    expect(within(list).getAllByRole('listitem')).toHaveLength(6);
    expect(screen.getByTestId('talk-answer-purpose').textContent).toBe(
      '本日はどのようなご用件でしょうか。住所変更',
    );
    expect(screen.getByTestId('talk-answer-member').textContent).toContain('はい');
    expect(screen.getByTestId('talk-answer-nps').textContent).toContain('10');
    // The end: the suggested result and the next action.
    expect(screen.getByTestId('talk-end-disposition').dataset.code).toBe('completed');
    expect(screen.getByTestId('talk-action-schedule').textContent).toContain('折り返しを予約');
    expect(screen.queryByTestId('talk-next')).toBeNull();
  });

  it('a required step also confirms with the button, and blocks the answers until then', async () => {
    const { bridge } = await setup();
    await press('g{Enter}');
    await userEvent.click(screen.getByTestId('talk-confirm'));
    await flush();
    expect(bridge.calls('talkTrackAction').at(-1)).toMatchObject({
      callId: 'call-1',
      action: { type: 'confirm' },
    });
    expect(screen.getByTestId('talk-confirm')).toHaveProperty('checked', true);
    expect(step().dataset.confirmed).toBeDefined();
  });

  it('never loses what was typed: a refusal is said and the text stays', async () => {
    let refuse = true;
    const core = fakeTalkTracks();
    await setup({
      core,
      handlers: {
        talkTrackAction: (a) => {
          if (a.action.type === 'answer' && refuse) {
            refuse = false;
            return { code: 'invalid_state', message: 'the script ended', reason: 'ended' };
          }
          return core.handlers.talkTrackAction!(a);
        },
      },
    });
    await toPurpose();
    await press('1');
    // The choice was refused by core: said, and nothing moved.
    expect(screen.getByTestId('talk-error').textContent).toContain('スクリプトは終了しています');
    expect(screen.getByTestId('talk-error').dataset.reason).toBe('ended');
    await press('1y');
    expect(step().dataset.stepId).toBe('name');

    // Out of range and empty: said on the screen, the field keeps its text.
    await press('{Enter}');
    expect(screen.getByTestId('talk-error').textContent).toBe('回答を入力してください。閉じる');
    await press('鈴木{Enter}');
    expect(step().dataset.stepId).toBe('qty');
    await press('120{Enter}');
    expect(screen.getByTestId('talk-error').textContent).toContain(
      '1〜99 の数字を入力してください。',
    );
    expect((screen.getByTestId('talk-input') as HTMLInputElement).value).toBe('120');
    expect(step().dataset.stepId).toBe('qty');
  });

  it('IME: the Enter that ends a Japanese composition does not take the answer', async () => {
    const { bridge } = await setup();
    await toPurpose();
    await press('1y');
    const input = screen.getByTestId('talk-input');
    fireEvent.change(input, { target: { value: 'やまだ' } });
    const before = bridge.calls('talkTrackAction').length;
    act(() => void fireEvent.keyDown(input, { key: 'Enter', isComposing: true }));
    act(() => void fireEvent.keyDown(input, { key: 'Enter', keyCode: 229 }));
    await flush();
    expect(bridge.calls('talkTrackAction')).toHaveLength(before);
    act(() => void fireEvent.keyDown(input, { key: 'Enter' }));
    await flush();
    expect(bridge.calls('talkTrackAction').at(-1)).toMatchObject({
      callId: 'call-1',
      action: { type: 'answer', value: 'やまだ' },
    });
  });

  it('back: Backspace or Alt+←, the earlier answer shown and kept', async () => {
    const { bridge } = await setup();
    await toPurpose();
    await press('3');
    expect(step().dataset.stepId).toBe('member');
    await press('{Backspace}');
    expect(step().dataset.stepId).toBe('purpose');
    expect(screen.getByTestId('talk-choice-other').getAttribute('aria-pressed')).toBe('true');
    // Answered already: Enter moves on without answering again.
    await press('{Enter}');
    expect(step().dataset.stepId).toBe('member');
    await press('n');
    // In a text field Backspace deletes; Alt+← goes back.
    await press('ab{Backspace}');
    expect((screen.getByTestId('talk-input') as HTMLInputElement).value).toBe('a');
    await press('{Alt>}{ArrowLeft}{/Alt}');
    expect(step().dataset.stepId).toBe('member');
    expect(screen.getByTestId('talk-choice-no').getAttribute('aria-pressed')).toBe('true');
    expect(
      bridge
        .calls('talkTrackAction')
        .filter((a) => (a as { action: { type: string } }).action.type === 'back'),
    ).toHaveLength(2);
    // The typed text of the step left is still there when the agent comes back to it.
    await press('{Enter}');
    expect((screen.getByTestId('talk-input') as HTMLInputElement).value).toBe('a');
  });

  it('objections: O then a number opens one, Esc goes back to the script', async () => {
    const { bridge } = await setup();
    await toPurpose();
    expect(screen.getByTestId('talk-objection-busy').textContent).toContain('今は忙しい');
    await press('o');
    expect(screen.getByTestId('talk-objection-armed').textContent).toContain('1〜2');
    await press('2');
    expect(bridge.calls('talkTrackAction').at(-1)).toMatchObject({
      callId: 'call-1',
      action: { type: 'openObjection', objectionId: 'price' },
    });
    const open = screen.getByTestId('talk-objection');
    expect(open.textContent).toContain('今なら送料無料です。');
    expect(document.activeElement).toBe(open);
    // The step waits: no answering, no going on.
    expect(screen.getByTestId('talk-next')).toHaveProperty('disabled', true);
    expect(screen.getByTestId('talk-choice-cancel')).toHaveProperty('disabled', true);
    await press('1');
    expect(screen.getByTestId('talk-error').textContent).toContain('先に切り返しを閉じてください');
    await press('{Escape}');
    expect(bridge.calls('talkTrackAction').at(-1)).toMatchObject({
      callId: 'call-1',
      action: { type: 'closeObjection' },
    });
    expect(screen.queryByTestId('talk-objection')).toBeNull();
    expect(document.activeElement).toBe(step());
    // By click too.
    await userEvent.click(screen.getByTestId('talk-objection-busy'));
    await flush();
    expect(screen.getByTestId('talk-objection').dataset.objectionId).toBe('busy');
    await userEvent.click(screen.getByTestId('talk-objection-close'));
    await flush();
    expect(screen.queryByTestId('talk-objection')).toBeNull();
  });

  it('switches the script: S, then its number; the best fit is first', async () => {
    const { bridge } = await setup();
    await press('g');
    await press('s');
    const menu = screen.getByTestId('talk-switch-menu');
    const items = within(menu).getAllByRole('menuitemradio');
    expect(items.map((i) => i.dataset.testid)).toEqual([
      'talk-switch-inbound-inquiry',
      'talk-switch-inbound-general',
    ]);
    expect(items[0]!.textContent).toContain('おすすめ');
    expect(document.activeElement).toBe(items[0]);
    await press('2');
    expect(bridge.calls('switchScript')).toEqual([
      { callId: 'call-1', scriptId: 'inbound-general' },
    ]);
    expect(screen.queryByTestId('talk-switch-menu')).toBeNull();
    const panel = screen.getByTestId('talk-track');
    expect(panel.dataset.scriptId).toBe('inbound-general');
    expect(within(panel).getByText('一般のお問い合わせ（受電）')).toBeTruthy();
    expect(screen.getByTestId('talk-chosen-by-agent').textContent).toBe('手動で選択');
    // By mouse: the menu, then Escape closes it with nothing sent.
    await userEvent.click(screen.getByTestId('talk-switch'));
    expect(screen.getByTestId('talk-switch-menu')).toBeTruthy();
    await press('{Escape}');
    expect(screen.queryByTestId('talk-switch-menu')).toBeNull();
    expect(bridge.calls('switchScript')).toHaveLength(1);
  });

  it('keys typed ahead of a slow move are played on the steps they were meant for', async () => {
    const core = fakeTalkTracks();
    let release!: () => void;
    let held = false;
    const { bridge } = await setup({
      core,
      handlers: {
        talkTrackAction: async (a) => {
          if (held) {
            held = false;
            await new Promise<void>((r) => (release = r));
          }
          return core.handlers.talkTrackAction!(a);
        },
      },
    });
    await toPurpose();
    held = true;
    await press('2y');
    expect(screen.getByTestId('talk-track').getAttribute('aria-busy')).toBe('true');
    expect(step().dataset.stepId).toBe('purpose');
    release();
    await flush();
    await flush();
    expect(step().dataset.stepId).toBe('name');
    expect(
      bridge
        .calls('talkTrackAction')
        .slice(-2)
        .map((a) => (a as { action: unknown }).action),
    ).toEqual([
      { type: 'answer', value: 'address' },
      { type: 'answer', value: true },
    ]);
  });

  it('keys typed ahead of a move that is refused are dropped, not played on the same step', async () => {
    const core = fakeTalkTracks();
    let release!: () => void;
    let held = false;
    const { bridge } = await setup({
      core,
      handlers: {
        talkTrackAction: async (a) => {
          if (held) {
            held = false;
            await new Promise<void>((r) => (release = r));
            // Another window moved the track on meanwhile: this move is stale.
            return { code: 'invalid_state', message: 'stale', reason: 'stale' };
          }
          return core.handlers.talkTrackAction!(a);
        },
      },
    });
    await toPurpose();
    const sent = bridge.calls('talkTrackAction').length;
    held = true;
    await press('21');
    release();
    await flush();
    await flush();
    // The refused '2' is said; the '1' typed for the step after it is not sent at all.
    expect(screen.getByTestId('talk-error').dataset.reason).toBe('stale');
    expect(bridge.calls('talkTrackAction')).toHaveLength(sent + 1);
    expect(step().dataset.stepId).toBe('purpose');
  });

  it('its keys stay in the panel: no DTMF, no conference; the call keys still work there', async () => {
    const { bridge, store } = await setup();
    act(() => store.getState().setKeypadOpen(true));
    await toPurpose();
    // Y and N on a choice step, digits past the options, C with nothing to confirm: nothing.
    await press('9c');
    expect(bridge.calls('sendDtmf')).toEqual([]);
    expect(bridge.calls('conference')).toEqual([]);
    expect(step().dataset.stepId).toBe('purpose');
    // The window's call keys are not the panel's: M mutes from inside it.
    await press('m');
    expect(bridge.calls('setMute')).toEqual([{ callId: 'call-1', muted: true }]);
  });

  it('Alt+G reaches the panel from a notes field', async () => {
    await setup();
    const notes = screen.getByRole('textbox', { name: 'この通話のメモ' });
    notes.focus();
    await press('g'); // typing: just a letter
    expect(document.activeElement).toBe(notes);
    await press('{Alt>}g{/Alt}');
    expect(document.activeElement).toBe(step());
  });
});
