import { act, cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { renderAgent } from './render-agent';

afterEach(cleanup);

describe('status bar', () => {
  it('shows the registration state as data-state and words, with the address', async () => {
    const { bridge } = await renderAgent();
    const reg = screen.getByTestId('reg-status');
    expect(reg.dataset.state).toBe('registered');
    expect(reg.textContent).toContain('受付可能');
    expect(reg.textContent).toContain('1001@pbx.example.jp');

    act(() =>
      bridge.emit('phone.status', {
        registration: 'failed',
        aor: 'sip:1001@pbx.example.jp',
        error: { code: 'auth_failed', message: 'SIP 403 Forbidden' },
        since: 1,
      }),
    );
    expect(reg.dataset.state).toBe('failed');
    const err = screen.getByTestId('reg-error');
    expect(err.textContent).toContain('認証に失敗しました');
    expect(err.getAttribute('title')).toBe('SIP 403 Forbidden');
  });

  it('says when the connection to the app is down', async () => {
    const { bridge } = await renderAgent();
    expect(screen.queryByTestId('connection')).toBeNull();
    act(() => bridge.setConnection('reconnecting'));
    expect(screen.getByTestId('connection').textContent).toContain('再接続しています');
    act(() => bridge.reconnect());
    expect(screen.queryByTestId('connection')).toBeNull();
  });
});
