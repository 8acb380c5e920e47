// Saves the notes editor's text as the agent types: after every pause (debounced), on blur,
// when the call ends or the card moves to another call. One save in flight per note at a time,
// so versions land in order and none is skipped; text typed meanwhile is saved right after.
// Lives outside React: a pending save survives the editor unmounting.
import { AgentRpcError, type AgentApi } from '../../preload/contract';
import type { AgentStore } from './store/agent-store';
import { draftFor, isDirty, type NoteDraft } from './store/notes-slice';

export interface NoteTarget {
  /** The call's id. */
  interactionId: string;
  customerId: string | null;
}

export interface NoteWriter {
  /** The agent typed. composing: an IME composition is open (saved once it is committed). */
  edit(target: NoteTarget, body: string, opts?: { composing?: boolean }): void;
  /** Save now if anything is unsaved; resolves when the text is saved (or the save failed). */
  flush(interactionId: string): Promise<void>;
  flushAll(): Promise<void>;
  /** Stops the timers (pending text is flushed first by the caller: flushAll). */
  dispose(): void;
}

export interface NoteWriterOptions {
  /** Pause after the last keystroke before saving (≤ 300 ms). */
  debounceMs?: number;
  /** First automatic retry after a failed save; doubles up to maxRetryMs. */
  retryMs?: number;
  maxRetryMs?: number;
}

type Timer = ReturnType<typeof setTimeout>;

export function createNoteWriter(
  api: AgentApi,
  store: AgentStore,
  opts: NoteWriterOptions = {},
): NoteWriter {
  const debounceMs = opts.debounceMs ?? 250;
  const retryMs = opts.retryMs ?? 5_000;
  const maxRetryMs = opts.maxRetryMs ?? 60_000;
  const debounce = new Map<string, Timer>();
  const retry = new Map<string, Timer>();
  const retryDelay = new Map<string, number>();
  /** Notes whose save loop runs (set and cleared synchronously), and its promise. */
  const looping = new Set<string>();
  const running = new Map<string, Promise<void>>();
  /** A save was asked for (pause, blur, end) and not yet taken up by the save loop. */
  const wanted = new Set<string>();
  let disposed = false;

  const draft = (id: string): NoteDraft | undefined => store.getState().noteDrafts[id];

  function clear(timers: Map<string, Timer>, id: string) {
    const t = timers.get(id);
    if (t !== undefined) clearTimeout(t);
    timers.delete(id);
  }

  function ensureDraft(target: NoteTarget): void {
    const s = store.getState();
    if (s.noteDrafts[target.interactionId]) return;
    const seeded = target.customerId
      ? draftFor(
          s.noteDrafts,
          s.notesByCustomer[target.customerId],
          target.interactionId,
          target.customerId,
        )
      : undefined;
    s.putNoteDraft(
      seeded ?? {
        interactionId: target.interactionId,
        customerId: target.customerId,
        body: '',
        noteId: null,
        savedBody: null,
        savedVersion: null,
        savedAt: null,
        saving: false,
        error: null,
      },
    );
  }

  function edit(target: NoteTarget, body: string, o: { composing?: boolean } = {}) {
    const id = target.interactionId;
    ensureDraft(target);
    // A keystroke after a failure is the retry: the error gives way to 'waiting'.
    store.getState().patchNoteDraft(id, { body, error: null });
    clear(retry, id);
    clear(debounce, id);
    if (o.composing || disposed) return; // the IME's compositionend edits again with the committed text
    debounce.set(
      id,
      setTimeout(() => {
        debounce.delete(id);
        void flush(id);
      }, debounceMs),
    );
  }

  function flush(id: string): Promise<void> {
    clear(debounce, id);
    clear(retry, id);
    if (!draft(id)) return Promise.resolve();
    wanted.add(id);
    // A save is in flight: the loop takes the request up when it returns.
    if (looping.has(id)) return running.get(id) ?? Promise.resolve();
    const p = loop(id);
    if (looping.has(id)) running.set(id, p);
    return p;
  }

  async function loop(id: string): Promise<void> {
    looping.add(id);
    try {
      while (wanted.has(id)) {
        wanted.delete(id);
        // The agent typed again since this was asked for: their next pause saves it.
        if (debounce.has(id)) continue;
        const d = draft(id);
        if (!d || !isDirty(d)) continue;
        const body = d.body;
        store.getState().patchNoteDraft(id, { saving: true, error: null });
        try {
          const note = await api.saveNote({
            ...(d.noteId ? { noteId: d.noteId } : {}),
            customerId: d.customerId,
            interactionId: id,
            body,
          });
          store.getState().noteSaved(id, body, note);
          retryDelay.delete(id);
        } catch (err) {
          store.getState().patchNoteDraft(id, {
            saving: false,
            error: {
              code: err instanceof AgentRpcError ? err.code : 'internal',
              message: err instanceof Error ? err.message : String(err),
            },
          });
          wanted.delete(id);
          scheduleRetry(id);
          return;
        }
        // Text typed while this save was in flight is saved by the next turn of the loop
        // when its pause (or a blur) already asked for it, else by its own pause.
      }
    } finally {
      // Synchronously after the loop's last look at `wanted`: no request falls in between.
      looping.delete(id);
      running.delete(id);
    }
  }

  function scheduleRetry(id: string) {
    if (disposed) return;
    const delay = retryDelay.get(id) ?? retryMs;
    retryDelay.set(id, Math.min(delay * 2, maxRetryMs));
    retry.set(
      id,
      setTimeout(() => {
        retry.delete(id);
        void flush(id);
      }, delay),
    );
  }

  return {
    edit,
    flush,
    async flushAll() {
      await Promise.all(Object.keys(store.getState().noteDrafts).map((id) => flush(id)));
    },
    dispose() {
      disposed = true;
      for (const t of [...debounce.values(), ...retry.values()]) clearTimeout(t);
      debounce.clear();
      retry.clear();
    },
  };
}
