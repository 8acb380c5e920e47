import { useEffect } from 'react';
import type { AgentStore } from './store/agent-store';
import type { HeadsetControls } from '../headset/headset-status';
import { useActions, useAgentStore, useHeadset } from './agent-context';
import { isEstablished } from './call-who';
import { conferencePartner } from './CallControls';
import { DIAL_INPUT_ID } from './DialCard';
import { dtmfKeyFor, mediaKeyFor, shortcutFor } from './shortcuts';
import { selectCurrentCall, selectRingingCall } from './store/agent-store';
import type { CallActions } from './call-actions';

/**
 * Window-wide call shortcuts: answer/reject the ringing call; hang up, hold, mute, keypad,
 * transfer and conference on the current one; next line; jump to the number field. While the
 * keypad is open, digit keys send DTMF. Never while typing in a field (shortcutFor). The
 * Play/Pause media key goes to the headset machine, which picks the call as for a headset's
 * hook button (and drops the key when a headset's own press already did it).
 */
export function useCallShortcuts() {
  const store = useAgentStore();
  const actions = useActions();
  const headset = useHeadset();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (handleKey(e, store, actions, headset)) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store, actions, headset]);
}

function handleKey(
  e: KeyboardEvent,
  store: AgentStore,
  actions: CallActions,
  headset: HeadsetControls,
): boolean {
  const media = mediaKeyFor(e);
  if (media) {
    headset.mediaKey(media);
    return true;
  }
  const s = store.getState();
  const ringing = selectRingingCall(s);
  const current = selectCurrentCall(s);
  const live = current && isEstablished(current) ? current : null;

  const tone = s.keypadOpen && live ? dtmfKeyFor(e) : null;
  if (tone && live) {
    void actions.sendDtmf(live.id, tone);
    return true;
  }
  const cmd = shortcutFor(e);
  switch (cmd) {
    case 'answer':
      if (!ringing) return false;
      void actions.answer(ringing.id);
      return true;
    case 'reject':
      if (ringing) {
        void actions.reject(ringing.id);
        return true;
      }
      // No call waiting to refuse: Escape closes an open panel.
      if (e.key === 'Escape' && (s.keypadOpen || s.transferOpen || s.settingsOpen)) {
        s.setKeypadOpen(false);
        s.setTransferOpen(false);
        s.setSettingsOpen(false);
        return true;
      }
      return false;
    case 'hangup':
      if (!current || current.state === 'ended') return false;
      void actions.hangup(current.id);
      return true;
    case 'hold':
      if (!live) return false;
      void (live.onHold ? actions.resume(live.id) : actions.hold(live.id));
      return true;
    case 'mute':
      if (!live) return false;
      void actions.setMute(live.id, !live.muted);
      return true;
    case 'keypad':
      if (!live) return false;
      s.setKeypadOpen(!s.keypadOpen);
      s.setTransferOpen(false);
      return true;
    case 'transfer':
      if (!live || live.consultFor) return false;
      s.setTransferOpen(!s.transferOpen);
      s.setKeypadOpen(false);
      return true;
    case 'conference': {
      const partner = live ? conferencePartner(s.calls, live) : null;
      if (!live || !partner) return false;
      void actions.conference([partner.id, live.id]);
      return true;
    }
    case 'nextLine': {
      const lines = Object.values(s.calls)
        .filter(isEstablished)
        .sort((a, b) => a.startedAt - b.startedAt || (a.id < b.id ? -1 : 1));
      if (lines.length < 2) return false;
      const i = lines.findIndex((c) => c.id === current?.id);
      const next = lines[(i + 1) % lines.length];
      if (!next) return false;
      void actions.switchLine(next.id);
      return true;
    }
    case 'dial': {
      const input = document.getElementById(DIAL_INPUT_ID);
      if (!(input instanceof HTMLInputElement)) return false;
      input.focus();
      return true;
    }
    default:
      return false;
  }
}
