// One logger for main. Logs go to stderr as one JSON line each. Fields that can carry
// secrets or personal data are redacted here, so a careless call site cannot leak them.
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type Logger = {
  [L in LogLevel]: (msg: string, fields?: Record<string, unknown>) => void;
};

const SECRET_KEYS = /pass(word)?|secret|token|authorization|cookie|sdp|ha1/i;
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function redact(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (SECRET_KEYS.test(k)) out[k] = '[redacted]';
    else if (v instanceof Error) out[k] = { name: v.name, message: v.message };
    else if (v && typeof v === 'object' && !Array.isArray(v))
      out[k] = redact(v as Record<string, unknown>);
    else out[k] = v;
  }
  return out;
}

export function createLogger(
  opts: { level?: LogLevel; write?: (line: string) => void; scope?: string } = {},
): Logger {
  const min = ORDER[opts.level ?? 'info'];
  const write = opts.write ?? ((line: string) => process.stderr.write(line + '\n'));
  const at =
    (level: LogLevel) =>
    (msg: string, fields: Record<string, unknown> = {}) => {
      if (ORDER[level] < min) return;
      write(
        JSON.stringify({
          t: new Date().toISOString(),
          level,
          ...(opts.scope ? { scope: opts.scope } : {}),
          msg,
          ...redact(fields),
        }),
      );
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};
