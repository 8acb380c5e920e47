// The headset on screen: the status bar's indicator and the settings' headset section —
// connected device and its buttons (Jabra Link 380c's real collections), the test ring, the
// media-key note for a consumer-only headset, connecting one, a browser without WebHID.
import { act, cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { helloResult, ringingCall } from '../fixtures';
import { flush, renderAgent } from '../render-agent';
import { FakeHidDevice, consumerOnlyHeadset, fakeHid, jabraLink380 } from './fake-hid';
import { fixtureCollections } from '../../../infra/hid-fixtures';

const stops: Array<() => void> = [];
afterEach(() => {
  cleanup();
  for (const stop of stops.splice(0)) stop(); // the glue's test-ring timer too
});

async function openSettings(opts: Parameters<typeof renderAgent>[0]) {
  const app = await renderAgent(opts);
  stops.push(app.stopSync);
  await userEvent.click(screen.getByTestId('settings-open'));
  return { ...app, section: screen.getByTestId('headset') };
}

const items = (testId: string) =>
  screen.getAllByTestId(testId).flatMap((list) => within(list).getAllByRole('listitem'));
const texts = (testId: string) => items(testId).map((li) => li.textContent);

describe('a telephony headset (Jabra Link 380c)', () => {
  it('status bar and settings: connected, its buttons and lights', async () => {
    const jabra = jabraLink380();
    const { section } = await openSettings({ hid: fakeHid([jabra]) });
    const bar = screen.getByTestId('headset-status');
    expect(bar.dataset.state).toBe('connected');
    expect(bar.textContent).toBe('ヘッドセット接続中');
    expect(bar.title).toBe('Jabra Link 380');

    const device = within(section).getByTestId('headset-device');
    expect(device.dataset.state).toBe('connected');
    expect(device.textContent).toBe('Jabra Link 380（0b0e:0412）');
    expect(texts('headset-buttons')).toEqual([
      '応答 / 終話',
      'ミュート',
      'フラッシュ（待機中の着信に応答）',
      'リダイヤル（動作なし）',
      '話中（動作なし）',
    ]);
    expect(texts('headset-lights')).toEqual(['通話中', '着信', '着信音', 'ミュート', '保留']);
    expect(within(section).queryByTestId('headset-media-keys')).toBeNull();
  });

  it('in English too', async () => {
    const { i18n } = await openSettings({ hid: fakeHid([jabraLink380()]) });
    await act(() => i18n.changeLanguage('en'));
    expect(screen.getByTestId('headset-device').textContent).toBe('Jabra Link 380 (0b0e:0412)');
    expect(texts('headset-buttons')[0]).toBe('Answer / hang up');
    expect(screen.getByTestId('headset-status').textContent).toBe('HeadsetConnected');
  });

  it('the test lights the ring LED and ringer, and says so while it rings', async () => {
    const jabra = jabraLink380();
    await openSettings({ hid: fakeHid([jabra]) });
    expect(jabra.sent.at(-1)).toEqual([2, [0x00, 0x00]]);
    const test = screen.getByTestId('headset-test') as HTMLButtonElement;
    expect(test.disabled).toBe(false);
    expect(test.textContent).toBe('着信ランプのテスト');
    await userEvent.click(test);
    await flush();
    expect(jabra.sent.at(-1)).toEqual([2, [0x88, 0x00]]);
    expect(test.disabled).toBe(true);
    expect(test.textContent).toBe('ヘッドセットを鳴らしています…');
    expect(screen.getByTestId('headset-status').dataset.state).toBe('testing');
  });

  it('no test during a call; the hint says why', async () => {
    const jabra = jabraLink380();
    await openSettings({
      hid: fakeHid([jabra]),
      handlers: { hello: () => helloResult({ calls: [ringingCall({ state: 'active' })] }) },
    });
    const test = screen.getByTestId('headset-test') as HTMLButtonElement;
    expect(test.disabled).toBe(true);
    const hint = document.getElementById(test.getAttribute('aria-describedby')!);
    expect(hint?.textContent).toBe('通話中はテストできません。');
  });

  it('unplugged: not connected, no buttons, the connect hint', async () => {
    const jabra = jabraLink380();
    const hid = fakeHid([jabra]);
    await openSettings({ hid });
    act(() => void hid.dispatchEvent(Object.assign(new Event('disconnect'), { device: jabra })));
    expect(screen.getByTestId('headset-status').dataset.state).toBe('disconnected');
    expect(screen.getByTestId('headset-device').textContent).toBe(
      'ヘッドセットは接続されていません。',
    );
    expect(screen.queryByTestId('headset-buttons')).toBeNull();
    expect(screen.queryByTestId('headset-test')).toBeNull();
  });
});

describe('connecting a headset', () => {
  it('the button opens the picker; the headset picked is connected', async () => {
    const jabra = jabraLink380();
    const hid = fakeHid([], [jabra]);
    await openSettings({ hid });
    expect(screen.getByTestId('headset-device').dataset.state).toBe('disconnected');
    await userEvent.click(screen.getByTestId('headset-connect'));
    await flush();
    expect(hid.requestDevice).toHaveBeenCalledTimes(1);
    expect(screen.getByTestId('headset-device').dataset.state).toBe('connected');
    expect(screen.queryByTestId('headset-choose-result')).toBeNull();
  });

  it('a device with no telephony controls and no media keys is refused, with its name', async () => {
    const keyboard = new FakeHidDevice('USB Keyboard', fixtureCollections('keyboard'), 1, 2);
    await openSettings({ hid: fakeHid([], [keyboard]) });
    await userEvent.click(screen.getByTestId('headset-connect'));
    await flush();
    expect(screen.getByTestId('headset-choose-result').textContent).toBe(
      '「USB Keyboard」には電話用の操作もメディアキーもないため、通話の操作には使えません。',
    );
  });

  it('nothing chosen (the picker closed, or the installed app offered nothing) is said', async () => {
    await openSettings({ hid: fakeHid([], []) });
    await userEvent.click(screen.getByTestId('headset-connect'));
    await flush();
    expect(screen.getByTestId('headset-choose-result').textContent).toContain(
      'ヘッドセットは接続されませんでした。',
    );
  });

  it('a picker that failed says why', async () => {
    const hid = fakeHid([]);
    hid.requestDevice.mockRejectedValueOnce(new Error('Must be handling a user gesture'));
    await openSettings({ hid });
    await userEvent.click(screen.getByTestId('headset-connect'));
    await flush();
    expect(screen.getByTestId('headset-choose-result').textContent).toBe(
      'ヘッドセットを接続できませんでした: Must be handling a user gesture',
    );
  });
});

describe('a headset without telephony controls', () => {
  it('a clear note: its media keys are used, which ones; no lights, no test', async () => {
    await openSettings({ hid: fakeHid([consumerOnlyHeadset()]) });
    const device = screen.getByTestId('headset-device');
    expect(device.dataset.kind).toBe('mediaKeys');
    expect(device.textContent).toBe('USB Headset（1234:5678）');
    const note = screen.getByTestId('headset-media-keys');
    expect(note.textContent).toContain('電話用の操作（フックスイッチ・ランプ）がありません');
    expect(texts('headset-keys')).toEqual(['再生/一時停止: 応答 / 終話']);
    expect(screen.queryByTestId('headset-buttons')).toBeNull();
    expect(screen.queryByTestId('headset-test')).toBeNull();
  });
});

describe('no WebHID (a browser without navigator.hid)', () => {
  it('says the headset cannot be used here, and shows no indicator', async () => {
    await openSettings({});
    expect(screen.getByTestId('headset-unsupported').textContent).toContain(
      'WebHID が使えないため',
    );
    expect(screen.queryByTestId('headset-connect')).toBeNull();
    expect(screen.queryByTestId('headset-status')).toBeNull();
  });
});
