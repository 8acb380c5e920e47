// The ring tone, synthesised with WebAudio so there is no asset to ship or license: a soft
// two-note chime every 2.5 s — noticeable over an open floor, not alarming over a shift.
import { createToneOutput } from './tone-output';

export interface Ringer {
  start(): void;
  stop(): void;
  /** Create/resume the AudioContext inside a user gesture so autoplay rules allow it later. */
  unlock(): void;
  /** Ring on this output device (e.g. the PC speaker while the call audio is on the headset). */
  setSink(deviceId: string | null): void;
  readonly ringing: boolean;
}

const CYCLE_S = 2.5;
const NOTES = [
  { at: 0, hz: 880, len: 0.32 },
  { at: 0.38, hz: 659.25, len: 0.45 },
];

export function createRinger(
  makeContext: () => AudioContext = () => new AudioContext(),
  volume = 0.18,
): Ringer {
  const output = createToneOutput(makeContext);

  function chime(ac: AudioContext): OscillatorNode[] {
    const t0 = ac.currentTime + 0.02;
    const voices: OscillatorNode[] = [];
    for (const n of NOTES) {
      const osc = ac.createOscillator();
      const gain = ac.createGain();
      osc.type = 'sine';
      osc.frequency.value = n.hz;
      // Short attack and an exponential tail: a chime, not a beep.
      gain.gain.setValueAtTime(0.0001, t0 + n.at);
      gain.gain.exponentialRampToValueAtTime(volume, t0 + n.at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t0 + n.at + n.len);
      osc.connect(gain).connect(ac.destination);
      osc.start(t0 + n.at);
      osc.stop(t0 + n.at + n.len + 0.05);
      voices.push(osc);
    }
    return voices;
  }
  const loop = output.repeat(chime, CYCLE_S * 1000);

  return {
    get ringing() {
      return loop.active;
    },
    start: () => loop.start(),
    stop: () => loop.stop(),
    unlock() {
      output.context();
    },
    setSink: (deviceId) => output.setSink(deviceId),
  };
}
