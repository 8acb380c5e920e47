import { act, cleanup, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { entry, helloResult, ringingCall } from './fixtures';
import { flush, renderAgent } from './render-agent';

afterEach(cleanup);

describe('customer timeline', () => {
  it('lists the customer’s contacts newest first, and adds the call that just ended', async () => {
    const { bridge } = await renderAgent({
      handlers: {
        hello: () => helloResult({ calls: [ringingCall()] }),
        getTimeline: () => [entry('t-1'), entry('t-old', { startedAt: 1_000, outcome: 'missed' })],
      },
    });
    const list = screen.getByTestId('timeline');
    expect(list.tagName).toBe('OL');
    const ids = () =>
      within(list)
        .getAllByTestId('timeline-item')
        .map((li) => li.dataset.entryId);
    expect(ids()).toEqual(['t-1', 't-2', 't-old']);
    expect(screen.getByTestId('timeline-customer').textContent).toContain('山田 太郎');

    const call = ringingCall({ state: 'ended', endedAt: Date.now(), outcome: 'answered' });
    act(() => bridge.emit('call.updated', call));
    act(() =>
      bridge.emit('timeline.added', {
        customerId: 'cust-1',
        entry: entry('t-now', {
          startedAt: Date.now() - 65_000,
          durationSec: 65,
          quality: { mos: 2.4, lossPct: 6.5, jitterMs: 48, rttMs: 310 },
        }),
      }),
    );
    expect(ids()).toEqual(['t-now', 't-1', 't-2', 't-old']);
    const first = within(list).getAllByTestId('timeline-item')[0]!;
    expect(first.textContent).toContain('着信');
    expect(first.textContent).toContain('応答');
    expect(first.textContent).toContain('1分5秒');
    // the quality recorded on the call is shown with it; calls without one show none
    const q = within(first).getByTestId('timeline-quality');
    expect(q.dataset.band).toBe('poor');
    expect(q.title).toContain('MOS 2.4');
    expect(within(list).queryAllByTestId('timeline-quality')).toHaveLength(1);
  });

  it('says the caller is unknown when an unknown number calls', async () => {
    await renderAgent({
      handlers: {
        hello: () =>
          helloResult({
            calls: [ringingCall({ pop: { customer: null, lastContacts: [] } })],
          }),
      },
    });
    await flush();
    expect(screen.queryByTestId('timeline')).toBeNull();
    expect(screen.getByText('この発信者は顧客リストにありません')).toBeTruthy();
  });

  it('says no customer is selected with no call', async () => {
    await renderAgent();
    expect(screen.queryByTestId('timeline')).toBeNull();
    expect(screen.getByText('お客様が選択されていません')).toBeTruthy();
  });
});
