import { formatClock } from './format';
import { useNow } from './use-now';

/** mm:ss since `from`; frozen at `until` once the call has ended. */
export function CallTimer({ from, until }: { from: number; until: number | null }) {
  const now = useNow(until === null ? 1_000 : null);
  const sec = Math.max(0, Math.floor(((until ?? now) - from) / 1000));
  return (
    <time className="call-timer" data-testid="call-timer" role="timer" dateTime={`PT${sec}S`}>
      {formatClock(sec)}
    </time>
  );
}
