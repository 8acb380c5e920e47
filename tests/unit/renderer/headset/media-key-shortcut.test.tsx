// The keyboard's Play/Pause media key in the focused window: through the headset machine, so it
// picks the call as a headset's hook button would — and leaves the work to a telephony
// headset when one is open. IME-safe and never with modifiers.
import { act, cleanup, fireEvent } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { mediaKeyFor } from '../../../../renderer/app/shortcuts';
import { helloResult, ringingCall } from '../fixtures';
import { flush, renderAgent } from '../render-agent';
import { fakeHid, jabraLink380 } from './fake-hid';

const stops: Array<() => void> = [];
afterEach(() => {
  cleanup();
  for (const stop of stops.splice(0)) stop();
});

const key = (init: KeyboardEventInit) => new KeyboardEvent('keydown', { bubbles: true, ...init });

describe('mediaKeyFor', () => {
  it('Play/Pause, in a text field too (it types nothing)', () => {
    expect(mediaKeyFor(key({ key: 'MediaPlayPause' }))).toBe('playPause');
    const field = document.body.appendChild(document.createElement('textarea'));
    const e = key({ key: 'MediaPlayPause' });
    field.dispatchEvent(e);
    expect(mediaKeyFor(e)).toBe('playPause');
    field.remove();
  });

  it('not during an IME composition, held down, with a modifier, or already handled', () => {
    expect(mediaKeyFor(key({ key: 'MediaPlayPause', isComposing: true }))).toBeNull();
    expect(mediaKeyFor(key({ key: 'MediaPlayPause', repeat: true }))).toBeNull();
    expect(mediaKeyFor(key({ key: 'MediaPlayPause', ctrlKey: true }))).toBeNull();
    const handled = key({ key: 'MediaPlayPause', cancelable: true });
    handled.preventDefault();
    expect(mediaKeyFor(handled)).toBeNull();
  });

  it('other media keys stay the system’s', () => {
    for (const k of ['MediaStop', 'MediaTrackNext', 'AudioVolumeMute', 'p'])
      expect(mediaKeyFor(key({ key: k }))).toBeNull();
  });
});

describe('Play/Pause in the window', () => {
  it('answers the ringing call, then hangs up the answered one', async () => {
    const ringing = ringingCall({ startedAt: Date.now() - 3_000 });
    const app = await renderAgent({ handlers: { hello: () => helloResult({ calls: [ringing] }) } });
    stops.push(app.stopSync);
    // The machine ignores a press within the echo window after the calls change.
    await new Promise((r) => setTimeout(r, 550));
    fireEvent.keyDown(window, { key: 'MediaPlayPause' });
    await flush();
    expect(app.bridge.calls('answerCall')).toEqual([{ callId: 'call-1' }]);

    act(() =>
      app.bridge.emit('call.updated', { ...ringing, state: 'active', answeredAt: Date.now() }),
    );
    await new Promise((r) => setTimeout(r, 550));
    fireEvent.keyDown(window, { key: 'MediaPlayPause' });
    await flush();
    expect(app.bridge.calls('hangupCall')).toEqual([{ callId: 'call-1' }]);
  });

  it('does nothing while a telephony headset is open (its hook switch answers)', async () => {
    const app = await renderAgent({
      hid: fakeHid([jabraLink380()]),
      handlers: { hello: () => helloResult({ calls: [ringingCall()] }) },
    });
    stops.push(app.stopSync);
    await new Promise((r) => setTimeout(r, 550));
    fireEvent.keyDown(window, { key: 'MediaPlayPause' });
    await flush();
    expect(app.bridge.calls('answerCall')).toEqual([]);
  });
});
