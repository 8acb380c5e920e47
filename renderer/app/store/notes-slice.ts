// Call notes: the editor's drafts (one per call, kept while the agent switches lines), the
// customers' notes as main reports them, which version of each note the CRM acknowledged,
// and the call the notes card is about.
import type { StateCreator } from 'zustand/vanilla';
import type { Call, Note, RpcErrorCode } from '../../../preload/contract';
import type { AgentState } from './agent-store';

/** The editor's text for one call and how far it got (SQLite, then the CRM). */
export interface NoteDraft {
  /** The call's id: notes are written for a call (and its customer, when known). */
  interactionId: string;
  customerId: string | null;
  /** What the textarea holds: never cleared by a save or a failure. */
  body: string;
  /** null until the first save created the note. */
  noteId: string | null;
  /** The text of the last version committed to SQLite (null: nothing saved yet). */
  savedBody: string | null;
  savedVersion: number | null;
  savedAt: number | null;
  /** A saveNote request is in flight. */
  saving: boolean;
  /** The last save failed (the text is kept; the next keystroke or retry saves again). */
  error: { code: RpcErrorCode; message: string } | null;
}

/** What the agent sees: typed-not-saved, saving, in SQLite, acknowledged by the CRM, failed. */
export type NoteUiState = 'empty' | 'waiting' | 'saving' | 'saved' | 'synced' | 'error';

export interface NotesSlice {
  noteDrafts: Record<string, NoteDraft>;
  /** Per customer, the latest version of each note, newest first. */
  notesByCustomer: Record<string, Note[]>;
  /** Per noteId, the highest version the CRM acknowledged. */
  noteAcks: Record<string, number>;
  /** The call the notes card is about: the current call, else the ringing one; it stays after
   *  the call ends (wrap-up) until another call takes its place. */
  notesCall: Call | null;
  putNoteDraft(draft: NoteDraft): void;
  patchNoteDraft(interactionId: string, patch: Partial<NoteDraft>): void;
  /** A version of the draft's text was committed (saveNote returned). */
  noteSaved(interactionId: string, body: string, note: Note): void;
  /** getNotes' answer for a customer. */
  mergeNotes(customerId: string, notes: Note[]): void;
  /** 'note.updated': a version was saved (here or elsewhere) or acknowledged by the CRM. */
  noteUpdated(note: Note): void;
  setNotesCall(call: Call | null): void;
}

export const createNotesSlice: StateCreator<AgentState, [], [], NotesSlice> = (set) => ({
  noteDrafts: {},
  notesByCustomer: {},
  noteAcks: {},
  notesCall: null,
  putNoteDraft: (draft) =>
    set((s) => ({ noteDrafts: { ...s.noteDrafts, [draft.interactionId]: draft } })),
  patchNoteDraft: (id, patch) =>
    set((s) => {
      const old = s.noteDrafts[id];
      if (!old) return s;
      return { noteDrafts: { ...s.noteDrafts, [id]: { ...old, ...patch } } };
    }),
  noteSaved: (id, body, note) =>
    set((s) => {
      const old = s.noteDrafts[id];
      const noteDrafts = old
        ? {
            ...s.noteDrafts,
            [id]: {
              ...old,
              noteId: note.noteId,
              savedBody: body,
              savedVersion: note.version,
              savedAt: note.savedAt,
              saving: false,
              error: null,
            },
          }
        : s.noteDrafts;
      return { noteDrafts, ...withNotes(s, [note]) };
    }),
  mergeNotes: (customerId, notes) =>
    set((s) =>
      withNotes(
        s,
        notes.map((n) => ({ ...n, customerId: n.customerId ?? customerId })),
      ),
    ),
  noteUpdated: (note) => set((s) => withNotes(s, [note])),
  setNotesCall: (notesCall) => set({ notesCall }),
});

/** Notes merged by noteId (a higher version wins; the same version is synced if either is). */
function withNotes(
  s: AgentState,
  incoming: Note[],
): Pick<AgentState, 'notesByCustomer' | 'noteAcks'> {
  let { notesByCustomer, noteAcks } = s;
  for (const n of incoming) {
    if (n.synced && (noteAcks[n.noteId] ?? 0) < n.version)
      noteAcks = { ...noteAcks, [n.noteId]: n.version };
    if (!n.customerId) continue;
    const list = notesByCustomer[n.customerId] ?? [];
    const old = list.find((o) => o.noteId === n.noteId);
    if (old && old.version > n.version) continue;
    const merged = old && old.version === n.version ? { ...n, synced: old.synced || n.synced } : n;
    const next = [...list.filter((o) => o.noteId !== n.noteId), merged].sort(
      (a, b) => b.savedAt - a.savedAt || (a.noteId < b.noteId ? 1 : -1),
    );
    notesByCustomer = { ...notesByCustomer, [n.customerId]: next };
  }
  return { notesByCustomer, noteAcks };
}

export const isDirty = (d: NoteDraft): boolean => d.body !== (d.savedBody ?? '');

/**
 * The draft the editor starts from for a call: its own, else the note already written for
 * this call (after a renderer reload, getNotes has it), else nothing.
 */
export function draftFor(
  drafts: Record<string, NoteDraft>,
  customerNotes: readonly Note[] | undefined,
  interactionId: string,
  customerId: string | null,
): NoteDraft | undefined {
  const own = drafts[interactionId];
  if (own) return own;
  const note = customerNotes?.find((n) => n.interactionId === interactionId);
  if (!note) return undefined;
  return {
    interactionId,
    customerId,
    body: note.body,
    noteId: note.noteId,
    savedBody: note.body,
    savedVersion: note.version,
    savedAt: note.savedAt,
    saving: false,
    error: null,
  };
}

export function noteUiState(
  d: NoteDraft | undefined,
  ackedVersion: number | undefined,
): NoteUiState {
  if (!d) return 'empty';
  if (d.saving) return 'saving';
  if (d.error) return 'error';
  if (isDirty(d)) return 'waiting';
  if (d.savedVersion === null) return 'empty';
  return ackedVersion !== undefined && ackedVersion >= d.savedVersion ? 'synced' : 'saved';
}
