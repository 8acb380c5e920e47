// Stoplight Prism in proxy mode, between a client under test and a (fake) server: every
// request and every reply is checked against an OpenAPI document, and each violation Prism
// reports is collected from its log so a test can fail on any. Prism comes from the
// devDependency @stoplight/prism-cli; it runs as a child process tracked by PID (process.ts)
// and is stopped by stop() or, failing that, when the test process ends.
//
// Prism is started without --errors: a violation is reported, the traffic still flows, and
// the test (not Prism) decides. Startup parses the document first: kintone's 1.6 MB spec takes
// ~5–7 s on a 2-core machine, so startup waits for "Prism is listening".
import { accessSync, constants } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inCI } from './peers';
import { freePort } from './ports';
import { spawnTracked, waitUntil, type Tracked } from './process';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** kintone's official REST API spec (a verbatim copy, Apache-2.0: see its NOTICE.md). */
export const kintoneSpec = resolve(repoRoot, 'tests/fixtures/kintone/openapi.yaml');

export interface PrismViolation {
  severity: 'error' | 'warning' | 'info' | string;
  /** Where: request.query, request.body.app, response.body.records.0.id, response, prism… */
  location: string;
  message: string;
  /** The request it was reported for, e.g. "PUT /k/v1/records.json" (null if unknown). */
  request: string | null;
  /** The upstream's status for that request, when Prism had logged it. */
  status: number | null;
}

export interface PrismProxy {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** Every violation (and Prism error) reported since start or the last clearViolations(). */
  violations(): PrismViolation[];
  clearViolations(): void;
  /** Prism's own log, most recent part. */
  output(): string;
  stop(): Promise<void>;
}

/** The prism binary: the project's devDependency first, then PATH. */
export function prismBinary(): string | null {
  const dirs = [
    resolve(repoRoot, 'node_modules/.bin'),
    ...(process.env.PATH ?? '').split(delimiter),
  ];
  for (const dir of dirs) {
    try {
      accessSync(join(dir, 'prism'), constants.X_OK);
      return join(dir, 'prism');
    } catch {
      /* keep looking */
    }
  }
  return null;
}

/** describe-level switch, as peers.ts: skip locally when Prism is missing, never in CI. */
export function shouldSkipPrism(): boolean {
  return !inCI && prismBinary() === null;
}

export function assertPrism(): void {
  if (!prismBinary()) {
    throw new Error('required test peer missing: prism (npm install: @stoplight/prism-cli)');
  }
}

// Prism writes lines like
//   [1:35:31 PM] › [HTTP SERVER] put /k/v1/records.json ℹ  info      Request received
//   [1:35:31 PM] ›     [PROXY] ℹ  info      The upstream call to /k/v1/records.json has returned 200
//   [1:35:31 PM] ›     [VALIDATOR] ✖  error     Violation: response.body.records.0.id Response body…
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;
const RECEIVED = /\[HTTP SERVER\]\s+(\w+)\s+(\S+)\s.*Request received/;
const UPSTREAM = /The upstream call to (\S+) has returned (\d{3})/;
const VIOLATION = /\[VALIDATOR\]\s+\S+\s+(\w+)\s+Violation: (\S+)\s?(.*)$/;
const TERMINATED = /Request terminated with error: (.*)$/;
const LISTENING = /Prism is listening on/;

export async function startPrismProxy(opts: {
  spec: string;
  upstream: string;
  /** Default 60 s: the spec is parsed before Prism listens. */
  readyTimeoutMs?: number;
}): Promise<PrismProxy> {
  const bin = prismBinary();
  if (!bin) throw new Error('prism is not installed (npm install: @stoplight/prism-cli)');
  let lastError: Error | null = null;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort('tcp');
    const tracked = spawnTracked(
      bin,
      [
        'proxy',
        opts.spec,
        opts.upstream,
        '--host',
        '127.0.0.1',
        '--port',
        String(port),
        '--cors',
        'false',
      ],
      { env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' }, maxOutput: 512 * 1024 },
    );
    const found: PrismViolation[] = [];
    let current: string | null = null;
    let status: number | null = null;
    let ready = false;
    let partial = '';
    const onData = (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const raw of lines) {
        const line = raw.replace(ANSI, '');
        let m: RegExpExecArray | null;
        if (LISTENING.test(line)) ready = true;
        else if ((m = RECEIVED.exec(line))) {
          current = `${m[1]!.toUpperCase()} ${m[2]}`;
          status = null;
        } else if ((m = UPSTREAM.exec(line))) status = Number(m[2]);
        else if ((m = VIOLATION.exec(line))) {
          found.push({
            severity: m[1]!,
            location: m[2]!,
            message: m[3] ?? '',
            request: current,
            status,
          });
        } else if ((m = TERMINATED.exec(line))) {
          found.push({
            severity: 'error',
            location: 'prism',
            message: m[1]!,
            request: current,
            status,
          });
        }
      }
    };
    tracked.child.stdout?.on('data', onData);
    tracked.child.stderr?.on('data', onData);
    try {
      await waitUntil(() => ready, {
        timeoutMs: opts.readyTimeoutMs ?? 60_000,
        intervalMs: 50,
        what: 'prism proxy start',
        abort: () => (tracked.alive ? null : `exited early:\n${tracked.output().slice(-2000)}`),
      });
      return handle(tracked, port, found);
    } catch (e) {
      lastError = e as Error;
      await tracked.stop();
      if (!/EADDRINUSE/.test(tracked.output())) break;
    }
  }
  throw lastError ?? new Error('prism proxy did not start');
}

function handle(tracked: Tracked, port: number, found: PrismViolation[]): PrismProxy {
  return {
    // "localhost", not 127.0.0.1: @kintone/rest-api-client allows plain http only for that name.
    url: `http://localhost:${port}`,
    port,
    pid: tracked.pid,
    violations: () => [...found],
    clearViolations: () => {
      found.length = 0;
    },
    output: () => tracked.output(),
    stop: () => tracked.stop(),
  };
}
