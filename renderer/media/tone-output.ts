// Where synthesised tones play (the ring tone, the ringback, keypad feedback): one
// AudioContext made on first use, routed to a chosen output device, and patterns repeated
// until stopped. Shared by the ringer and the call tones, which differ only in what they play.

type SinkContext = AudioContext & { setSinkId?(id: string): Promise<void> };

/** Route an AudioContext to an output device where the browser can (Chromium 110+). */
export function routeContext(ctx: AudioContext, deviceId: string | null) {
  const c = ctx as SinkContext;
  c.setSinkId?.(deviceId ?? '').catch((err: unknown) => {
    console.warn('agent: could not route audio to the chosen device', err);
  });
}

export interface Repeater {
  start(): void;
  stop(): void;
  readonly active: boolean;
}

export interface ToneOutput {
  /** The context, made and resumed on demand; null when there is no audio device. */
  context(): AudioContext | null;
  setSink(deviceId: string | null): void;
  /** Plays `pattern` now and every `periodMs` until stopped; stop() cuts what is sounding. */
  repeat(pattern: (ac: AudioContext) => OscillatorNode[], periodMs: number): Repeater;
}

export function createToneOutput(makeContext: () => AudioContext): ToneOutput {
  let ctx: AudioContext | null = null;
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
      return null; // no audio device: the screen still shows what is happening
    }
  }

  return {
    context,
    setSink(deviceId) {
      if (deviceId === sinkId) return;
      sinkId = deviceId;
      if (ctx) routeContext(ctx, deviceId);
    },
    repeat(pattern, periodMs) {
      let timer: ReturnType<typeof setInterval> | undefined;
      let voices: OscillatorNode[] = [];
      const play = () => {
        const ac = context();
        if (ac) voices = pattern(ac); // the previous round has finished (period > pattern)
      };
      return {
        get active() {
          return timer !== undefined;
        },
        start() {
          if (timer !== undefined) return;
          timer = setInterval(play, periodMs);
          play();
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
      };
    },
  };
}
