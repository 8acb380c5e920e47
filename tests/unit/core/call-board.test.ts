import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Call, Pop, TimelineEntry } from '../../../preload/contract';
import { createCallBoard } from '../../../main/core/call-board';
import { silentLogger } from '../../../main/core/log';
import type { PhoneCall } from '../../../main/core/phone/phone-service';
import type { CallLogEntry } from '../../../main/core/store/interactions';

const yamada: Pop = {
  customer: {
    id: 'demo-c001',
    name: '山田 太郎',
    nameKana: null,
    segment: 'heavy',
    phone: '+81355550101',
  },
  lastContacts: [],
};

function phoneCall(over: Partial<PhoneCall> = {}): PhoneCall {
  return {
    id: 'c1',
    direction: 'inbound',
    state: 'ringing',
    remote: {
      raw: '0355550101',
      e164: '+81355550101',
      display: '03-5555-0101',
      anonymous: false,
      displayName: null,
    },
    startedAt: 1_000,
    answeredAt: null,
    endedAt: null,
    outcome: null,
    endReason: null,
    onHold: false,
    remoteHold: false,
    muted: false,
    consultFor: null,
    conferenceId: null,
    transfer: null,
    quality: null,
    sipStatus: null,
    reason: null,
    ...over,
  };
}

function setup(
  opts: {
    popFor?: (e164: string | null) => Pop | Promise<Pop>;
    logCall?: (e: CallLogEntry) => void;
  } = {},
) {
  const pushed: Call[] = [];
  const logged: { customerId: string | null; entry: TimelineEntry }[] = [];
  const popFor = vi.fn(opts.popFor ?? (() => yamada));
  const board = createCallBoard({
    popFor,
    interactions: { logCall: opts.logCall ?? (() => {}) },
    onCall: (c) => pushed.push(c),
    onLogged: (customerId, entry) => logged.push({ customerId, entry }),
    log: silentLogger,
    retryMs: 20,
  });
  return { board, pushed, logged, popFor };
}

const answered = phoneCall({
  state: 'ended',
  answeredAt: 2_000,
  endedAt: 64_400,
  outcome: 'answered',
  endReason: 'remote hung up',
});

afterEach(() => vi.useRealTimers());

describe('call board', () => {
  it('pushes the ringing call with its pop synchronously, looking the pop up once', () => {
    const { board, pushed, popFor } = setup();
    board.update(phoneCall());
    expect(pushed).toHaveLength(1); // no await: the pop goes out in the same tick
    board.update(phoneCall({ state: 'active', answeredAt: 2_000 }));
    expect(pushed.map((c) => [c.state, c.pop.customer?.name])).toEqual([
      ['ringing', '山田 太郎'],
      ['active', '山田 太郎'],
    ]);
    expect(popFor).toHaveBeenCalledTimes(1);
    expect(board.list().map((c) => c.state)).toEqual(['active']);
  });

  it('logs an ended call once with its duration and drops it from the list', () => {
    const logCall = vi.fn();
    const { board, logged } = setup({ logCall });
    board.update(phoneCall());
    board.update(answered);
    expect(board.list()).toEqual([]);
    expect(logCall).toHaveBeenCalledWith(
      expect.objectContaining({
        id: 'c1',
        durationSec: 62,
        customerId: 'demo-c001',
        endReason: 'remote hung up',
      }),
    );
    expect(logged).toEqual([
      {
        customerId: 'demo-c001',
        entry: expect.objectContaining({ id: 'c1', outcome: 'answered', durationSec: 62 }),
      },
    ]);
    expect(logged[0]!.entry).not.toHaveProperty('endReason');
  });

  it('an asynchronous pop keeps the call updates in order', async () => {
    let resolve!: (p: Pop) => void;
    const { board, pushed } = setup({ popFor: () => new Promise<Pop>((r) => (resolve = r)) });
    board.update(phoneCall());
    board.update(phoneCall({ state: 'ended', endedAt: 1_500, outcome: 'missed' }));
    expect(pushed).toEqual([]);
    resolve(yamada);
    await vi.waitFor(() => expect(pushed.map((c) => c.state)).toEqual(['ringing', 'ended']));
  });

  it('a broken cache or a failed lookup rings as an unknown caller', async () => {
    const a = setup({
      popFor: () => {
        throw new Error('SQLITE_CORRUPT');
      },
    });
    a.board.update(phoneCall());
    expect(a.pushed[0]?.pop).toEqual({ customer: null, lastContacts: [] });
    const b = setup({ popFor: () => Promise.reject(new Error('CRM down')) });
    b.board.update(phoneCall());
    await vi.waitFor(() => expect(b.pushed[0]?.pop.customer).toBeNull());
  });

  it('a failed timeline write (full disk) is kept and retried, in order, never lost', async () => {
    let diskFull = true;
    const written: string[] = [];
    const { board, logged } = setup({
      logCall: (e) => {
        if (diskFull)
          throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
        written.push(e.id);
      },
    });
    board.update(answered);
    board.update({ ...answered, id: 'c2' });
    expect(board.unwritten()).toBe(2);
    expect(logged).toEqual([]);
    diskFull = false;
    await vi.waitFor(() => expect(board.unwritten()).toBe(0));
    expect(written).toEqual(['c1', 'c2']);
    expect(logged.map((l) => l.entry.id)).toEqual(['c1', 'c2']);
    board.close();
  });
});
