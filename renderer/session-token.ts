// Browser mode's session token. main/web opens the page as …/#token=<random>; the token is
// moved into sessionStorage and removed from the address bar so it is not left in history,
// screenshots or copied links — and a reload (no hash any more) still finds it.
const KEY = 'agent.rpcToken';

type Loc = Pick<Location, 'hash' | 'pathname' | 'search'>;

export function takeToken(
  loc: Loc = window.location,
  storage: Pick<Storage, 'getItem' | 'setItem'> = window.sessionStorage,
  history: Pick<History, 'replaceState' | 'state'> = window.history,
): string | null {
  const fromHash = new URLSearchParams(loc.hash.replace(/^#/, '')).get('token');
  if (fromHash) {
    try {
      storage.setItem(KEY, fromHash);
    } catch {
      // Storage disabled: the token still works for this page load.
    }
    history.replaceState(history.state, '', loc.pathname + loc.search);
    return fromHash;
  }
  try {
    return storage.getItem(KEY);
  } catch {
    return null;
  }
}

/** The RPC socket lives on the same origin that served the page (CSP connect-src 'self'). */
export function rpcUrl(loc: Pick<Location, 'protocol' | 'host'>, token: string): string {
  const scheme = loc.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${loc.host}/rpc?token=${encodeURIComponent(token)}`;
}
