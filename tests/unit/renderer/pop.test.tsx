// The incoming-call pop, rendered by the real App from bridge events.
import { act, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { anonymousCall, helloResult, ringingCall, unknownCall } from './fixtures';
import { renderAgent } from './render-agent';
import { cleanup } from '@testing-library/react';

afterEach(cleanup);

describe('incoming call pop', () => {
  it('shows name, kana, number, segment and last contacts, inside an aria-live region', async () => {
    const { bridge } = await renderAgent();
    act(() => bridge.emit('call.updated', ringingCall()));
    const pop = screen.getByTestId('incoming-pop');
    expect(screen.getByTestId('pop-name').textContent).toBe('山田 太郎');
    expect(screen.getByTestId('pop-kana').textContent).toBe('ヤマダ タロウ');
    expect(screen.getByTestId('pop-number').textContent).toBe('03-5555-0101');
    expect(within(pop).getByTestId('segment').textContent).toBe('リピーター');
    expect(within(pop).getByTestId('call-state').dataset.state).toBe('ringing');
    const contacts = within(pop).getAllByTestId('last-contact');
    expect(contacts).toHaveLength(2);
    expect(contacts[0]!.textContent).toContain('応答');
    expect(contacts[0]!.textContent).toContain('4分12秒');
    expect(contacts[1]!.textContent).toContain('応答なし');
    expect(pop.closest('[aria-live]')?.getAttribute('aria-live')).toBe('assertive');
    expect(document.title).toContain('山田 太郎');
  });

  it('an unknown caller shows "unknown customer" and the number', async () => {
    const { bridge } = await renderAgent();
    act(() => bridge.emit('call.updated', unknownCall()));
    expect(screen.getByTestId('pop-name').textContent).toBe('未登録のお客様');
    expect(screen.getByTestId('pop-number').textContent).toBe('03-1234-5678');
    expect(screen.queryByTestId('segment')).toBeNull();
    expect(screen.getByText('過去の対応はありません')).toBeTruthy();
  });

  it('an anonymous caller shows 非通知 / Anonymous and no number', async () => {
    const { bridge } = await renderAgent({
      handlers: { hello: () => helloResult({ calls: [anonymousCall()] }) },
    });
    expect(screen.getByTestId('pop-name').textContent).toBe('非通知');
    expect(screen.queryByTestId('pop-number')).toBeNull();
    act(() => bridge.emit('locale.changed', { locale: 'en' }));
    expect(screen.getByTestId('pop-name').textContent).toBe('Anonymous');
  });

  it('shows idle with no call, then the active call card after answer', async () => {
    const { bridge } = await renderAgent();
    expect(screen.getByTestId('call-state').dataset.state).toBe('idle');
    act(() =>
      bridge.emit('call.updated', ringingCall({ state: 'active', answeredAt: Date.now() })),
    );
    expect(screen.queryByTestId('incoming-pop')).toBeNull();
    expect(screen.getByTestId('active-call')).toBeTruthy();
    expect(screen.getByTestId('call-state').dataset.state).toBe('active');
    expect(screen.getByTestId('pop-name').textContent).toBe('山田 太郎');
  });
});
