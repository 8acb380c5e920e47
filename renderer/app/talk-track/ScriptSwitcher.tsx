// The agent picks another script for the call (core keeps the answers given so far): a button
// (S) opening a short menu, best fit first; arrows or the script's number pick, Esc closes.
import { useEffect, useId, useRef, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ScriptSummary } from '../../../preload/contract';
import { useAgent, useTalkTrack } from '../agent-context';

export function ScriptSwitcher({
  callId,
  scripts,
  currentId,
  best,
  open,
  onOpenChange,
}: {
  callId: string;
  /** Best fit first when `best`. */
  scripts: readonly ScriptSummary[];
  currentId: string | null;
  best: boolean;
  open: boolean;
  onOpenChange(open: boolean): void;
}) {
  const { t } = useTranslation();
  const talk = useTalkTrack();
  const busy = useAgent((s) => s.talkTrackBusy[callId] === 'switch');
  const id = useId();
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const items = () => [
    ...(menu.current?.querySelectorAll<HTMLElement>('[role="menuitemradio"]') ?? []),
  ];

  useEffect(() => {
    if (!open) return;
    const list = items();
    (list.find((el) => el.getAttribute('aria-checked') === 'true') ?? list[0])?.focus();
  }, [open]);

  const close = () => {
    onOpenChange(false);
    button.current?.focus();
  };
  const pick = (scriptId: string) => {
    close();
    if (scriptId !== currentId) void talk.switchScript(callId, scriptId);
  };

  const onMenuKey = (e: KeyboardEvent) => {
    const list = items();
    const at = list.indexOf(document.activeElement as HTMLElement);
    const move = (to: number) => list[(to + list.length) % list.length]?.focus();
    if (e.key === 'ArrowDown') move(at + 1);
    else if (e.key === 'ArrowUp') move(at - 1);
    else if (e.key === 'Home') move(0);
    else if (e.key === 'End') move(list.length - 1);
    else if (e.key === 'Escape' || e.key === 'Tab') close();
    else if (e.key === 'Enter' || e.key === ' ') {
      const script = scripts[at];
      if (script) pick(script.id);
    } else {
      const digit = /^[1-9]$/.test(e.key) ? e.key : /^(?:Digit|Numpad)([1-9])$/.exec(e.code)?.[1];
      if (!digit) return;
      const script = scripts[Number(digit) - 1];
      if (script) pick(script.id);
    }
    e.preventDefault();
  };

  return (
    <div className="talk-switch">
      <button
        ref={button}
        type="button"
        className="bar-btn light talk-switch-btn"
        data-testid="talk-switch"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? `${id}-menu` : undefined}
        aria-keyshortcuts="S"
        disabled={busy || scripts.length === 0}
        onClick={() => onOpenChange(!open)}
      >
        {t('talkTrack.switch')}
        <span className="keys" aria-hidden="true">
          <kbd>S</kbd>
        </span>
      </button>
      {open && (
        <div
          ref={menu}
          id={`${id}-menu`}
          role="menu"
          aria-label={t('talkTrack.switchMenu')}
          className="popover talk-menu"
          data-talk-menu
          data-testid="talk-switch-menu"
          onKeyDown={onMenuKey}
          onBlur={(e) => {
            const next = e.relatedTarget;
            if (next instanceof Node && (menu.current?.contains(next) || next === button.current))
              return;
            onOpenChange(false);
          }}
        >
          {scripts.map((script, i) => (
            <button
              key={script.id}
              type="button"
              role="menuitemradio"
              aria-checked={script.id === currentId}
              tabIndex={-1}
              className="talk-menu-item"
              data-testid={`talk-switch-${script.id}`}
              onClick={() => pick(script.id)}
            >
              {i < 9 && <kbd aria-hidden="true">{i + 1}</kbd>}
              <span className="talk-menu-title">{script.title}</span>
              {best && i === 0 && <span className="talk-tag">{t('talkTrack.bestFit')}</span>}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
