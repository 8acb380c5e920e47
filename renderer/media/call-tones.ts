// Tones the agent hears in the call audio device (the headset): the ringback while an
// outbound call rings at the far end, and a short feedback tone for each keypad press. Made
// with WebAudio like the ring tone, so there is nothing to ship.
import { createToneOutput } from './tone-output';

export interface CallTones {
  /** Japanese ringback: 400 Hz modulated at 16 Hz, 1 s on, 2 s off — until stopped. */
  startRingback(): void;
  stopRingback(): void;
  readonly ringingBack: boolean;
  /** The DTMF pair of a key, 120 ms, quietly (the far end gets the real event). */
  dtmf(tones: string): void;
  setSink(deviceId: string | null): void;
}

const DTMF: Record<string, [number, number]> = {
  '1': [697, 1209],
  '2': [697, 1336],
  '3': [697, 1477],
  A: [697, 1633],
  '4': [770, 1209],
  '5': [770, 1336],
  '6': [770, 1477],
  B: [770, 1633],
  '7': [852, 1209],
  '8': [852, 1336],
  '9': [852, 1477],
  C: [852, 1633],
  '*': [941, 1209],
  '0': [941, 1336],
  '#': [941, 1477],
  D: [941, 1633],
};

export function createCallTones(
  makeContext: () => AudioContext = () => new AudioContext(),
  volume = 0.08,
): CallTones {
  const output = createToneOutput(makeContext);

  function ringbackBurst(ac: AudioContext): OscillatorNode[] {
    const t0 = ac.currentTime + 0.02;
    const carrier = ac.createOscillator();
    carrier.frequency.value = 400;
    const lfo = ac.createOscillator();
    lfo.frequency.value = 16;
    const depth = ac.createGain();
    depth.gain.value = volume / 2;
    const amp = ac.createGain();
    amp.gain.value = volume / 2;
    lfo.connect(depth).connect(amp.gain);
    carrier.connect(amp).connect(ac.destination);
    for (const o of [carrier, lfo]) {
      o.start(t0);
      o.stop(t0 + 1);
    }
    return [carrier, lfo];
  }
  const ringback = output.repeat(ringbackBurst, 3_000);

  return {
    get ringingBack() {
      return ringback.active;
    },
    startRingback: () => ringback.start(),
    stopRingback: () => ringback.stop(),
    dtmf(tones) {
      const ac = output.context();
      const pair = DTMF[tones.charAt(0)];
      if (!ac || !pair) return;
      const t0 = ac.currentTime + 0.005;
      const gain = ac.createGain();
      gain.gain.setValueAtTime(volume, t0);
      gain.gain.setValueAtTime(0.0001, t0 + 0.12);
      gain.connect(ac.destination);
      for (const hz of pair) {
        const o = ac.createOscillator();
        o.frequency.value = hz;
        o.connect(gain);
        o.start(t0);
        o.stop(t0 + 0.13);
      }
    },
    setSink: (deviceId) => output.setSink(deviceId),
  };
}
