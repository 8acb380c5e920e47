// Issue 3 in the real UI: call waiting (a second customer calls during a call, answering
// holds the first, the agent switches lines) and an attended transfer (consult a colleague,
// then join the customer to them with REFER/Replaces) — Chromium, Kamailio, rtpengine, sipp.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shouldSkip } from '../infra/peers';
import { runSipp, type SippRun } from '../infra/sipp';
import { artifacts, E2E_PEERS, startCallCentre, type CallCentre } from './call-centre';

describe.skipIf(shouldSkip(...E2E_PEERS))(
  'call waiting and attended transfer (browser mode)',
  () => {
    let cc: CallCentre;
    let colleague: SippRun | undefined;
    beforeAll(async () => {
      cc = await startCallCentre();
    });
    afterAll(async () => {
      await colleague?.stop();
      await cc?.close();
    });

    const calls = () =>
      cc.app.core.dispatch('hello', {}).then((r) =>
        r.ok
          ? (
              r.result as {
                calls: {
                  id: string;
                  state: string;
                  onHold: boolean;
                  pop: { customer: { name: string } | null };
                  endReason: string | null;
                }[];
              }
            ).calls
          : [],
      );
    const callOf = async (name: string) =>
      (await calls()).find((c) => c.pop.customer?.name === name);

    it('holds the first caller to answer the second, switches lines, then transfers with a consult', async () => {
      const page = cc.ui.page;
      // Customer 1 calls and is answered.
      const yamada = cc.call({ user: '0355550101', display: 'Yamada' });
      await page.getByTestId('answer').click({ timeout: 10_000 });
      await expect
        .poll(async () => (await callOf('山田 太郎'))?.state, { timeout: 10_000 })
        .toBe('active');
      await cc.audioFlowing();

      // Customer 2 calls during the call: the pop appears beside the current call.
      const sato = cc.call({ user: '090-1234-5678' });
      const pop = page.getByTestId('incoming-pop');
      await expect.poll(() => pop.textContent(), { timeout: 10_000 }).toContain('佐藤 花子');
      await expect(page.getByTestId('active-call').first().textContent()).resolves.toContain(
        '山田 太郎',
      );
      await page.screenshot({ path: join(artifacts, 'e2e-call-waiting.png') });
      await pop.getByTestId('answer').click();
      await expect
        .poll(async () => (await callOf('佐藤 花子'))?.state, { timeout: 10_000 })
        .toBe('active');
      await expect
        .poll(async () => (await callOf('山田 太郎'))?.onHold, { timeout: 10_000 })
        .toBe(true);
      const satoCall = (await callOf('佐藤 花子'))!;
      await cc.audioFlowing(satoCall.id);

      // Back to customer 1 from the line list: 山田 resumes, 佐藤 goes on hold.
      const yamadaCall = (await callOf('山田 太郎'))!;
      await page.getByTestId(`line-${yamadaCall.id}`).click();
      await expect
        .poll(async () => (await callOf('山田 太郎'))?.onHold, { timeout: 10_000 })
        .toBe(false);
      await expect
        .poll(async () => (await callOf('佐藤 花子'))?.onHold, { timeout: 10_000 })
        .toBe(true);

      // Attended transfer of 山田 to a colleague at 03-1234-9999 (a sipp phone behind the
      // gateway): consult first, then complete.
      colleague = runSipp({
        scenario: 'uas_controls',
        target: `127.0.0.1:${cc.kam.udpPort}`,
        localPort: cc.kam.gatewayPort,
        keys: { notify_final: 'SIP/2.0 200 OK' },
        rtpEcho: true,
        timeoutSec: 60,
      });
      const active = page.getByTestId('active-call').filter({ hasText: '山田 太郎' });
      await active.getByTestId('transfer-toggle').click();
      await page.getByTestId('transfer-target').fill('03-1234-9999');
      await page.getByTestId('transfer-consult').click();
      await expect
        .poll(
          async () =>
            (await calls()).find(
              (c) =>
                c.state === 'active' && !c.onHold && c.id !== yamadaCall.id && c.id !== satoCall.id,
            )?.id,
          { timeout: 15_000 },
        )
        .toBeTruthy();
      await page.screenshot({ path: join(artifacts, 'e2e-consult.png') });
      await page.getByTestId('transfer-complete').click();

      // Both legs of the transfer end; 山田's phone got REFER with Replaces and said 200.
      await expect
        .poll(async () => (await callOf('山田 太郎')) ?? null, { timeout: 15_000 })
        .toBeNull();
      expect((await yamada.done).code).toBe(0);
      // On the wire: the customer's phone was REFERred to the consult dialog (Replaces).
      expect(yamada.messages()).toMatch(/^Refer-To:.*Replaces=/im);
      expect((await calls()).map((c) => c.pop.customer?.name)).toEqual(['佐藤 花子']);

      // The waiting customer is still there, on hold; the agent resumes them and hangs up.
      await page
        .getByTestId('active-call')
        .filter({ hasText: '佐藤 花子' })
        .getByTestId('resume')
        .click();
      await expect
        .poll(async () => (await callOf('佐藤 花子'))?.onHold, { timeout: 10_000 })
        .toBe(false);
      await page.getByTestId('hangup').first().click();
      expect((await sato.done).code).toBe(0);
    });
  },
);
