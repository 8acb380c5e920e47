import { act, cleanup, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { NOW, entry, helloResult, ringingCall, yamada } from './fixtures';
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

  it('shows the CRM’s other channels with their kind and summary line', async () => {
    await renderAgent({
      handlers: {
        hello: () =>
          helloResult({ calls: [ringingCall({ pop: { customer: yamada, lastContacts: [] } })] }),
        getTimeline: () => [
          entry('e-mail', {
            kind: 'email',
            startedAt: NOW - 1 * 3_600_000,
            outcome: null,
            durationSec: null,
            summary: '件名: 配送日の変更について',
          }),
          entry('e-chat', {
            kind: 'chat',
            startedAt: NOW - 2 * 3_600_000,
            outcome: null,
            summary: 'サイズ交換の相談',
          }),
          entry('e-order', {
            kind: 'order',
            direction: 'outbound',
            startedAt: NOW - 3 * 3_600_000,
            outcome: null,
            summary: '注文 #10023 ギフトセット ×2',
          }),
          entry('e-ticket', {
            kind: 'ticket',
            startedAt: NOW - 4 * 3_600_000,
            outcome: null,
            summary: null,
          }),
          entry('e-note', {
            kind: 'note',
            startedAt: NOW - 5 * 3_600_000,
            outcome: null,
            summary: '別部署のメモ',
          }),
          // A call logged on another desk: no outcome here, its summary instead.
          entry('e-call', {
            startedAt: NOW - 6 * 3_600_000,
            outcome: null,
            summary: '店舗から折り返し済み',
          }),
          entry('e-ours', { startedAt: NOW - 7 * 3_600_000 }),
        ],
      },
    });
    const items = within(screen.getByTestId('timeline')).getAllByTestId('timeline-item');
    expect(items.map((li) => li.dataset.kind)).toEqual([
      'email',
      'chat',
      'order',
      'ticket',
      'note',
      'call',
      'call',
    ]);
    const [mail, chat, order, ticket, note, logged, ours] = items as [
      HTMLElement,
      HTMLElement,
      HTMLElement,
      HTMLElement,
      HTMLElement,
      HTMLElement,
      HTMLElement,
    ];
    expect(mail.textContent).toContain('メール');
    expect(mail.querySelector('.tl-icon')?.textContent).toBe('✉');
    expect(mail.querySelector('.tl-icon')?.getAttribute('aria-hidden')).toBe('true');
    expect(within(mail).getByTestId('timeline-summary').textContent).toBe(
      '件名: 配送日の変更について',
    );
    // Not a call: no "in progress" outcome, no duration.
    expect(mail.querySelector('.outcome')).toBeNull();
    expect(chat.textContent).toContain('チャット');
    expect(chat.textContent).toContain('サイズ交換の相談');
    expect(order.textContent).toContain('注文');
    expect(order.querySelector('.tl-kind')?.getAttribute('title')).toBe('発信');
    expect(within(order).getByTestId('timeline-summary').textContent).toBe(
      '注文 #10023 ギフトセット ×2',
    );
    expect(ticket.textContent).toContain('問い合わせ');
    expect(within(ticket).getByTestId('timeline-summary').textContent).toBe('');
    expect(note.textContent).toContain('メモ');
    expect(logged.querySelector('.outcome')).toBeNull();
    expect(within(logged).getByTestId('timeline-summary').textContent).toBe('店舗から折り返し済み');
    expect(ours.querySelector('.outcome')?.textContent).toBe('応答');
    expect(within(ours).queryByTestId('timeline-summary')).toBeNull();
  });

  it('the pop’s last contacts name other channels with their summary', async () => {
    const { bridge, i18n } = await renderAgent();
    act(() =>
      bridge.emit(
        'call.updated',
        ringingCall({
          pop: {
            customer: yamada,
            lastContacts: [
              entry('e-mail', {
                kind: 'email',
                startedAt: NOW - 86_400_000,
                outcome: null,
                summary: '件名: 返品について',
              }),
              entry('t-1', { startedAt: NOW - 2 * 86_400_000 }),
            ],
          },
        }),
      ),
    );
    const contacts = within(screen.getByTestId('incoming-pop')).getAllByTestId('last-contact');
    expect(contacts[0]!.dataset.kind).toBe('email');
    expect(contacts[0]!.textContent).toContain('メール');
    expect(contacts[0]!.textContent).toContain('件名: 返品について');
    expect(contacts[0]!.querySelector('.outcome')).toBeNull();
    expect(contacts[1]!.textContent).toContain('応答');
    await act(() => i18n.changeLanguage('en'));
    expect(contacts[0]!.textContent).toContain('Email');
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
