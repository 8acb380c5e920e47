// sipp as the customer (UAC) or the far end (UAS) in tests. Always non-interactive
// (-nostdin), always bounded (-timeout, so a lost message cannot hang a test), optionally
// tracing every message into a temp dir. Without localPort sipp picks its own ports (it
// tries 5060, 6000 (media), 8888 (control) and steps up past busy ones), so parallel runs
// do not collide. Ends only the process it started, by PID.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findBinary } from './peers';
import { atProcessEnd, spawnTracked } from './process';

const here = dirname(fileURLToPath(import.meta.url));
// Not tests/infra/sipp/: a folder named like sipp.ts breaks extensionless imports under
// tsx/Node ESM (they resolve the directory first), and the benchmark runs under tsx.
export const sippScenarioDir = join(here, 'sipp-scenarios');

/** Our own scenarios (tests/infra/sipp-scenarios/<name>.xml). */
export type SippScenarioName =
  | 'uac_call' // calls [service], caller hangs up after -d ms
  | 'uac_call_wait' // calls [service], waits for the agent's BYE
  | 'uac_cancel' // calls, waits for 180, CANCELs after -d ms
  | 'uac_rejected' // calls, expects 486
  | 'uac_controls' // calls, then takes re-INVITE/INFO/REFER (key notify_final)/OPTIONS until BYE
  | 'uac_remote_hold' // calls, then holds (sendonly) and resumes (sendrecv) the agent
  | 'uas_rr' // answers calls to the default gateway, echoes Record-Route
  | 'uas_controls' // like uas_rr, plus INFO, OPTIONS and REFER with NOTIFY progress (key notify_final)
  | 'uas_ring_forever'; // rings until CANCEL, then 487

export function sippScenario(name: SippScenarioName): string {
  return join(sippScenarioDir, `${name}.xml`);
}

export interface SippOptions {
  /** A path to a scenario XML, one of ours by name, or sipp's built-in 'uac' / 'uas'. */
  scenario: string;
  /** host:port to send to (the proxy); ignored by a pure UAS. */
  target: string;
  /** Local SIP port (a UAS on the proxy's gateway port). Default: sipp picks a free one. */
  localPort?: number;
  /** The request-URI user ([service]), e.g. the agent's extension. */
  service?: string;
  /** -key name value pairs (scenario keywords). */
  keys?: Record<string, string>;
  /** Stop after this many calls (-m). Default 1. */
  calls?: number;
  /** Calls per second (-r). */
  rate?: number;
  /** Hard limit for the whole run (-timeout, seconds). Default 15. */
  timeoutSec?: number;
  /** Echo received RTP back (-rtp_echo). */
  rtpEcho?: boolean;
  /** <pause/> length in ms (-d). */
  pauseMs?: number;
  /** Write sent/received messages and unexpected ones into a temp dir (see traceDir). */
  trace?: boolean;
  extraArgs?: string[];
}

export interface SippRun {
  pid: number;
  /** Where traces go when trace: true. */
  traceDir: string | null;
  done: Promise<{ code: number; stdout: string; stderr: string }>;
  /** The message trace (trace: true), '' otherwise. */
  messages(): string;
  /** The unexpected-message trace (trace: true), '' otherwise. */
  errors(): string;
  /** Ends sipp if still running and removes its temp dir (read traces before). */
  stop(): Promise<void>;
}

function resolveScenario(s: string): string[] {
  if (s === 'uac' || s === 'uas') return ['-sn', s];
  if (isAbsolute(s) || s.includes('/')) return ['-sf', s];
  const file = join(sippScenarioDir, s.endsWith('.xml') ? s : `${s}.xml`);
  if (!existsSync(file)) throw new Error(`unknown sipp scenario: ${s}`);
  return ['-sf', file];
}

// Temp dirs go on stop() or when the test process ends (KEEP_SIPP_TRACES=1 keeps traces).
function removeDir(dir: string): void {
  if (process.env.KEEP_SIPP_TRACES !== '1') rmSync(dir, { recursive: true, force: true });
}

function readIf(path: string | null): string {
  try {
    return path && existsSync(path) ? readFileSync(path, 'utf8') : '';
  } catch {
    return '';
  }
}

/**
 * A temp copy of one of our scenarios with literal text replaced (removed when the test
 * process ends): for values sipp will not take as -key, such as a response status (checked
 * when the scenario loads) or a fixed SDP media port.
 */
export function scenarioWith(name: string, replacements: Record<string, string>): string {
  let xml = readFileSync(join(sippScenarioDir, `${name}.xml`), 'utf8');
  for (const [from, to] of Object.entries(replacements)) xml = xml.replaceAll(from, to);
  const dir = mkdtempSync(join(tmpdir(), 'sipp-scn-'));
  atProcessEnd(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, `${name}.xml`);
  writeFileSync(file, xml);
  return file;
}

/**
 * uas_reject.xml with its final status filled in (sipp checks status codes when it loads a
 * scenario, so they cannot be -key values): rings -d ms, then answers `status reason`.
 */
export function rejectScenario(status: number, reason: string): string {
  if (
    !Number.isInteger(status) ||
    status < 300 ||
    status > 699 ||
    !/^[A-Za-z ]{1,40}$/.test(reason)
  )
    throw new Error(`bad reject status: ${status} ${reason}`);
  return scenarioWith('uas_reject', { '%%STATUS%%': String(status), '%%REASON%%': reason });
}

/** Starts sipp; `done` resolves (never rejects) with its exit code when it ends. */
export function runSipp(opts: SippOptions): SippRun {
  const bin = findBinary('sipp');
  if (!bin) throw new Error('sipp is not installed (see scripts/install-system-deps.sh)');
  const traceDir = opts.trace ? mkdtempSync(join(tmpdir(), 'sipp-')) : null;
  const args = [
    ...resolveScenario(opts.scenario),
    opts.target,
    '-i',
    '127.0.0.1',
    '-m',
    String(opts.calls ?? 1),
    '-nostdin',
    '-timeout',
    `${opts.timeoutSec ?? 15}s`,
    '-timeout_error',
  ];
  if (opts.localPort !== undefined) args.push('-p', String(opts.localPort));
  if (opts.service) args.push('-s', opts.service);
  if (opts.rate !== undefined) args.push('-r', String(opts.rate));
  if (opts.pauseMs !== undefined) args.push('-d', String(opts.pauseMs));
  if (opts.rtpEcho) args.push('-rtp_echo');
  for (const [k, v] of Object.entries(opts.keys ?? {})) args.push('-key', k, v);
  if (traceDir) {
    args.push('-trace_msg', '-message_file', join(traceDir, 'messages.log'));
    args.push('-trace_err', '-error_file', join(traceDir, 'errors.log'));
  }
  args.push(...(opts.extraArgs ?? []));
  // sipp writes its own files (e.g. <scenario>_<pid>_.csv) into cwd: keep them out of the repo.
  const cwd = traceDir ?? mkdtempSync(join(tmpdir(), 'sipp-cwd-'));
  atProcessEnd(() => removeDir(cwd));
  const proc = spawnTracked(bin, args, { cwd, maxOutput: 64 * 1024 });
  const done = proc.exited.then(({ code, signal }) => ({
    code: code ?? (signal ? 128 : -1),
    stdout: proc.stdout(),
    stderr: proc.stderr(),
  }));
  return {
    pid: proc.pid,
    traceDir,
    done,
    messages: () => readIf(traceDir && join(traceDir, 'messages.log')),
    errors: () => readIf(traceDir && join(traceDir, 'errors.log')),
    async stop() {
      await proc.stop(2000);
      removeDir(cwd);
    },
  };
}

/** Lists files sipp left in a trace dir (for failure messages). */
export function traceFiles(run: SippRun): string[] {
  return run.traceDir ? readdirSync(run.traceDir) : [];
}

export interface CallerIdentity {
  /** From user part, e.g. '0312345678', '+819012345678', 'anonymous'. Default '0312345678'. */
  user?: string;
  /** From display name, quoted and escaped here; null = none. Default null. */
  display?: string | null;
  /** Verbatim text placed before '<' in From (overrides display; for malformed input). */
  rawDisplay?: string;
  /** From host. Default 127.0.0.1. */
  host?: string;
  /** A P-Asserted-Identity value, e.g. '<tel:+81312345678>'; null = none. */
  pai?: string | null;
  /** A Privacy value, e.g. 'id'; null = none. */
  privacy?: string | null;
  /**
   * One more header line, e.g. 'X-Call-Reason: inquiry' (what an IVR adds). It takes the
   * Privacy line's place, so it cannot go with `privacy`.
   */
  header?: string | null;
}

/** The -key set uac_call / uac_call_wait / uac_cancel / uac_rejected need for a caller. */
export function callerKeys(c: CallerIdentity = {}): Record<string, string> {
  const display =
    c.rawDisplay ?? (c.display == null ? '' : `"${c.display.replace(/(["\\])/g, '\\$1')}" `);
  return {
    caller: c.user ?? '0312345678',
    caller_display: display,
    caller_host: c.host ?? '127.0.0.1',
    // sipp cannot omit a line, so an unused header becomes a harmless X- header.
    pai_line: c.pai ? `P-Asserted-Identity: ${c.pai}` : 'X-No-PAI: 1',
    privacy_line: privacyLine(c),
  };
}

function privacyLine(c: CallerIdentity): string {
  if (c.privacy && c.header) throw new Error('callerKeys: privacy and header share one line');
  if (c.header && !/^[A-Za-z][A-Za-z0-9-]*: [^\r\n]+$/.test(c.header)) {
    throw new Error(`callerKeys: not one header line: ${c.header}`);
  }
  return c.privacy ? `Privacy: ${c.privacy}` : (c.header ?? 'X-No-Privacy: 1');
}
