// Renderer entry: pick the bridge (Electron IPC or browser-mode WebSocket), serve media for
// main's softphone, then start the screen.
import './app/styles.css';
import { startApp } from './app/start-app';
import { getBridge } from './bridge';
import { browserDeviceSource } from './app/devices';
import { browserMediaDeps } from './media/browser-media';
import { createCallTones } from './media/call-tones';
import { installMediaDiagnostics } from './media/diagnostics';
import { createMediaPort } from './media/media-port';
import { createRinger } from './media/ringer';
import type { HidLike } from './headset/webhid-headset';

const bridge = getBridge();

const media = createMediaPort(browserMediaDeps(document));
bridge.serveMedia(media.handle);
installMediaDiagnostics(media);
window.addEventListener('pagehide', () => media.closeAll());

// Autoplay rules: an AudioContext made inside a user gesture may play later without one.
const ringer = createRinger();
const tones = createCallTones();
const unlock = () => ringer.unlock();
window.addEventListener('pointerdown', unlock, { once: true, capture: true });
window.addEventListener('keydown', unlock, { once: true, capture: true });

const container = document.getElementById('root');
if (!container) throw new Error('#root is missing from index.html');
// WebHID (headset buttons and LEDs): not in TypeScript's DOM types yet.
const hid = (navigator as Navigator & { hid?: HidLike }).hid;
startApp({ bridge, container, ringer, tones, media, devices: browserDeviceSource(), hid });
