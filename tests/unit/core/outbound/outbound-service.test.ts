// The service's own duties that the whole-system property does not reach: what a crash in
// the middle of a call leaves behind.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../../../main/core/log';
import { createOutboundDesk } from '../../../../main/core/outbound/outbound-desk';
import { DEFAULT_CAMPAIGN_BY_KIND } from '../../../../main/core/outbound/default-campaigns';
import { createCustomerRepo } from '../../../../main/core/store/customers';
import { openDatabase } from '../../../../main/core/store/db';
import { createOutboxRepo } from '../../../../main/core/store/outbox';
import { at } from './fixtures';

afterEach(() => vi.useRealTimers());

describe('outbound service start', () => {
  it('releases a callback a crash left dialing: its attempt failed, back in the queue', () => {
    const db = openDatabase(':memory:');
    let clock = at('2026-11-24T10:00');
    const now = () => clock;
    const outbox = createOutboxRepo(db, { now });
    const customers = createCustomerRepo(db, { now });
    customers.upsert({ id: 'c1', name: '山田 太郎', segment: 'heavy', phones: ['03-5555-0101'] });
    const opts = { now, log: silentLogger, customerSummary: (id: string) => customers.getById(id) };
    const phone = {
      dial: async () => 'call-1',
      customerFor: () => 'c1',
      agent: () => null,
      onChanged: () => {},
    };

    // The first run: the callback is dialled, then core dies before the call ends.
    const first = createOutboundDesk(db, outbox, opts);
    const cb = first.callbacks.create({
      customerId: 'c1',
      e164: '+81355550101',
      campaign: DEFAULT_CAMPAIGN_BY_KIND.requested,
      owner: 'me',
      promised: true,
      dueAt: clock,
    });
    first.start(phone);
    first.attempts.start({
      callbackId: cb.id,
      customerId: 'c1',
      e164: '+81355550101',
      callerId: '',
      agent: null,
      marketing: false,
    });
    first.callbacks.update(cb.id, { status: 'dialing', attempts: 1 });

    // The next run.
    clock += 60_000;
    const second = createOutboundDesk(db, outbox, opts);
    second.start(phone);
    const row = second.callbacks.get(cb.id)!;
    expect(row.status).toBe('pending');
    expect(row.nextAt).toBeGreaterThan(clock);
    expect(second.attempts.forCallback(cb.id).map((a) => a.outcome)).toEqual(['failed']);
    db.close();
  });

  it('closes callbacks past their expiry once a minute, off the request path, until close()', () => {
    vi.useFakeTimers();
    const db = openDatabase(':memory:');
    let clock = at('2026-11-24T10:00');
    const now = () => clock;
    const outbox = createOutboxRepo(db, { now });
    const customers = createCustomerRepo(db, { now });
    const desk = createOutboundDesk(db, outbox, {
      now,
      log: silentLogger,
      customerSummary: (id) => customers.getById(id),
    });
    const cb = desk.callbacks.create({
      customerId: null,
      e164: '+81355550101',
      campaign: DEFAULT_CAMPAIGN_BY_KIND.requested,
      owner: 'me',
      promised: false,
      dueAt: clock,
      expiresAt: clock + 30_000,
    });
    const changes: number[] = [];
    const service = desk.start({
      dial: async () => 'call-1',
      customerFor: () => null,
      agent: () => null,
      onChanged: (c) => changes.push(c.pending),
    });
    clock += 31_000;
    // Asking for the queue writes nothing: the expired one is skipped and marked as such.
    expect(service.next()).toBeNull();
    expect(service.page({}, 0, 10).items[0]!.blocked).toContain('expired');
    expect(desk.callbacks.get(cb.id)!.status).toBe('pending');
    vi.advanceTimersByTime(60_000);
    expect(desk.callbacks.get(cb.id)!.status).toBe('expired');
    expect(changes).toEqual([0]);
    service.close();
    db.close();
    // Closed: the timer is gone, so nothing touches the closed database.
    vi.advanceTimersByTime(120_000);
  });
});
