// The callback queue tab: a virtual list over pages from getQueue (10,000 callbacks render a
// window of rows; the page of a visible row is fetched as the agent scrolls), refetched on
// 'queue.changed'; the filters as getQueue arguments; each row's badges; a row opens the card.
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type {
  Attempt,
  DialBlock,
  MethodArgs,
  MethodResult,
  QueueItem,
} from '../../../preload/contract';
import { fakeBridge } from './fake-bridge';
import {
  NOW,
  helloResult,
  queueItem,
  renewalCampaign,
  requestedCampaign,
  yamada,
} from './fixtures';
import { flush, renderAgent } from './render-agent';

// jsdom lays nothing out: give the list's scroll box a height, and scrollTo a behaviour.
let listHeight = 620;
beforeAll(() => {
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', {
    configurable: true,
    get(this: HTMLElement) {
      return this.dataset.testid === 'queue-scroll' ? listHeight : 0;
    },
  });
  HTMLElement.prototype.scrollTo = function (this: HTMLElement, opts?: ScrollToOptions | number) {
    if (typeof opts === 'object' && opts.top !== undefined) this.scrollTop = opts.top;
    this.dispatchEvent(new Event('scroll'));
  } as HTMLElement['scrollTo'];
});
afterAll(() => {
  Reflect.deleteProperty(HTMLElement.prototype, 'clientHeight');
  Reflect.deleteProperty(HTMLElement.prototype, 'scrollTo');
});

beforeEach(() => {
  listHeight = 620;
  // Dates only (the clocks on screen); timers stay real for userEvent.
  vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

type QueueArgs = MethodArgs<'getQueue'>;

/** A queue of n callbacks, each named by its position. */
function bigQueue(n: number) {
  const at = (i: number): QueueItem =>
    queueItem(`cb-${i}`, {
      customer: { ...yamada, id: `cust-${i}`, name: `顧客 ${i}`, nameKana: null },
      number: `+8190${String(10_000_000 + i).padStart(8, '0')}`,
      priority: 100 - (i % 100),
    });
  return (a: QueueArgs): MethodResult<'getQueue'> => {
    const offset = a.offset ?? 0;
    const limit = a.limit ?? 50;
    const items: QueueItem[] = [];
    for (let i = offset; i < Math.min(n, offset + limit); i++) items.push(at(i));
    return { total: n, items };
  };
}

async function openQueue(opts: Parameters<typeof fakeBridge>[0] = {}, agentZone?: string) {
  const bridge = fakeBridge({
    getCampaigns: () => [requestedCampaign, renewalCampaign],
    ...opts,
  });
  const r = await renderAgent({ bridge, ...(agentZone ? { agentZone } : {}) });
  await userEvent.click(screen.getByTestId('tab-queue'));
  await flush();
  const queueCalls = () => bridge.calls('getQueue') as QueueArgs[];
  return { ...r, queueCalls };
}

const rows = () => screen.queryAllByTestId('queue-row');
const scroller = () => screen.getByTestId('queue-scroll');

async function scrollTo(top: number) {
  await act(async () => {
    scroller().scrollTop = top;
    fireEvent.scroll(scroller());
  });
  await flush();
}

describe('callback queue: the list', () => {
  it('is not fetched until the tab opens (an inbound-only desk never asks)', async () => {
    const bridge = fakeBridge({ getQueue: bigQueue(10) });
    await renderAgent({ bridge });
    expect(bridge.calls('getQueue')).toEqual([]);
    expect(bridge.calls('getCampaigns')).toEqual([]);
    expect(screen.getByTestId('tab-customer').getAttribute('aria-selected')).toBe('true');
  });

  it('10,000 callbacks: renders only a window of rows and fetches the page of the rows in view', async () => {
    const { queueCalls } = await openQueue({ getQueue: bigQueue(10_000) });
    // One page, at the top; the scrollbar is sized for every row from main's total.
    expect(queueCalls()).toEqual([{ offset: 0, limit: 100 }]);
    expect(screen.getByTestId('queue-total').textContent).toBe('10,000 件');
    const spacer = scroller().firstElementChild as HTMLElement;
    expect(spacer.style.height).toBe(`${10_000 * 62}px`);
    expect(rows().length).toBeGreaterThanOrEqual(10);
    expect(rows().length).toBeLessThanOrEqual(20);
    expect(within(rows()[0]!).getByText('顧客 0')).toBeTruthy();
    expect(rows()[0]!.getAttribute('aria-setsize')).toBe('10000');
    expect(rows()[0]!.getAttribute('aria-posinset')).toBe('1');

    // Scroll to the middle: the page row 5000 falls in is fetched, nothing in between.
    await scrollTo(5_000 * 62);
    const offsets = queueCalls().map((a) => a.offset);
    expect(offsets).toContain(5_000);
    expect(offsets.every((o) => o === 0 || o === 4_900 || o === 5_000)).toBe(true);
    expect(queueCalls().every((a) => a.limit === 100)).toBe(true);
    expect(rows().length).toBeLessThanOrEqual(30);
    const shown = rows().map((r) => Number(r.dataset.index));
    expect(shown).toContain(5_000);
    expect(Math.min(...shown)).toBeGreaterThan(4_980);
    expect(screen.getByText('顧客 5000')).toBeTruthy();

    // Back to the top: that page is still here, not fetched again.
    const before = queueCalls().length;
    await scrollTo(0);
    expect(queueCalls()).toHaveLength(before);
    expect(screen.getByText('顧客 0')).toBeTruthy();
  });

  it('rows whose page has not arrived show as loading', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const page = bigQueue(1_000);
    const { queueCalls } = await openQueue({
      getQueue: async (a) => {
        if ((a.offset ?? 0) > 0) await gate;
        return page(a);
      },
    });
    await scrollTo(500 * 62);
    expect(queueCalls().map((a) => a.offset)).toContain(500);
    expect(screen.getAllByTestId('queue-row-loading').length).toBeGreaterThan(5);
    release();
    await flush();
    expect(screen.queryAllByTestId('queue-row-loading')).toEqual([]);
    expect(screen.getByText('顧客 500')).toBeTruthy();
  });

  it("'queue.changed' refetches the pages in view; the total follows main's answer", async () => {
    let n = 10_000;
    const page = (a: QueueArgs) => bigQueue(n)(a);
    const { bridge, queueCalls } = await openQueue({ getQueue: page });
    expect(queueCalls()).toHaveLength(1);
    n = 9_999;
    act(() => bridge.emit('queue.changed', { pending: 9_999, dialableNow: 12 }));
    await flush();
    expect(queueCalls()).toEqual([
      { offset: 0, limit: 100 },
      { offset: 0, limit: 100 },
    ]);
    expect(screen.getByTestId('queue-total').textContent).toBe('9,999 件');
    expect(screen.getByTestId('queue-counts').textContent).toBe(
      '待ち 9,999 件・今すぐ架電可 12 件',
    );
    // The tab says how many can be called now.
    expect(screen.getByTestId('tab-queue').textContent).toContain('12');
  });

  it('a failed page is said, not retried in a loop; Retry fetches it again', async () => {
    const page = bigQueue(30);
    let fail = true;
    const { queueCalls } = await openQueue({
      getQueue: (a) => (fail ? { code: 'unavailable', message: 'socket closed' } : page(a)),
    });
    await flush();
    expect(queueCalls()).toHaveLength(1);
    expect(screen.getByTestId('queue-error').textContent).toContain(
      'リストを読み込めませんでした: アプリに接続できません',
    );
    fail = false;
    await userEvent.click(within(screen.getByTestId('queue-error')).getByRole('button'));
    await flush();
    expect(queueCalls()).toHaveLength(2);
    expect(screen.queryByTestId('queue-error')).toBeNull();
    expect(rows().length).toBeGreaterThan(5);
  });

  it('an empty queue says so (and differently when filtered)', async () => {
    await openQueue();
    expect(screen.getByTestId('queue-empty').textContent).toBe('架電予定はありません');
    await userEvent.click(screen.getByTestId('queue-dialable'));
    await flush();
    expect(screen.getByTestId('queue-empty').textContent).toBe('条件に合う架電予定はありません');
  });
});

describe('callback queue: filters', () => {
  it('campaign, owner, dialable-only and search go to getQueue and restart from the top', async () => {
    const { queueCalls } = await openQueue({ getQueue: bigQueue(3_000) });
    await scrollTo(1_000 * 62);
    const last = () => queueCalls().at(-1);

    // Campaigns are named in the agent's language.
    const campaign = screen.getByTestId('queue-campaign') as HTMLSelectElement;
    expect([...campaign.options].map((o) => o.textContent)).toEqual([
      'すべてのキャンペーン',
      'ご依頼の折り返し',
      '契約更新のご案内',
    ]);
    await userEvent.selectOptions(campaign, 'renewal');
    await flush();
    expect(last()).toEqual({ filter: { campaignId: 'renewal' }, offset: 0, limit: 100 });

    await userEvent.click(screen.getByTestId('queue-owner-pool'));
    await flush();
    expect(last()).toEqual({
      filter: { campaignId: 'renewal', owner: 'pool' },
      offset: 0,
      limit: 100,
    });

    await userEvent.click(screen.getByTestId('queue-dialable'));
    await flush();
    expect(last()).toEqual({
      filter: { campaignId: 'renewal', owner: 'pool', dialableOnly: true },
      offset: 0,
      limit: 100,
    });

    await userEvent.type(screen.getByTestId('queue-search'), '  ヤマダ {Enter}');
    await flush();
    expect(last()).toEqual({
      filter: { campaignId: 'renewal', owner: 'pool', dialableOnly: true, search: 'ヤマダ' },
      offset: 0,
      limit: 100,
    });

    await userEvent.click(screen.getByTestId('queue-owner-me'));
    await flush();
    expect(last()?.filter?.owner).toBe('me');
    await userEvent.click(screen.getByTestId('queue-owner-all'));
    await userEvent.selectOptions(campaign, '');
    await userEvent.click(screen.getByTestId('queue-dialable'));
    await userEvent.clear(screen.getByTestId('queue-search'));
    await userEvent.keyboard('{Enter}');
    await flush();
    // No filter left: none is sent.
    expect(last()).toEqual({ offset: 0, limit: 100 });
    // Every new list was read from its top (the scroll position was not carried over).
    expect(queueCalls().filter((a) => a.filter && a.offset !== 0)).toEqual([]);
  });

  it('the search also goes out by itself when typing pauses', async () => {
    const { queueCalls } = await openQueue({ getQueue: bigQueue(5) });
    await userEvent.type(screen.getByTestId('queue-search'), '0355');
    await vi.waitFor(() =>
      expect(queueCalls().at(-1)).toEqual({ filter: { search: '0355' }, offset: 0, limit: 100 }),
    );
    // One request for the pause, not one per key.
    expect(queueCalls().filter((a) => a.filter?.search)).toHaveLength(1);
  });
});

const ALL_BLOCKS: Record<DialBlock, string> = {
  opted_out: '架電停止',
  outside_window: '時間外',
  day_not_allowed: '曜日対象外',
  holiday: '祝日',
  attempt_limit: '回数上限',
  customer_day_limit: '本日上限',
  customer_week_limit: '週上限',
  too_soon: '間隔不足',
  caller_id_cap: '番号上限',
  notice_missing: '通知未送付',
  not_due: '予定前',
  expired: '期限切れ',
  closed: '終了',
};

describe('callback queue: rows', () => {
  it('a badge for every reason it cannot be dialled, and do-not-call loudly', async () => {
    listHeight = 2_000;
    const blocks = Object.keys(ALL_BLOCKS) as DialBlock[];
    const items: QueueItem[] = [
      ...blocks.map((b) => queueItem(`cb-${b}`, { blocked: [b] })),
      queueItem('cb-dnc', { optOut: 'all', blocked: ['opted_out'] }),
      queueItem('cb-mkt', { optOut: 'marketing', campaignId: 'renewal', blocked: ['opted_out'] }),
      queueItem('cb-ok', {
        promised: true,
        attempts: 3,
        attemptsLeft: 2,
        notice: { channel: 'dm', sentAt: Date.UTC(2025, 4, 18, 1) },
      }),
    ];
    await openQueue({ getQueue: () => ({ total: items.length, items }) });
    const row = (id: string) => rows().find((r) => r.dataset.callbackId === id)!;
    const badge = (id: string, name: string) =>
      row(id).querySelector<HTMLElement>(`[data-badge="${name}"]`);

    for (const b of blocks) {
      expect(badge(`cb-${b}`, b)?.textContent).toBe(ALL_BLOCKS[b]);
      expect(row(`cb-${b}`).dataset.dialable).toBe('false');
      // The long reason, for the tooltip.
      expect(badge(`cb-${b}`, b)?.title.length).toBeGreaterThan(8);
    }
    expect(badge('cb-outside_window', 'outside_window')?.title).toBe(
      'お客様の現地時刻で、キャンペーンの架電時間外です。',
    );

    // Do not call: its own loud badge first (not a second "opted out").
    const dnc = row('cb-dnc');
    expect(dnc.dataset.optout).toBe('all');
    expect(badge('cb-dnc', 'opt-out-all')?.textContent).toBe('⊘ 架電禁止');
    expect(badge('cb-dnc', 'opted_out')).toBeNull();
    expect(dnc.querySelector('.qb')).toBe(badge('cb-dnc', 'opt-out-all'));
    expect(badge('cb-mkt', 'opt-out-marketing')?.textContent).toBe('販促停止');

    // A dialable one: promised, the attempts left, the notice sent.
    const ok = row('cb-ok');
    expect(ok.dataset.dialable).toBe('true');
    expect(badge('cb-ok', 'promised')?.textContent).toBe('約束');
    expect(badge('cb-ok', 'attempts-left')?.textContent).toBe('残り2回');
    expect(badge('cb-ok', 'notice')?.textContent).toBe('DM 5/18');
    expect(within(ok).getByText('山田 太郎')).toBeTruthy();
    expect(within(ok).getByText('03-5555-0101')).toBeTruthy();
    expect(within(ok).getByText('ご依頼の折り返し')).toBeTruthy();
    expect(within(row('cb-mkt')).getByText('契約更新のご案内')).toBeTruthy();
  });

  it('in English', async () => {
    const items = [
      queueItem('cb-1', { blocked: ['holiday', 'not_due'], attemptsLeft: 1 }),
      queueItem('cb-2', { optOut: 'all', blocked: ['opted_out'] }),
    ];
    const bridge = fakeBridge({
      hello: () => helloResult({ locale: 'en' }),
      getCampaigns: () => [requestedCampaign],
      getQueue: () => ({ total: 2, items }),
    });
    await renderAgent({ bridge });
    await userEvent.click(screen.getByTestId('tab-queue'));
    await flush();
    const [a, b] = rows();
    expect(within(a!).getByText('Holiday')).toBeTruthy();
    expect(within(a!).getByText('Not due')).toBeTruthy();
    expect(within(a!).getByText('1 left')).toBeTruthy();
    expect(within(a!).getByText('Requested callbacks')).toBeTruthy();
    expect(within(b!).getByText('⊘ DO NOT CALL')).toBeTruthy();
  });

  it("the due time on the customer's clock, and on the agent's when it differs", async () => {
    const due = Date.UTC(2025, 4, 21, 1, 0); // 10:00 in Tokyo, 21:00 the day before in New York
    const items = [queueItem('cb-1', { dueAt: due, timeZone: 'Asia/Tokyo' })];
    await openQueue({ getQueue: () => ({ total: 1, items }) }, 'America/New_York');
    const row = rows()[0]!;
    expect(within(row).getByTestId('due-customer').textContent).toBe('お客様5/21(水) 10:00');
    expect(within(row).getByTestId('due-agent').textContent).toBe('あなた5/20(火) 21:00');
  });

  it('the same clock is shown once', async () => {
    const items = [queueItem('cb-1', { dueAt: Date.UTC(2025, 4, 21, 1, 0) })];
    await openQueue({ getQueue: () => ({ total: 1, items }) }, 'Asia/Tokyo');
    expect(within(rows()[0]!).getByTestId('due-customer').textContent).toBe('5/21(水) 10:00');
    expect(within(rows()[0]!).queryByTestId('due-agent')).toBeNull();
  });
});

describe('callback queue: the card', () => {
  const attempts: Attempt[] = [
    {
      id: 'at-2',
      callbackId: 'cb-1',
      at: Date.UTC(2025, 4, 19, 5, 0),
      outcome: 'no_answer',
      durationSec: null,
      disposition: 'no_answer',
      callerId: '+815055500201',
      agent: 'sip:1001@pbx.example.jp',
    },
    {
      id: 'at-1',
      callbackId: 'cb-1',
      at: Date.UTC(2025, 4, 18, 2, 30),
      outcome: 'answered',
      durationSec: 95,
      disposition: 'call_me_at',
      callerId: null,
      agent: 'sip:1001@pbx.example.jp',
    },
  ];

  it('a row opens it: who, both clocks, the blocks in plain words, the history', async () => {
    const item = queueItem('cb-1', {
      promised: true,
      dueAt: Date.UTC(2025, 4, 21, 1, 0),
      attempts: 2,
      attemptsLeft: 3,
      blocked: ['not_due', 'outside_window'],
      nextAt: Date.UTC(2025, 4, 21, 1, 0),
      note: '午前中希望',
      notice: { channel: 'email', sentAt: Date.UTC(2025, 4, 17, 0, 0) },
    });
    const { queueCalls: _q, bridge } = await openQueue(
      {
        getQueue: () => ({ total: 1, items: [item] }),
        getCallback: () => ({ item, attempts }),
      },
      'America/New_York',
    );
    await userEvent.click(rows()[0]!);
    await flush();
    expect(bridge.calls('getCallback')).toEqual([{ callbackId: 'cb-1' }]);
    expect(rows()[0]!.getAttribute('aria-selected')).toBe('true');

    const card = screen.getByTestId('callback-card');
    expect(within(card).getByTestId('callback-name').textContent).toBe('山田 太郎');
    expect(within(card).getByTestId('callback-number').textContent).toBe('03-5555-0101');
    expect(within(card).getByTestId('callback-campaign').textContent).toBe(
      'ご依頼の折り返し折り返し依頼',
    );
    expect(within(card).getByText('約束の時刻')).toBeTruthy();
    expect(within(card).getByTestId('due-customer').textContent).toBe('お客様5/21(水) 10:00');
    expect(within(card).getByTestId('due-agent').textContent).toBe('あなた5/20(火) 21:00');
    expect(within(card).getByTestId('callback-next-at').textContent).toBe(
      '5/20(火) 21:00 から架電できます',
    );
    expect(within(card).getByTestId('callback-notice').textContent).toBe(
      '5/17(土) 09:00 メール送付済み',
    );
    expect(within(card).getByText('午前中希望')).toBeTruthy();
    expect(
      [...within(card).getByTestId('callback-blocks').querySelectorAll('li')].map(
        (li) => li.textContent,
      ),
    ).toEqual([
      'まだ予定時刻になっていません。',
      'お客様の現地時刻で、キャンペーンの架電時間外です。',
    ]);

    // Dial is off, and says why (main would refuse anyway).
    const dial = within(card).getByTestId('callback-dial') as HTMLButtonElement;
    expect(dial.disabled).toBe(true);
    const why = document.getElementById(dial.getAttribute('aria-describedby')!)!;
    expect(why.textContent).toBe('まだ予定時刻になっていません。');

    // Attempts: how many, and each one (on the agent's clock).
    expect(within(card).getByTestId('callback-attempts-summary').textContent).toBe(
      '2 / 5 回（残り3回）',
    );
    const trs = within(card).getByTestId('callback-attempts').querySelectorAll('tbody tr');
    expect([...trs].map((tr) => [...tr.children].map((td) => td.textContent))).toEqual([
      ['5/19(月) 01:00', '不在', '–', '不在', '050-5550-0201'],
      ['5/17(土) 22:30', '応答', '1分35秒', '時間指定で再架電', '–'],
    ]);
  });

  it('opted out of all calls: said loudly, Dial is off', async () => {
    const item = queueItem('cb-1', { optOut: 'all', blocked: ['opted_out'] });
    await openQueue({
      getQueue: () => ({ total: 1, items: [item] }),
      getCallback: () => ({ item, attempts: [] }),
    });
    await userEvent.click(rows()[0]!);
    await flush();
    const card = screen.getByTestId('callback-card');
    expect(within(card).getByTestId('callback-optout').textContent).toBe(
      '⊘このお客様には架電できません（全発信の架電停止）。',
    );
    expect((within(card).getByTestId('callback-dial') as HTMLButtonElement).disabled).toBe(true);
    expect(within(card).getByTestId('dial-why').textContent).toBe(
      'お客様が架電停止を希望しています。',
    );
    expect(within(card).getByText('まだ架電していません')).toBeTruthy();
  });

  it('the keyboard: arrows move in the list, Enter opens the row', async () => {
    await openQueue({ getQueue: bigQueue(50) });
    scroller().focus();
    await userEvent.keyboard('{ArrowDown}{ArrowDown}{ArrowUp}{ArrowDown}{ArrowDown}');
    expect(scroller().getAttribute('aria-activedescendant')).toBe('q-row-3');
    await userEvent.keyboard('{Enter}');
    await flush();
    expect(screen.getByTestId('callback-card').dataset.callbackId).toBe('cb-3');
    await userEvent.keyboard('{End}');
    expect(scroller().getAttribute('aria-activedescendant')).toBe('q-row-49');
  });
});
