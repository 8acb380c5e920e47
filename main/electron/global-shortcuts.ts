// Call control from keys that reach the app whatever window has the focus: the fallback for
// headsets without telephony HID, whose buttons arrive as media keys (Play/Pause), and for
// agents who want a key of their own. The shell follows the calls from core's call.updated
// and acts through core.dispatch with the same methods as the screen's buttons, so core's
// rules apply as they do to a click.
import { focusLine, linesFrom, togglePress } from '../../preload/call-focus';
import type { Call } from '../../preload/contract';
import type { Core } from '../core/core-api';
import type { Logger } from '../core/log';
import { normalizeAccelerator } from './accelerator';
import type { GlobalShortcutLike } from './deps';
import { SHORTCUT_ACTIONS, type ShortcutAction, type ShortcutSettings } from './settings';

/**
 * Play/Pause does not hang up a call answered less than this ago: many headsets send it
 * beside their telephony hook report, and answer-then-drop is the worst thing a key can do.
 */
export const ANSWER_GRACE_MS = 2000;
/** A second press of the same key within this is bounce or key repeat. */
export const REPEAT_GUARD_MS = 400;

export type CallView = Pick<
  Call,
  'id' | 'direction' | 'state' | 'onHold' | 'muted' | 'startedAt' | 'answeredAt'
>;

export type CallCommand =
  | { method: 'answerCall'; args: { callId: string } }
  | { method: 'hangupCall'; args: { callId: string } }
  | { method: 'setMute'; args: { callId: string; muted: boolean } };

function justAnswered(call: CallView, now: number): boolean {
  if (call.direction === 'inbound' && call.state === 'connecting') return true;
  return call.answeredAt !== null && now - call.answeredAt < ANSWER_GRACE_MS;
}

/**
 * Which call a key acts on, and how; null = the key does nothing now. The same rules as the
 * headset's buttons (preload/call-focus.ts): Play/Pause is the headset's toggle press.
 */
export function commandFor(
  action: ShortcutAction,
  calls: readonly CallView[],
  now: number,
): CallCommand | null {
  const lines = linesFrom(calls);
  const byId = (id: string) => calls.find((c) => c.id === id)!;
  const focus = focusLine(lines);
  switch (action) {
    case 'answerOrHangup': {
      const press = togglePress(lines);
      if (!press) return null;
      if (press.type === 'answer') return { method: 'answerCall', args: { callId: press.callId } };
      if (justAnswered(byId(press.callId), now)) return null;
      return { method: 'hangupCall', args: { callId: press.callId } };
    }
    case 'hangup':
      return focus && { method: 'hangupCall', args: { callId: focus.id } };
    case 'toggleMute':
      return focus && { method: 'setMute', args: { callId: focus.id, muted: !focus.muted } };
  }
}

export interface GlobalShortcuts {
  /** The accelerators registered, by action (for logs and tests). */
  readonly registered: ReadonlyMap<ShortcutAction, string>;
  /** Unregisters them (on will-quit). */
  dispose(): void;
}

export function installGlobalShortcuts(opts: {
  globalShortcut: GlobalShortcutLike;
  core: Pick<Core, 'on' | 'dispatch'>;
  shortcuts: ShortcutSettings;
  log: Logger;
  now?: () => number;
  platform?: NodeJS.Platform;
}): GlobalShortcuts {
  const { globalShortcut, core, log } = opts;
  const now = opts.now ?? Date.now;
  const platform = opts.platform ?? process.platform;
  const calls = new Map<string, CallView>();
  const stopCalls = core.on('call.updated', (call) => {
    if (call.state === 'ended') calls.delete(call.id);
    else calls.set(call.id, call);
  });

  const lastPress = new Map<ShortcutAction, number>();
  const press = (action: ShortcutAction) => {
    const at = now();
    const last = lastPress.get(action);
    lastPress.set(action, at);
    if (last !== undefined && at - last < REPEAT_GUARD_MS) return;
    const command = commandFor(action, [...calls.values()], at);
    if (!command) {
      log.debug('global shortcut: no call to act on', { action });
      return;
    }
    void core.dispatch(command.method, command.args).then(
      (res) => {
        if (!res.ok) {
          log.warn('global shortcut refused', {
            action,
            method: command.method,
            code: res.error.code,
          });
        }
      },
      (err: unknown) => log.error('global shortcut failed', { action, err }),
    );
  };

  const registered = new Map<ShortcutAction, string>();
  for (const action of SHORTCUT_ACTIONS) {
    const accelerator = opts.shortcuts[action];
    if (accelerator === null) continue;
    const same = normalizeAccelerator(accelerator, platform);
    const taken = [...registered].find(([, a]) => normalizeAccelerator(a, platform) === same)?.[0];
    if (taken) {
      log.warn('global shortcut skipped: the same key is already set', {
        action,
        accelerator,
        for: taken,
      });
      continue;
    }
    let ok: boolean;
    try {
      ok = globalShortcut.register(accelerator, () => press(action));
    } catch (err) {
      log.error('global shortcut skipped: Electron refused the accelerator', {
        action,
        accelerator,
        reason: err instanceof Error ? err.message : String(err),
      });
      continue;
    }
    if (!ok) {
      // The OS said no: another application holds the key, or (macOS) media keys need the
      // app to be trusted for Accessibility, or (Wayland) the portal refused.
      log.warn('global shortcut skipped: the OS did not give the app this key', {
        action,
        accelerator,
      });
      continue;
    }
    registered.set(action, accelerator);
    log.info('global shortcut registered', { action, accelerator });
  }

  let disposed = false;
  return {
    registered,
    dispose() {
      if (disposed) return;
      disposed = true;
      stopCalls();
      for (const accelerator of registered.values()) {
        try {
          globalShortcut.unregister(accelerator);
        } catch (err) {
          log.warn('global shortcut not unregistered', { accelerator, err });
        }
      }
    },
  };
}
