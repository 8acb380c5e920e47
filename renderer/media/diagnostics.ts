// Diagnostics surface for E2E tests and support: window.agentMediaStats() reports, per call,
// the ICE state and audio bytes moved. Read-only; it changes nothing and exposes no SDP.
import type { CallMediaStats, MediaPort } from './media-port';

declare global {
  interface Window {
    /** Installed at boot (installMediaDiagnostics); absent in unit tests. */
    agentMediaStats(): Promise<Record<string, CallMediaStats>>;
  }
}

export function installMediaDiagnostics(port: Pick<MediaPort, 'stats'>, win: Window = window) {
  Object.defineProperty(win, 'agentMediaStats', {
    value: () => port.stats(),
    writable: false,
    configurable: true,
  });
}
