// Talk tracks end to end (browser mode, Debian Chromium): a heavy user calls through Kamailio
// + rtpengine with the IVR's reason on the INVITE ("inquiry"); the pop offers the inquiry
// script; the agent answers and walks it with the keyboard only — the recording notice
// refused until confirmed, the identity check, a choice, a screen reload halfway (the step
// comes back from core), the retention offer — and the answers are on the customer's record
// (the call's timeline entry) and in the outbox for the CRM, which is out of reach here.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../main/core/core';
import { KintoneAdapter } from '../../main/core/sync/crm/kintone/adapter';
import { repoRoot } from '../infra/app';
import { shouldSkip } from '../infra/peers';
import { freePort } from '../infra/ports';
import { artifacts, E2E_PEERS, startCallCentre, type CallCentre } from './call-centre';

const APPS = { customers: 11, activities: 12, callbacks: 13 };

describe.skipIf(shouldSkip(...E2E_PEERS))('talk tracks end to end (browser mode)', () => {
  let cc: CallCentre;
  beforeAll(async () => {
    // A kintone whose address answers nothing: every push waits in the outbox.
    const closed = await freePort('tcp');
    cc = await startCallCentre({
      app: {
        crm: new KintoneAdapter({
          config: { baseUrl: `http://127.0.0.1:${closed}`, apps: APPS },
          tokens: { customers: 'c', activities: 'a', callbacks: 'b' },
          timeoutMs: 1_000,
        }),
        sync: { backoff: { initialMs: 60_000, maxMs: 60_000 }, pullIntervalMs: 600_000 },
      },
    });
  });
  afterAll(async () => {
    await cc?.close();
  });

  const step = (page: Page, id: string) =>
    page.locator(`[data-testid="talk-step"][data-step-id="${id}"]`).waitFor({ timeout: 10_000 });

  it('offers the script for the caller and the reason, walked by keyboard, answers on record and in the outbox', async () => {
    const page = cc.ui.page;
    const sipp = cc.call({
      user: '0355550101',
      display: 'Yamada',
      header: 'X-Call-Reason: inquiry',
    });

    // The pop: the customer, and the script offered for a heavy user's inquiry.
    const name = page.getByTestId('pop-name');
    await expect.poll(() => name.textContent(), { timeout: 10_000 }).toContain('山田 太郎');
    const offered = page.getByTestId('pop-script');
    await offered.waitFor({ timeout: 10_000 });
    expect(await offered.getAttribute('data-script-id')).toBe('inbound-inquiry');
    expect(await offered.textContent()).toContain('お問い合わせ');

    // Answer from the keyboard; the panel opens on the greeting.
    await page.keyboard.press('Enter');
    await page
      .locator('[data-testid="call-state"][data-state="active"]')
      .waitFor({ timeout: 10_000 });
    const panel = page.getByTestId('talk-track');
    const callId = (await panel.getAttribute('data-call-id'))!;
    expect(await panel.getAttribute('data-script-id')).toBe('inbound-inquiry');
    await step(page, 'greeting');

    // G puts the focus in the panel; from there the keys walk the script.
    await page.keyboard.press('g');
    await page.keyboard.press('Enter');
    await step(page, 'recording_notice');
    expect(
      await page.getByTestId('talk-step').getAttribute('data-mandatory'),
      'the recording notice is marked mandatory',
    ).toBe('true');
    // Moving on without confirming is refused, and said.
    await page.keyboard.press('Enter');
    const refusal = page.getByTestId('talk-error');
    await refusal.waitFor({ timeout: 5_000 });
    expect(await refusal.getAttribute('data-reason')).toBe('mandatory_unconfirmed');
    await page.keyboard.press('Space');
    await page
      .locator('[data-testid="talk-step"][data-confirmed="true"]')
      .waitFor({ timeout: 5_000 });
    await page.keyboard.press('Enter');
    await step(page, 'identity_check');
    await page.keyboard.press('Space'); // the record matches
    await page
      .locator('[data-testid="talk-step"][data-confirmed="true"]')
      .waitFor({ timeout: 5_000 });
    await page.keyboard.press('y');
    await step(page, 'ask_topic');
    await page.keyboard.press('1'); // cancellation
    await step(page, 'cancel_reason');

    // The screen reloads mid-call: the same call, the same step, the answers so far.
    await page.reload();
    await page
      .locator('[data-testid="reg-status"][data-state="registered"]')
      .waitFor({ timeout: 15_000 });
    await step(page, 'cancel_reason');
    expect(await page.getByTestId('talk-answers').locator('li').count()).toBe(2);

    await page.keyboard.press('g');
    await page.keyboard.press('1'); // too expensive → the discount offer
    await step(page, 'offer_discount');
    await page.keyboard.press('y'); // stays
    await step(page, 'end_retained');
    expect(await page.getByTestId('talk-end-disposition').getAttribute('data-code')).toBe(
      'retained',
    );
    const answers = page.getByTestId('talk-answers');
    expect(await answers.locator('li').count()).toBe(4);
    expect(await page.getByTestId('talk-answer-ask_topic').textContent()).toContain(
      '解約・キャンセル',
    );
    expect(await page.getByTestId('talk-answer-cancel_reason').textContent()).toContain(
      '価格が高い',
    );
    const shot = join(artifacts, 'e2e-talk-track.png');
    await page.screenshot({ path: shot });
    if (process.env.UPDATE_DOCS_SCREENSHOTS) {
      mkdirSync(join(repoRoot, 'docs'), { recursive: true });
      copyFileSync(shot, join(repoRoot, 'docs/talk-track.png'));
    }

    await page.getByTestId('hangup').click();
    const result = await sipp.done;
    expect(result.code, result.stderr).toBe(0);

    // On the customer's record: the call's timeline entry carries the answers.
    const onRecord = page.getByTestId('timeline-answers').first();
    await expect.poll(() => onRecord.textContent(), { timeout: 10_000 }).toContain('価格が高い');
    expect(await onRecord.textContent()).toContain('本日はどのようなご用件でしょうか。');
    // The wrap-up takes the script's suggestion.
    await page.getByTestId('wrap-up').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('disposition-retained').isChecked()).toBe(true);
    await page.getByTestId('disposition-suggested').waitFor({ timeout: 5_000 });

    // In the outbox, waiting for the CRM: one record for the call's answers to this script.
    const db = new BetterSqlite3(join(cc.app.dataDir, DATABASE_FILE), { readonly: true });
    try {
      const row = db
        .prepare<[string], { kind: string; payload: string; state: string }>(
          'SELECT kind, payload, state FROM outbox WHERE key = ?',
        )
        .get(`script:${callId}:inbound-inquiry`);
      expect(row).toMatchObject({ kind: 'script_answers', state: 'pending' });
      expect(JSON.parse(row!.payload)).toMatchObject({
        interactionId: callId,
        customerId: 'demo-c001',
        scriptId: 'inbound-inquiry',
        answers: {
          identity_check: { value: true, answer: 'はい' },
          ask_topic: { value: 'cancellation', answer: '解約・キャンセル' },
          cancel_reason: { value: 'price', answer: '価格が高い' },
          offer_discount: { value: true, answer: 'はい' },
        },
      });
    } finally {
      db.close();
    }
    await page.screenshot({ path: join(artifacts, 'e2e-talk-track-wrap-up.png') });
  }, 90_000);
});
