import { ActiveCall } from './ActiveCall';
import { useAgent } from './agent-context';
import { IdleCard } from './IdleCard';
import { IncomingCallPop } from './IncomingCallPop';
import { selectCurrentCall, selectRingingCall } from './store/agent-store';

/** Left column: the ringing pop (announced), the current call, or the idle card. */
export function CallPanel() {
  const ringing = useAgent(selectRingingCall);
  const current = useAgent(selectCurrentCall);
  return (
    <div className="call-panel">
      {/* Always in the DOM so screen readers announce the pop when it is inserted. */}
      <div className="pop-slot" aria-live="assertive">
        {ringing && <IncomingCallPop call={ringing} />}
      </div>
      {current && <ActiveCall call={current} />}
      {!ringing && !current && <IdleCard />}
    </div>
  );
}
