// The typed API over any AgentBridge: ONE Proxy (as Signal Desktop does) instead of a
// hand-written wrapper per method, so a method added to the contract is callable at once.
import {
  AgentRpcError,
  isMethodName,
  type AgentApi,
  type AgentBridge,
  type MethodName,
} from '../preload/contract';

export function createApi(bridge: AgentBridge): AgentApi {
  const cache = new Map<MethodName, (args: unknown) => Promise<unknown>>();
  return new Proxy({} as AgentApi, {
    get(_target, prop) {
      // Anything not in the contract (including `then`, so the api is never mistaken for a
      // thenable) is undefined.
      if (!isMethodName(prop)) return undefined;
      let fn = cache.get(prop);
      if (!fn) {
        fn = async (args: unknown) => {
          let response;
          try {
            response = await bridge.invoke(prop, args ?? {});
          } catch (err) {
            throw new AgentRpcError({ code: 'unavailable', message: errorText(err) });
          }
          if (response.ok) return response.result;
          throw new AgentRpcError(response.error);
        };
        cache.set(prop, fn);
      }
      return fn;
    },
  });
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
