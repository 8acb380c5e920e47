// What a talk track knows about a call, read from a real database: the customer's orders and
// earlier contacts, an outbound call's callback and campaign; for a live call from the board,
// for an ended one from its timeline row. Then the values the script's texts see.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Call, CustomerSummary } from '../../../../preload/contract';
import {
  createCallInfoSource,
  scriptContext,
  type CallInfo,
} from '../../../../main/core/scripts/call-info';
import { createAttemptRepo } from '../../../../main/core/store/attempts';
import { createCallbackRepo, type CallbackRepo } from '../../../../main/core/store/callbacks';
import { createCampaignRepo, type CampaignRepo } from '../../../../main/core/store/campaigns';
import { createCustomerRepo, type CustomerRepo } from '../../../../main/core/store/customers';
import { openDatabase, type Database } from '../../../../main/core/store/db';
import {
  createInteractionRepo,
  type CallLogEntry,
  type InteractionRepo,
} from '../../../../main/core/store/interactions';
import { createOutboxRepo } from '../../../../main/core/store/outbox';

const DAY = 86_400_000;
/** 2025-05-20 12:00 in Tokyo. */
const NOW = Date.UTC(2025, 4, 20, 3, 0, 0);
const HOME = '+81355550101';

let db: Database;
let customers: CustomerRepo;
let interactions: InteractionRepo;
let callbacks: CallbackRepo;
let campaigns: CampaignRepo;
let live: Map<string, Call>;
let source: (callId: string) => CallInfo | null;
let yamada: CustomerSummary;

function logged(id: string, over: Partial<CallLogEntry> = {}): CallLogEntry {
  return {
    id,
    customerId: 'cust-1',
    kind: 'call',
    direction: 'inbound',
    number: HOME,
    startedAt: NOW - 3 * DAY,
    answeredAt: NOW - 3 * DAY + 5000,
    endedAt: NOW - 3 * DAY + 65_000,
    durationSec: 60,
    outcome: 'answered',
    endReason: null,
    ...over,
  };
}

function call(over: Partial<Call> = {}): Call {
  return {
    id: 'call-live',
    direction: 'inbound',
    state: 'active',
    onHold: false,
    remoteHold: false,
    muted: false,
    consultFor: null,
    conferenceId: null,
    transfer: null,
    quality: null,
    sipStatus: null,
    remote: {
      raw: '0355550101',
      e164: HOME,
      display: '03-5555-0101',
      anonymous: false,
      displayName: null,
    },
    reason: 'order',
    pop: { customer: yamada, lastContacts: [] },
    startedAt: NOW - 60_000,
    answeredAt: NOW - 55_000,
    endedAt: null,
    outcome: null,
    endReason: null,
    ...over,
  };
}

beforeEach(() => {
  db = openDatabase(':memory:');
  const now = (): number => NOW;
  customers = createCustomerRepo(db, { now });
  customers.upsert({
    id: 'cust-1',
    name: '山田 太郎',
    nameKana: 'ヤマダ タロウ',
    segment: 'heavy',
    phones: ['03-5555-0101'],
    crmId: '101',
  });
  customers.upsert({
    id: 'cust-2',
    name: '佐藤 花子',
    segment: 'dormant',
    phones: ['09012345678'],
  });
  yamada = customers.getById('cust-1')!;
  const outbox = createOutboxRepo(db, { now });
  interactions = createInteractionRepo(db, { outbox });
  campaigns = createCampaignRepo(db, { now });
  campaigns.ensureDefaults();
  callbacks = createCallbackRepo(db, outbox, { now, newId: () => 'cb-1' });
  const attempts = createAttemptRepo(db, { now, newId: () => 'a-1' });

  // Three orders (from the CRM), one earlier call, one order of someone else.
  for (const [i, days] of [40, 20, 10].entries()) {
    interactions.applyCrm({
      crmId: `order-${i}`,
      customerId: 'cust-1',
      kind: 'order',
      direction: 'inbound',
      at: NOW - days * DAY,
      summary: null,
    });
  }
  interactions.applyCrm({
    crmId: 'order-x',
    customerId: 'cust-2',
    kind: 'order',
    direction: 'inbound',
    at: NOW - DAY,
    summary: null,
  });
  interactions.logCall(logged('call-prev', { startedAt: NOW - 3 * DAY - 6 * 3_600_000 }));

  // An outbound renewal callback, dialled: its attempt is linked to the call.
  callbacks.create({
    customerId: 'cust-1',
    e164: HOME,
    campaign: campaigns.get('renewal')!,
    owner: 'me',
    promised: true,
    dueAt: NOW,
    timeZone: 'America/New_York',
    note: '満期は6月末',
  });
  attempts.link(
    attempts.start({
      callbackId: 'cb-1',
      customerId: 'cust-1',
      e164: HOME,
      callerId: null,
      agent: null,
      marketing: false,
    }).id,
    'call-out',
  );

  live = new Map();
  source = createCallInfoSource({
    db,
    liveCall: (id) => live.get(id),
    customers,
    attempts,
    callbacks,
    campaigns,
  });
});
afterEach(() => db.close());

describe('createCallInfoSource', () => {
  it('reads a live inbound call from the board, with the customer’s orders and last contact', () => {
    live.set('call-live', call());
    expect(source('call-live')).toEqual({
      callId: 'call-live',
      live: true,
      facts: { direction: 'inbound', reason: 'order', campaign: null, segment: 'heavy' },
      customer: yamada,
      number: HOME,
      purchaseCount: 3,
      lastContactAt: NOW - 3 * DAY - 6 * 3_600_000,
      callback: null,
    });
  });

  it('does not count the call itself as the last contact once it is logged', () => {
    live.set('call-live', call());
    interactions.logCall(logged('call-live', { startedAt: NOW - 60_000 }));
    expect(source('call-live')?.lastContactAt).toBe(NOW - 3 * DAY - 6 * 3_600_000);
  });

  it('reads a live outbound call’s campaign and callback through its attempt', () => {
    live.set(
      'call-out',
      call({ id: 'call-out', direction: 'outbound', reason: null, state: 'ringing' }),
    );
    expect(source('call-out')).toEqual({
      callId: 'call-out',
      live: true,
      facts: { direction: 'outbound', reason: null, campaign: 'renewal', segment: 'heavy' },
      customer: yamada,
      number: HOME,
      purchaseCount: 3,
      lastContactAt: NOW - 3 * DAY - 6 * 3_600_000,
      callback: {
        dueAt: NOW,
        timeZone: 'America/New_York',
        campaignName: { ja: '契約更新のご案内', en: 'Subscription renewal' },
        note: '満期は6月末',
      },
    });
  });

  it('never looks for a campaign of an inbound call', () => {
    // Even under the id an attempt is linked to (ids are per call, but still).
    live.set('call-out', call({ id: 'call-out', direction: 'inbound', reason: 'inquiry' }));
    expect(source('call-out')).toMatchObject({
      facts: { direction: 'inbound', reason: 'inquiry', campaign: null },
      callback: null,
    });
  });

  it('reads an ended call from its timeline row only (no reason is stored)', () => {
    interactions.logCall(
      logged('call-out', { direction: 'outbound', startedAt: NOW - 30 * 60_000 }),
    );
    expect(source('call-out')).toEqual({
      callId: 'call-out',
      live: false,
      facts: { direction: 'outbound', reason: null, campaign: 'renewal', segment: 'heavy' },
      customer: yamada,
      number: HOME,
      purchaseCount: 3,
      lastContactAt: NOW - 3 * DAY - 6 * 3_600_000,
      callback: {
        dueAt: NOW,
        timeZone: 'America/New_York',
        campaignName: { ja: '契約更新のご案内', en: 'Subscription renewal' },
        note: '満期は6月末',
      },
    });
  });

  it('reads an ended call of an unknown caller as a new one with no history', () => {
    interactions.logCall(logged('call-anon', { customerId: null, number: 'anonymous' }));
    expect(source('call-anon')).toEqual({
      callId: 'call-anon',
      live: false,
      facts: { direction: 'inbound', reason: null, campaign: null, segment: 'new' },
      customer: null,
      number: 'anonymous',
      purchaseCount: 0,
      lastContactAt: null,
      callback: null,
    });
  });

  it('takes the raw number of a live call that is not a phone number', () => {
    live.set(
      'call-x',
      call({
        id: 'call-x',
        reason: null,
        remote: {
          raw: 'support',
          e164: null,
          display: 'support',
          anonymous: false,
          displayName: null,
        },
        pop: { customer: null, lastContacts: [] },
      }),
    );
    expect(source('call-x')).toMatchObject({
      facts: { segment: 'new', reason: null },
      customer: null,
      number: 'support',
      purchaseCount: 0,
      lastContactAt: null,
    });
  });

  it('prefers the board over the timeline for a call that is both', () => {
    interactions.logCall(logged('call-live', { customerId: 'cust-2', direction: 'outbound' }));
    live.set('call-live', call());
    expect(source('call-live')?.facts).toEqual({
      direction: 'inbound',
      reason: 'order',
      campaign: null,
      segment: 'heavy',
    });
  });

  it('gives null for a call neither on the board nor logged', () => {
    expect(source('call-none')).toBeNull();
  });

  it('gives null for a consultation leg (a colleague, not a customer) and for a CRM order', () => {
    live.set('call-consult', call({ id: 'call-consult', consultFor: 'call-live' }));
    expect(source('call-consult')).toBeNull();
    // Timeline rows that are not calls (an order pulled from the CRM) have no talk track.
    const order = db
      .prepare<[], string>("SELECT id FROM interactions WHERE kind = 'order' LIMIT 1")
      .pluck()
      .get();
    expect(order).toBeDefined();
    expect(source(order!)).toBeNull();
  });
});

describe('scriptContext', () => {
  const info = (over: Partial<CallInfo> = {}): CallInfo => ({
    callId: 'call-out',
    live: true,
    facts: { direction: 'outbound', reason: null, campaign: 'renewal', segment: 'heavy' },
    customer: {
      id: 'cust-1',
      name: '山田 太郎',
      nameKana: 'ヤマダ タロウ',
      segment: 'heavy',
      phone: HOME,
    },
    number: '+819011110101',
    purchaseCount: 3,
    lastContactAt: NOW - 2.5 * DAY,
    callback: {
      dueAt: NOW,
      timeZone: null,
      campaignName: { ja: '契約更新のご案内', en: 'Subscription renewal' },
      note: '満期は6月末',
    },
    ...over,
  });

  it('gives the customer, the callback (in Tokyo time when its zone is unknown) and the agent', () => {
    expect(scriptContext(info(), 'ja', NOW, '佐藤')).toEqual({
      customer: {
        name: '山田 太郎',
        nameKana: 'ヤマダ タロウ',
        segment: 'heavy',
        phone: HOME,
        purchaseCount: 3,
        lastContactDays: 2,
      },
      callback: {
        dueAt: '2025年5月20日 12:00',
        campaign: '契約更新のご案内',
        note: '満期は6月末',
      },
      agent: { name: '佐藤' },
    });
    const en = scriptContext(info(), 'en', NOW, null);
    expect(en.callback?.dueAt).toMatch(/^May 20, 2025, 12:00\sPM$/);
    expect(en.callback?.campaign).toBe('Subscription renewal');
    expect(en.agent).toEqual({ name: null });
  });

  it('formats the due time in the callback’s own zone', () => {
    const cb = { ...info().callback!, timeZone: 'America/New_York' };
    expect(scriptContext(info({ callback: cb }), 'ja', NOW, null).callback?.dueAt).toBe(
      '2025年5月19日 23:00',
    );
    expect(scriptContext(info({ callback: cb }), 'en', NOW, null).callback?.dueAt).toMatch(
      /^May 19, 2025, 11:00\sPM$/,
    );
  });

  it('falls back to the campaign name it has, and to null with none', () => {
    const jaOnly = { ...info().callback!, campaignName: { ja: '休眠顧客へのご案内' } };
    expect(scriptContext(info({ callback: jaOnly }), 'en', NOW, null).callback?.campaign).toBe(
      '休眠顧客へのご案内',
    );
    const none = { ...info().callback!, campaignName: {}, note: null };
    expect(scriptContext(info({ callback: none }), 'en', NOW, null).callback).toMatchObject({
      campaign: null,
      note: null,
    });
  });

  it('counts whole days since the last contact, never below 0, null with none', () => {
    const days = (lastContactAt: number | null): unknown =>
      scriptContext(info({ lastContactAt }), 'ja', NOW, null).customer.lastContactDays;
    expect(days(NOW)).toBe(0);
    expect(days(NOW - DAY + 1)).toBe(0);
    expect(days(NOW - DAY)).toBe(1);
    expect(days(NOW - 400 * DAY)).toBe(400);
    expect(days(NOW + 5 * DAY)).toBe(0); // a clock ahead of ours
    expect(days(null)).toBeNull();
  });

  it('gives an unknown caller no name and the number called from, and no callback', () => {
    const ctx = scriptContext(
      info({
        customer: null,
        facts: { direction: 'inbound', reason: null, campaign: null, segment: 'new' },
        purchaseCount: 0,
        lastContactAt: null,
        callback: null,
      }),
      'ja',
      NOW,
      '佐藤',
    );
    expect(ctx).toEqual({
      customer: {
        name: null,
        nameKana: null,
        segment: 'new',
        phone: '+819011110101',
        purchaseCount: 0,
        lastContactDays: null,
      },
      callback: null,
      agent: { name: '佐藤' },
    });
  });
});
