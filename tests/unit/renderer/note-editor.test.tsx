// The call notes editor: saved after every pause in typing (≤ 300 ms), on blur, when the call
// ends, when the card moves to another call and on unmount; one save in flight at a time.
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MethodArgs, MethodResult, RpcError } from '../../../preload/contract';
import { fakeBridge } from './fake-bridge';
import { NOW, helloResult, note, ringingCall, unknownCall } from './fixtures';
import { flush, renderAgent } from './render-agent';

const active = (over: Parameters<typeof ringingCall>[0] = {}) =>
  ringingCall({ state: 'active', answeredAt: NOW - 60_000, ...over });

const editor = () => screen.getByTestId('note-editor') as HTMLTextAreaElement;
const noteState = () => screen.getByTestId('note-state').dataset.state;
const type = (text: string) =>
  act(() => void fireEvent.change(editor(), { target: { value: text } }));
const advance = (ms: number) => act(() => void vi.advanceTimersByTime(ms));
type SaveArgs = MethodArgs<'saveNote'>;

/** A reply the test sends when it wants (a slow save). */
function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

beforeEach(() => {
  vi.useFakeTimers({ now: NOW });
});

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

async function withActiveCall(bridge = fakeBridge()) {
  bridge.handlers.hello = () => helloResult({ calls: [active()] });
  const r = await renderAgent({ bridge });
  const saves = () => bridge.calls('saveNote') as SaveArgs[];
  return { ...r, saves };
}

describe('notes editor', () => {
  it('saves once per pause in typing, in order, and goes waiting → saving → saved → synced', async () => {
    const { bridge, saves } = await withActiveCall();
    const card = screen.getByTestId('call-notes');
    expect(card.dataset.callId).toBe('call-1');
    expect(within(card).getByTestId('notes-who').textContent).toBe('山田 太郎様');
    expect(editor().value).toBe('');
    expect(noteState()).toBe('empty');
    // The state is announced politely, and names the textarea it describes.
    const state = screen.getByTestId('note-state');
    expect(state.getAttribute('aria-live')).toBe('polite');
    expect(editor().getAttribute('aria-describedby')).toBe(state.id);
    expect(screen.getByLabelText('この通話のメモ')).toBe(editor());

    // A burst of keys, each within the pause of the one before: nothing is saved yet.
    type('お');
    advance(100);
    type('お客');
    advance(200);
    type('お客様');
    expect(noteState()).toBe('waiting');
    expect(state.textContent).toBe('入力中…');
    advance(249);
    expect(saves()).toEqual([]);
    // 250 ms after the last key: one save, the new note (no noteId) with the whole text.
    advance(1);
    expect(noteState()).toBe('saving');
    expect(state.textContent).toBe('保存中…');
    expect(saves()).toEqual([{ customerId: 'cust-1', interactionId: 'call-1', body: 'お客様' }]);
    await flush();
    expect(noteState()).toBe('saved');
    expect(state.textContent).toBe('保存済み');

    // The CRM acknowledges that version.
    act(() =>
      bridge.emit('note.updated', {
        ...note('note-1', { interactionId: 'call-1', body: 'お客様', savedAt: NOW }),
        version: 1,
        synced: true,
      }),
    );
    expect(noteState()).toBe('synced');
    expect(state.textContent).toBe('同期済み');

    // Next burst: the note's next version (its noteId), once.
    type('お客様より電話');
    advance(150);
    type('お客様より電話。配送日の変更');
    advance(250);
    await flush();
    expect(saves().slice(1)).toEqual([
      {
        noteId: 'note-1',
        customerId: 'cust-1',
        interactionId: 'call-1',
        body: 'お客様より電話。配送日の変更',
      },
    ]);
    // Version 2 is only in SQLite: an old ack (version 1) does not make it synced.
    expect(noteState()).toBe('saved');
    act(() => bridge.emit('note.updated', note('note-1', { interactionId: 'call-1', version: 1 })));
    expect(noteState()).toBe('saved');
    act(() => bridge.emit('note.updated', note('note-1', { interactionId: 'call-1', version: 2 })));
    expect(noteState()).toBe('synced');
    // An ack for another note changes nothing here.
    type('お客様より電話。配送日の変更。');
    advance(250);
    await flush();
    act(() => bridge.emit('note.updated', note('note-9', { version: 3 })));
    expect(noteState()).toBe('saved');

    // Every save is the next version of the same note: none skipped, none out of order.
    const results = bridge.invoke.mock.results.filter(
      (_r, i) => bridge.invoke.mock.calls[i]![0] === 'saveNote',
    );
    const versions = await Promise.all(
      results.map(async (r) => {
        const res = await (r.value as Promise<{ ok: true; result: MethodResult<'saveNote'> }>);
        return res.result.version;
      }),
    );
    expect(versions).toEqual([1, 2, 3]);
    expect(saves().map((s) => s.noteId)).toEqual([undefined, 'note-1', 'note-1']);
  });

  it('saves at once on blur, when the call ends, and on unmount — never losing the last keys', async () => {
    const { bridge, saves, view } = await withActiveCall();
    type('折り返し希望');
    act(() => void fireEvent.blur(editor()));
    expect(saves().map((s) => s.body)).toEqual(['折り返し希望']);
    await flush();
    expect(noteState()).toBe('saved');
    // Blur again with nothing new: no empty version.
    act(() => void fireEvent.blur(editor()));
    expect(saves()).toHaveLength(1);

    // The call ends mid-sentence: saved now, not after the pause.
    type('折り返し希望、明日午前');
    act(() =>
      bridge.emit('call.updated', active({ state: 'ended', endedAt: NOW, outcome: 'answered' })),
    );
    expect(saves().map((s) => s.body)).toEqual(['折り返し希望', '折り返し希望、明日午前']);
    await flush();
    // The ended call is dropped from the lines; its notes stay for the wrap-up.
    advance(1_000);
    expect(screen.queryByTestId('active-call')).toBeNull();
    expect(screen.getByTestId('call-notes').dataset.callId).toBe('call-1');
    expect(noteState()).toBe('saved');

    // Typing in the wrap-up, then the window closes before the pause.
    type('折り返し希望、明日午前。在庫を確認');
    view.unmount();
    expect(saves().map((s) => s.body)).toEqual([
      '折り返し希望',
      '折り返し希望、明日午前',
      '折り返し希望、明日午前。在庫を確認',
    ]);
    expect(saves().map((s) => s.noteId)).toEqual([undefined, 'note-1', 'note-1']);
  });

  it('a failed save keeps the text, shows the error, and recovers on retry or the next key', async () => {
    const bridge = fakeBridge();
    let fail = 2;
    const save = bridge.handlers.saveNote!;
    bridge.handlers.saveNote = (a) =>
      fail-- > 0 ? ({ code: 'internal', message: 'SQLITE_FULL: disk full' } as RpcError) : save(a);
    const { saves } = await withActiveCall(bridge);

    type('解約の意向あり');
    advance(250);
    await flush();
    expect(noteState()).toBe('error');
    expect(editor().value).toBe('解約の意向あり');
    expect(screen.getByTestId('note-state').textContent).toBe('保存できませんでした');
    expect(screen.getByTestId('note-state').title).toBe('SQLITE_FULL: disk full');
    expect(screen.getByTestId('note-error').textContent).toContain('入力内容は残っています');

    // Retry button: fails again, the text is still there.
    act(() => void fireEvent.click(screen.getByTestId('note-retry')));
    await flush();
    expect(noteState()).toBe('error');
    expect(editor().value).toBe('解約の意向あり');

    // The next key is the retry: waiting, then saved — still a new note (none was created).
    type('解約の意向あり。');
    expect(noteState()).toBe('waiting');
    expect(screen.queryByTestId('note-retry')).toBeNull();
    advance(250);
    await flush();
    expect(noteState()).toBe('saved');
    expect(editor().value).toBe('解約の意向あり。');
    expect(saves().map((s) => [s.noteId, s.body])).toEqual([
      [undefined, '解約の意向あり'],
      [undefined, '解約の意向あり'],
      [undefined, '解約の意向あり。'],
    ]);
  });

  it('a failed save is retried by itself after a while when the agent types nothing more', async () => {
    const bridge = fakeBridge();
    let fail = 1;
    const save = bridge.handlers.saveNote!;
    bridge.handlers.saveNote = (a) =>
      fail-- > 0 ? ({ code: 'unavailable', message: 'socket closed' } as RpcError) : save(a);
    const { saves } = await withActiveCall(bridge);
    type('住所変更');
    advance(250);
    await flush();
    expect(noteState()).toBe('error');
    advance(4_999);
    expect(saves()).toHaveLength(1);
    advance(1);
    await flush();
    expect(saves()).toHaveLength(2);
    expect(noteState()).toBe('saved');
  });

  it('one save in flight at a time: typing during a slow save gives exactly one follow-up with the latest text', async () => {
    const bridge = fakeBridge();
    const save = bridge.handlers.saveNote!;
    const slow = deferred<void>();
    let first = true;
    bridge.handlers.saveNote = async (a) => {
      if (first) {
        first = false;
        await slow.promise;
      }
      return save(a);
    };
    const { saves } = await withActiveCall(bridge);

    type('A');
    advance(250);
    expect(saves()).toHaveLength(1);
    expect(noteState()).toBe('saving');
    // Two more pauses while the first save is still out: nothing more is sent yet.
    type('AB');
    advance(250);
    type('ABC');
    advance(250);
    act(() => void fireEvent.blur(editor()));
    await flush();
    expect(saves()).toHaveLength(1);
    expect(noteState()).toBe('saving');

    // The first save returns: one follow-up, with the latest text and the new note's id.
    slow.resolve();
    await flush();
    await flush();
    expect(saves().map((s) => [s.noteId, s.body])).toEqual([
      [undefined, 'A'],
      ['note-1', 'ABC'],
    ]);
    expect(noteState()).toBe('saved');
    advance(1_000);
    await flush();
    expect(saves()).toHaveLength(2);
  });

  it('a save that returns while the agent is still typing waits for their pause', async () => {
    const bridge = fakeBridge();
    const save = bridge.handlers.saveNote!;
    const slow = deferred<void>();
    let first = true;
    bridge.handlers.saveNote = async (a) => {
      if (first) {
        first = false;
        await slow.promise;
      }
      return save(a);
    };
    const { saves } = await withActiveCall(bridge);
    type('A');
    advance(250);
    type('AB'); // still typing when the save returns
    slow.resolve();
    await flush();
    expect(saves()).toHaveLength(1);
    expect(noteState()).toBe('waiting');
    advance(250);
    await flush();
    expect(saves().map((s) => s.body)).toEqual(['A', 'AB']);
  });

  it('does not save in the middle of an IME composition; the committed text is saved', async () => {
    const { saves } = await withActiveCall();
    const el = editor();
    const setValue = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')!.set!;
    act(() => {
      fireEvent.compositionStart(el);
      setValue.call(el, 'はいそう');
      el.dispatchEvent(new InputEvent('input', { bubbles: true, isComposing: true }));
    });
    expect(editor().value).toBe('はいそう');
    advance(2_000); // choosing a candidate
    expect(saves()).toEqual([]);
    act(() => {
      setValue.call(el, '配送');
      el.dispatchEvent(new InputEvent('input', { bubbles: true, isComposing: false }));
      fireEvent.compositionEnd(el);
    });
    advance(250);
    await flush();
    expect(saves().map((s) => s.body)).toEqual(['配送']);
  });

  it('follows the current call: switching lines saves the old note and keeps each call’s text', async () => {
    const bridge = fakeBridge({ hello: () => helloResult({ calls: [active()] }) });
    const { saves } = await withActiveCall(bridge);
    type('一本目のメモ');
    // A second caller rings (call waiting): the notes stay on the call being talked on.
    const second = unknownCall({ id: 'call-2', startedAt: NOW });
    act(() => bridge.emit('call.updated', second));
    expect(screen.getByTestId('call-notes').dataset.callId).toBe('call-1');
    expect(saves()).toEqual([]);
    // Answered: the first goes on hold, the card moves to the new call and saves the old one.
    act(() => {
      bridge.emit('call.updated', active({ onHold: true }));
      bridge.emit('call.updated', { ...second, state: 'active', answeredAt: NOW });
    });
    expect(screen.getByTestId('call-notes').dataset.callId).toBe('call-2');
    expect(saves()).toEqual([
      { customerId: 'cust-1', interactionId: 'call-1', body: '一本目のメモ' },
    ]);
    await flush();
    // An unknown caller: the note belongs to the call only.
    expect(editor().value).toBe('');
    expect(screen.getByTestId('notes-who').textContent).toBe('03-1234-5678');
    expect(
      screen.getByText('顧客リストにない発信者です。メモはこの通話に保存されます。'),
    ).toBeTruthy();
    type('二本目');
    advance(250);
    await flush();
    expect(saves()[1]).toEqual({ customerId: null, interactionId: 'call-2', body: '二本目' });
    // Back to the first line: its text and state are still there.
    act(() => {
      bridge.emit('call.updated', { ...second, state: 'active', answeredAt: NOW, onHold: true });
      bridge.emit('call.updated', active({ onHold: false }));
    });
    expect(screen.getByTestId('call-notes').dataset.callId).toBe('call-1');
    expect(editor().value).toBe('一本目のメモ');
    expect(noteState()).toBe('saved');
  });

  it('lists the customer’s earlier notes and picks up this call’s note after a reload', async () => {
    const bridge = fakeBridge({
      hello: () => helloResult({ calls: [active()] }),
      getNotes: () => [
        note('n-this', {
          interactionId: 'call-1',
          body: '途中まで書いたメモ',
          version: 3,
          savedAt: NOW - 30_000,
          synced: false,
        }),
        note('n-old', { savedAt: NOW - 2 * 86_400_000, synced: true }),
        note('n-older', {
          interactionId: 'call-older',
          body: '請求書の再発行',
          savedAt: NOW - 9 * 86_400_000,
          synced: false,
        }),
      ],
    });
    const { saves } = await withActiveCall(bridge);
    expect(bridge.calls('getNotes')).toEqual([{ customerId: 'cust-1' }]);
    // The renderer reloaded mid-call: the note already written for this call is in the editor.
    expect(editor().value).toBe('途中まで書いたメモ');
    expect(noteState()).toBe('saved');
    const items = screen.getAllByTestId('previous-note');
    expect(items.map((li) => li.dataset.noteId)).toEqual(['n-old', 'n-older']);
    expect(items[0]!.textContent).toContain('前回: 配送日の変更を希望');
    expect(items[0]!.textContent).toContain('同期済み');
    expect(items[0]!.querySelector('time')?.getAttribute('dateTime')).toBe(
      new Date(NOW - 2 * 86_400_000).toISOString(),
    );
    expect(items[1]!.textContent).toContain('未同期');
    // Another desk's note reaches the CRM: its mark turns.
    act(() =>
      bridge.emit(
        'note.updated',
        note('n-older', {
          interactionId: 'call-older',
          body: '請求書の再発行',
          savedAt: NOW - 9 * 86_400_000,
          synced: true,
        }),
      ),
    );
    expect(screen.getAllByTestId('previous-note')[1]!.dataset.synced).toBe('true');

    // Typing continues the same note (its next version).
    type('途中まで書いたメモ。続き');
    advance(250);
    await flush();
    expect(saves()).toEqual([
      {
        noteId: 'n-this',
        customerId: 'cust-1',
        interactionId: 'call-1',
        body: '途中まで書いたメモ。続き',
      },
    ]);
  });

  it('speaks English too', async () => {
    const bridge = fakeBridge({ hello: () => helloResult({ locale: 'en', calls: [active()] }) });
    await renderAgent({ bridge });
    expect(screen.getByLabelText('Notes on this call')).toBe(editor());
    type('Wants a callback');
    expect(screen.getByTestId('note-state').textContent).toBe('Typing…');
    advance(250);
    await flush();
    expect(screen.getByTestId('note-state').textContent).toBe('Saved');
    expect(screen.getByText('No earlier notes')).toBeTruthy();
  });
});
