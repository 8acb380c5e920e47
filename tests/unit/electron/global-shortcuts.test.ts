import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import type { Call, RpcResponse } from '../../../preload/contract';
import {
  ANSWER_GRACE_MS,
  commandFor,
  installGlobalShortcuts,
  REPEAT_GUARD_MS,
  type CallView,
} from '../../../main/electron/global-shortcuts';
import { DEFAULT_SHORTCUTS, type ShortcutSettings } from '../../../main/electron/settings';
import { FakeGlobalShortcut, memoryLogger } from './fakes';

const NOW = 1_700_000_000_000;

function call(over: Partial<CallView> & Pick<CallView, 'id'>): CallView {
  return {
    direction: 'inbound',
    state: 'active',
    onHold: false,
    muted: false,
    startedAt: NOW - 60_000,
    answeredAt: NOW - 50_000,
    ...over,
  };
}
const ringing = (id: string, startedAt = NOW - 5_000) =>
  call({ id, state: 'ringing', startedAt, answeredAt: null });

describe('commandFor: which call a key acts on', () => {
  it('Play/Pause answers the ringing call', () => {
    expect(commandFor('answerOrHangup', [ringing('r')], NOW)).toEqual({
      method: 'answerCall',
      args: { callId: 'r' },
    });
  });

  it('answers the oldest ringing call first, even during a call (core holds the other)', () => {
    const calls = [call({ id: 'a' }), ringing('new', NOW - 1_000), ringing('old', NOW - 9_000)];
    expect(commandFor('answerOrHangup', calls, NOW)).toMatchObject({
      method: 'answerCall',
      args: { callId: 'old' },
    });
  });

  it('hangs up the call being talked on when nothing rings', () => {
    expect(commandFor('answerOrHangup', [call({ id: 'a' })], NOW)).toEqual({
      method: 'hangupCall',
      args: { callId: 'a' },
    });
  });

  it('does not hang up a call answered moments ago (a headset sending hook and Play/Pause)', () => {
    const fresh = call({ id: 'a', answeredAt: NOW - ANSWER_GRACE_MS + 1 });
    expect(commandFor('answerOrHangup', [fresh], NOW)).toBeNull();
    const answering = call({ id: 'b', state: 'connecting', answeredAt: null });
    expect(commandFor('answerOrHangup', [answering], NOW)).toBeNull();
    const settled = call({ id: 'c', answeredAt: NOW - ANSWER_GRACE_MS });
    expect(commandFor('answerOrHangup', [settled], NOW)).toMatchObject({ method: 'hangupCall' });
    // The dedicated hang-up key has no such pause: pressing it means it.
    expect(commandFor('hangup', [fresh], NOW)).toMatchObject({ method: 'hangupCall' });
  });

  it('never acts on a held call; takes the newest talking one', () => {
    const held = call({ id: 'held', onHold: true, startedAt: NOW - 10_000 });
    expect(commandFor('answerOrHangup', [held], NOW)).toBeNull();
    expect(commandFor('hangup', [held], NOW)).toBeNull();
    expect(commandFor('toggleMute', [held], NOW)).toBeNull();
    const older = call({ id: 'older', startedAt: NOW - 90_000 });
    const newer = call({ id: 'newer', startedAt: NOW - 30_000 });
    expect(commandFor('hangup', [held, older, newer], NOW)).toMatchObject({
      args: { callId: 'newer' },
    });
  });

  it('cancels an outbound call being dialed when nothing is talking', () => {
    const dialing = call({ id: 'out', direction: 'outbound', state: 'ringing', answeredAt: null });
    expect(commandFor('answerOrHangup', [dialing], NOW)).toEqual({
      method: 'hangupCall',
      args: { callId: 'out' },
    });
    // A talking call wins over one being dialed.
    const talking = call({ id: 'talk' });
    expect(commandFor('hangup', [dialing, talking], NOW)).toMatchObject({
      args: { callId: 'talk' },
    });
  });

  it('mute toggles the focus call', () => {
    expect(commandFor('toggleMute', [call({ id: 'a' })], NOW)).toEqual({
      method: 'setMute',
      args: { callId: 'a', muted: true },
    });
    expect(commandFor('toggleMute', [call({ id: 'a', muted: true })], NOW)).toMatchObject({
      args: { muted: false },
    });
  });

  it('does nothing with no calls, only ended ones, or only a ringing one to hang up or mute', () => {
    for (const action of ['answerOrHangup', 'hangup', 'toggleMute'] as const) {
      expect(commandFor(action, [], NOW)).toBeNull();
      expect(commandFor(action, [call({ id: 'e', state: 'ended' })], NOW)).toBeNull();
    }
    expect(commandFor('hangup', [ringing('r')], NOW)).toBeNull(); // rejecting is the screen's
    expect(commandFor('toggleMute', [ringing('r')], NOW)).toBeNull();
  });
});

function fakeCore(result: RpcResponse = { ok: true, result: { ok: true } }) {
  const events = new EventEmitter();
  const dispatch = vi.fn(async (_method: unknown, _args: unknown) => result);
  return {
    events,
    dispatch,
    on: (event: string, listener: (payload: Call) => void) => {
      events.on(event, listener);
      return () => events.off(event, listener);
    },
  };
}

function fullCall(over: Partial<Call> & Pick<Call, 'id' | 'state'>): Call {
  return {
    direction: 'inbound',
    onHold: false,
    remoteHold: false,
    muted: false,
    consultFor: null,
    conferenceId: null,
    transfer: null,
    quality: null,
    sipStatus: null,
    remote: { raw: '', e164: null, display: '', anonymous: false, displayName: null },
    reason: null,
    pop: { customer: null, lastContacts: [] },
    startedAt: NOW - 10_000,
    answeredAt: null,
    endedAt: null,
    outcome: null,
    endReason: null,
    ...over,
  };
}

function setup(
  shortcuts: Partial<ShortcutSettings> = {},
  prepare?: (g: FakeGlobalShortcut) => void,
) {
  const globalShortcut = new FakeGlobalShortcut();
  prepare?.(globalShortcut);
  const core = fakeCore();
  const log = memoryLogger();
  let now = NOW;
  const installed = installGlobalShortcuts({
    globalShortcut,
    core: core as never,
    shortcuts: { ...DEFAULT_SHORTCUTS, ...shortcuts },
    log,
    now: () => now,
  });
  const advance = (ms: number) => (now += ms);
  return { globalShortcut, core, log, installed, advance };
}

describe('installGlobalShortcuts', () => {
  it('registers Play/Pause by default; it answers the ringing call through dispatch', async () => {
    const { globalShortcut, core, installed } = setup();
    expect([...globalShortcut.callbacks.keys()]).toEqual(['MediaPlayPause']);
    expect(installed.registered.get('answerOrHangup')).toBe('MediaPlayPause');
    core.events.emit('call.updated', fullCall({ id: 'c1', state: 'ringing' }));
    globalShortcut.press('MediaPlayPause');
    expect(core.dispatch).toHaveBeenCalledWith('answerCall', { callId: 'c1' });
  });

  it('follows the calls: answered, then hung up later; an ended call is forgotten', () => {
    const { globalShortcut, core, advance } = setup();
    core.events.emit('call.updated', fullCall({ id: 'c1', state: 'active', answeredAt: NOW }));
    globalShortcut.press('MediaPlayPause'); // within the grace: nothing
    expect(core.dispatch).not.toHaveBeenCalled();
    advance(ANSWER_GRACE_MS);
    globalShortcut.press('MediaPlayPause');
    expect(core.dispatch).toHaveBeenLastCalledWith('hangupCall', { callId: 'c1' });
    core.events.emit('call.updated', fullCall({ id: 'c1', state: 'ended', answeredAt: NOW }));
    advance(REPEAT_GUARD_MS);
    globalShortcut.press('MediaPlayPause');
    expect(core.dispatch).toHaveBeenCalledTimes(1);
  });

  it('ignores a repeat of the same key within the guard', () => {
    const { globalShortcut, core, advance } = setup({ toggleMute: 'CommandOrControl+Alt+M' });
    core.events.emit('call.updated', fullCall({ id: 'c1', state: 'active', answeredAt: NOW }));
    globalShortcut.press('CommandOrControl+Alt+M');
    advance(REPEAT_GUARD_MS - 1);
    globalShortcut.press('CommandOrControl+Alt+M');
    expect(core.dispatch).toHaveBeenCalledTimes(1);
    advance(REPEAT_GUARD_MS);
    globalShortcut.press('CommandOrControl+Alt+M');
    expect(core.dispatch).toHaveBeenCalledTimes(2);
  });

  it('registers configured keys and none for null', () => {
    const { globalShortcut } = setup({
      answerOrHangup: null,
      hangup: 'Ctrl+Alt+H',
      toggleMute: 'F9',
    });
    expect([...globalShortcut.callbacks.keys()].sort()).toEqual(['Ctrl+Alt+H', 'F9']);
  });

  it('skips, and says so, a key another application owns', () => {
    const { globalShortcut, log, installed } = setup({ hangup: 'Ctrl+Alt+H' }, (g) =>
      g.taken.add('MediaPlayPause'),
    );
    expect([...globalShortcut.callbacks.keys()]).toEqual(['Ctrl+Alt+H']);
    expect(installed.registered.has('answerOrHangup')).toBe(false);
    expect(log.lines.join('\n')).toMatch(/did not give the app this key.*MediaPlayPause/);
  });

  it('skips an accelerator Electron rejects, without throwing', () => {
    const { globalShortcut, log } = setup({ toggleMute: 'Ctrl+Alt+M' }, (g) =>
      g.invalid.add('MediaPlayPause'),
    );
    expect([...globalShortcut.callbacks.keys()]).toEqual(['Ctrl+Alt+M']);
    expect(log.lines.join('\n')).toMatch(/Electron refused the accelerator.*conversion failure/);
  });

  it('does not register one key for two actions', () => {
    const { globalShortcut, log } = setup({ hangup: 'mediaplaypause' });
    expect([...globalShortcut.callbacks.keys()]).toEqual(['MediaPlayPause']);
    expect(log.lines.join('\n')).toContain('the same key is already set');
  });

  it('knows the same keys spelt two ways', () => {
    const { globalShortcut, log } = setup({ hangup: 'Ctrl+Alt+H', toggleMute: 'Alt+Control+h' });
    expect([...globalShortcut.callbacks.keys()]).toEqual(['MediaPlayPause', 'Ctrl+Alt+H']);
    expect(log.lines.join('\n')).toContain('the same key is already set');
  });

  it('logs a refusal from core', async () => {
    const globalShortcut = new FakeGlobalShortcut();
    const core = fakeCore({ ok: false, error: { code: 'not_found', message: 'no such call' } });
    const log = memoryLogger();
    installGlobalShortcuts({
      globalShortcut,
      core: core as never,
      shortcuts: DEFAULT_SHORTCUTS,
      log,
      now: () => NOW,
    });
    core.events.emit('call.updated', fullCall({ id: 'c1', state: 'ringing' }));
    globalShortcut.press('MediaPlayPause');
    await vi.waitFor(() => expect(log.lines.join('\n')).toContain('global shortcut refused'));
  });

  it('unregisters its keys once and stops following calls', () => {
    const { globalShortcut, core, installed } = setup({ hangup: 'Ctrl+Alt+H' });
    installed.dispose();
    installed.dispose();
    expect(globalShortcut.unregistered.sort()).toEqual(['Ctrl+Alt+H', 'MediaPlayPause']);
    expect(core.events.listenerCount('call.updated')).toBe(0);
  });
});
