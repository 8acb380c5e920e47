// Validates and routes renderer requests. Every transport (Electron IPC, the browser-mode
// WebSocket) goes through dispatch(): unknown methods and malformed arguments get a typed
// error, handler failures never escape as exceptions.
import type { z } from 'zod';
import {
  isMethodName,
  methods,
  type MethodArgs,
  type MethodName,
  type MethodResult,
  type RpcError,
  type RpcResponse,
} from '../../../preload/contract';

export type Handlers = {
  [M in MethodName]: (args: z.output<(typeof methods)[M]['args']>) => Promise<MethodResult<M>>;
};

/** Thrown by handlers for expected failures; mapped to a typed RpcError. */
export class RpcFailure extends Error {
  constructor(
    readonly code: RpcError['code'],
    message: string,
    /**
     * Which rule, so the screen can say it in the agent's language: for 'refused' a DialBlock,
     * for a talk-track move the engine's code (mandatory_unconfirmed, unanswered…).
     */
    readonly reason?: string,
  ) {
    super(message);
    this.name = 'RpcFailure';
  }
}

export type Dispatch = (method: unknown, args: unknown) => Promise<RpcResponse>;

export function createDispatcher(
  handlers: Handlers,
  onInternalError: (method: string, err: unknown) => void = () => {},
): Dispatch {
  return async (method, args) => {
    if (!isMethodName(method)) {
      return fail('unknown_method', `unknown method: ${describe(method)}`);
    }
    // Only a missing argument means "none"; null or any other non-object is malformed.
    const parsed = methods[method].args.safeParse(args === undefined ? {} : args);
    if (!parsed.success) {
      return {
        ok: false,
        error: {
          code: 'invalid_argument',
          message: `invalid arguments for ${method}`,
          issues: parsed.error.issues.map((i) => ({
            path: i.path.map(String).join('.'),
            message: i.message,
          })),
        },
      };
    }
    try {
      const handler = handlers[method] as (a: unknown) => Promise<unknown>;
      const result = await handler(parsed.data);
      return { ok: true, result };
    } catch (err) {
      if (err instanceof RpcFailure) return fail(err.code, err.message, err.reason);
      onInternalError(method, err);
      return fail('internal', `${method} failed`);
    }
  };
}

function fail(code: RpcError['code'], message: string, reason?: string): RpcResponse {
  return { ok: false, error: reason ? { code, message, reason } : { code, message } };
}

function describe(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v.slice(0, 64)) : typeof v;
}

export type { MethodArgs };
