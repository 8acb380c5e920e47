import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CAMPAIGN_BY_KIND } from '../../../../main/core/outbound/default-campaigns';
import {
  AttemptNotFoundError,
  createAttemptRepo,
  isOptOutRefusal,
  type AttemptRepo,
  type StartAttemptInput,
} from '../../../../main/core/store/attempts';
import { createCallbackRepo } from '../../../../main/core/store/callbacks';
import { createCustomerRepo } from '../../../../main/core/store/customers';
import { openDatabase, type Database } from '../../../../main/core/store/db';
import { createOptOutRepo, type OptOutRepo } from '../../../../main/core/store/opt-outs';
import { createOutboxRepo } from '../../../../main/core/store/outbox';

const MIN = 60_000;
const NOW = 1_700_000_000_000;
const HOME = '+81355550101';
const MOBILE = '+819011110101';
const SATO = '+819012345678';

let db: Database;
let attempts: AttemptRepo;
let optOuts: OptOutRepo;
let clock: number;
let ids: number;

beforeEach(() => {
  db = openDatabase(':memory:');
  clock = NOW;
  ids = 0;
  const customers = createCustomerRepo(db, { now: () => clock });
  customers.upsert({
    id: 'cust-1',
    name: '山田 太郎',
    segment: 'heavy',
    phones: [HOME, MOBILE],
  });
  customers.upsert({ id: 'cust-2', name: '佐藤 花子', segment: 'new', phones: [SATO] });
  const outbox = createOutboxRepo(db, { now: () => clock });
  optOuts = createOptOutRepo(db, outbox, { now: () => clock });
  createCallbackRepo(db, outbox, { now: () => clock, newId: () => 'cb-1' }).create({
    customerId: 'cust-1',
    e164: HOME,
    campaign: DEFAULT_CAMPAIGN_BY_KIND.renewal,
    owner: 'me',
    promised: false,
    dueAt: NOW,
  });
  attempts = createAttemptRepo(db, { now: () => clock, newId: () => `a-${++ids}` });
});
afterEach(() => db.close());

function input(over: Partial<StartAttemptInput> = {}): StartAttemptInput {
  return {
    callbackId: 'cb-1',
    customerId: 'cust-1',
    e164: HOME,
    callerId: '+815055500201',
    agent: 'agent-7',
    marketing: true,
    ...over,
  };
}

const count = () => db.prepare('SELECT count(*) FROM attempts').pluck().get();

describe('an attempt from start to disposition', () => {
  it('starts, links to its call, finishes and takes a disposition', () => {
    const a = attempts.start(input());
    expect(a).toEqual({
      id: 'a-1',
      callbackId: 'cb-1',
      at: NOW,
      outcome: null,
      durationSec: null,
      disposition: null,
      callerId: '+815055500201',
      agent: 'agent-7',
    });
    expect(attempts.byInteraction('call-1')).toBeUndefined();
    attempts.link(a.id, 'call-1');
    attempts.finish(a.id, { outcome: 'answered', durationSec: 95 });
    attempts.setDisposition(a.id, 'renewed');
    expect(attempts.byInteraction('call-1')).toEqual({
      ...a,
      outcome: 'answered',
      durationSec: 95,
      disposition: 'renewed',
      customerId: 'cust-1',
      e164: HOME,
    });
  });

  it("stores the account's own number as ''", () => {
    expect(attempts.start(input({ callerId: null })).callerId).toBe('');
    expect(attempts.start(input({ callerId: '' })).callerId).toBe('');
    expect(db.prepare('SELECT DISTINCT caller_id FROM attempts').pluck().all()).toEqual(['']);
  });

  it('refuses bad values and unknown attempts', () => {
    const a = attempts.start(input());
    expect(() => attempts.finish(a.id, { outcome: 'hung_up' as never, durationSec: 1 })).toThrow();
    expect(() => attempts.finish(a.id, { outcome: 'answered', durationSec: -1 })).toThrow(
      RangeError,
    );
    expect(() => attempts.setDisposition(a.id, 'Not A Code')).toThrow();
    expect(() => attempts.link('nope', 'call-1')).toThrow(AttemptNotFoundError);
    expect(() => attempts.finish('nope', { outcome: 'busy', durationSec: null })).toThrow(
      AttemptNotFoundError,
    );
    expect(() => attempts.setDisposition('nope', 'busy')).toThrow(AttemptNotFoundError);
    expect(() => attempts.start(input({ e164: '0355550101' }))).toThrow(/E\.164/);
    expect(() => attempts.start(input({ callbackId: 'no-such-callback' }))).toThrow(/FOREIGN KEY/);
  });

  it('forCallback lists the attempts newest first', () => {
    attempts.start(input());
    clock += 120 * MIN;
    attempts.start(input());
    clock += 120 * MIN;
    attempts.start(input({ callbackId: null }));
    expect(attempts.forCallback('cb-1').map((a) => [a.id, a.at])).toEqual([
      ['a-2', NOW + 120 * MIN],
      ['a-1', NOW],
    ]);
    expect(attempts.forCallback('cb-other')).toEqual([]);
  });
});

describe('the opt-out guard in the schema', () => {
  const refusal = (fn: () => unknown): unknown => {
    try {
      fn();
    } catch (err) {
      return err;
    }
    throw new Error('expected the attempt to be refused');
  };

  it("scope 'all' on the number refuses every attempt at it, marketing or not", () => {
    optOuts.record({ e164: HOME, customerId: null, scope: 'all', source: 'crm', reason: null });
    for (const marketing of [true, false]) {
      const err = refusal(() =>
        attempts.start(input({ customerId: null, callbackId: null, marketing })),
      );
      expect(isOptOutRefusal(err)).toBe(true);
      expect((err as Error).message).toMatch(/^opted out:/);
      expect((err as { code: string }).code).toBe('SQLITE_CONSTRAINT_TRIGGER');
    }
    expect(count()).toBe(0);
    // Another number, no customer: allowed.
    attempts.start(input({ e164: SATO, customerId: null, callbackId: null }));
    expect(count()).toBe(1);
  });

  it("scope 'all' on the customer refuses their other numbers too", () => {
    optOuts.record({
      e164: HOME,
      customerId: 'cust-1',
      scope: 'all',
      source: 'agent',
      reason: null,
    });
    const err = refusal(() => attempts.start(input({ e164: MOBILE, marketing: false })));
    expect(isOptOutRefusal(err)).toBe(true);
    expect(count()).toBe(0);
    attempts.start(input({ e164: SATO, customerId: 'cust-2', callbackId: null }));
    expect(count()).toBe(1);
  });

  it("scope 'marketing' refuses marketing attempts only (by number and by customer)", () => {
    optOuts.record({
      e164: HOME,
      customerId: null,
      scope: 'marketing',
      source: 'crm',
      reason: null,
    });
    expect(isOptOutRefusal(refusal(() => attempts.start(input({ customerId: null }))))).toBe(true);
    attempts.start(input({ customerId: null, marketing: false })); // a service call
    optOuts.record({
      e164: SATO,
      customerId: 'cust-2',
      scope: 'marketing',
      source: 'agent',
      reason: null,
    });
    // Customer 2 called on a number that is not theirs on file: still the customer.
    const err = refusal(() =>
      attempts.start(input({ e164: '+819099990000', customerId: 'cust-2', callbackId: null })),
    );
    expect(isOptOutRefusal(err)).toBe(true);
    attempts.start(
      input({ e164: '+819099990000', customerId: 'cust-2', callbackId: null, marketing: false }),
    );
    expect(count()).toBe(2);
  });

  it('holds for SQL written by hand too', () => {
    optOuts.record({ e164: HOME, customerId: null, scope: 'all', source: 'crm', reason: null });
    expect(() =>
      db
        .prepare(
          `INSERT INTO attempts (id, e164, started_at, marketing) VALUES ('x', '${HOME}', 1, 0)`,
        )
        .run(),
    ).toThrow(/opted out/);
  });

  it('a refused dial can still be recorded for the audit trail, and never becomes a call', () => {
    optOuts.record({
      e164: HOME,
      customerId: 'cust-1',
      scope: 'all',
      source: 'agent',
      reason: null,
    });
    const a = attempts.recordRefused({
      callbackId: 'cb-1',
      customerId: 'cust-1',
      e164: HOME,
      agent: 'agent-7',
      marketing: true,
    });
    expect(a).toMatchObject({ outcome: 'refused_dial', callerId: null });
    expect(() => attempts.finish(a.id, { outcome: 'answered', durationSec: 10 })).toThrow(
      /refused dial cannot be changed/,
    );
    expect(() => db.prepare(`UPDATE attempts SET e164 = '${SATO}' WHERE id = ?`).run(a.id)).toThrow(
      /refused dial/,
    );
    attempts.setDisposition(a.id, 'refused'); // the rest of the row may still be annotated
    expect(attempts.forCallback('cb-1')[0]).toMatchObject({ outcome: 'refused_dial' });
  });

  it('isOptOutRefusal is false for other errors', () => {
    expect(isOptOutRefusal(new Error('opted out: but not from SQLite'))).toBe(false);
    expect(isOptOutRefusal('opted out:')).toBe(false);
    expect(isOptOutRefusal(null)).toBe(false);
    let fk: unknown;
    try {
      attempts.start(input({ callbackId: 'no-such-callback' }));
    } catch (err) {
      fk = err;
    }
    expect(isOptOutRefusal(fk)).toBe(false);
  });
});

describe('what the dialing rules read', () => {
  it('lastAt and countSince go by the customer (any number) and by the number (anyone on it)', () => {
    expect(attempts.lastAt({ customerId: 'cust-1', e164: HOME })).toBeNull();
    expect(attempts.countSince({ customerId: 'cust-1', e164: HOME }, 0)).toBe(0);
    attempts.start(input({ e164: HOME }));
    clock += 60 * MIN;
    attempts.start(input({ e164: MOBILE, callbackId: null }));
    clock += 60 * MIN;
    attempts.start(input({ e164: HOME, customerId: null, callbackId: null }));
    // The third rang the same home line for nobody known: the household was called 3 times.
    expect(attempts.lastAt({ customerId: 'cust-1', e164: HOME })).toBe(NOW + 120 * MIN);
    expect(attempts.countSince({ customerId: 'cust-1', e164: HOME }, NOW)).toBe(3);
    expect(attempts.countSince({ customerId: 'cust-1', e164: HOME }, NOW + 1)).toBe(2);
    expect(attempts.countSince({ customerId: 'cust-1', e164: MOBILE }, NOW + 1)).toBe(1);
    expect(attempts.lastAt({ customerId: null, e164: HOME })).toBe(NOW + 120 * MIN);
    expect(attempts.countSince({ customerId: null, e164: HOME }, NOW)).toBe(2);
    expect(attempts.countSince({ customerId: null, e164: MOBILE }, NOW)).toBe(1);
  });

  it('a refused dial is not a call: it counts for no limit', () => {
    attempts.start(input());
    clock += MIN;
    attempts.recordRefused({
      callbackId: null,
      customerId: 'cust-1',
      e164: HOME,
      agent: null,
      marketing: true,
    });
    expect(attempts.lastAt({ customerId: 'cust-1', e164: HOME })).toBe(NOW);
    expect(attempts.countSince({ customerId: 'cust-1', e164: HOME }, 0)).toBe(1);
    expect(attempts.countSince({ customerId: null, e164: HOME }, 0)).toBe(1);
    expect(attempts.callerIdUsage(0)).toEqual(new Map([['+815055500201', 1]]));
  });

  it('callerIdUsage counts attempts per caller ID since a time, the own number as ""', () => {
    expect(attempts.callerIdUsage(0)).toEqual(new Map());
    const at = (t: number, callerId: string | null) => {
      clock = t;
      attempts.start(input({ callerId, callbackId: null, e164: SATO, customerId: 'cust-2' }));
    };
    at(NOW - 25 * 60 * MIN, '+815055500201'); // yesterday
    at(NOW - 10 * MIN, '+815055500201');
    at(NOW - 5 * MIN, '+815055500201');
    at(NOW - 5 * MIN, '+815055500202');
    at(NOW - 9 * MIN, null);
    at(NOW - 1, '+815055500203');
    const dayStart = NOW - 12 * 60 * MIN;
    expect(attempts.callerIdUsage(dayStart)).toEqual(
      new Map([
        ['', 1],
        ['+815055500201', 2],
        ['+815055500202', 1],
        ['+815055500203', 1],
      ]),
    );
    expect(attempts.callerIdUsage(NOW)).toEqual(new Map());
    expect(attempts.callerIdUsage(0).get('+815055500201')).toBe(3);
  });

  it('callerIdUsage seeks through the caller-ID index rather than scanning every attempt', () => {
    const plan = db
      .prepare<[], { detail: string }>(
        `EXPLAIN QUERY PLAN SELECT count(*) FROM attempts
          WHERE caller_id = '+815055500201' AND started_at >= 0`,
      )
      .all()
      .map((r) => r.detail)
      .join('\n');
    expect(plan).toMatch(/attempts_by_caller_id \(caller_id=\? AND started_at>\?\)/);
  });
});
