// The real browser APIs behind MediaDeps.
import type { MediaDeps } from './media-port';

// A headset mic in an open-plan call centre: let Chromium clean it up.
const MIC = { echoCancellation: true, noiseSuppression: true, autoGainControl: true };

type SinkAudio = HTMLAudioElement & { setSinkId?(id: string): Promise<void> };

export function browserMediaDeps(doc: Document = document): MediaDeps {
  const playing = new Set<SinkAudio>();
  let speakerId = '';
  const route = (audio: SinkAudio) =>
    audio.setSinkId?.(speakerId).catch((err: unknown) => {
      console.warn('agent: could not route call audio to the chosen speaker', err);
    });
  return {
    createPeerConnection: (config) => new RTCPeerConnection(config),
    getMicrophone: (deviceId) =>
      navigator.mediaDevices.getUserMedia({
        audio: deviceId ? { ...MIC, deviceId: { exact: deviceId } } : MIC,
        video: false,
      }),
    playRemote(callId, stream) {
      const audio: SinkAudio = doc.createElement('audio');
      audio.autoplay = true;
      audio.hidden = true;
      audio.dataset.callId = callId;
      audio.srcObject = stream;
      doc.body.append(audio);
      playing.add(audio);
      if (speakerId) void route(audio);
      // autoplay may be refused before any user gesture (browser mode); Electron allows it.
      audio.play().catch(() => {});
      return () => {
        playing.delete(audio);
        audio.pause();
        audio.srcObject = null;
        audio.remove();
      };
    },
    async setSpeaker(deviceId) {
      speakerId = deviceId ?? '';
      await Promise.all([...playing].map(route));
    },
    createAudioContext: () => new AudioContext(),
  };
}
