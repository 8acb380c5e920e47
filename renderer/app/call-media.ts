// What the screen's state asks of the media: the ringback while an outbound call rings, mute
// and the conference mix as main reports them on the calls (idempotent, so it is also right
// after a reload), and the quality sampled every ~2 s per active call.
import type { AgentApi, Call } from '../../preload/contract';
import type { CallTones } from '../media/call-tones';
import type { MediaPort } from '../media/media-port';
import { qualityBetween, type RawQuality } from '../media/quality';
import type { AgentState, AgentStore } from './store/agent-store';

export type CallMediaControl = Pick<MediaPort, 'setMute' | 'conference' | 'sampleQuality'>;

export function ringbackWhileOutboundRinging(
  store: AgentStore,
  tones: Pick<CallTones, 'startRingback' | 'stopRingback'>,
): () => void {
  const apply = (s: AgentState) => {
    const ringing = Object.values(s.calls).some(
      (c) => c.direction === 'outbound' && c.state === 'ringing',
    );
    if (ringing) tones.startRingback();
    else tones.stopRingback();
  };
  apply(store.getState());
  return store.subscribe(apply);
}

/** Keep the media's mute and mix in line with the calls main reports. */
export function mirrorCallMedia(store: AgentStore, media: CallMediaControl): () => void {
  const muted = new Map<string, boolean>();
  let mixKey = '';
  const apply = (s: AgentState) => {
    const live = Object.values(s.calls).filter((c) => c.state === 'active');
    for (const c of live) {
      if (muted.get(c.id) === c.muted) continue;
      muted.set(c.id, c.muted);
      void media.setMute(c.id, c.muted).catch(() => {});
    }
    for (const id of muted.keys()) if (!live.some((c) => c.id === id)) muted.delete(id);
    const mixed = conferenceMembers(live);
    const key = mixed.join(',');
    if (key !== mixKey) {
      mixKey = key;
      void media.conference(mixed).catch((err: unknown) => {
        console.warn('agent: conference mix failed', err);
      });
    }
  };
  apply(store.getState());
  return store.subscribe(apply);
}

/** The calls of the (one) local conference, sorted; [] when there is none. */
export function conferenceMembers(calls: Call[]): string[] {
  const byConf = new Map<string, string[]>();
  for (const c of calls) {
    if (!c.conferenceId) continue;
    byConf.set(c.conferenceId, [...(byConf.get(c.conferenceId) ?? []), c.id]);
  }
  for (const ids of byConf.values()) if (ids.length >= 2) return ids.sort();
  return [];
}

export function sampleQualityEvery(opts: {
  store: AgentStore;
  api: Pick<AgentApi, 'reportQuality'>;
  media: Pick<CallMediaControl, 'sampleQuality'>;
  intervalMs?: number;
}): () => void {
  const { store, api, media } = opts;
  const prev = new Map<string, RawQuality>();
  let busy = false;
  async function tick() {
    if (busy) return;
    busy = true;
    try {
      const live = Object.values(store.getState().calls).filter((c) => c.state === 'active');
      for (const id of prev.keys()) if (!live.some((c) => c.id === id)) prev.delete(id);
      for (const call of live) {
        const raw = await media.sampleQuality(call.id).catch(() => null);
        if (!raw) continue;
        const quality = qualityBetween(prev.get(call.id) ?? null, raw);
        prev.set(call.id, raw);
        if (store.getState().calls[call.id]?.state !== 'active') continue;
        store.getState().setQuality(call.id, quality);
        void api.reportQuality({ callId: call.id, quality }).catch(() => {});
      }
    } finally {
      busy = false;
    }
  }
  const timer = setInterval(() => void tick(), opts.intervalMs ?? 2_000);
  return () => clearInterval(timer);
}
