import { describe, expect, it } from 'vitest';
import { acceleratorProblem, normalizeAccelerator } from '../../../main/electron/accelerator';

describe('acceleratorProblem', () => {
  it.each([
    'MediaPlayPause',
    'mediaplaypause',
    'VolumeMute',
    'F9',
    'F24',
    'CommandOrControl+Alt+H',
    'Ctrl+Shift+Space',
    'Super+num5',
    'Alt+Plus',
    'Shift+F1',
    'CmdOrCtrl+/',
  ])('accepts %s', (accelerator) => {
    expect(acceleratorProblem(accelerator)).toBeNull();
  });

  it.each([
    ['', 'empty'],
    ['H', 'needs Ctrl, Alt, Cmd or Super'],
    ['Space', 'needs Ctrl, Alt, Cmd or Super'],
    ['Enter', 'needs Ctrl, Alt, Cmd or Super'],
    // Shift and AltGr only change what a key types: still typing keys.
    ['Shift+A', 'needs Ctrl, Alt, Cmd or Super'],
    ['Shift+Space', 'needs Ctrl, Alt, Cmd or Super'],
    ['AltGr+Q', 'needs Ctrl, Alt, Cmd or Super'],
    ['Ctrl+Banana', 'not a key'],
    ['Hyper+H', 'not a modifier'],
    ['Ctrl+Ctrl+H', 'modifier twice'],
    ['Ctrl+Shift', 'not a key'],
    ['Ctrl++', 'empty part'],
    ['F25', 'not a key'],
    ['x'.repeat(65), 'too long'],
  ])('refuses %j (%s)', (accelerator, why) => {
    expect(acceleratorProblem(accelerator)).toContain(why);
  });
});

describe('normalizeAccelerator', () => {
  it('spells the same keys one way: modifiers sorted, aliases and case folded', () => {
    const linux = (a: string) => normalizeAccelerator(a, 'linux');
    expect(linux('Ctrl+Alt+M')).toBe(linux('Alt+Control+m'));
    expect(linux('CmdOrCtrl+Alt+M')).toBe(linux('Control+Alt+M'));
    expect(linux('Ctrl+Return')).toBe(linux('control+Enter'));
    expect(normalizeAccelerator('CmdOrCtrl+Alt+M', 'darwin')).toBe(
      normalizeAccelerator('Command+Alt+M', 'darwin'),
    );
    expect(linux('Ctrl+Alt+M')).not.toBe(linux('Ctrl+Shift+M'));
  });
});
