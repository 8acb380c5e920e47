import { describe, expect, it } from 'vitest';
import { acceleratorProblem } from '../../../main/electron/accelerator';

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
    ['H', 'needs a modifier'],
    ['Space', 'needs a modifier'],
    ['Enter', 'needs a modifier'],
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
