import { useTranslation } from 'react-i18next';
import type { Note } from '../../preload/contract';
import { useAgent } from './agent-context';
import { formatStamp } from './format';
import { useNow } from './use-now';

const NONE: Note[] = [];

/** The customer's earlier notes (this call's own note is in the editor), newest first. */
export function PreviousNotes({ customerId, callId }: { customerId: string; callId: string }) {
  const { t } = useTranslation();
  const all = useAgent((s) => s.notesByCustomer[customerId]) ?? NONE;
  const locale = useAgent((s) => s.locale);
  const now = useNow(60_000);
  const shown = all.filter((n) => n.interactionId !== callId && n.body.trim() !== '');
  return (
    <div className="prev-notes">
      <h3 className="subhead">{t('notes.previous')}</h3>
      {shown.length === 0 ? (
        <p className="muted">{t('notes.none')}</p>
      ) : (
        <ul className="prev-note-list" data-testid="previous-notes">
          {shown.map((n) => (
            <li
              key={n.noteId}
              className="prev-note"
              data-testid="previous-note"
              data-note-id={n.noteId}
              data-synced={n.synced}
            >
              <div className="prev-note-meta">
                <time dateTime={new Date(n.savedAt).toISOString()}>
                  {formatStamp(n.savedAt, locale, now)}
                </time>
                <span className="prev-note-sync" data-synced={n.synced}>
                  {n.synced ? `✓ ${t('notes.inCrm')}` : t('notes.notInCrm')}
                </span>
              </div>
              <p className="prev-note-body" title={n.body}>
                {n.body}
              </p>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
