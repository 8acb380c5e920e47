// The real browser APIs behind MediaDeps.
import type { MediaDeps } from './media-port';

// A headset mic in an open-plan call centre: let Chromium clean it up.
const MIC: MediaStreamConstraints = {
  audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true },
  video: false,
};

export function browserMediaDeps(doc: Document = document): MediaDeps {
  return {
    createPeerConnection: (config) => new RTCPeerConnection(config),
    getMicrophone: () => navigator.mediaDevices.getUserMedia(MIC),
    playRemote(callId, stream) {
      const audio = doc.createElement('audio');
      audio.autoplay = true;
      audio.hidden = true;
      audio.dataset.callId = callId;
      audio.srcObject = stream;
      doc.body.append(audio);
      // autoplay may be refused before any user gesture (browser mode); Electron allows it.
      audio.play().catch(() => {});
      return () => {
        audio.pause();
        audio.srcObject = null;
        audio.remove();
      };
    },
  };
}
