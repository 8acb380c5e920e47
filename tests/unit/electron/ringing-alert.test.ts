import { beforeEach, describe, expect, it } from 'vitest';
import type { Call, Locale } from '../../../preload/contract';
import { createRingingAlert, describeCaller } from '../../../main/electron/ringing-alert';
import { FakeBrowserWindow, FakeNotification } from './fakes';

function call(over: Partial<Call> = {}): Call {
  return {
    id: 'c1',
    direction: 'inbound',
    state: 'ringing',
    onHold: false,
    remoteHold: false,
    muted: false,
    consultFor: null,
    conferenceId: null,
    transfer: null,
    quality: null,
    sipStatus: null,
    reason: null,
    remote: {
      raw: '0355550101',
      e164: '+81355550101',
      display: '03-5555-0101',
      anonymous: false,
      displayName: null,
    },
    pop: {
      customer: {
        id: 'c',
        name: '山田 太郎',
        nameKana: null,
        segment: 'heavy',
        phone: '+81355550101',
      },
      lastContacts: [],
    },
    startedAt: 0,
    answeredAt: null,
    endedAt: null,
    outcome: null,
    endReason: null,
    ...over,
  };
}

let win: FakeBrowserWindow;
let locale: Locale;
const alert = () =>
  createRingingAlert({ Notification: FakeNotification, window: () => win, locale: () => locale });

beforeEach(() => {
  FakeNotification.shown = [];
  FakeNotification.supported = true;
  win = new FakeBrowserWindow({});
  locale = 'ja';
});

describe('ringing alert', () => {
  it('stays quiet when the agent is looking at the window', () => {
    win.show();
    win.focus();
    alert()(call());
    expect(FakeNotification.shown).toHaveLength(0);
  });

  it('minimized: restores the window without taking focus, flashes it, and notifies once', () => {
    win.show();
    win.minimized = true;
    const onCall = alert();
    onCall(call());
    onCall(call()); // the same ringing call updated again: one notification
    expect(win.minimized).toBe(false);
    expect(win.shownInactive).toBe(true);
    expect(win.focused).toBe(false);
    expect(win.flashed).toBe(true);
    expect(FakeNotification.shown.map((n) => n.options)).toEqual([
      { title: '着信', body: '山田 太郎  03-5555-0101', urgency: 'critical', silent: true },
    ]);
    FakeNotification.shown[0]!.click();
    expect(win.focused).toBe(true);
  });

  it('hidden in the tray: notifies in the agent language; outbound and ended calls do not', () => {
    locale = 'en';
    const onCall = alert();
    onCall(call({ direction: 'outbound' }));
    onCall(call({ state: 'active' }));
    expect(FakeNotification.shown).toHaveLength(0);
    onCall(
      call({
        remote: { raw: '', e164: null, display: '', anonymous: true, displayName: null },
        pop: { customer: null, lastContacts: [] },
      }),
    );
    expect(FakeNotification.shown[0]?.options).toMatchObject({
      title: 'Incoming call',
      body: 'Anonymous',
    });
  });

  it('describes unknown callers by number, then name header, then a fallback', () => {
    const unknown = { customer: null, lastContacts: [] };
    expect(describeCaller(call({ pop: unknown }), 'ja')).toBe('03-5555-0101');
    expect(
      describeCaller(
        call({
          pop: unknown,
          remote: { raw: '', e164: null, display: '', anonymous: false, displayName: null },
        }),
        'en',
      ),
    ).toBe('Unknown caller');
  });

  it('works without notification support (still raises the window)', () => {
    FakeNotification.supported = false;
    win.minimized = true;
    alert()(call());
    expect(win.shownInactive).toBe(true);
    expect(FakeNotification.shown).toHaveLength(0);
  });
});
