// Talk-track answers under the call's entry on the customer's timeline, and the script
// folder's state in the settings (the files that did not load, with file, line and why).
import { act, cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeBridge } from '../fake-bridge';
import { entry, helloResult, ringingCall } from '../fixtures';
import { flush, renderAgent } from '../render-agent';

afterEach(cleanup);

describe('answers on the timeline', () => {
  it('folds a call’s answers under its entry', async () => {
    await renderAgent({
      handlers: {
        hello: () => helloResult({ calls: [ringingCall()] }),
        getTimeline: () => [
          entry('t-1', {
            answers: [
              { question: 'ご用件', answer: '住所変更' },
              { question: '会員登録はお済みでしょうか。', answer: 'はい' },
            ],
          }),
          entry('t-old', { startedAt: 1_000 }),
        ],
      },
    });
    const [first, second] = within(screen.getByTestId('timeline')).getAllByTestId('timeline-item');
    const answers = within(first!).getByTestId('timeline-answers');
    expect(answers.tagName).toBe('DETAILS');
    expect(answers.querySelector('summary')!.textContent).toBe('トークの回答（2 件）');
    expect(
      within(answers)
        .getAllByTestId('timeline-answer')
        .map((a) => a.textContent),
    ).toEqual(['ご用件住所変更', '会員登録はお済みでしょうか。はい']);
    expect(within(second!).queryByTestId('timeline-answers')).toBeNull();
  });
});

describe('scripts in the settings', () => {
  it('lists the files that did not load, and refreshes on scripts.changed', async () => {
    let problems = [
      { file: 'inbound-order.yaml', line: 42, message: "step 'ask_x': unknown next 'nope'" },
    ];
    const bridge = fakeBridge({
      listScripts: () => ({ scripts: [], problems }),
    });
    await renderAgent({ bridge });
    await userEvent.click(screen.getByTestId('settings-open'));
    await flush();
    const section = screen.getByTestId('scripts');
    expect(within(section).getByTestId('scripts-count').textContent).toBe(
      '0 件のスクリプトを読み込みました',
    );
    const rows = () =>
      within(section)
        .queryAllByTestId('script-problem')
        .map((r) => r.textContent);
    expect(rows()).toEqual(["inbound-order.yaml (42 行目)step 'ask_x': unknown next 'nope'"]);

    problems = [];
    act(() => bridge.emit('scripts.changed', { scripts: 0, problems: 0 }));
    await flush();
    expect(rows()).toEqual([]);
    expect(within(section).getByText('すべてのスクリプトを読み込みました。')).toBeTruthy();
  });
});
