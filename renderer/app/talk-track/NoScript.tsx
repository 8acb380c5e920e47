// No script fits the call: said plainly, so the agent knows the panel is not just slow, with
// the scripts for the call's direction to pick from (S opens the list; picking one starts it).
import { useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useAgent } from '../agent-context';
import { ScriptSwitcher } from './ScriptSwitcher';

export function NoScript({ callId }: { callId: string }) {
  const { t } = useTranslation();
  const direction = useAgent((s) => s.calls[callId]?.direction);
  const list = useAgent((s) => s.scriptList);
  const [open, setOpen] = useState(false);
  const scripts = (list?.scripts ?? []).filter((x) => x.direction === direction);
  const onKey = (e: KeyboardEvent) => {
    if (open || e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.key.toLowerCase() === 's' || (e.key === 'Process' && e.code === 'KeyS')) {
      e.preventDefault();
      setOpen(true);
    }
  };
  return (
    <div className="talk-none" data-testid="talk-none" onKeyDown={onKey}>
      <p>{t('talkTrack.none')}</p>
      {scripts.length > 0 && (
        <ScriptSwitcher
          callId={callId}
          scripts={scripts}
          currentId={null}
          best={false}
          open={open}
          onOpenChange={setOpen}
        />
      )}
    </div>
  );
}
