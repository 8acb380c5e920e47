// The do-not-call CSV import in the settings (added / unchanged / rejected lines / callbacks
// cancelled), and the warning before a manual dial (checkNumber: an 'all' opt-out disables
// the dial button with the reason).
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { MethodArgs } from '../../../preload/contract';
import { fakeBridge } from './fake-bridge';
import { NOW, helloResult, ringingCall } from './fixtures';
import { flush, renderAgent } from './render-agent';

afterEach(cleanup);

const CSV = '番号,範囲,理由\n03-5555-0101,all,苦情\n090-1234-567\n0120-444-444,marketing\n';

describe('do-not-call CSV import (settings)', () => {
  it('sends the file with the chosen default scope and shows what became of each line', async () => {
    const bridge = fakeBridge({
      importOptOuts: () => ({
        added: 1,
        unchanged: 1,
        rejected: [{ line: 3, value: '090-1234-567', reason: 'not a phone number' }],
        callbacksCancelled: 2,
      }),
    });
    await renderAgent({ bridge });
    await userEvent.click(screen.getByTestId('settings-open'));
    const section = screen.getByTestId('opt-out-import');
    expect(within(section).getByText('架電停止リスト（CSV）')).toBeTruthy();
    await userEvent.selectOptions(screen.getByTestId('import-scope'), 'marketing');
    await userEvent.upload(
      screen.getByTestId('import-file'),
      new File([CSV], 'dnc.csv', { type: 'text/csv' }),
    );
    await waitFor(() => expect(screen.getByTestId('import-result')).toBeTruthy());
    expect(bridge.calls('importOptOuts') as MethodArgs<'importOptOuts'>[]).toEqual([
      { csv: CSV, scope: 'marketing' },
    ]);
    const result = screen.getByTestId('import-result');
    expect(within(result).getByText('dnc.csv を取り込みました')).toBeTruthy();
    expect(screen.getByTestId('import-added').textContent).toBe('1');
    expect(screen.getByTestId('import-unchanged').textContent).toBe('1');
    expect(screen.getByTestId('import-rejected').textContent).toBe('1');
    expect(screen.getByTestId('import-cancelled').textContent).toBe('2');
    const lines = screen.getByTestId('import-rejected-lines').querySelectorAll('li');
    expect([...lines].map((li) => li.textContent)).toEqual([
      '3 行目090-1234-567not a phone number',
    ]);
    expect(lines[0]!.dataset.line).toBe('3');
  });

  it('a failed import is said; nothing is shown as imported', async () => {
    const bridge = fakeBridge({
      hello: () => helloResult({ locale: 'en' }),
      importOptOuts: () => ({ code: 'invalid_argument', message: 'csv: too long' }),
    });
    await renderAgent({ bridge });
    await userEvent.click(screen.getByTestId('settings-open'));
    await userEvent.upload(screen.getByTestId('import-file'), new File([CSV], 'dnc.csv'));
    await waitFor(() => expect(screen.getByTestId('import-error')).toBeTruthy());
    expect(screen.getByTestId('import-error').textContent).toBe(
      'Could not import: invalid request',
    );
    expect(screen.queryByTestId('import-result')).toBeNull();
    // The default scope is all outbound calls.
    expect(bridge.calls('importOptOuts')).toEqual([{ csv: CSV, scope: 'all' }]);
  });
});

describe('manual dial: opt-out warning', () => {
  it("the number field: 'all' disables the dial button with the reason", async () => {
    const bridge = fakeBridge({
      checkNumber: (a) => ({
        e164: '+81312345678',
        optOut: a.number === '03-1234-5678' ? 'all' : 'none',
      }),
    });
    await renderAgent({ bridge });
    await userEvent.type(screen.getByTestId('dialpad-input'), '03-1234-5678');
    await waitFor(() => expect(screen.getByTestId('dial-warning')).toBeTruthy());
    // Asked once the typing paused, not for every digit.
    expect(bridge.calls('checkNumber')).toEqual([{ number: '03-1234-5678' }]);
    expect(screen.getByTestId('dial-warning').textContent).toBe(
      '⊘架電禁止: この番号は全発信の架電停止です。',
    );
    const dial = screen.getByTestId('dial') as HTMLButtonElement;
    expect(dial.disabled).toBe(true);
    expect(screen.getByTestId('dialpad-input').getAttribute('aria-describedby')).toBe(
      'dial-warning',
    );
    await userEvent.type(screen.getByTestId('dialpad-input'), '{Enter}');
    expect(bridge.calls('dial')).toEqual([]);

    // Another number: the warning goes.
    await userEvent.clear(screen.getByTestId('dialpad-input'));
    await userEvent.type(screen.getByTestId('dialpad-input'), '03-9999-0000');
    await waitFor(() => expect(screen.queryByTestId('dial-warning')).toBeNull());
    await waitFor(() => expect(dial.disabled).toBe(false));
  });

  it("a manual dial main refuses says which rule, in the agent's language", async () => {
    const bridge = fakeBridge({
      // Main knows better than the screen's check (an opt-out that arrived a moment ago).
      checkNumber: () => ({ e164: '+81312345678', optOut: 'none' }),
      dial: () => ({
        code: 'refused',
        message: 'this number has opted out of all calls',
        reason: 'opted_out',
      }),
    });
    await renderAgent({ bridge });
    await userEvent.type(screen.getByTestId('dialpad-input'), '0312345678');
    await userEvent.click(screen.getByTestId('dial'));
    await waitFor(() => expect(screen.getByTestId('action-error')).toBeTruthy());
    const note = screen.getByTestId('action-error');
    expect(note.textContent).toContain('お客様が架電停止を希望しています。');
    expect(note.title).toBe('this number has opted out of all calls');
  });

  it("'marketing' is a warning only: service calls may go", async () => {
    const bridge = fakeBridge({
      hello: () => helloResult({ locale: 'en' }),
      checkNumber: () => ({ e164: '+81312345678', optOut: 'marketing' }),
    });
    await renderAgent({ bridge });
    await userEvent.type(screen.getByTestId('dialpad-input'), '0312345678');
    await waitFor(() => expect(screen.getByTestId('dial-warning')).toBeTruthy());
    expect(screen.getByTestId('dial-warning').textContent).toBe(
      '⊘This number refused marketing calls: service calls only.',
    );
    await userEvent.click(screen.getByTestId('dial'));
    expect(bridge.calls('dial')).toEqual([{ target: '0312345678' }]);
  });

  it('click-to-dial of a customer who refused all calls is off, with a tag saying why', async () => {
    const call = ringingCall({ state: 'active', answeredAt: NOW - 10_000 });
    const bridge = fakeBridge({
      hello: () => helloResult({ calls: [call] }),
      checkNumber: (a) => ({ e164: a.number, optOut: 'all' }),
    });
    await renderAgent({ bridge });
    await flush();
    const button = screen.getByTestId('click-to-dial') as HTMLButtonElement;
    expect(bridge.calls('checkNumber')).toContainEqual({ number: '+81355550101' });
    expect(button.disabled).toBe(true);
    expect(button.title).toBe('架電禁止: この番号は全発信の架電停止です。');
    expect(screen.getByTestId('ctd-warning').textContent).toBe('⊘ 架電禁止');
  });

  it('a do-not-call registered on the call is known to the dial buttons at once', async () => {
    const call = ringingCall({ state: 'active', answeredAt: NOW - 10_000 });
    let level: 'none' | 'all' = 'none';
    const bridge = fakeBridge({
      hello: () => helloResult({ calls: [call] }),
      checkNumber: (a) => ({ e164: a.number, optOut: level }),
    });
    await renderAgent({ bridge });
    await flush();
    expect((screen.getByTestId('click-to-dial') as HTMLButtonElement).disabled).toBe(false);
    level = 'all';
    await userEvent.click(screen.getByTestId('opt-out'));
    await userEvent.click(screen.getByTestId('opt-out-submit'));
    await flush();
    await flush();
    expect((screen.getByTestId('click-to-dial') as HTMLButtonElement).disabled).toBe(true);
  });
});
