import { describe, expect, it, vi } from 'vitest';
import { methodNames, methods, type MethodName } from '../../../../preload/contract';
import { createDispatcher, RpcFailure, type Handlers } from '../../../../main/core/rpc/dispatcher';

const valid: { [M in MethodName]: unknown } = {
  hello: {},
  answerCall: { callId: 'c1' },
  rejectCall: { callId: 'c1' },
  hangupCall: { callId: 'c1' },
  getTimeline: { customerId: 'cust-1', limit: 5 },
  setLocale: { locale: 'en' },
};

// Malformed shapes every method must refuse (in addition to per-method ones below).
const generic: unknown[] = [null, 'x', 42, [], { __proto__: null, extra: 1 }, { unexpected: true }];
const specific: { [M in MethodName]: unknown[] } = {
  hello: [{ a: 1 }],
  answerCall: [
    {},
    { callId: '' },
    { callId: 5 },
    { callId: '<script>' },
    { callId: 'x'.repeat(200) },
    { callId: 'c1', more: 1 },
  ],
  rejectCall: [{}, { callId: null }, { callId: '../etc' }],
  hangupCall: [{}, { callId: ['c1'] }],
  getTimeline: [
    {},
    { customerId: 'c', limit: 0 },
    { customerId: 'c', limit: 1e6 },
    { customerId: 'c', limit: 1.5 },
  ],
  setLocale: [{}, { locale: 'fr' }, { locale: 'JA' }],
};

function handlers(): Handlers {
  const ok = async () => ({ ok: true as const });
  return {
    hello: async () => ({
      version: '1',
      locale: 'ja',
      phone: { registration: 'unconfigured', aor: null, error: null, since: 0 },
      calls: [],
    }),
    answerCall: vi.fn(ok),
    rejectCall: vi.fn(ok),
    hangupCall: vi.fn(ok),
    getTimeline: async () => [],
    setLocale: vi.fn(ok),
  };
}

describe('dispatcher', () => {
  it('covers every contract method in these tests', () => {
    expect(Object.keys(valid).sort()).toEqual([...methodNames].sort());
    expect(Object.keys(specific).sort()).toEqual(Object.keys(methods).sort());
  });

  it.each(methodNames)('%s accepts its valid arguments', async (method) => {
    const res = await createDispatcher(handlers())(method, valid[method]);
    expect(res.ok).toBe(true);
  });

  it.each(methodNames)('%s rejects malformed arguments with invalid_argument', async (method) => {
    const h = handlers();
    const dispatch = createDispatcher(h);
    for (const args of [...generic, ...specific[method]]) {
      // hello takes no arguments: null/undefined mean "none" and are fine.
      if (method === 'hello' && args === null) continue;
      const res = await dispatch(method, args);
      expect(res, `${method} ${JSON.stringify(args)}`).toMatchObject({
        ok: false,
        error: { code: 'invalid_argument' },
      });
    }
    // the handler never saw bad input
    const fn = h[method];
    if (vi.isMockFunction(fn)) expect(fn).not.toHaveBeenCalled();
  });

  it('says where an argument failed', async () => {
    const res = await createDispatcher(handlers())('getTimeline', { customerId: 'c', limit: 0 });
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.error.issues?.[0]?.path).toBe('limit');
  });

  it.each([undefined, null, 42, 'nope', '__proto__', 'constructor', 'toString'])(
    'unknown method %s gets unknown_method',
    async (method) => {
      const res = await createDispatcher(handlers())(method, {});
      expect(res).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    },
  );

  it('maps RpcFailure to its code and hides internal errors', async () => {
    const h = handlers();
    h.answerCall = async () => {
      throw new RpcFailure('not_found', 'no such call');
    };
    h.hangupCall = async () => {
      throw new Error('secret internals at /home/agent');
    };
    const seen: string[] = [];
    const dispatch = createDispatcher(h, (m) => seen.push(m));
    expect(await dispatch('answerCall', { callId: 'c9' })).toEqual({
      ok: false,
      error: { code: 'not_found', message: 'no such call' },
    });
    const res = await dispatch('hangupCall', { callId: 'c9' });
    expect(res).toEqual({ ok: false, error: { code: 'internal', message: 'hangupCall failed' } });
    expect(seen).toEqual(['hangupCall']);
  });
});
