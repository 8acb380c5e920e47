import { useEffect } from 'react';
import { useActions, useAgent } from './agent-context';
import { shortcutFor } from './shortcuts';
import { selectCurrentCall, selectRingingCall } from './store/agent-store';

/** Window-wide call shortcuts: answer/reject the ringing call, hang up the current one. */
export function useCallShortcuts() {
  const ringing = useAgent(selectRingingCall);
  const current = useAgent(selectCurrentCall);
  const actions = useActions();

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const cmd = shortcutFor(e);
      if ((cmd === 'answer' || cmd === 'reject') && ringing) {
        e.preventDefault();
        void actions[cmd](ringing.id);
      } else if (cmd === 'hangup' && current && current.state !== 'ended') {
        e.preventDefault();
        void actions.hangup(current.id);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [ringing, current, actions]);
}
