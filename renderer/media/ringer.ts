// The ring tone, synthesised with WebAudio so there is no asset to ship or license: a soft
// two-note chime every 2.5 s — noticeable over an open floor, not alarming over a shift.
export interface Ringer {
  start(): void;
  stop(): void;
  /** Create/resume the AudioContext inside a user gesture so autoplay rules allow it later. */
  unlock(): void;
  /** Ring on this output device (e.g. the PC speaker while the call audio is on the headset). */
  setSink(deviceId: string | null): void;
  readonly ringing: boolean;
}

type SinkContext = AudioContext & { setSinkId?(id: string): Promise<void> };

/** Route an AudioContext to an output device where the browser can (Chromium 110+). */
export function routeContext(ctx: AudioContext, deviceId: string | null) {
  const c = ctx as SinkContext;
  c.setSinkId?.(deviceId ?? '').catch((err: unknown) => {
    console.warn('agent: could not route audio to the chosen device', err);
  });
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
  let ctx: AudioContext | null = null;
  let timer: ReturnType<typeof setInterval> | undefined;
  let voices: OscillatorNode[] = [];
  let sinkId: string | null = null;

  function context(): AudioContext | null {
    try {
      if (!ctx) {
        ctx = makeContext();
        if (sinkId) routeContext(ctx, sinkId);
      }
      if (ctx.state === 'suspended') void ctx.resume().catch(() => {});
      return ctx;
    } catch {
      return null; // no audio device: the pop is still on screen
    }
  }

  function chime(ac: AudioContext) {
    const t0 = ac.currentTime + 0.02;
    voices = []; // the previous chime has long finished (cycle > chime)
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
  }

  return {
    get ringing() {
      return timer !== undefined;
    },
    start() {
      if (timer !== undefined) return;
      const ac = context();
      timer = setInterval(() => {
        const c = context();
        if (c) chime(c);
      }, CYCLE_S * 1000);
      if (ac) chime(ac);
    },
    stop() {
      if (timer === undefined) return;
      clearInterval(timer);
      timer = undefined;
      for (const v of voices) {
        try {
          v.stop();
        } catch {
          // already stopped
        }
      }
      voices = [];
    },
    unlock() {
      context();
    },
    setSink(deviceId) {
      if (deviceId === sinkId) return;
      sinkId = deviceId;
      if (ctx) routeContext(ctx, deviceId);
    },
  };
}
