// A ringing call must reach the agent even when the window is minimized, hidden in the tray
// or behind other windows (agents complain most about calls that ring unseen): an OS
// notification with who is calling, and the window brought forward without stealing focus
// from what the agent is typing. Clicking the notification focuses the window.
import type { Call, Locale } from '../../preload/contract';
import type { BrowserWindowLike, NotificationCtor } from './deps';

const TITLE: Record<Locale, string> = { ja: '着信', en: 'Incoming call' };
const UNKNOWN: Record<Locale, string> = { ja: '不明な発信者', en: 'Unknown caller' };
const ANONYMOUS: Record<Locale, string> = { ja: '非通知', en: 'Anonymous' };

export function describeCaller(call: Call, locale: Locale): string {
  if (call.remote.anonymous) return ANONYMOUS[locale];
  const name = call.pop.customer?.name ?? call.remote.displayName;
  const number = call.remote.display || call.remote.raw;
  if (name && number) return `${name}  ${number}`;
  return name || number || UNKNOWN[locale];
}

export interface RingingAlertDeps {
  Notification: NotificationCtor;
  window: () => BrowserWindowLike | null;
  locale: () => Locale;
}

/** Returns the listener for core's 'call.updated'. */
export function createRingingAlert(deps: RingingAlertDeps): (call: Call) => void {
  const alerted = new Set<string>();
  return (call) => {
    if (call.state !== 'ringing' || call.direction !== 'inbound') {
      if (call.state === 'ended') alerted.delete(call.id);
      return;
    }
    if (alerted.has(call.id)) return;
    alerted.add(call.id);
    const win = deps.window();
    const unseen =
      !win || win.isDestroyed() || win.isMinimized() || !win.isVisible() || !win.isFocused();
    if (!unseen) return; // the pop on screen is enough
    if (win && !win.isDestroyed()) {
      if (win.isMinimized()) win.restore();
      win.showInactive(); // forward, but keystrokes stay where the agent is typing
      win.flashFrame(true);
    }
    if (!deps.Notification.isSupported()) return;
    const locale = deps.locale();
    const n = new deps.Notification({
      title: TITLE[locale],
      body: describeCaller(call, locale),
      urgency: 'critical',
      silent: true, // the app rings on the chosen ringer device itself
    });
    n.on('click', () => {
      const w = deps.window();
      if (!w || w.isDestroyed()) return;
      w.show();
      w.focus();
    });
    n.show();
  };
}
