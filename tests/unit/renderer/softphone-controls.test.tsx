// Every call control reaches the right api method with the right args, by button and by key;
// outbound states, call waiting, lines, transfers and the conference button.
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { Call } from '../../../preload/contract';
import { helloResult, ringingCall, unknownCall } from './fixtures';
import { flush, renderAgent } from './render-agent';

afterEach(cleanup);

const active = (over: Partial<Call> = {}) =>
  ringingCall({ state: 'active', answeredAt: Date.now() - 5_000, ...over });

const withCalls = (...calls: Call[]) =>
  renderAgent({ handlers: { hello: () => helloResult({ calls }) } });

describe('hold, mute, hang up', () => {
  it('hold button → holdCall; on hold it shows 保留中 and resume → resumeCall', async () => {
    const { bridge } = await withCalls(active());
    await userEvent.click(screen.getByTestId('hold'));
    expect(bridge.calls('holdCall')).toEqual([{ callId: 'call-1' }]);
    act(() => bridge.emit('call.updated', active({ onHold: true })));
    expect(screen.getByTestId('hold-state').textContent).toBe('保留中');
    await userEvent.click(screen.getByTestId('resume'));
    expect(bridge.calls('resumeCall')).toEqual([{ callId: 'call-1' }]);
  });

  it('remote hold is shown distinctly from our hold', async () => {
    await withCalls(active({ remoteHold: true }));
    const flag = screen.getByTestId('hold-state');
    expect(flag.textContent).toBe('相手が保留中');
    expect(flag.dataset.flag).toBe('hold-remote');
    expect(screen.getByTestId('hold')).toBeTruthy(); // we can still hold
  });

  it('P holds / resumes, M mutes / unmutes, H hangs up', async () => {
    const { bridge } = await withCalls(active());
    await userEvent.keyboard('p');
    expect(bridge.calls('holdCall')).toEqual([{ callId: 'call-1' }]);
    await userEvent.keyboard('m');
    expect(bridge.calls('setMute')).toEqual([{ callId: 'call-1', muted: true }]);
    act(() => bridge.emit('call.updated', active({ onHold: true, muted: true })));
    await userEvent.keyboard('p');
    expect(bridge.calls('resumeCall')).toEqual([{ callId: 'call-1' }]);
    await userEvent.keyboard('M');
    expect(bridge.calls('setMute')).toEqual([
      { callId: 'call-1', muted: true },
      { callId: 'call-1', muted: false },
    ]);
    await userEvent.keyboard('h');
    expect(bridge.calls('hangupCall')).toEqual([{ callId: 'call-1' }]);
  });

  it('mute button → setMute; muted shows ミュート中', async () => {
    const { bridge } = await withCalls(active());
    await userEvent.click(screen.getByTestId('mute'));
    expect(bridge.calls('setMute')).toEqual([{ callId: 'call-1', muted: true }]);
    act(() => bridge.emit('call.updated', active({ muted: true })));
    expect(screen.getByTestId('mute-state').textContent).toBe('ミュート中');
    expect(screen.getByTestId('mute').getAttribute('aria-pressed')).toBe('true');
  });

  it('controls show their keys', async () => {
    await withCalls(active());
    expect(screen.getByTestId('hold').getAttribute('aria-keyshortcuts')).toBe('P');
    expect(screen.getByTestId('mute').getAttribute('aria-keyshortcuts')).toBe('M');
    expect(screen.getByTestId('keypad-toggle').textContent).toContain('K');
  });
});

describe('DTMF keypad', () => {
  it('keypad buttons → sendDtmf, with the digits shown', async () => {
    const { bridge } = await withCalls(active());
    await userEvent.click(screen.getByTestId('keypad-toggle'));
    await userEvent.click(screen.getByTestId('dtmf-5'));
    await userEvent.click(screen.getByTestId('dtmf-#'));
    await userEvent.click(screen.getByTestId('dtmf-*'));
    expect(bridge.calls('sendDtmf')).toEqual([
      { callId: 'call-1', tones: '5' },
      { callId: 'call-1', tones: '#' },
      { callId: 'call-1', tones: '*' },
    ]);
    expect(screen.getByTestId('dtmf-sent').textContent).toBe('5#*');
  });

  it('digit keys send tones only while the keypad is open (K opens it)', async () => {
    const { bridge } = await withCalls(active());
    await userEvent.keyboard('1');
    expect(bridge.calls('sendDtmf')).toEqual([]);
    await userEvent.keyboard('k');
    expect(screen.getByTestId('keypad')).toBeTruthy();
    await userEvent.keyboard('09#');
    expect(bridge.calls('sendDtmf')).toEqual([
      { callId: 'call-1', tones: '0' },
      { callId: 'call-1', tones: '9' },
      { callId: 'call-1', tones: '#' },
    ]);
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByTestId('keypad')).toBeNull();
  });

  it('with Japanese IME on, digit keys still send (key Process, code Digit3)', async () => {
    const { bridge } = await withCalls(active());
    await userEvent.keyboard('k');
    fireEvent.keyDown(window, { key: 'Process', code: 'Digit3' });
    expect(bridge.calls('sendDtmf')).toEqual([{ callId: 'call-1', tones: '3' }]);
  });

  it('never steals keys from a text field', async () => {
    const { bridge } = await withCalls(active());
    await userEvent.keyboard('k');
    await userEvent.click(screen.getByTestId('dialpad-input'));
    await userEvent.keyboard('03phm');
    expect(bridge.calls('sendDtmf')).toEqual([]);
    expect(bridge.calls('holdCall')).toEqual([]);
    expect(bridge.calls('hangupCall')).toEqual([]);
    expect(bridge.calls('setMute')).toEqual([]);
    expect((screen.getByTestId('dialpad-input') as HTMLInputElement).value).toBe('03phm');
  });
});

describe('dial pad and click-to-dial', () => {
  it('full-width Japanese number + Enter → dial with half-width digits', async () => {
    const { bridge } = await withCalls();
    await userEvent.click(screen.getByTestId('dialpad-input'));
    await userEvent.keyboard('０３－１２３４－５６７８{Enter}');
    expect(bridge.calls('dial')).toEqual([{ target: '03-1234-5678' }]);
  });

  it('the call button dials; D focuses the number field', async () => {
    const { bridge } = await withCalls();
    await userEvent.keyboard('d');
    expect(document.activeElement).toBe(screen.getByTestId('dialpad-input'));
    await userEvent.keyboard('+81 90 1234 5678');
    await userEvent.click(screen.getByTestId('dial'));
    expect(bridge.calls('dial')).toEqual([{ target: '+81 90 1234 5678' }]);
  });

  it('a non-number is refused with a hint, nothing is sent', async () => {
    const { bridge } = await withCalls();
    await userEvent.click(screen.getByTestId('dialpad-input'));
    await userEvent.keyboard('yamada{Enter}');
    expect(bridge.calls('dial')).toEqual([]);
    expect(screen.getByRole('alert').textContent).toContain('電話番号');
  });

  it("the customer's phone in the timeline header is click-to-dial", async () => {
    const { bridge } = await withCalls(active());
    await userEvent.click(screen.getByTestId('click-to-dial'));
    expect(bridge.calls('dial')).toEqual([{ target: '+81355550101' }]);
  });

  it('a failed dial is shown at the dial card', async () => {
    const { bridge } = await renderAgent({
      handlers: { dial: () => ({ code: 'unavailable', message: 'not registered' }) },
    });
    await userEvent.type(screen.getByTestId('dialpad-input'), '0312345678{Enter}');
    expect(bridge.calls('dial')).toHaveLength(1);
    expect(screen.getByTestId('action-error').textContent).toContain('発信に失敗しました');
  });
});

describe('outbound call states', () => {
  const outbound = (over: Partial<Call>) =>
    unknownCall({ id: 'call-out', direction: 'outbound', state: 'connecting', ...over });

  it('calling…, then ringing at the far end', async () => {
    const { bridge } = await withCalls(outbound({}));
    expect(screen.getByTestId('outbound-progress').textContent).toBe('発信中…');
    expect(screen.getByTestId('call-state').textContent).toBe('発信中');
    act(() => bridge.emit('call.updated', outbound({ state: 'ringing' })));
    expect(screen.getByTestId('outbound-progress').textContent).toBe('相手を呼び出し中…');
    expect(screen.getByTestId('call-state').textContent).toBe('呼出中'); // not 着信中
    // An outbound ringing call is not an incoming pop.
    expect(screen.queryByTestId('incoming-pop')).toBeNull();
  });

  it.each([
    [486, 'busy', '話中（SIP 486）', 'Busy (SIP 486)'],
    [404, 'failed', '番号が見つかりません（SIP 404）', 'Number not found (SIP 404)'],
    [503, 'failed', '相手に接続できません（SIP 503）', 'Not reachable (SIP 503)'],
    [480, 'no_answer', '応答なし（SIP 480）', 'No answer (SIP 480)'],
  ] as const)(
    'SIP %i is shown localized, the raw reason as tooltip',
    async (status, outcome, ja, en) => {
      const ended = outbound({
        state: 'ended',
        endedAt: Date.now(),
        outcome,
        sipStatus: status,
        endReason: `SIP ${status} something`,
      });
      const { i18n } = await withCalls(ended);
      const line = screen.getByTestId('call-failure');
      expect(line.textContent).toBe(ja);
      expect(line.getAttribute('title')).toBe(`SIP ${status} something`);
      await act(() => i18n.changeLanguage('en'));
      expect(screen.getByTestId('call-failure').textContent).toBe(en);
    },
  );

  it('no answer without a SIP status', async () => {
    await withCalls(outbound({ state: 'ended', endedAt: Date.now(), outcome: 'no_answer' }));
    expect(screen.getByTestId('call-failure').textContent).toBe('応答なし');
  });
});

describe('call waiting and lines', () => {
  const second = () =>
    unknownCall({ id: 'call-2', startedAt: Date.now() - 1_000, state: 'ringing' });

  it('a second inbound call pops beside the active one; answering it makes it current', async () => {
    const { bridge } = await withCalls(active({ startedAt: Date.now() - 60_000 }));
    act(() => bridge.emit('call.updated', second()));
    const pop = screen.getByTestId('incoming-pop');
    expect(pop.dataset.callId).toBe('call-2');
    expect(within(pop).getByText('割込着信')).toBeTruthy();
    expect(screen.getByTestId('active-call').dataset.callId).toBe('call-1');
    expect(document.querySelector('.call-panel')?.hasAttribute('data-waiting')).toBe(true);
    expect(screen.getByTestId('line-call-1')).toBeTruthy();
    expect(screen.getByTestId('line-call-2')).toBeTruthy();

    await userEvent.keyboard('{Enter}');
    expect(bridge.calls('answerCall')).toEqual([{ callId: 'call-2' }]);
    // Core holds the first and the second becomes active.
    act(() => {
      bridge.emit('call.updated', active({ startedAt: Date.now() - 60_000, onHold: true }));
      bridge.emit('call.updated', { ...second(), state: 'active', answeredAt: Date.now() });
    });
    expect(screen.queryByTestId('incoming-pop')).toBeNull();
    expect(screen.getByTestId('active-call').dataset.callId).toBe('call-2');
    expect(screen.getByTestId('line-call-1').textContent).toContain('保留中');
  });

  it('clicking a held line → switchLine; L goes to the next line', async () => {
    const { bridge } = await withCalls(
      active({ startedAt: Date.now() - 60_000, onHold: true }),
      unknownCall({ id: 'call-2', state: 'active', answeredAt: Date.now() }),
    );
    expect(screen.getByTestId('active-call').dataset.callId).toBe('call-2');
    await userEvent.click(screen.getByTestId('line-call-1'));
    expect(bridge.calls('switchLine')).toEqual([{ callId: 'call-1' }]);
    // Core resumes the line and holds the other.
    act(() => {
      bridge.emit('call.updated', active({ startedAt: Date.now() - 60_000 }));
      bridge.emit(
        'call.updated',
        unknownCall({ id: 'call-2', state: 'active', answeredAt: Date.now(), onHold: true }),
      );
    });
    expect(screen.getByTestId('active-call').dataset.callId).toBe('call-1');
    await userEvent.keyboard('l');
    expect(bridge.calls('switchLine')).toEqual([{ callId: 'call-1' }, { callId: 'call-2' }]);
  });
});

describe('transfers and conference', () => {
  it('blind: target → blindTransfer', async () => {
    const { bridge } = await withCalls(active());
    await userEvent.keyboard('t');
    const input = screen.getByTestId('transfer-target');
    expect(document.activeElement).toBe(input);
    await userEvent.keyboard('２００１');
    await userEvent.click(screen.getByTestId('transfer-blind'));
    expect(bridge.calls('blindTransfer')).toEqual([{ callId: 'call-1', target: '2001' }]);
  });

  it('attended: startConsult, the consult call linked to the original, then completeTransfer', async () => {
    const { bridge } = await withCalls(active({ startedAt: Date.now() - 60_000 }));
    await userEvent.click(screen.getByTestId('transfer-toggle'));
    await userEvent.type(screen.getByTestId('transfer-target'), '2001');
    await userEvent.click(screen.getByTestId('transfer-consult'));
    expect(bridge.calls('startConsult')).toEqual([{ callId: 'call-1', target: '2001' }]);
    act(() => {
      bridge.emit('call.updated', active({ startedAt: Date.now() - 60_000, onHold: true }));
      bridge.emit(
        'call.updated',
        unknownCall({
          id: 'call-consult',
          direction: 'outbound',
          state: 'active',
          answeredAt: Date.now(),
          consultFor: 'call-1',
        }),
      );
    });
    const card = screen.getByTestId('active-call');
    expect(card.dataset.callId).toBe('call-consult');
    expect(screen.getByTestId('consult-for').textContent).toContain('山田 太郎');
    await userEvent.click(screen.getByTestId('transfer-complete'));
    expect(bridge.calls('completeTransfer')).toEqual([
      { callId: 'call-1', consultCallId: 'call-consult' },
    ]);
  });

  it('transfer progress is shown from call.transfer', async () => {
    const transfer = {
      kind: 'blind' as const,
      target: '2001',
      state: 'progress' as const,
      detail: 'SIP/2.0 180 Ringing',
      consultCallId: null,
    };
    const { bridge } = await withCalls(active({ transfer }));
    expect(screen.getByTestId('transfer-status').textContent).toBe('2001 へ転送: 呼び出し中');
    act(() => bridge.emit('call.updated', active({ transfer: { ...transfer, state: 'failed' } })));
    expect(screen.getByTestId('transfer-status').dataset.state).toBe('failed');
  });

  it('conference appears with two established calls → conference(callIds)', async () => {
    const { bridge } = await withCalls(
      active({ startedAt: Date.now() - 60_000, onHold: true }),
      unknownCall({ id: 'call-2', state: 'active', answeredAt: Date.now() }),
    );
    await userEvent.click(screen.getByTestId('conference'));
    expect(bridge.calls('conference')).toEqual([{ callIds: ['call-1', 'call-2'] }]);
    act(() => {
      bridge.emit(
        'call.updated',
        active({ startedAt: Date.now() - 60_000, conferenceId: 'conf-1' }),
      );
      bridge.emit(
        'call.updated',
        unknownCall({
          id: 'call-2',
          state: 'active',
          answeredAt: Date.now(),
          conferenceId: 'conf-1',
        }),
      );
    });
    expect(screen.queryByTestId('conference')).toBeNull();
    expect(screen.getByTestId('conference-state').textContent).toBe('三者通話中');
  });

  it('no conference button with one call', async () => {
    await withCalls(active());
    expect(screen.queryByTestId('conference')).toBeNull();
    await flush();
  });
});

describe('quality', () => {
  it('the live quality is shown with its MOS, coloured by band', async () => {
    const { store } = await withCalls(
      active({ quality: { mos: 4.3, lossPct: 0.1, jitterMs: 3, rttMs: 40 } }),
    );
    const meter = screen.getByTestId('quality');
    expect(meter.dataset.band).toBe('good');
    expect(meter.textContent).toBe('4.3');
    // The renderer's own newer sample wins over the one on the call record.
    act(() =>
      store.getState().setQuality('call-1', { mos: 3.1, lossPct: 8, jitterMs: 40, rttMs: 300 }),
    );
    expect(screen.getByTestId('quality').dataset.band).toBe('poor');
    expect(screen.getByTestId('quality').getAttribute('title')).toContain('8.0%');
  });
});
