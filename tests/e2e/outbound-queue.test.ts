// Issue 6 in the real UI: the agent works a queue of callbacks in Debian Chromium against
// Kamailio + rtpengine and sipp far ends that answer, are busy, or never answer. Attempts,
// outcomes and next-attempt times are recorded in main and shown on the card and the rows;
// a do-not-call given during a call cancels every pending callback of that customer, and the
// number can no longer be dialled from the queue or by hand (no INVITE reaches the far end).
// Core's clock is injected (Tuesday 10:00 in Tokyo, running on in real time) and the
// browser's follows it, so the calling windows never depend on when CI runs.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Attempt, Campaign, MethodName, QueueItem } from '../../preload/contract';
import { DATABASE_FILE } from '../../main/core/core';
import { createCustomerRepo } from '../../main/core/store/customers';
import { openDatabase } from '../../main/core/store/db';
import { repoRoot } from '../infra/app';
import { assertPeers, shouldSkip } from '../infra/peers';
import { rejectScenario, type SippRun } from '../infra/sipp';
import { expectSippOk, startFarEnd } from '../integration/phone/call-helpers';
import { artifacts, E2E_PEERS, startCallCentre, type CallCentre } from './call-centre';

// Tuesday 24 November 2026, 10:00 in Tokyo: inside every default campaign's window.
const TUESDAY_10_JST = Date.UTC(2026, 10, 24, 1, 0);
const MINUTE = 60_000;
const ZONE = 'Asia/Tokyo';

describe.skipIf(shouldSkip(...E2E_PEERS))('outbound callback queue (browser mode)', () => {
  let cc: CallCentre;
  let dataDir: string | undefined;
  const runs: SippRun[] = [];
  const t0 = Date.now();
  const now = () => TUESDAY_10_JST + (Date.now() - t0);
  /** The test's callbacks by name, made in beforeAll. */
  const cb: Record<'yamada' | 'sato' | 'suzuki' | 'takahashi1' | 'takahashi2', QueueItem> =
    {} as never;

  async function call<T>(method: MethodName, args: unknown): Promise<T> {
    const r = await cc.app.core.dispatch(method, args);
    if (!r.ok) throw Object.assign(new Error(`${method}: ${r.error.message}`), r.error);
    return r.result as T;
  }
  async function refusal(method: MethodName, args: unknown) {
    const r = await cc.app.core.dispatch(method, args);
    expect(r.ok, `${method} should have been refused`).toBe(false);
    return (r as { error: { code: string; reason?: string; message: string } }).error;
  }
  const callback = (id: string) =>
    call<{ item: QueueItem; attempts: Attempt[] }>('getCallback', { callbackId: id });
  /** A sipp far end on Kamailio's gateway, listening before the agent dials; stopped after. */
  const farEnd = async (
    ...args: Parameters<typeof startFarEnd> extends [unknown, ...infer R] ? R : never
  ) => {
    const run = await startFarEnd(cc.kam, ...args);
    runs.push(run);
    return run;
  };
  const invites = (run: SippRun) => (run.messages().match(/^INVITE sip:/gm) ?? []).length;
  const hhmm = (ms: number) => DateTime.fromMillis(ms, { zone: ZONE }).toFormat('HH:mm');

  // ---- the screen ----
  const page = () => cc.ui.page;
  const rows = () => page().getByTestId('queue-row');
  const row = (item: QueueItem) =>
    page().locator(`[data-testid="queue-row"][data-callback-id="${item.id}"]`);
  const card = () => page().getByTestId('callback-card');
  const cardId = () => card().getAttribute('data-callback-id', { timeout: 10_000 });
  const rowIds = async () =>
    (await rows().evaluateAll((els) => els.map((e) => e.getAttribute('data-callback-id')))).sort();
  const badges = (item: QueueItem) =>
    row(item)
      .locator('[data-badge]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-badge')));
  const openQueue = async () => {
    await page().getByTestId('tab-queue').click();
    await page().getByTestId('queue-panel').waitFor({ timeout: 10_000 });
  };
  /** Opens a callback's card from its row and waits for its attempt history. */
  const openCard = async (item: QueueItem, attempts: number) => {
    await openQueue();
    await row(item).click({ timeout: 10_000 });
    await expect.poll(cardId, { timeout: 10_000 }).toBe(item.id);
    await expect
      .poll(() => card().locator('[data-testid="callback-attempts"] tbody tr').count(), {
        timeout: 10_000,
      })
      .toBe(attempts);
  };
  const historyOutcomes = () =>
    card()
      .locator('[data-testid="callback-attempts"] tbody tr')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-outcome')));
  /** "Next" picks the next-best callback (main's choice); the card previews it. */
  const next = async (expected: QueueItem) => {
    await openQueue();
    await page().getByTestId('queue-next').click({ timeout: 10_000 });
    await expect.poll(cardId, { timeout: 10_000 }).toBe(expected.id);
    await expect(card().getAttribute('data-via')).resolves.toBe('next');
    await expect(page().getByTestId('callback-name').textContent()).resolves.toBe(
      expected.customer?.name,
    );
  };
  const currentCallId = async () => {
    const c = page().getByTestId('active-call');
    return (await c.count()) > 0 ? await c.first().getAttribute('data-call-id') : null;
  };
  /** Dial on the card; resolves with the new call once it is on the screen. */
  const dialFromCard = async () => {
    const before = await currentCallId();
    const dial = card().getByTestId('callback-dial');
    await expect.poll(() => dial.isEnabled(), { timeout: 10_000 }).toBe(true);
    await dial.click();
    await expect.poll(currentCallId, { timeout: 15_000 }).not.toBe(before);
    const callId = (await currentCallId())!;
    expect(callId).toBeTruthy();
    return {
      callId,
      in: (state: string) =>
        page().locator(
          `[data-testid="active-call"][data-call-id="${callId}"][data-state="${state}"]`,
        ),
      card: page().locator(`[data-testid="active-call"][data-call-id="${callId}"]`),
    };
  };
  /** The wrap-up after an answered call: pick the result and save it. */
  const wrapUp = async (code: string) => {
    await page().getByTestId('tab-customer').click();
    const form = page().getByTestId('wrap-up');
    await form.waitFor({ timeout: 10_000 });
    await form.getByTestId(`disposition-${code}`).check();
    await form.getByTestId('disposition-save').click();
    await expect.poll(() => page().getByTestId('wrap-up').count(), { timeout: 10_000 }).toBe(0);
  };
  const settled = (item: QueueItem, status: QueueItem['status'], attempts: number) =>
    expect
      .poll(
        async () => {
          const c = await callback(item.id);
          return c.item.status === status && c.attempts.every((a) => a.outcome !== null)
            ? c.attempts.length
            : -1;
        },
        { timeout: 15_000 },
      )
      .toBe(attempts);

  beforeAll(async () => {
    assertPeers(...E2E_PEERS);
    // Our own customers instead of the demo set, so the queue holds only this test's work.
    dataDir = mkdtempSync(join(tmpdir(), 'outbound-e2e-'));
    const db = openDatabase(join(dataDir, DATABASE_FILE));
    const customers = createCustomerRepo(db);
    const people = [
      ['yamada', '山田 太郎', 'ヤマダ タロウ', 'heavy', '03-5555-0101'],
      ['sato', '佐藤 花子', 'サトウ ハナコ', 'repeat', '090-1234-5678'],
      ['suzuki', '鈴木 一郎', 'スズキ イチロウ', 'new', '06-1234-5678'],
      ['takahashi', '高橋 美咲', 'タカハシ ミサキ', 'dormant', '045-123-4567'],
    ] as const;
    for (const [id, name, nameKana, segment, phone] of people) {
      customers.upsert({ id, name, nameKana, segment, phones: [phone] });
    }
    db.close();
    cc = await startCallCentre({
      app: { dataDir, seedDemo: false, now, noAnswerTimeoutSec: 3 },
      timezoneId: ZONE,
      clock: now,
    });
    // Set-up through the contract: promised callbacks, due a few minutes apart (queue order),
    // and a second one for 高橋 later today on another campaign.
    const at = now();
    const schedule = (customerId: string, number: string, dueAt: number, extra: object = {}) =>
      call<QueueItem>('scheduleCallback', { customerId, number, dueAt, owner: 'me', ...extra });
    cb.yamada = await schedule('yamada', '03-5555-0101', at - 4 * MINUTE, {
      note: '請求書の件で折り返し希望',
    });
    cb.sato = await schedule('sato', '090-1234-5678', at - 3 * MINUTE);
    cb.suzuki = await schedule('suzuki', '06-1234-5678', at - 2 * MINUTE);
    cb.takahashi1 = await schedule('takahashi', '045-123-4567', at - MINUTE);
    cb.takahashi2 = await schedule('takahashi', '045-123-4567', at + 120 * MINUTE, {
      campaignId: 'delivery_delay',
    });
  });
  afterEach(async () => {
    await Promise.all(runs.splice(0).map((r) => r.stop()));
  });
  afterAll(async () => {
    await Promise.all(runs.splice(0).map((r) => r.stop()));
    await cc?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('lists the callbacks in the queue tab, with their badges', async () => {
    await openQueue();
    await expect.poll(() => rows().count(), { timeout: 15_000 }).toBe(5);
    expect(await rowIds()).toEqual(
      Object.values(cb)
        .map((c) => c.id)
        .sort(),
    );
    // Queue order: the due promises, earliest first; the one not due yet last.
    const order = await rows().evaluateAll((els) =>
      els
        .sort((a, b) => Number(a.dataset.index) - Number(b.dataset.index))
        .map((e) => e.getAttribute('data-callback-id')),
    );
    expect(order).toEqual(
      [cb.yamada, cb.sato, cb.suzuki, cb.takahashi1, cb.takahashi2].map((c) => c.id),
    );
    expect(await badges(cb.yamada)).toEqual(['promised', 'attempts-left']);
    // The second callback of 高橋 is for later today, on a service campaign.
    expect(await badges(cb.takahashi2)).toEqual(['not_due', 'attempts-left']);
    expect(await row(cb.yamada).getAttribute('data-dialable')).toBe('true');
    expect(await row(cb.takahashi2).getAttribute('data-dialable')).toBe('false');
    await expect
      .poll(() => page().getByTestId('queue-counts').textContent(), { timeout: 10_000 })
      .toBe('待ち 5 件・今すぐ架電可 4 件');

    const shot = join(artifacts, 'e2e-outbound-queue.png');
    await page().getByTestId('queue-panel').screenshot({ path: shot });
    // The README's picture is refreshed on request only, so a test run leaves the tree clean.
    if (process.env.UPDATE_DOCS_SCREENSHOTS) {
      mkdirSync(join(repoRoot, 'docs'), { recursive: true });
      copyFileSync(shot, join(repoRoot, 'docs/outbound-queue.png'));
    }
  });

  it('answered: Next, dial, talk, hang up, the result closes the callback', async () => {
    await next(cb.yamada);
    const uas = await farEnd('uas_controls', {
      keys: { notify_final: 'SIP/2.0 200 OK' },
      rtpEcho: true,
      timeoutSec: 60,
    });
    const placed = await dialFromCard();
    await placed.in('active').waitFor({ timeout: 15_000 });
    await cc.audioFlowing();
    await placed.card.getByTestId('hangup').click();
    await expectSippOk(uas);
    await settled(cb.yamada, 'wrap_up', 1);
    await wrapUp('completed');

    const { item, attempts } = await callback(cb.yamada.id);
    expect(item).toMatchObject({ status: 'done', attempts: 1, nextAt: null });
    expect(attempts).toEqual([
      expect.objectContaining({
        outcome: 'answered',
        disposition: 'completed',
        callbackId: cb.yamada.id,
      }),
    ]);
    expect(attempts[0]!.durationSec).not.toBeNull();
    expect(invites(uas)).toBe(1);
    // Done: gone from the queue.
    await openQueue();
    await expect.poll(() => row(cb.yamada).count(), { timeout: 10_000 }).toBe(0);
    await expect.poll(() => rows().count(), { timeout: 10_000 }).toBe(4);
  });

  it('busy: the attempt and the next-attempt time are recorded and shown on the card', async () => {
    const campaign = (await call<Campaign[]>('getCampaigns', {})).find(
      (c) => c.id === cb.sato.campaignId,
    )!;
    await next(cb.sato);
    const uas = await farEnd(rejectScenario(486, 'Busy Here'));
    const before = now();
    const placed = await dialFromCard();
    const failure = placed.card.getByTestId('call-failure');
    await failure.waitFor({ timeout: 15_000 });
    expect(await failure.getAttribute('data-failure')).toBe('busy');
    await expectSippOk(uas);
    await settled(cb.sato, 'pending', 1);

    const { item, attempts } = await callback(cb.sato.id);
    expect(attempts.map((a) => a.outcome)).toEqual(['busy']);
    expect(item.attempts).toBe(1);
    expect(item.lastAttempt?.outcome).toBe('busy');
    const wait = Math.max(campaign.minIntervalMin, campaign.retryAfterMin.busy) * MINUTE;
    expect(item.nextAt!).toBeGreaterThanOrEqual(before + wait);
    expect(item.blocked).toContain('not_due');
    expect(invites(uas)).toBe(1);

    // The screen: the row waits (not due, one attempt fewer left), the card has the history.
    await openCard(cb.sato, 1);
    expect(await historyOutcomes()).toEqual(['busy']);
    // Both rules of time: the campaign's retry delay and the customer's least interval (the
    // list is refetched on 'queue.changed', so it may trail the card by a moment).
    await expect
      .poll(() => badges(cb.sato), { timeout: 10_000 })
      .toEqual(['too_soon', 'not_due', 'promised', 'attempts-left']);
    expect(await row(cb.sato).getAttribute('data-dialable')).toBe('false');
    expect(await row(cb.sato).locator('[data-badge="attempts-left"]').textContent()).toBe(
      `残り${campaign.maxAttempts - 1}回`,
    );
    const nextAt = await card().getByTestId('callback-next-at').textContent();
    expect(nextAt).toContain(hhmm(item.nextAt!));
    expect(nextAt).toContain('から架電できます');
    expect(await card().getByTestId('callback-attempts-summary').textContent()).toContain(
      `1 / ${campaign.maxAttempts}`,
    );
    expect(await card().getByTestId('callback-dial').isDisabled()).toBe(true);
    expect(await card().getByTestId('dial-why').textContent()).toBe(
      '前回の架電から間隔が足りません。',
    );
    expect(
      await card()
        .locator('[data-testid="callback-blocks"] li')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-block'))),
    ).toEqual(['too_soon', 'not_due']);
    await card().screenshot({ path: join(artifacts, 'e2e-outbound-callback-card.png') });
  });

  it('no answer: the app gives up after the ring timeout and the callback is retried later', async () => {
    await next(cb.suzuki);
    const uas = await farEnd('uas_ring_forever', { timeoutSec: 30 });
    const before = now();
    const placed = await dialFromCard();
    await placed.card
      .locator('[data-testid="outbound-progress"][data-state="ringing"]')
      .waitFor({ timeout: 15_000 });
    await placed.in('ended').waitFor({ timeout: 15_000 });
    // Given up by the app (CANCEL after the ring timeout): shown as no answer.
    expect(await placed.card.getByTestId('call-failure').getAttribute('data-failure')).toBe(
      'no_answer',
    );
    await expectSippOk(uas); // CANCEL answered 200 + 487, ACK
    await settled(cb.suzuki, 'pending', 1);

    const { item, attempts } = await callback(cb.suzuki.id);
    expect(attempts.map((a) => a.outcome)).toEqual(['no_answer']);
    expect(attempts[0]!.durationSec ?? 0).toBeLessThan(30);
    expect(item.nextAt!).toBeGreaterThan(before + 30 * MINUTE);
    expect(invites(uas)).toBe(1);

    await openCard(cb.suzuki, 1);
    expect(await historyOutcomes()).toEqual(['no_answer']);
    expect(await card().getByTestId('callback-next-at').textContent()).toContain(
      hhmm(item.nextAt!),
    );
    await expect.poll(() => badges(cb.suzuki), { timeout: 10_000 }).toContain('not_due');
  });

  it('an opt-out during the call cancels every pending callback of the customer; no dial reaches them again', async () => {
    // One far end for the whole step, taking up to two calls: a second INVITE would show.
    const uas = await farEnd('uas_controls', {
      keys: { notify_final: 'SIP/2.0 200 OK' },
      rtpEcho: true,
      timeoutSec: 90,
      calls: 2,
    });
    await next(cb.takahashi1);
    const placed = await dialFromCard();
    await placed.in('active').waitFor({ timeout: 15_000 });

    // During the call the agent opens the customer's other callback from the queue…
    await openQueue();
    await row(cb.takahashi2).click({ timeout: 10_000 });
    await expect.poll(cardId, { timeout: 10_000 }).toBe(cb.takahashi2.id);
    expect(await card().getAttribute('data-optout')).toBe('none');

    // …and, told "never call me again", clicks do-not-call on the call and confirms.
    await page().getByTestId('tab-customer').click();
    const notes = page().getByTestId('call-notes');
    await expect
      .poll(() => notes.getByTestId('notes-who').textContent(), { timeout: 10_000 })
      .toContain('高橋 美咲');
    await notes.getByTestId('opt-out').click();
    const confirm = page().getByTestId('opt-out-confirm');
    await confirm.waitFor({ timeout: 5_000 });
    await confirm.getByTestId('opt-out-scope-all').check();
    await confirm.getByTestId('opt-out-reason').fill('今後の電話は不要とのこと');
    await confirm.getByTestId('opt-out-submit').click();
    await page()
      .locator('[data-testid="opt-out-state"][data-state="done"][data-scope="all"]')
      .waitFor({ timeout: 10_000 });

    // Recorded in main: both callbacks of 高橋 are closed as opted out.
    for (const c of [cb.takahashi1, cb.takahashi2]) {
      expect((await callback(c.id)).item.status).toBe('opted_out');
    }
    // The queue: every callback of 高橋 is gone; the open card says why and cannot dial.
    await openQueue();
    await expect.poll(rowIds, { timeout: 10_000 }).toEqual([cb.sato.id, cb.suzuki.id].sort());
    await expect.poll(() => card().getAttribute('data-optout'), { timeout: 10_000 }).toBe('all');
    await card().getByTestId('callback-optout').waitFor({ timeout: 5_000 });
    expect(await card().getByTestId('callback-dial').isDisabled()).toBe(true);

    // The call goes on until the agent hangs up; the result is still asked for.
    await placed.card.getByTestId('hangup').click();
    await placed.in('ended').waitFor({ timeout: 15_000 });
    await wrapUp('refused');
    await openQueue();
    await expect.poll(cardId, { timeout: 10_000 }).toBe(cb.takahashi2.id);
    const dial = card().getByTestId('callback-dial');
    await expect.poll(() => dial.isDisabled(), { timeout: 10_000 }).toBe(true);
    expect(await card().getByTestId('dial-why').textContent()).toBe(
      'お客様が架電停止を希望しています。',
    );
    await page().screenshot({ path: join(artifacts, 'e2e-outbound-opted-out.png') });
    // Main refuses it whatever a screen would do.
    expect((await refusal('dialCallback', { callbackId: cb.takahashi2.id })).reason).toMatch(
      /opted_out|closed/,
    );
    for (const c of [cb.takahashi1, cb.takahashi2]) {
      const { item } = await callback(c.id);
      expect(item).toMatchObject({ status: 'opted_out', optOut: 'all', nextAt: null });
    }

    // By hand from the dial pad, in any format: the warning, and no way to place the call.
    const input = page().getByTestId('dialpad-input');
    const dialButton = page().getByTestId('dial');
    for (const typed of ['045-123-4567', '＋８１ ４５ １２３ ４５６７']) {
      await input.fill(typed);
      await page()
        .locator('[data-testid="dial-warning"][data-level="all"]')
        .waitFor({ timeout: 10_000 });
      await expect.poll(() => dialButton.isDisabled(), { timeout: 5_000 }).toBe(true);
      await input.press('Enter'); // the form's submit: refused on the screen too
      expect(await page().getByTestId('dial-warning').textContent()).toContain('架電禁止');
    }
    // Faster than the screen's check (typed and submitted in one go): main refuses the dial
    // itself and the dial card says so.
    await page().evaluate(() => {
      const field = document.querySelector<HTMLInputElement>('[data-testid="dialpad-input"]')!;
      Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(
        field,
        '0451234567',
      );
      field.dispatchEvent(new Event('input', { bubbles: true }));
      field.form!.requestSubmit();
    });
    const refused = page().getByTestId('action-error');
    await expect
      .poll(() => refused.textContent(), { timeout: 10_000 })
      .toContain('お客様が架電停止を希望しています。');
    await page()
      .locator('[data-testid="dial-warning"][data-level="all"]')
      .waitFor({ timeout: 10_000 });
    await page().screenshot({ path: join(artifacts, 'e2e-outbound-manual-refused.png') });
    expect((await refusal('dial', { target: '045-123-4567' })).reason).toBe('opted_out');
    expect((await call<{ optOut: string }>('checkNumber', { number: '0451234567' })).optOut).toBe(
      'all',
    );
    // No call was started by any of that.
    const hello = await call<{ calls: { state: string }[] }>('hello', {});
    expect(hello.calls.filter((c) => c.state !== 'ended')).toEqual([]);

    // The far end, still listening, saw exactly the one call placed before the opt-out.
    const trace = uas.messages();
    expect(invites(uas), trace.slice(-3000)).toBe(1);
    const { attempts } = await callback(cb.takahashi1.id);
    expect(attempts).toEqual([
      expect.objectContaining({ outcome: 'answered', disposition: 'refused' }),
    ]);
  });
});
