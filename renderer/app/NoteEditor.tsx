import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { NoteBody, type Call } from '../../preload/contract';
import { useAgent, useNotes } from './agent-context';
import { formatStamp } from './format';
import { draftFor, noteUiState, type NoteDraft } from './store/notes-slice';

const NO_DRAFTS: Record<string, NoteDraft> = {};
const MAX_LENGTH = NoteBody.maxLength ?? 20_000;

/**
 * The call's note: saved after every pause in typing, on blur, when the call ends and when the
 * editor goes away; its state (typing, saving, saved, in the CRM, failed) is announced.
 */
export function NoteEditor({ call }: { call: Call }) {
  const { t } = useTranslation();
  const notes = useNotes();
  const id = call.id;
  const customerId = call.pop.customer?.id ?? null;
  const own = useAgent((s) => s.noteDrafts[id]);
  const customerNotes = useAgent((s) => (customerId ? s.notesByCustomer[customerId] : undefined));
  const draft = own ?? draftFor(NO_DRAFTS, customerNotes, id, customerId);
  const noteId = draft?.noteId ?? null;
  const acked = useAgent((s) => (noteId ? s.noteAcks[noteId] : undefined));
  const locale = useAgent((s) => s.locale);
  const state = noteUiState(draft, acked);
  const ended = call.state === 'ended';

  // The call ended: whatever was typed goes to SQLite now, not after the pause.
  useEffect(() => {
    if (ended) void notes.flush(id);
  }, [ended, id, notes]);
  // The card moved to another call (or closed): save what this one holds.
  useEffect(() => () => void notes.flush(id), [id, notes]);

  const target = { interactionId: id, customerId };
  const fieldId = `note-${id}`;
  const stateId = `note-state-${id}`;
  const savedAt = draft?.savedAt ?? null;
  return (
    <div className="note-editor" data-call-id={id}>
      <div className="note-editor-head">
        <label className="field-label" htmlFor={fieldId}>
          {t('notes.label')}
        </label>
        <span
          id={stateId}
          className="note-state"
          data-testid="note-state"
          data-state={state}
          role="status"
          aria-live="polite"
          title={
            state === 'error'
              ? draft?.error?.message
              : savedAt !== null
                ? t('notes.savedAt', { time: formatStamp(savedAt, locale) })
                : undefined
          }
        >
          {state !== 'empty' && <span className="note-state-dot" aria-hidden="true" />}
          {t(`notes.state.${state}`)}
        </span>
        {state === 'error' && (
          <button
            type="button"
            className="note-dismiss note-retry"
            data-testid="note-retry"
            onClick={() => void notes.flush(id)}
          >
            {t('notes.retry')}
          </button>
        )}
      </div>
      <textarea
        id={fieldId}
        className="note-text"
        data-testid="note-editor"
        rows={5}
        maxLength={MAX_LENGTH}
        placeholder={t('notes.placeholder')}
        aria-describedby={stateId}
        value={draft?.body ?? ''}
        onChange={(e) =>
          notes.edit(target, e.target.value, {
            composing: (e.nativeEvent as InputEvent).isComposing === true,
          })
        }
        onCompositionEnd={(e) => notes.edit(target, e.currentTarget.value)}
        onBlur={() => void notes.flush(id)}
      />
      {state === 'error' && (
        <p className="field-error" data-testid="note-error">
          {t('notes.errorHint')}
        </p>
      )}
    </div>
  );
}
