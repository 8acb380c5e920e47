import { ActiveCall } from './ActiveCall';
import { useAgent } from './agent-context';
import { DeviceNotice } from './DeviceNotice';
import { DialCard } from './DialCard';
import { IdleCard } from './IdleCard';
import { IncomingCallPop } from './IncomingCallPop';
import { LineList } from './LineList';
import { selectCurrentCall, selectRingingCall } from './store/agent-store';

/**
 * Left column: the lines (when more than one), the current call with the ringing pop beside
 * it (call waiting: both visible), or the idle card; the dial card below.
 */
export function CallPanel() {
  const ringing = useAgent(selectRingingCall);
  const current = useAgent(selectCurrentCall);
  const waiting = !!ringing && !!current && current.state !== 'ended';
  return (
    <div className="call-panel" data-waiting={waiting || undefined}>
      <DeviceNotice />
      <LineList />
      <div className="call-row">
        {current && <ActiveCall call={current} />}
        {/* Always in the DOM so screen readers announce the pop when it is inserted. */}
        <div className="pop-slot" aria-live="assertive">
          {ringing && <IncomingCallPop call={ringing} waiting={waiting} />}
        </div>
      </div>
      {!ringing && !current && <IdleCard />}
      <DialCard />
    </div>
  );
}
