import { SHORTCUTS, type Shortcut } from './shortcuts';

/** Key captions inside a button; hidden from screen readers (aria-keyshortcuts says it). */
export function ShortcutKeys({ shortcut }: { shortcut: Shortcut }) {
  return (
    <span className="keys" aria-hidden="true">
      {SHORTCUTS[shortcut].caps.map((k) => (
        <kbd key={k}>{k}</kbd>
      ))}
    </span>
  );
}
