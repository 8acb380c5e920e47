// The headset's audio paired with its HID device by USB id: used for the microphone and the
// speaker when the agent chose none (the ringer stays), never over an explicit choice — then
// only offered, and the settings say which ("headset audio: used / available").
import { act, cleanup, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PhoneSettings } from '../../../../preload/contract';
import {
  headsetAudioUse,
  resolveDevices,
  startDeviceSync,
  type DeviceSource,
} from '../../../../renderer/app/devices';
import { createAgentStore } from '../../../../renderer/app/store/agent-store';
import { NO_HEADSET, type HeadsetStatus } from '../../../../renderer/headset/headset-status';
import { helloResult } from '../fixtures';
import { flush, renderAgent } from '../render-agent';
import { fakeHid, jabraLink380 } from './fake-hid';

const stops: Array<() => void> = [];
afterEach(() => {
  cleanup();
  for (const stop of stops.splice(0)) stop();
});

const JABRA = { vendorId: 0x0b0e, productId: 0x0412 };
const audio = (a: Partial<PhoneSettings['audio']> = {}): PhoneSettings['audio'] => ({
  microphoneId: null,
  speakerId: null,
  ringerId: null,
  ...a,
});
const settings = (a: Partial<PhoneSettings['audio']> = {}): PhoneSettings => ({
  dtmfMode: 'rfc4733',
  autoAnswer: false,
  audio: audio(a),
});

const DEVICES = [
  { deviceId: 'default', kind: 'audioinput' as const, label: 'Default - Built-in Microphone' },
  { deviceId: 'mic-pc', kind: 'audioinput' as const, label: 'Built-in Microphone' },
  { deviceId: 'mic-jabra', kind: 'audioinput' as const, label: 'Jabra Link 380 (0b0e:0412)' },
  { deviceId: 'out-pc', kind: 'audiooutput' as const, label: 'Built-in Speakers' },
  { deviceId: 'out-jabra', kind: 'audiooutput' as const, label: 'Jabra Link 380 (0b0e:0412)' },
];

const connected: HeadsetStatus = {
  ...NO_HEADSET,
  supported: true,
  device: { name: 'Jabra Link 380', ...JABRA },
  kind: 'telephony',
};

describe('resolveDevices with a headset', () => {
  it('no choice: the headset’s microphone and speaker; the ringer stays the default', () => {
    const r = resolveDevices(audio(), DEVICES, new Map(), JABRA);
    expect(r.effective).toEqual({ microphone: 'mic-jabra', speaker: 'out-jabra', ringer: null });
    expect(r.fallbacks).toEqual([]);
  });

  it('an explicit choice wins; a chosen device that is missing falls back to the default', () => {
    const r = resolveDevices(
      audio({ microphoneId: 'mic-pc', speakerId: 'out-gone' }),
      DEVICES,
      new Map([['out-gone', 'USB speaker']]),
      JABRA,
    );
    expect(r.effective).toEqual({ microphone: 'mic-pc', speaker: null, ringer: null });
    expect(r.fallbacks).toEqual([{ role: 'speaker', label: 'USB speaker' }]);
  });

  it('no headset, or its audio not listed: as before (the default)', () => {
    expect(resolveDevices(audio(), DEVICES).effective).toEqual({
      microphone: null,
      speaker: null,
      ringer: null,
    });
    const other = { vendorId: 0x047f, productId: 0x02e6 };
    expect(resolveDevices(audio(), DEVICES, new Map(), other).effective.microphone).toBeNull();
  });
});

describe('headsetAudioUse', () => {
  it('used when nothing (or the headset itself) is chosen, available when another is', () => {
    expect(headsetAudioUse(audio(), DEVICES, JABRA)).toEqual({
      microphone: { device: DEVICES[2], used: true },
      speaker: { device: DEVICES[4], used: true },
    });
    const u = headsetAudioUse(
      audio({ microphoneId: 'mic-pc', speakerId: 'out-jabra' }),
      DEVICES,
      JABRA,
    );
    expect([u.microphone?.used, u.speaker?.used]).toEqual([false, true]);
    expect(headsetAudioUse(audio(), DEVICES, null)).toEqual({ microphone: null, speaker: null });
  });
});

function fakeSource(list: typeof DEVICES) {
  return {
    enumerate: async () => list,
    onChange: () => () => {},
  } satisfies DeviceSource;
}

describe('device sync follows the headset', () => {
  it('applied when it connects, dropped when it goes; an explicit choice is never touched', async () => {
    const store = createAgentStore();
    store.getState().setSettings(settings({ speakerId: 'out-pc' }));
    const sinks = { setMicrophone: vi.fn(), setSpeaker: vi.fn(), setRinger: vi.fn() };
    stops.push(startDeviceSync({ store, source: fakeSource(DEVICES), sinks }));
    await flush();
    expect(sinks.setMicrophone).not.toHaveBeenCalled(); // the default, as before
    expect(sinks.setSpeaker).toHaveBeenLastCalledWith('out-pc');

    act(() => store.getState().setHeadset(connected));
    expect(sinks.setMicrophone).toHaveBeenLastCalledWith('mic-jabra');
    expect(sinks.setSpeaker).toHaveBeenCalledTimes(1); // the agent chose the PC speakers
    expect(sinks.setRinger).toHaveBeenCalledTimes(1);

    // Another status of the same headset (the test ring): nothing to switch.
    act(() => store.getState().setHeadset({ ...connected, testing: true }));
    expect(sinks.setMicrophone).toHaveBeenCalledTimes(1);

    act(() => store.getState().setHeadset({ ...NO_HEADSET, supported: true }));
    expect(sinks.setMicrophone).toHaveBeenLastCalledWith(null);
  });
});

describe('settings: headset audio', () => {
  const hello = (a: Partial<PhoneSettings['audio']>) => ({
    hello: () => helloResult({ settings: settings(a) }),
    setPhoneSettings: (patch: Partial<PhoneSettings>) => ({ ...settings(a), ...patch }),
  });

  async function open(a: Partial<PhoneSettings['audio']>) {
    const app = await renderAgent({ hid: fakeHid([jabraLink380()]), handlers: hello(a) });
    stops.push(app.stopSync);
    act(() => app.store.getState().setDevices(DEVICES, []));
    await userEvent.click(screen.getByTestId('settings-open'));
    return app;
  }

  it('no choice: used, and the selects say "automatic — headset"', async () => {
    await open({});
    const line = screen.getByTestId('headset-audio');
    expect(line.textContent).toBe('ヘッドセットの音声: 使用中（マイク・スピーカー）');
    const mic = screen.getByTestId('mic-select') as HTMLSelectElement;
    expect(mic.value).toBe('');
    expect(mic.options[0]?.textContent).toBe('自動（ヘッドセット「Jabra Link 380」）');
    const ringer = screen.getByTestId('ringer-select') as HTMLSelectElement;
    expect(ringer.options[0]?.textContent).toBe('システムの既定');
    expect(screen.queryByTestId('headset-audio-use')).toBeNull();
  });

  it('another microphone chosen: the headset’s is only offered; one click goes back to it', async () => {
    const { bridge } = await open({ microphoneId: 'mic-pc', ringerId: 'out-pc' });
    const used = screen.getByText('ヘッドセットの音声: 使用中（スピーカー）');
    expect(used.dataset.state).toBe('used');
    const offered = screen.getByTestId('headset-audio').querySelector('[data-state="available"]');
    expect(offered?.textContent).toContain(
      'ヘッドセットの音声: 利用可能（マイク）— 選択したデバイスを使っています',
    );
    await userEvent.click(screen.getByTestId('headset-audio-use'));
    expect(bridge.calls('setPhoneSettings').at(-1)).toEqual({
      audio: { microphoneId: null, speakerId: null, ringerId: 'out-pc' },
    });
    expect(screen.getByTestId('headset-audio').textContent).toBe(
      'ヘッドセットの音声: 使用中（マイク・スピーカー）',
    );
  });

  it('none of the audio devices is the headset’s: said so', async () => {
    const { store } = await open({});
    act(() => store.getState().setDevices(DEVICES.slice(0, 2), []));
    expect(screen.getByTestId('headset-audio').dataset.state).toBe('none');
  });

  it('before the microphone permission (no labels): nothing claimed either way', async () => {
    const { store } = await open({});
    act(() => store.getState().setDevices([{ deviceId: '', kind: 'audioinput', label: '' }], []));
    expect(screen.queryByTestId('headset-audio')).toBeNull();
  });
});
