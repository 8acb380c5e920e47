// Window-wide outbound keys, like the call shortcuts: one letter, no modifier, never while
// typing. N: next callback; S: skip the one on the card; Esc: stop the countdown; Q: switch
// between the customer and the queue. Enter dials the preview: focus sits on its Dial button.
import { useEffect } from 'react';
import { useAgentStore, useOutbound } from '../agent-context';
import { selectRingingCall } from '../store/agent-store';
import { selectAvailable } from '../store/outbound-slice';

const TYPING = 'input, textarea, select, [contenteditable]:not([contenteditable="false"])';

/** The letter of a plain key press (IME on: from the physical key), else null. */
function plainLetter(e: KeyboardEvent): string | null {
  if (e.defaultPrevented || e.repeat || e.isComposing) return null;
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  if (e.target instanceof Element && e.target.closest(TYPING)) return null;
  if (e.key === 'Escape') return 'escape';
  if (e.key.length === 1) return e.key.toLowerCase();
  if (e.key === 'Process' && /^Key[A-Z]$/.test(e.code)) return e.code.charAt(3).toLowerCase();
  return null;
}

export function useOutboundKeys() {
  const store = useAgentStore();
  const outbound = useOutbound();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const key = plainLetter(e);
      if (!key) return;
      const s = store.getState();
      if (selectRingingCall(s)) return; // the call's keys win while one rings
      let handled = true;
      switch (key) {
        case 'n':
          if (!selectAvailable(s)) return; // on a call or owing a result: N means nothing
          s.setWorkTab('queue');
          void outbound.next();
          break;
        case 's':
          if (!s.card || s.workTab !== 'queue' || s.card.item.status !== 'pending') return;
          outbound.stopCountdown();
          s.setSkipOpen(true);
          break;
        case 'q':
          s.setWorkTab(s.workTab === 'queue' ? 'customer' : 'queue');
          break;
        case 'escape':
          if (s.scheduleRequest) outbound.cancelSchedule();
          else if (s.countdown) outbound.stopCountdown();
          else handled = false;
          break;
        default:
          handled = false;
      }
      if (handled) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store, outbound]);
}
