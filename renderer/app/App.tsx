import { CallNotes } from './CallNotes';
import { CallPanel } from './CallPanel';
import { CustomerTimeline } from './CustomerTimeline';
import { StatusBar } from './StatusBar';
import { useCallShortcuts } from './use-call-shortcuts';
import { useDocumentTitle } from './use-document-title';
import { useLocaleSync } from './use-locale-sync';

/** The one screen the agent keeps open all shift. */
export function App() {
  useLocaleSync();
  useCallShortcuts();
  useDocumentTitle();
  return (
    <div className="app">
      <StatusBar />
      <main className="workspace">
        <div className="col col-call">
          <CallPanel />
        </div>
        <div className="col col-customer">
          <CallNotes />
          <CustomerTimeline />
        </div>
      </main>
    </div>
  );
}
