import { act, cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { helloResult, ringingCall } from './fixtures';
import { flush, renderAgent } from './render-agent';

afterEach(cleanup);

describe('language switch', () => {
  it('defaults to hello().locale', async () => {
    await renderAgent({ handlers: { hello: () => helloResult({ locale: 'en' }) } });
    expect(screen.getByText('Waiting for calls')).toBeTruthy();
    expect(document.documentElement.lang).toBe('en');
    expect(screen.getByTestId('lang-en').getAttribute('aria-pressed')).toBe('true');
  });

  it('switching calls setLocale and changes the text (ja ↔ en)', async () => {
    const { bridge } = await renderAgent({
      handlers: { hello: () => helloResult({ calls: [ringingCall()] }) },
    });
    expect(screen.getByTestId('answer').textContent).toContain('応答');
    expect(within(screen.getByTestId('incoming-pop')).getByTestId('segment').textContent).toBe(
      'リピーター',
    );

    await userEvent.click(screen.getByTestId('lang-en'));
    expect(bridge.calls('setLocale')).toEqual([{ locale: 'en' }]);
    expect(screen.getByTestId('answer').textContent).toContain('Answer');
    expect(screen.getByTestId('reject').textContent).toContain('Reject');
    expect(within(screen.getByTestId('incoming-pop')).getByTestId('segment').textContent).toBe(
      'Repeat',
    );
    expect(screen.getByTestId('reg-status').textContent).toContain('Ready');
    expect(document.documentElement.lang).toBe('en');

    act(() => bridge.emit('locale.changed', { locale: 'ja' })); // e.g. changed in another window
    expect(screen.getByTestId('answer').textContent).toContain('応答');
  });

  it('a failed setLocale switches back and says so', async () => {
    const { bridge } = await renderAgent({
      handlers: { setLocale: () => ({ code: 'internal', message: 'disk full' }) },
    });
    await userEvent.click(screen.getByTestId('lang-en'));
    await flush();
    expect(bridge.calls('setLocale')).toHaveLength(1);
    expect(screen.getByTestId('lang-ja').getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByTestId('action-error').textContent).toContain(
      '言語の切り替えに失敗しました',
    );
  });
});
