// Audio devices: choices restored from hello().settings, chosen in the settings panel and
// persisted with setPhoneSettings, fallback (and a visible notice) when one is unplugged.
import { act, cleanup, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PhoneSettings } from '../../../preload/contract';
import { resolveDevices, startDeviceSync, type DeviceSource } from '../../../renderer/app/devices';
import { createAgentStore } from '../../../renderer/app/store/agent-store';
import { helloResult } from './fixtures';
import { flush, renderAgent } from './render-agent';

afterEach(cleanup);

const settings = (audio: Partial<PhoneSettings['audio']> = {}): PhoneSettings => ({
  dtmfMode: 'rfc4733',
  autoAnswer: false,
  audio: { microphoneId: null, speakerId: null, ringerId: null, ...audio },
});

const HEADSET_MIC = { deviceId: 'mic-hs', kind: 'audioinput' as const, label: 'Jabra Evolve mic' };
const HEADSET = { deviceId: 'out-hs', kind: 'audiooutput' as const, label: 'Jabra Evolve' };
const PC_SPEAKER = { deviceId: 'out-pc', kind: 'audiooutput' as const, label: 'PC speakers' };

function fakeSource(initial: Array<Pick<MediaDeviceInfo, 'deviceId' | 'kind' | 'label'>>) {
  let list = initial;
  const listeners = new Set<() => void>();
  const source: DeviceSource = {
    enumerate: async () => list,
    onChange(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
  return {
    source,
    async plug(next: typeof list) {
      list = next;
      for (const l of listeners) l();
      await flush();
    },
  };
}

describe('resolveDevices', () => {
  it('uses chosen devices that are present, falls back for missing ones', () => {
    const r = resolveDevices(
      { microphoneId: 'mic-hs', speakerId: 'out-hs', ringerId: 'out-gone' },
      [HEADSET_MIC, HEADSET, PC_SPEAKER],
      new Map([['out-gone', 'USB speaker']]),
    );
    expect(r.effective).toEqual({ microphone: 'mic-hs', speaker: 'out-hs', ringer: null });
    expect(r.fallbacks).toEqual([{ role: 'ringer', label: 'USB speaker' }]);
  });

  it('before the permission (ids hidden) a choice is kept, not reported missing', () => {
    const r = resolveDevices(settings({ microphoneId: 'mic-hs' }).audio, [
      { deviceId: '', kind: 'audioinput', label: '' },
    ]);
    expect(r.effective.microphone).toBe('mic-hs');
    expect(r.fallbacks).toEqual([]);
  });
});

describe('device sync', () => {
  it('applies the persisted choices; unplugged → default and a notice; plugged back → used again', async () => {
    const store = createAgentStore();
    store
      .getState()
      .setSettings(settings({ microphoneId: 'mic-hs', speakerId: 'out-hs', ringerId: 'out-pc' }));
    const dev = fakeSource([HEADSET_MIC, HEADSET, PC_SPEAKER]);
    const sinks = { setMicrophone: vi.fn(), setSpeaker: vi.fn(), setRinger: vi.fn() };
    const stop = startDeviceSync({ store, source: dev.source, sinks });
    await flush();
    expect(sinks.setMicrophone).toHaveBeenLastCalledWith('mic-hs');
    expect(sinks.setSpeaker).toHaveBeenLastCalledWith('out-hs');
    expect(sinks.setRinger).toHaveBeenLastCalledWith('out-pc');
    expect(store.getState().deviceFallbacks).toEqual([]);

    await dev.plug([PC_SPEAKER]); // the headset is unplugged
    expect(sinks.setMicrophone).toHaveBeenLastCalledWith(null);
    expect(sinks.setSpeaker).toHaveBeenLastCalledWith(null);
    expect(sinks.setRinger).toHaveBeenCalledTimes(1); // the ringer was not affected
    expect(store.getState().deviceFallbacks).toEqual([
      { role: 'microphone', label: 'Jabra Evolve mic' },
      { role: 'speaker', label: 'Jabra Evolve' },
    ]);

    await dev.plug([HEADSET_MIC, HEADSET, PC_SPEAKER]);
    expect(sinks.setMicrophone).toHaveBeenLastCalledWith('mic-hs');
    expect(sinks.setSpeaker).toHaveBeenLastCalledWith('out-hs');
    expect(store.getState().deviceFallbacks).toEqual([]);
    stop();
  });

  it('the notice is visible on screen after a devicechange', async () => {
    const { store } = await renderAgent({
      handlers: { hello: () => helloResult({ settings: settings({ speakerId: 'out-hs' }) }) },
    });
    const dev = fakeSource([HEADSET, PC_SPEAKER]);
    const sinks = { setMicrophone: vi.fn(), setSpeaker: vi.fn(), setRinger: vi.fn() };
    startDeviceSync({ store, source: dev.source, sinks });
    await flush();
    expect(screen.queryByTestId('device-notice')).toBeNull();
    await act(() => dev.plug([PC_SPEAKER]));
    expect(screen.getByTestId('device-notice').textContent).toBe(
      'スピーカー「Jabra Evolve」が接続されていません。システムの既定を使っています。',
    );
    await act(() => dev.plug([HEADSET, PC_SPEAKER]));
    expect(screen.queryByTestId('device-notice')).toBeNull();
  });
});

describe('settings panel', () => {
  it('shows the choices restored from hello and persists a change with setPhoneSettings', async () => {
    const restored = settings({ microphoneId: 'mic-hs', speakerId: 'out-hs', ringerId: 'out-pc' });
    const { bridge, store } = await renderAgent({
      handlers: {
        hello: () => helloResult({ settings: restored }),
        setPhoneSettings: (patch) => ({ ...restored, ...patch }),
      },
    });
    act(() => store.getState().setDevices([HEADSET_MIC, HEADSET, PC_SPEAKER], []));
    await userEvent.click(screen.getByTestId('settings-open'));
    const mic = screen.getByTestId('mic-select') as HTMLSelectElement;
    const speaker = screen.getByTestId('speaker-select') as HTMLSelectElement;
    const ringer = screen.getByTestId('ringer-select') as HTMLSelectElement;
    expect([mic.value, speaker.value, ringer.value]).toEqual(['mic-hs', 'out-hs', 'out-pc']);

    await userEvent.selectOptions(ringer, 'out-hs');
    expect(bridge.calls('setPhoneSettings')).toEqual([
      { audio: { microphoneId: 'mic-hs', speakerId: 'out-hs', ringerId: 'out-hs' } },
    ]);
    await userEvent.selectOptions(speaker, '');
    expect(bridge.calls('setPhoneSettings').at(-1)).toEqual({
      audio: { microphoneId: 'mic-hs', speakerId: null, ringerId: 'out-hs' },
    });
    await userEvent.selectOptions(screen.getByTestId('dtmf-mode'), 'info');
    expect(bridge.calls('setPhoneSettings').at(-1)).toEqual({ dtmfMode: 'info' });
    await userEvent.click(screen.getByTestId('auto-answer'));
    expect(bridge.calls('setPhoneSettings').at(-1)).toEqual({ autoAnswer: true });
  });

  it("'settings.changed' from main updates the panel", async () => {
    const { bridge, store } = await renderAgent();
    act(() => store.getState().setDevices([HEADSET_MIC], []));
    await userEvent.click(screen.getByTestId('settings-open'));
    act(() => bridge.emit('settings.changed', settings({ microphoneId: 'mic-hs' })));
    expect((screen.getByTestId('mic-select') as HTMLSelectElement).value).toBe('mic-hs');
  });
});
