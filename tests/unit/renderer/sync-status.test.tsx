// The CRM sync in the status bar: state, counts, last success and error, sync now, the first
// sync's progress, and the dead-letter panel with its retries.
import { act, cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DeadLetter, RpcError, SyncState, SyncStatus } from '../../../preload/contract';
import { fakeBridge } from './fake-bridge';
import { NOW, helloResult, kintoneSync, ringingCall } from './fixtures';
import { flush, renderAgent } from './render-agent';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const status = () => screen.getByTestId('sync-status');
const pending = () => screen.getByTestId('sync-pending').textContent;

const letters: DeadLetter[] = [
  {
    key: '7c0e3f4a-0001',
    kind: 'opt_out',
    attempts: 3,
    error: 'GAIA_RE01: field "optout" is not writable',
    createdAt: NOW - 3_600_000,
  },
  {
    key: '7c0e3f4a-0002',
    kind: 'custom_kind',
    attempts: 1,
    error: 'CB_VA01: missing required field',
    createdAt: NOW - 60_000,
  },
];

describe('sync status', () => {
  it('is fetched at start and after a reconnect, and kept live by sync.status', async () => {
    vi.useFakeTimers({ now: NOW });
    const { bridge } = await renderAgent();
    expect(bridge.calls('getSyncStatus')).toEqual([{}]);
    // The local CRM: nothing to sync, nothing to press.
    expect(status().dataset.state).toBe('off');
    expect(status().dataset.crm).toBe('local');
    expect(status().textContent).toContain('ローカル');
    expect(status().textContent).toContain('同期なし');
    expect(pending()).toBe('0');
    expect(screen.queryByTestId('sync-now')).toBeNull();
    expect(screen.queryByTestId('sync-dead-letters')).toBeNull();

    act(() => bridge.emit('sync.status', kintoneSync({ state: 'syncing', pending: 3 })));
    expect(status().dataset.state).toBe('syncing');
    expect(status().dataset.crm).toBe('kintone');
    expect(pending()).toBe('3');
    expect(status().textContent).toContain('未送信 3 件');
    expect(screen.getByTestId('sync-last').textContent).toBe('最終同期 3 分前');

    bridge.handlers.getSyncStatus = () => kintoneSync({ pending: 0 });
    act(() => bridge.setConnection('reconnecting'));
    act(() => bridge.reconnect());
    await flush();
    expect(bridge.calls('getSyncStatus')).toHaveLength(2);
    expect(status().dataset.state).toBe('idle');
    expect(pending()).toBe('0');
  });

  it('shows every state in words, with the last error on hover', async () => {
    const { bridge } = await renderAgent();
    const words: Record<SyncState, string> = {
      off: '同期なし',
      idle: '同期済み',
      syncing: '同期中',
      offline: 'オフライン（再試行中）',
      error: '同期エラー',
    };
    for (const [state, word] of Object.entries(words) as Array<[SyncState, string]>) {
      act(() => bridge.emit('sync.status', kintoneSync({ state })));
      expect(status().dataset.state).toBe(state);
      expect(screen.getByTestId('sync-state').textContent).toBe(word);
    }
    act(() =>
      bridge.emit(
        'sync.status',
        kintoneSync({
          state: 'error',
          pending: 12,
          deadLetters: 2,
          lastError: { message: 'kintone: 401 invalid API token', at: NOW - 10_000 },
        }),
      ),
    );
    expect(status().title).toBe('kintone: 401 invalid API token');
    expect(pending()).toBe('12');
    expect(screen.getByTestId('sync-dead-letters').textContent).toBe('送信失敗 2 件');
    expect(screen.getByTestId('sync-last').textContent).toContain('最終同期');

    act(() => bridge.emit('sync.status', kintoneSync({ lastSuccessAt: null })));
    expect(status().title).toBe('');
    expect(screen.getByTestId('sync-last').textContent).toBe('未同期');
  });

  it('a status fetched before an event is not allowed to overwrite it', async () => {
    let answer!: (s: SyncStatus) => void;
    const bridge = fakeBridge({
      hello: () => helloResult({ calls: [ringingCall()] }),
      getSyncStatus: () => new Promise<SyncStatus>((r) => (answer = r)),
    });
    await renderAgent({ bridge });
    expect(screen.queryByTestId('sync-status')).toBeNull();
    act(() => bridge.emit('sync.status', kintoneSync({ state: 'syncing', pending: 5 })));
    answer(kintoneSync({ state: 'idle', pending: 9 }));
    await flush();
    expect(status().dataset.state).toBe('syncing');
    expect(pending()).toBe('5');
  });

  it('in English', async () => {
    const { bridge } = await renderAgent({
      handlers: { hello: () => helloResult({ locale: 'en' }) },
    });
    act(() =>
      bridge.emit('sync.status', kintoneSync({ state: 'offline', pending: 4, deadLetters: 1 })),
    );
    expect(status().textContent).toContain('Offline — retrying');
    expect(status().textContent).toContain('4 unsent');
    expect(pending()).toBe('4');
    expect(screen.getByTestId('sync-dead-letters').textContent).toBe('1 refused');
    expect(screen.getByTestId('sync-now').textContent).toBe('Sync now');
  });

  it('"sync now" asks main once, and says when it could not', async () => {
    const bridge = fakeBridge({ getSyncStatus: () => kintoneSync({ state: 'offline' }) });
    await renderAgent({ bridge });
    await userEvent.click(screen.getByTestId('sync-now'));
    expect(bridge.calls('syncNow')).toEqual([{}]);
    expect(screen.queryByTestId('sync-now-error')).toBeNull();

    bridge.handlers.syncNow = () => ({ code: 'unavailable', message: 'socket closed' }) as RpcError;
    await userEvent.click(screen.getByTestId('sync-now'));
    const err = screen.getByTestId('sync-now-error');
    expect(err.textContent).toBe('同期に失敗しました: アプリに接続できません');
    expect(err.title).toBe('socket closed');
    bridge.handlers.syncNow = () => ({ ok: true });
    await userEvent.click(screen.getByTestId('sync-now'));
    expect(screen.queryByTestId('sync-now-error')).toBeNull();
  });
});

describe('first sync', () => {
  it('shows a progress bar while the first pull runs: determinate once the total is known', async () => {
    const { bridge } = await renderAgent();
    expect(screen.queryByTestId('initial-sync')).toBeNull();

    act(() =>
      bridge.emit(
        'sync.status',
        kintoneSync({ state: 'syncing', lastSuccessAt: null, initial: { done: 0, total: null } }),
      ),
    );
    let bar = screen.getByRole('progressbar');
    expect(screen.getByTestId('initial-sync').textContent).toBe('初回同期中 0 件');
    expect(bar.hasAttribute('aria-valuenow')).toBe(false);
    expect(bar.hasAttribute('value')).toBe(false); // indeterminate
    expect(bar.getAttribute('aria-label')).toBe('CRM との初回同期');

    act(() =>
      bridge.emit(
        'sync.status',
        kintoneSync({
          state: 'syncing',
          lastSuccessAt: null,
          initial: { done: 1200, total: 5000 },
        }),
      ),
    );
    bar = screen.getByRole('progressbar');
    expect(bar.getAttribute('aria-valuenow')).toBe('1200');
    expect(bar.getAttribute('aria-valuemax')).toBe('5000');
    expect((bar as HTMLProgressElement).value).toBe(1200);
    expect((bar as HTMLProgressElement).max).toBe(5000);
    expect(screen.getByTestId('initial-sync').textContent).toBe('初回同期中 1,200 / 5,000 件');

    act(() => bridge.emit('sync.status', kintoneSync({ initial: null })));
    expect(screen.queryByTestId('initial-sync')).toBeNull();
    expect(screen.queryByRole('progressbar')).toBeNull();
  });
});

describe('dead letters', () => {
  async function withDeadLetters() {
    let list = letters;
    const bridge = fakeBridge({
      hello: () => helloResult({ calls: [ringingCall()] }),
      getSyncStatus: () =>
        kintoneSync({
          state: 'error',
          deadLetters: 2,
          lastError: { message: 'GAIA_RE01', at: NOW - 5_000 },
        }),
      getDeadLetters: () => list,
      retryDeadLetters: (a) => {
        const before = list.length;
        list = a.key ? list.filter((d) => d.key !== a.key) : [];
        return { requeued: before - list.length };
      },
    });
    const r = await renderAgent({ bridge });
    return r;
  }

  it('the panel opens from the sync status and lists kind, error, attempts and time', async () => {
    const { bridge } = await withDeadLetters();
    expect(screen.queryByTestId('dead-letters')).toBeNull();
    await userEvent.click(screen.getByTestId('sync-dead-letters'));
    await flush();
    expect(bridge.calls('getDeadLetters')).toEqual([{}]);
    const panel = screen.getByTestId('sync-panel');
    expect(panel.getAttribute('role')).toBe('dialog');
    expect(within(panel).getByTestId('sync-last-error').textContent).toContain('GAIA_RE01');
    const rows = within(screen.getByTestId('dead-letters')).getAllByTestId('dead-letter');
    expect(rows.map((r) => r.dataset.key)).toEqual(['7c0e3f4a-0001', '7c0e3f4a-0002']);
    expect(rows[0]!.textContent).toContain('架電停止');
    expect(rows[0]!.textContent).toContain('GAIA_RE01: field "optout" is not writable');
    expect(rows[0]!.textContent).toContain('3 回試行');
    expect(rows[0]!.querySelector('time')?.getAttribute('dateTime')).toBe(
      new Date(NOW - 3_600_000).toISOString(),
    );
    // A kind this version does not know is shown as it is.
    expect(rows[1]!.textContent).toContain('custom_kind');
    expect(screen.getByTestId('sync-details').getAttribute('aria-expanded')).toBe('true');

    // Escape closes it, and is not taken as "reject" for the call ringing meanwhile.
    expect(panel.contains(document.activeElement)).toBe(true);
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByTestId('sync-panel')).toBeNull();
    expect(bridge.calls('rejectCall')).toEqual([]);
  });

  it('retries one by key, then all; the list is fetched again after each', async () => {
    const { bridge } = await withDeadLetters();
    await userEvent.click(screen.getByTestId('sync-details'));
    await flush();
    const first = screen.getAllByTestId('dead-letter')[0]!;
    await userEvent.click(within(first).getByTestId('dead-letter-retry'));
    await flush();
    expect(bridge.calls('retryDeadLetters')).toEqual([{ key: '7c0e3f4a-0001' }]);
    expect(bridge.calls('getDeadLetters')).toHaveLength(2);
    expect(screen.getAllByTestId('dead-letter').map((r) => r.dataset.key)).toEqual([
      '7c0e3f4a-0002',
    ]);
    expect(screen.getByTestId('dead-letters-requeued').textContent).toBe(
      '1 件を再送キューに戻しました',
    );

    await userEvent.click(screen.getByTestId('dead-letters-retry-all'));
    await flush();
    expect(bridge.calls('retryDeadLetters')).toEqual([{ key: '7c0e3f4a-0001' }, {}]);
    expect(screen.queryAllByTestId('dead-letter')).toHaveLength(0);
    expect(within(screen.getByTestId('dead-letters')).getByText('ありません')).toBeTruthy();
    expect((screen.getByTestId('dead-letters-retry-all') as HTMLButtonElement).disabled).toBe(true);

    // Main reports the count changed (a new refusal): the open list is fetched again.
    const calls = bridge.calls('getDeadLetters').length;
    act(() => bridge.emit('sync.status', kintoneSync({ state: 'error', deadLetters: 1 })));
    await flush();
    expect(bridge.calls('getDeadLetters')).toHaveLength(calls + 1);
  });

  it('a failed retry is said in the panel', async () => {
    const { bridge } = await withDeadLetters();
    bridge.handlers.retryDeadLetters = () =>
      ({ code: 'internal', message: 'SQLITE_BUSY' }) as RpcError;
    await userEvent.click(screen.getByTestId('sync-dead-letters'));
    await flush();
    await userEvent.click(screen.getByTestId('dead-letters-retry-all'));
    await flush();
    const err = screen.getByTestId('sync-panel-error');
    expect(err.textContent).toBe('再送に失敗しました: 内部エラー');
    expect(err.title).toBe('SQLITE_BUSY');
    expect(screen.getAllByTestId('dead-letter')).toHaveLength(2);
  });
});
