// Checks an Electron accelerator string (docs/api/accelerator.md: modifiers and one key code
// joined by '+', case-insensitive) before it reaches globalShortcut, which throws on one it
// cannot parse. A global shortcut takes its key from every application, so a typing key
// (a letter, Enter, Space…) must come with Ctrl, Alt, Cmd or Super; function, media and
// volume keys may stand alone.

const MODIFIERS: ReadonlySet<string> = new Set([
  'command',
  'cmd',
  'control',
  'ctrl',
  'commandorcontrol',
  'cmdorctrl',
  'alt',
  'option',
  'altgr',
  'shift',
  'super',
  'meta',
]);

/** Keys that may be a global shortcut on their own. */
const ALONE =
  /^(f([1-9]|1[0-9]|2[0-4])|mediaplaypause|medianexttrack|mediaprevioustrack|mediastop|volumeup|volumedown|volumemute)$/;

const NAMED: ReadonlySet<string> = new Set([
  'plus',
  'space',
  'tab',
  'capslock',
  'numlock',
  'scrolllock',
  'backspace',
  'delete',
  'insert',
  'return',
  'enter',
  'up',
  'down',
  'left',
  'right',
  'home',
  'end',
  'pageup',
  'pagedown',
  'escape',
  'esc',
  'printscreen',
  'numdec',
  'numadd',
  'numsub',
  'nummult',
  'numdiv',
]);
const PUNCTUATION = ')!@#$%^&*(:;=<,_->.?/~`{][|\\}"\'';

function isKey(k: string): boolean {
  return (
    ALONE.test(k) ||
    NAMED.has(k) ||
    /^[a-z0-9]$/.test(k) ||
    /^num[0-9]$/.test(k) ||
    (k.length === 1 && PUNCTUATION.includes(k))
  );
}

/** null when usable as a global shortcut, else why not (for the log). */
export function acceleratorProblem(accelerator: string): string | null {
  if (accelerator.length === 0 || accelerator.length > 64) return 'empty or too long';
  const parts = accelerator.split('+').map((p) => p.trim().toLowerCase());
  if (parts.some((p) => p === '')) return "an empty part (write '+' as Plus)";
  const key = parts[parts.length - 1]!;
  const modifiers = parts.slice(0, -1);
  const unknown = modifiers.find((m) => !MODIFIERS.has(m));
  if (unknown !== undefined) return `'${unknown}' is not a modifier`;
  if (new Set(modifiers).size !== modifiers.length) return 'a modifier twice';
  if (!isKey(key)) return `'${key}' is not a key Electron knows`;
  // Shift and AltGr only change what a key types (Shift+A is 'A', AltGr+Q is '@' on German
  // layouts): a typing key needs Ctrl, Alt, Cmd or Super beside them.
  if (!ALONE.test(key) && !modifiers.some((m) => !TYPING_MODIFIERS.has(m))) {
    return 'a typing key needs Ctrl, Alt, Cmd or Super (it would be taken from every application)';
  }
  return null;
}

const TYPING_MODIFIERS: ReadonlySet<string> = new Set(['shift', 'altgr']);

const ALIASES: Record<string, string> = {
  cmd: 'command',
  ctrl: 'control',
  cmdorctrl: 'commandorcontrol',
  option: 'alt',
  meta: 'super',
  return: 'enter',
  esc: 'escape',
};

/**
 * One spelling per accelerator, so two settings naming the same keys are seen as the same
 * (Ctrl+Alt+M, Alt+Control+m). CommandOrControl is Control off macOS, Command on it.
 */
export function normalizeAccelerator(accelerator: string, platform: NodeJS.Platform): string {
  const parts = accelerator.split('+').map((p) => p.trim().toLowerCase());
  const spell = (p: string) => {
    const a = ALIASES[p] ?? p;
    return a === 'commandorcontrol' ? (platform === 'darwin' ? 'command' : 'control') : a;
  };
  const key = spell(parts[parts.length - 1]!);
  const modifiers = [...new Set(parts.slice(0, -1).map(spell))].sort();
  return [...modifiers, key].join('+');
}
