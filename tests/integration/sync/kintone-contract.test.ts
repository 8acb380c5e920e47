// The kintone adapter against kintone's official OpenAPI spec: the real adapter (on the real
// @kintone/rest-api-client) → Prism in proxy mode, validating every request and reply against
// tests/fixtures/kintone/openapi.yaml → the stateful fake kintone. Any violation Prism reports
// fails the test, except the two the spec itself makes unavoidable (see `unexpected`).
// A second block drives the adapter straight at the fake for the faults Prism would turn into
// something else (a reset or broken JSON upstream becomes Prism's own 500).
import { randomUUID } from 'node:crypto';
import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CrmError, type OutboxItem, type PullCursor } from '../../../main/core/sync/crm/adapter';
import { KintoneAdapter } from '../../../main/core/sync/crm/kintone/adapter';
import {
  KintoneConfig,
  type KintoneConfigInput,
  type KintoneTokens,
} from '../../../main/core/sync/crm/kintone/config';
import {
  callCentreApps,
  customerPhone,
  KintoneFake,
  type FakeToken,
} from '../../infra/kintone-fake';
import { freePort } from '../../infra/ports';
import { delay } from '../../infra/process';
import {
  assertPrism,
  kintoneSpec,
  shouldSkipPrism,
  startPrismProxy,
  type PrismProxy,
  type PrismViolation,
} from '../../infra/prism';

const APPS = { customers: 11, activities: 12, callbacks: 13 };
const OTHER_APP = 99;
const mapping = KintoneConfig.parse({ baseUrl: 'http://localhost', apps: APPS });
const C = mapping.fields.customers;
const A = mapping.fields.activities;
const B = mapping.fields.callbacks;
const V = mapping.values;

const TOKENS = { customers: 'custToken0001', activities: 'actToken0001', callbacks: 'cbToken0001' };
const fakeTokens: FakeToken[] = [
  { token: TOKENS.customers, app: APPS.customers, view: true, add: true, edit: true },
  { token: TOKENS.activities, app: APPS.activities, view: true, add: true, edit: true },
  { token: TOKENS.callbacks, app: APPS.callbacks, view: true, add: true, edit: true },
  { token: 'viewOnlyCustomers', app: APPS.customers, view: true },
  { token: 'otherAppToken', app: OTHER_APP, view: true, add: true, edit: true },
];
const ALL_TOKENS = [...fakeTokens.map((t) => t.token), 'NOSUCHTOKEN'];

function startFake(): Promise<KintoneFake> {
  return KintoneFake.start({
    apps: [...callCentreApps(mapping), { id: OTHER_APP, name: 'other', fields: [] }],
    tokens: fakeTokens,
    mapping,
  });
}

function adapterAt(
  baseUrl: string,
  over: { tokens?: KintoneTokens; config?: Partial<KintoneConfigInput>; timeoutMs?: number } = {},
): KintoneAdapter {
  return new KintoneAdapter({
    config: { baseUrl, apps: APPS, ...over.config },
    tokens: over.tokens ?? TOKENS,
    timeoutMs: over.timeoutMs ?? 5_000,
  });
}

const T0 = Date.parse('2026-04-01T01:00:00Z');

const items = {
  callLog: (
    over: Partial<Extract<OutboxItem, { kind: 'call_log' }>['payload']> = {},
  ): OutboxItem => ({
    key: randomUUID(),
    kind: 'call_log',
    createdAt: T0,
    payload: {
      interactionId: randomUUID(),
      customerId: 'c1',
      customerCrmId: '5',
      direction: 'outbound',
      number: '+81355550101',
      startedAt: T0,
      answeredAt: T0 + 4_000,
      endedAt: T0 + 94_000,
      durationSec: 90,
      outcome: 'answered',
      ...over,
    },
  }),
  note: (noteId: string, version: number, body: string): OutboxItem => ({
    key: randomUUID(),
    kind: 'note',
    createdAt: T0,
    payload: {
      noteId,
      version,
      customerId: 'c1',
      customerCrmId: '5',
      interactionId: null,
      body,
      savedAt: T0 + version,
    },
  }),
  disposition: (code: string): OutboxItem => ({
    key: randomUUID(),
    kind: 'disposition',
    createdAt: T0,
    payload: { interactionId: 'i1', customerId: 'c1', customerCrmId: '5', code, at: T0 },
  }),
  scriptAnswers: (): OutboxItem => ({
    key: randomUUID(),
    kind: 'script_answers',
    createdAt: T0,
    payload: {
      interactionId: 'i1',
      customerId: 'c1',
      customerCrmId: '5',
      scriptId: 'renewal-v2',
      answers: { q1: 'yes', q2: 3 },
    },
  }),
  callback: (status = 'scheduled'): OutboxItem => ({
    key: randomUUID(),
    kind: 'callback',
    createdAt: T0,
    payload: {
      callbackId: 'cb-1',
      customerId: 'c1',
      customerCrmId: '5',
      e164: '+81355550101',
      dueAt: T0 + 3_600_000,
      status,
    },
  }),
  optOut: (
    scope: 'marketing' | 'all',
    customerCrmId: string | null,
    e164 = '+81355550101',
  ): OutboxItem => ({
    key: randomUUID(),
    kind: 'opt_out',
    createdAt: T0,
    payload: {
      customerId: null,
      customerCrmId,
      e164,
      scope,
      source: 'agent',
      reason: 'asked on the phone',
      at: T0,
    },
  }),
};

async function crmError(p: Promise<unknown>): Promise<CrmError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(CrmError);
    return e as CrmError;
  }
  throw new Error('expected a CrmError, got success');
}

/** No token may appear anywhere in an error, however deeply it is inspected. */
function expectNoToken(e: unknown): void {
  const text = `${String(e)}\n${inspect(e, { depth: 20, showHidden: true })}`;
  for (const t of ALL_TOKENS) expect(text).not.toContain(t);
}

/**
 * Every violation except the two kintone's spec makes unavoidable, each matched narrowly:
 * 1. the spec documents only 200 replies, so any error reply (4xx/5xx) is reported as a
 *    warning "Unable to match the returned status code";
 * 2. putRecords' reply is `oneOf: [RecordsPutRecordBean[], RecordsPutUpsertRecordBean[]]` and
 *    the second is a special case of the first (no required properties, no
 *    additionalProperties: false), so every reply matches both branches. A real mismatch in
 *    the items (a type, a missing id) is reported as its own violation and is not excused.
 */
function unexpected(vs: PrismViolation[]): PrismViolation[] {
  return vs.filter(
    (v) =>
      !(
        (v.severity === 'warning' &&
          v.location === 'response' &&
          /Unable to match the returned status code/.test(v.message) &&
          (v.status ?? 0) >= 400) ||
        (v.request === 'PUT /k/v1/records.json' &&
          v.location === 'response.body.records' &&
          v.message.endsWith('must match exactly one schema in oneOf'))
      ),
  );
}

/** Pulls a stream to the end; returns every page. */
async function drain<T extends { crmId: string }>(
  pull: (
    since: PullCursor | null,
    limit: number,
  ) => Promise<{ records: T[]; cursor: PullCursor | null; done: boolean; total?: number }>,
  since: PullCursor | null,
  limit: number,
): Promise<{ pages: { records: T[]; total?: number }[]; cursor: PullCursor | null }> {
  const pages: { records: T[]; total?: number }[] = [];
  let cursor = since;
  for (let i = 0; i < 1_000; i++) {
    const page = await pull(cursor, limit);
    pages.push(page);
    if (page.cursor) cursor = page.cursor;
    if (page.done) return { pages, cursor };
  }
  throw new Error('pull never finished');
}

describe.skipIf(shouldSkipPrism())(
  "kintone adapter → Prism (kintone's OpenAPI spec) → fake kintone",
  () => {
    let fake: KintoneFake;
    let prism: PrismProxy;
    let adapter: KintoneAdapter;

    beforeAll(async () => {
      assertPrism();
      fake = await startFake();
      prism = await startPrismProxy({ spec: kintoneSpec, upstream: fake.baseUrl });
      adapter = adapterAt(prism.url);
    }, 90_000);

    afterAll(async () => {
      await prism?.stop();
      await fake?.close();
    });

    beforeEach(() => {
      fake.reset();
      fake.setClock(T0);
      prism.clearViolations();
    });

    afterEach(() => {
      expect(unexpected(prism.violations())).toEqual([]);
    });

    describe('check()', () => {
      it('reports the three apps with the right token and mapping', async () => {
        const r = await adapter.check();
        expect(r).toMatchObject({ ok: true });
        if (r.ok) expect(r.detail).toMatch(/customers "顧客" \(#11\).*activities.*callbacks/);
      });

      it('an unknown token is bad_token (kintone: 400 GAIA_IA02), never echoing the token', async () => {
        const r = await adapterAt(prism.url, { tokens: ['NOSUCHTOKEN'] }).check();
        expect(r).toMatchObject({ ok: false, code: 'bad_token' });
        if (!r.ok) expect(r.message).toContain('GAIA_IA02');
        expect(JSON.stringify(r)).not.toContain('NOSUCHTOKEN');
      });

      it("another app's token is no_permission (kintone: 403 GAIA_NO01), naming the app", async () => {
        const r = await adapterAt(prism.url, { tokens: [TOKENS.activities] }).check();
        expect(r).toMatchObject({ ok: false, code: 'no_permission' });
        if (!r.ok) expect(r.message).toMatch(/customers app #11/);
        const r2 = await adapterAt(prism.url, {
          tokens: [TOKENS.customers, TOKENS.activities],
        }).check();
        expect(r2).toMatchObject({ ok: false, code: 'no_permission' });
        if (!r2.ok) expect(r2.message).toMatch(/callbacks app #13/);
      });

      it('fields missing from an app, a non-unique sync key or a missing option is bad_config', async () => {
        const r = await adapterAt(prism.url, {
          config: {
            fields: { customers: { nameKana: 'カナ氏名' }, activities: { syncKey: '概要' } },
            values: { optOut: { all: '全部NG' } },
          },
        }).check();
        expect(r).toMatchObject({ ok: false, code: 'bad_config' });
        if (!r.ok) {
          expect(r.message).toContain('field "カナ氏名" is missing');
          expect(r.message).toContain('"概要" must prohibit duplicate values');
          expect(r.message).toContain('lacks the option(s) "全部NG"');
        }
      });

      it('a wrong app id is bad_config (kintone: 404 GAIA_AP01)', async () => {
        const r = await adapterAt(prism.url, {
          config: { apps: { ...APPS, callbacks: 77 } },
        }).check();
        expect(r).toMatchObject({ ok: false, code: 'bad_config' });
        if (!r.ok) expect(r.message).toMatch(/callbacks app #77 does not exist/);
      });
    });

    describe('push()', () => {
      it('writes a call log once, and a retry of the same key updates that record', async () => {
        const item = items.callLog();
        const ack = await adapter.push(item);
        const again = await adapter.push(item);
        expect(again.remoteId).toBe(ack.remoteId);
        expect(Number(again.revision)).toBe(Number(ack.revision) + 1);
        const recs = fake.writtenRecords(APPS.activities);
        expect(recs).toHaveLength(1);
        expect(recs[0]!.values).toMatchObject({
          [A.syncKey]: item.key,
          [A.type]: V.activityType.call_log,
          [A.customer]: '5',
          [A.direction]: V.direction.outbound,
          [A.at]: '2026-04-01T01:00:00Z',
          [A.summary]: '+81355550101 · 90s · answered',
        });
        expect(JSON.parse(recs[0]!.values[A.detail]!)).toMatchObject({
          kind: 'call_log',
          durationSec: 90,
        });
      });

      it('keeps every note version as its own record (append-only in the CRM too)', async () => {
        await adapter.push(items.note('n1', 1, 'first draft'));
        await adapter.push(items.note('n1', 2, 'second\nversion'));
        const recs = fake.writtenRecords(APPS.activities);
        expect(recs.map((r) => r.values[A.summary])).toEqual(['first draft', 'second version']);
        expect(recs.map((r) => JSON.parse(r.values[A.detail]!).version)).toEqual([1, 2]);
      });

      it('writes dispositions and script answers to activities, callbacks to the callbacks app', async () => {
        await adapter.push(items.disposition('sale'));
        await adapter.push(items.scriptAnswers());
        const cb = await adapter.push(items.callback());
        const acts = fake.writtenRecords(APPS.activities);
        expect(acts.map((r) => r.values[A.type])).toEqual([
          V.activityType.disposition,
          V.activityType.script_answers,
        ]);
        expect(JSON.parse(acts[1]!.values[A.detail]!).answers).toEqual({ q1: 'yes', q2: 3 });
        const cbs = fake.writtenRecords(APPS.callbacks);
        expect(cbs).toHaveLength(1);
        expect(String(cbs[0]!.id)).toBe(cb.remoteId);
        expect(cbs[0]!.values).toMatchObject({
          [B.callbackId]: 'cb-1',
          [B.dueAt]: '2026-04-01T02:00:00Z',
          [B.status]: 'scheduled',
        });
      });

      it('a value kintone refuses is rejected (400 CB_VA01): permanent for that item', async () => {
        const e = await crmError(adapter.push(items.callback('two\nlines')));
        expect(e).toMatchObject({ kind: 'rejected', status: 400, crmCode: 'CB_VA01' });
        expect(e.transient).toBe(false);
      });

      it('opt-outs only ever get stronger, and each is audited once in activities', async () => {
        const id = fake.addRecord(APPS.customers, {
          [C.name]: '山田 太郎',
          [C.phones[0]!]: '03-5555-0101',
          [C.optOut]: V.optOut.none,
        });
        await adapter.push(items.optOut('marketing', String(id)));
        expect(fake.getRecord(APPS.customers, id)!.values[C.optOut]).toBe(V.optOut.marketing);
        await adapter.push(items.optOut('all', String(id)));
        expect(fake.getRecord(APPS.customers, id)!.values[C.optOut]).toBe(V.optOut.all);
        const before = fake.getRecord(APPS.customers, id)!.revision;
        await adapter.push(items.optOut('marketing', String(id)));
        expect(fake.getRecord(APPS.customers, id)!.values[C.optOut]).toBe(V.optOut.all); // never weaker
        expect(fake.getRecord(APPS.customers, id)!.revision).toBe(before); // not even rewritten
        const audit = fake.writtenRecords(APPS.activities);
        expect(audit.map((r) => r.values[A.type])).toEqual(Array(3).fill(V.activityType.opt_out));
        expect(audit.every((r) => r.values[A.customer] === String(id))).toBe(true);
        expect(JSON.parse(audit[2]!.values[A.detail]!).customers).toEqual([
          { id: String(id), level: 'all' },
        ]);
      });

      it('finds an unknown customer by phone number, in the format the CRM stored it', async () => {
        const { first } = fake.seedCustomers(50);
        const ack = await adapter.push(items.optOut('all', null, '+81350000007')); // 03-5000-0007
        const customer = fake.getRecord(APPS.customers, first + 7)!;
        expect(customer.values[C.phones[0]!]).toBe(customerPhone(7));
        expect(customer.values[C.optOut]).toBe(V.optOut.all);
        expect(fake.getRecord(APPS.activities, Number(ack.remoteId))!.values[A.customer]).toBe(
          String(first + 7),
        );
      });

      it('an unknown number (or a customer deleted in the CRM) leaves only the audit record', async () => {
        fake.seedCustomers(20);
        await adapter.push(items.optOut('marketing', null, '+81399999999'));
        await adapter.push(items.optOut('marketing', '999999', '+81399999998')); // 404 GAIA_RE01 → by phone
        expect(fake.writtenRecords(APPS.customers)).toEqual([]);
        const audit = fake.writtenRecords(APPS.activities);
        expect(audit).toHaveLength(2);
        expect(audit.map((r) => r.values[A.customer])).toEqual(['', '']);
      });

      it('a concurrent edit of the customer is a conflict (409 GAIA_CO02); the retry wins', async () => {
        const id = fake.addRecord(APPS.customers, {
          [C.name]: '佐藤 花子',
          [C.optOut]: V.optOut.none,
        });
        let raced = false;
        fake.beforeHandle = (req) => {
          if (!raced && req.method === 'PUT' && req.path === '/k/v1/record.json') {
            raced = true; // someone else saves the record between our read and our write
            fake.editRecord(APPS.customers, id, { [C.nameKana]: 'サトウ ハナコ' });
          }
        };
        const item = items.optOut('all', String(id));
        const e = await crmError(adapter.push(item));
        expect(e).toMatchObject({ kind: 'conflict', status: 409, crmCode: 'GAIA_CO02' });
        expect(e.transient).toBe(true);
        expect(fake.writtenRecords(APPS.activities)).toHaveLength(0);
        await adapter.push(item);
        expect(fake.getRecord(APPS.customers, id)!.values).toMatchObject({
          [C.optOut]: V.optOut.all,
          [C.nameKana]: 'サトウ ハナコ',
        });
        expect(fake.writtenRecords(APPS.activities)).toHaveLength(1);
      });
    });

    describe('pull', () => {
      it('pages through customers by (更新日時, $id) across many pages: none lost, none twice', async () => {
        const { first, last } = fake.seedCustomers(1_234); // all at T0
        fake.advanceClock(120_000);
        const edited = [first + 3, first + 500, first + 1_000];
        for (const id of edited)
          fake.editRecord(APPS.customers, id, { [C.segment]: V.segment.heavy });
        const added = fake.addRecord(APPS.customers, { [C.name]: '新規 顧客' });
        const { pages, cursor } = await drain((s, l) => adapter.pullCustomers(s, l), null, 100);
        const ids = pages.flatMap((p) => p.records.map((r) => Number(r.crmId)));
        expect(pages).toHaveLength(13);
        expect(pages[0]!.total).toBe(1_235);
        expect(new Set(ids).size).toBe(ids.length);
        expect(ids).toHaveLength(1_235);
        // The untouched ones first (one timestamp, by id), then the edited and the new one.
        expect(ids.slice(-4)).toEqual([...edited, added]);
        expect(ids.slice(0, -4)).toEqual(
          Array.from({ length: last - first + 1 }, (_, i) => first + i).filter(
            (id) => !edited.includes(id),
          ),
        );
        const c = pages[12]!.records.at(-1)!;
        expect(cursor).toEqual({ updatedAt: c.updatedAt, id: c.crmId });
        expect(c).toMatchObject({
          updatedAt: '2026-04-01T01:02:00Z',
          name: '新規 顧客',
          segment: 'new',
          optOut: 'none',
        });
        // Nothing new: an empty page that keeps the old cursor.
        expect(await adapter.pullCustomers(cursor, 100)).toEqual({
          records: [],
          cursor: null,
          done: true,
          total: 0,
        });
      });

      it('continues within one timestamp across page boundaries, then picks up later edits', async () => {
        const ids = Array.from({ length: 250 }, (_, i) =>
          fake.addRecord(APPS.activities, {
            [A.type]: V.activityType.email,
            [A.syncKey]: `ext-${i}`,
            [A.at]: '2026-04-01T00:30:00Z',
          }),
        );
        const { pages, cursor } = await drain((s, l) => adapter.pullActivities(s, l), null, 100);
        expect(pages.map((p) => p.records.length)).toEqual([100, 100, 50]);
        expect(pages.map((p) => p.total)).toEqual([250, 150, 50]);
        expect(pages.flatMap((p) => p.records.map((r) => Number(r.crmId)))).toEqual(ids);
        expect(new Set(pages.flatMap((p) => p.records.map((r) => r.updatedAt)))).toEqual(
          new Set(['2026-04-01T01:00:00Z']),
        );
        fake.advanceClock(60_000);
        fake.editRecord(APPS.activities, ids[10]!, { [A.summary]: 'edited' });
        const next = await adapter.pullActivities(cursor, 100);
        expect(next.records.map((r) => [r.crmId, r.summary, r.updatedAt])).toEqual([
          [String(ids[10]), 'edited', '2026-04-01T01:01:00Z'],
        ]);
        expect(next.done).toBe(true);
      });

      it('maps activities, ours (with their sync key) and other channels', async () => {
        const item = items.callLog();
        await adapter.push(item);
        fake.addRecord(APPS.activities, {
          [A.type]: V.activityType.email,
          [A.customer]: '5',
          [A.at]: '2026-03-31T23:00:00Z',
          [A.direction]: V.direction.inbound,
          [A.summary]: 'お問い合わせメール',
        });
        const page = await adapter.pullActivities(null, 10);
        expect(page.records).toEqual([
          expect.objectContaining({
            kind: 'call',
            direction: 'outbound',
            syncKey: item.key,
            customerCrmId: '5',
            at: T0,
          }),
          expect.objectContaining({
            kind: 'email',
            direction: 'inbound',
            syncKey: null,
            customerCrmId: '5',
            at: Date.parse('2026-03-31T23:00:00Z'),
            summary: 'お問い合わせメール',
          }),
        ]);
      });

      it('sees a write only once kintone has indexed it (lag)', async () => {
        fake.lagMs = 400;
        await adapter.push(items.callLog());
        expect((await adapter.pullActivities(null, 10)).records).toHaveLength(0);
        await delay(450);
        expect((await adapter.pullActivities(null, 10)).records).toHaveLength(1);
      });
    });

    describe("the fake's error replies, through Prism", () => {
      it('are kintone-shaped JSON, and the spec has nothing else to say about them', async () => {
        const cases: { run: () => Promise<Response>; status: number; code: string }[] = [
          {
            run: () =>
              fetch(`${prism.url}/k/v1/records.json?app=11`, {
                headers: { 'X-Cybozu-API-Token': 'NOSUCHTOKEN' },
              }),
            status: 400,
            code: 'GAIA_IA02',
          },
          {
            run: () =>
              fetch(`${prism.url}/k/v1/records.json?app=11`, {
                headers: { 'X-Cybozu-API-Token': 'otherAppToken' },
              }),
            status: 403,
            code: 'GAIA_NO01',
          },
          {
            run: () => fetch(`${prism.url}/k/v1/records.json?app=11`),
            status: 401,
            code: 'CB_AU01',
          },
        ];
        for (const c of cases) {
          const res = await c.run();
          expect(res.status).toBe(c.status);
          const body = (await res.json()) as Record<string, unknown>;
          expect(body).toEqual({
            code: c.code,
            id: expect.any(String),
            message: expect.any(String),
          });
        }
        const warned = prism.violations();
        expect(warned.map((v) => [v.severity, v.location, v.status])).toEqual(
          cases.map((c) => ['warning', 'response', c.status]),
        );
      });

      it('(self-check) a request the spec forbids is reported, so a silent pass means something', async () => {
        await fetch(`${prism.url}/k/v1/records.json`, {
          method: 'PUT',
          headers: { 'Content-Type': 'application/json', 'X-Cybozu-API-Token': TOKENS.activities },
          body: JSON.stringify({ app: '12', records: [] }),
        });
        expect(prism.violations()).toContainEqual(
          expect.objectContaining({
            severity: 'error',
            location: 'request.body.app',
            request: 'PUT /k/v1/records.json',
          }),
        );
        prism.clearViolations();
      });

      it('429 → rate_limited with Retry-After, 500/503 → server, 401/403 → auth', async () => {
        fake.failNext(1, { status: 429, retryAfterSec: 7 });
        const limited = await crmError(adapter.pullCustomers(null, 10));
        expect(limited).toMatchObject({ kind: 'rate_limited', status: 429, retryAfterMs: 7_000 });
        fake.failNext(1, { status: 500 });
        fake.failNext(1, { status: 503 });
        expect(await crmError(adapter.push(items.callLog()))).toMatchObject({
          kind: 'server',
          status: 500,
        });
        expect(await crmError(adapter.pullActivities(null, 10))).toMatchObject({
          kind: 'server',
          status: 503,
        });
        const viewOnly = adapterAt(prism.url, { tokens: ['viewOnlyCustomers'] });
        const denied = await crmError(viewOnly.push(items.callLog()));
        expect(denied).toMatchObject({ kind: 'auth', status: 403, crmCode: 'GAIA_NO01' });
        const unknown = await crmError(
          adapterAt(prism.url, { tokens: ['NOSUCHTOKEN'] }).pullCustomers(null, 1),
        );
        expect(unknown).toMatchObject({ kind: 'auth', status: 400, crmCode: 'GAIA_IA02' });
        expect(unknown.transient).toBe(false);
        for (const e of [limited, denied, unknown]) expectNoToken(e);
        expect(fake.writtenRecords(APPS.activities)).toEqual([]);
      });
    });
  },
);

describe('kintone adapter → fake kintone directly: faults, outages, scale', () => {
  let fake: KintoneFake;
  let adapter: KintoneAdapter;

  beforeAll(async () => {
    fake = await startFake();
    adapter = adapterAt(fake.baseUrl, { timeoutMs: 400 });
  });

  afterAll(async () => {
    await fake?.close();
  });

  beforeEach(() => {
    fake.reset();
    fake.setClock(T0);
  });

  it('a request with no reply is a timeout; the retry writes the record once', async () => {
    fake.failNext(1, 'timeout', { method: 'PUT' });
    const item = items.callLog();
    const e = await crmError(adapter.push(item));
    expect(e.kind).toBe('timeout');
    await adapter.push(item);
    expect(fake.writtenRecords(APPS.activities)).toHaveLength(1);
  });

  it('a reset before the write is a network error; nothing was written', async () => {
    fake.failNext(1, 'reset');
    const item = items.callLog();
    expect((await crmError(adapter.push(item))).kind).toBe('network');
    expect(fake.writtenRecords(APPS.activities)).toHaveLength(0);
    await adapter.push(item);
    expect(fake.writtenRecords(APPS.activities)).toHaveLength(1);
  });

  it('a lost reply (reset after the write): the retry acknowledges the same record, 0 duplicated', async () => {
    const item = items.callLog();
    fake.failNext(1, { reset: 'after-write' });
    expect((await crmError(adapter.push(item))).kind).toBe('network');
    const written = fake.writtenRecords(APPS.activities);
    expect(written).toHaveLength(1);
    const ack = await adapter.push(item);
    expect(ack.remoteId).toBe(String(written[0]!.id));
    expect(fake.writtenRecords(APPS.activities)).toHaveLength(1);
  });

  it('a duplicated request (the network delivered it twice) still leaves one record', async () => {
    fake.failNext(1, 'duplicate', { method: 'PUT' });
    const item = items.optOut('marketing', null, '+81399999999');
    await adapter.push(item);
    const replies = await fake.replayDuplicates();
    expect(replies.map((r) => r.status)).toEqual([200]);
    const recs = fake.writtenRecords(APPS.activities);
    expect(recs).toHaveLength(1);
    expect(recs[0]!.revision).toBe(2);
  });

  it('200 with broken JSON is bad_reply, naming it; transient', async () => {
    fake.failNext(1, 'malformed');
    const e = await crmError(adapter.pullCustomers(null, 10));
    expect(e).toMatchObject({ kind: 'bad_reply' });
    expect(e.message).toMatch(/pull customers: reply is not JSON/);
    expect(e.transient).toBe(true);
  });

  it('a mapping that does not fit the records is bad_reply naming the field', async () => {
    fake.seedCustomers(3);
    const wrong = adapterAt(fake.baseUrl, {
      config: { fields: { customers: { segment: 'ランク' } } },
    });
    const e = await crmError(wrong.pullCustomers(null, 10));
    expect(e.kind).toBe('bad_reply');
    expect(e.message).toContain('field "ランク" is missing');
  });

  it('down(): connections refused → network, check() unreachable; up() heals', async () => {
    await fake.down();
    try {
      // The first may meet a kept-alive socket that down() cut (ECONNRESET); then: refused.
      expect((await crmError(adapter.push(items.callLog()))).kind).toBe('network');
      const e = await crmError(adapter.push(items.callLog()));
      expect(e.kind).toBe('network');
      expect(e.message).toContain('ECONNREFUSED');
      expect(await adapter.check()).toMatchObject({ ok: false, code: 'unreachable' });
    } finally {
      await fake.up();
    }
    await adapter.push(items.callLog());
    expect(await adapter.check()).toMatchObject({ ok: true });
  });

  it('check(): a domain that does not resolve is bad_domain; a closed port is unreachable', async () => {
    const nowhere = adapterAt('https://kintone-tenant.invalid');
    expect(await nowhere.check()).toMatchObject({ ok: false, code: 'bad_domain' });
    const closed = adapterAt(`http://localhost:${await freePort('tcp')}`);
    expect(await closed.check()).toMatchObject({ ok: false, code: 'unreachable' });
    expectNoToken(await crmError(nowhere.push(items.callLog())));
    // A loopback address works too (the client itself takes plain http only for "localhost").
    expect(await adapterAt(`http://127.0.0.1:${fake.port}`).check()).toMatchObject({ ok: true });
  });

  it('holds a million customers cheaply: seeding, paging from any cursor, a phone lookup', async () => {
    let t = performance.now();
    const { first, last } = fake.seedCustomers(1_000_000);
    const seedMs = performance.now() - t;
    expect(fake.recordCount(APPS.customers)).toBe(1_000_000);
    const slow = adapterAt(fake.baseUrl, { timeoutMs: 10_000 });
    t = performance.now();
    const head = await slow.pullCustomers(null, 500);
    const mid = await slow.pullCustomers(
      { updatedAt: '2026-04-01T01:00:00Z', id: String(first + 600_000) },
      500,
    );
    const pageMs = (performance.now() - t) / 2;
    expect(head.total).toBe(1_000_000);
    expect(head.records[0]!.crmId).toBe(String(first));
    expect(mid.records[0]!.crmId).toBe(String(first + 600_001));
    expect(mid.total).toBe(last - first - 600_000);
    t = performance.now();
    await slow.push(items.optOut('all', null, '+81350999999')); // customer 999,999: a full scan
    const lookupMs = performance.now() - t;
    expect(fake.getRecord(APPS.customers, first + 999_999)!.values[C.optOut]).toBe(V.optOut.all);
    console.log(
      `1M customers: seed ${seedMs.toFixed(1)} ms, page ${pageMs.toFixed(0)} ms, phone lookup ${lookupMs.toFixed(0)} ms`,
    );
    expect(seedMs).toBeLessThan(100);
    expect(pageMs).toBeLessThan(1_000);
  });
});
