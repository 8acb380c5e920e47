import { useTranslation } from 'react-i18next';
import type { Call } from '../../preload/contract';
import { useAgent } from './agent-context';
import { callWho } from './call-who';
import { NoteEditor } from './NoteEditor';
import { OptOutButton, OptOutState } from './OptOut';
import { PreviousNotes } from './PreviousNotes';

/**
 * Beside the customer: notes on the current call (else the ringing one) and the customer's
 * earlier notes, with the do-not-call action. It stays on a call after it ends (wrap-up)
 * until the next call takes its place.
 */
export function CallNotes() {
  const call = useAgent((s) => s.notesCall);
  if (!call) return null;
  // One editor per call: switching lines unmounts the old one, which saves what it holds.
  return <CallNotesCard key={call.id} call={call} />;
}

function CallNotesCard({ call }: { call: Call }) {
  const { t } = useTranslation();
  const customer = call.pop.customer;
  const titleId = `notes-title-${call.id}`;
  return (
    <section
      className="card notes-card"
      aria-labelledby={titleId}
      data-testid="call-notes"
      data-call-id={call.id}
    >
      <header className="card-head">
        <h2 id={titleId} className="card-title">
          {t('notes.title')}
          <span className="notes-who" data-testid="notes-who">
            {callWho(call, t)}
            {customer && t('call.honorific')}
          </span>
        </h2>
        <OptOutButton call={call} />
      </header>
      <OptOutState call={call} />
      <NoteEditor call={call} />
      {customer ? (
        <PreviousNotes customerId={customer.id} callId={call.id} />
      ) : (
        <p className="muted notes-hint">{t('notes.unknownCustomer')}</p>
      )}
    </section>
  );
}
