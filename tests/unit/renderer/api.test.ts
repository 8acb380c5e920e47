import { describe, expect, it, vi } from 'vitest';
import { AgentRpcError, type AgentBridge } from '../../../preload/contract';
import { createApi } from '../../../renderer/api';

function bridgeWith(invoke: AgentBridge['invoke']): AgentBridge {
  return { invoke, on: () => () => {}, serveMedia: () => () => {} };
}

describe('createApi (the typed Proxy)', () => {
  it('maps api.method(args) to invoke(method, args) and resolves with the result', async () => {
    const invoke = vi.fn(async () => ({ ok: true as const, result: { ok: true } }));
    const api = createApi(bridgeWith(invoke));
    await expect(api.answerCall({ callId: 'c-1' })).resolves.toEqual({ ok: true });
    expect(invoke).toHaveBeenCalledWith('answerCall', { callId: 'c-1' });
  });

  it('sends {} when called without arguments', async () => {
    const invoke = vi.fn(async () => ({ ok: true as const, result: 1 }));
    const api = createApi(bridgeWith(invoke));
    await (api.hello as (a?: unknown) => Promise<unknown>)();
    expect(invoke).toHaveBeenCalledWith('hello', {});
  });

  it('throws AgentRpcError with the code and issues of an error response', async () => {
    const api = createApi(
      bridgeWith(async () => ({
        ok: false,
        error: {
          code: 'invalid_argument',
          message: 'invalid arguments for answerCall',
          issues: [{ path: 'callId', message: 'invalid id' }],
        },
      })),
    );
    const err = await api.answerCall({ callId: '!' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AgentRpcError);
    expect(err).toMatchObject({
      code: 'invalid_argument',
      message: 'invalid arguments for answerCall',
      issues: [{ path: 'callId', message: 'invalid id' }],
    });
  });

  it('turns a transport failure into AgentRpcError unavailable', async () => {
    const api = createApi(
      bridgeWith(async () => {
        throw new Error('IPC gone');
      }),
    );
    await expect(api.hangupCall({ callId: 'c' })).rejects.toMatchObject({
      name: 'AgentRpcError',
      code: 'unavailable',
      message: 'IPC gone',
    });
  });

  it('exposes only contract methods (and is not a thenable)', async () => {
    const api = createApi(bridgeWith(vi.fn()));
    expect((api as unknown as Record<string, unknown>).nope).toBeUndefined();
    expect((api as unknown as Record<string, unknown>).then).toBeUndefined();
    await expect(Promise.resolve(api)).resolves.toBe(api);
    expect(api.hello).toBe(api.hello); // stable function identity
  });
});
