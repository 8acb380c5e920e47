// The shape of core as the shells (main/electron, main/web) see it. Built by createCore in
// core.ts, the composition root.
import type { EventName, EventPayload, Locale, Pop } from '../../preload/contract';
import type { Logger } from './log';
import type { PhoneConfig } from './phone/phone-config';
import type { Dispatch } from './rpc/dispatcher';
import type { MediaHub } from './rpc/media-port';
import type { CrmAdapter } from './sync/crm/adapter';
import type { SecretVault } from './sync/crm/crm-settings';
import type { SyncEngineOptions } from './sync/sync-engine';

export interface CoreOptions {
  /** Folder for the SQLite database and settings. Created if missing. */
  dataDir: string;
  version: string;
  locale?: Locale;
  /** SIP account; null/undefined = phone unconfigured. The password comes from the shell's secret store. */
  sip?: PhoneConfig | null;
  /** How long an outbound call may ring before it is given up as no answer (default 60 s). */
  noAnswerTimeoutSec?: number;
  /**
   * Talk-track folders, in order (a later folder's script replaces an earlier one with the
   * same id): the scripts shipped with the app, then the centre's own. Watched for changes.
   * Default: <dataDir>/scripts.
   */
  scriptFolders?: readonly string[];
  /** Load demo customers into an empty database (the local CRM's out-of-the-box data). */
  seedDemo?: boolean;
  log?: Logger;
  now?: () => number;
  /**
   * Replaces the local-cache pop lookup. Only the benchmark uses it, for its baseline: the
   * same pop fetched from a CRM over HTTP, as desktops without a local cache do.
   */
  lookupPop?: (e164: string | null) => Pop | Promise<Pop>;
  /**
   * The CRM to sync with, replacing the one in the stored settings (tests, browser mode with a
   * settings file). Default: built from the CRM settings saved through setCrmSettings.
   */
  crm?: CrmAdapter;
  /** The shell's secret store (OS keychain) for the CRM token. Without it tokens cannot be saved. */
  secrets?: SecretVault | null;
  /** Sync timing (tests and the benchmark shorten it). */
  sync?: Pick<SyncEngineOptions, 'backoff' | 'pullIntervalMs' | 'lookBackMs' | 'pageSize'>;
  /** Diagnostics: the wall-clock instant (ms, sub-ms precision) core received each INVITE. */
  onInviteReceived?: (callId: string, sipCallId: string, atMs: number) => void;
}

export interface Core {
  /** Validated request entry point for every transport. */
  dispatch: Dispatch;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  /** Renderers attach here to serve media (SDP, DTMF) for calls. */
  media: MediaHub;
  close(): Promise<void>;
}
