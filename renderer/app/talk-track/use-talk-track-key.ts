// G (no modifier, not while typing) or Alt+G (from anywhere, a notes field too): the focus
// moves into the talk-track panel, on the current step's field or the step itself.
import { useEffect } from 'react';
import { shortcutFor } from '../shortcuts';
import { TALK_TRACK_PANEL_ID } from './target';
import { focusTalkStep } from './use-focus-keeper';

export function focusTalkTrack(): boolean {
  const panel = document.getElementById(TALK_TRACK_PANEL_ID);
  if (!panel) return false;
  if (!focusTalkStep(panel)) panel.focus();
  return true;
}

export function useTalkTrackKey() {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.repeat || e.isComposing) return;
      const chord = e.altKey && !e.ctrlKey && !e.metaKey && e.code === 'KeyG';
      if (!chord && shortcutFor(e) !== 'talkTrack') return;
      if (focusTalkTrack()) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
