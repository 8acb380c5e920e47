import { CallNotes } from './CallNotes';
import { CallPanel } from './CallPanel';
import { CustomerTimeline } from './CustomerTimeline';
import { CallFollowUp } from './outbound/CallFollowUp';
import { ScheduleDialog } from './outbound/ScheduleDialog';
import { useOutboundKeys } from './outbound/use-outbound-keys';
import { WorkColumn } from './outbound/WorkColumn';
import { WrapUps } from './outbound/WrapUp';
import { StatusBar } from './StatusBar';
import { TalkTrackColumn } from './talk-track/TalkTrackColumn';
import { useTalkTrackKey } from './talk-track/use-talk-track-key';
import { useCallShortcuts } from './use-call-shortcuts';
import { useDocumentTitle } from './use-document-title';
import { useLocaleSync } from './use-locale-sync';

/**
 * The one screen the agent keeps open all shift: the call first; beside it the call's talk
 * track (while a call has one), then the customer of the call (its result, notes, timeline)
 * or, between calls, the callback queue.
 */
export function App() {
  useLocaleSync();
  useCallShortcuts();
  useOutboundKeys();
  useTalkTrackKey();
  useDocumentTitle();
  return (
    <div className="app">
      <StatusBar />
      <main className="workspace">
        <div className="col col-call">
          <CallPanel />
        </div>
        <TalkTrackColumn />
        <div className="col col-customer">
          <WorkColumn
            customer={
              <>
                <WrapUps />
                <CallFollowUp />
                <CallNotes />
                <CustomerTimeline />
              </>
            }
          />
        </div>
      </main>
      <ScheduleDialog />
    </div>
  );
}
