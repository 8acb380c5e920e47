import type { ReactNode } from 'react';
import { ShortcutKeys } from './ShortcutKeys';
import { SHORTCUTS, type Shortcut } from './shortcuts';

/** A secondary call control (hold, mute, keypad…): a toggle when `pressed` is given. */
export function ControlButton({
  testId,
  label,
  shortcut,
  onClick,
  pressed,
  disabled = false,
  tone = 'plain',
  icon,
}: {
  testId: string;
  label: string;
  shortcut?: Shortcut;
  onClick(): void;
  pressed?: boolean;
  disabled?: boolean;
  tone?: 'plain' | 'warn' | 'accent';
  icon?: ReactNode;
}) {
  return (
    <button
      type="button"
      className="ctl"
      data-tone={tone}
      data-testid={testId}
      aria-pressed={pressed}
      aria-keyshortcuts={shortcut ? SHORTCUTS[shortcut].aria : undefined}
      disabled={disabled}
      onClick={onClick}
    >
      {icon && (
        <span className="ctl-icon" aria-hidden="true">
          {icon}
        </span>
      )}
      <span className="ctl-label">{label}</span>
      {shortcut && <ShortcutKeys shortcut={shortcut} />}
    </button>
  );
}
