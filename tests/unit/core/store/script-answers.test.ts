import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCustomerRepo } from '../../../../main/core/store/customers';
import { openDatabase, type Database } from '../../../../main/core/store/db';
import { migrations } from '../../../../main/core/store/migrations';
import { createOutboxRepo } from '../../../../main/core/store/outbox';
import {
  answersKey,
  createScriptAnswerRepo,
  type SaveAnswerInput,
  type ScriptAnswerRepo,
} from '../../../../main/core/store/script-answers';
import { useTempDir } from './temp-dir';

const NOW = 1_700_000_000_000;
const SEC = 1000;

let db: Database;
let repo: ScriptAnswerRepo;
let clock: number;

function open(database: Database): void {
  db = database;
  clock = NOW;
  createCustomerRepo(db, { now: () => clock }).upsert({
    id: 'cust-1',
    name: '山田 太郎',
    segment: 'repeat',
    phones: ['+81355550101'],
    crmId: '101',
  });
  const outbox = createOutboxRepo(db, { now: () => clock });
  repo = createScriptAnswerRepo(db, outbox);
}

beforeEach(() => open(openDatabase(':memory:')));
afterEach(() => db.close());

function answer(over: Partial<SaveAnswerInput> = {}): SaveAnswerInput {
  return {
    interactionId: 'call-1',
    customerId: 'cust-1',
    scriptId: 'inbound-inquiry',
    scriptVersion: 1,
    stepId: 'ask_topic',
    question: '本日はどのようなご用件でしょうか。',
    value: 'cancellation',
    display: '解約・キャンセル',
    at: NOW,
    ...over,
  };
}

interface OutboxRow {
  key: string;
  kind: string;
  entity: string;
  state: string;
  payload: unknown;
}

function outboxRows(): OutboxRow[] {
  return db
    .prepare<[], OutboxRow & { payload: string }>(
      'SELECT key, kind, entity, state, payload FROM outbox ORDER BY seq',
    )
    .all()
    .map((r) => ({ ...r, payload: JSON.parse(r.payload) as unknown }));
}

function answerRows(): unknown[] {
  return db
    .prepare(
      `SELECT interaction_id, script_id, step_id, value, answered_at, script_version,
         customer_id, question, display FROM script_answers ORDER BY rowid`,
    )
    .all();
}

describe('save and forScript', () => {
  it('stores the answer with its question and its display text', () => {
    repo.save(answer());
    expect(repo.forScript('call-1', 'inbound-inquiry')).toEqual([
      {
        stepId: 'ask_topic',
        question: '本日はどのようなご用件でしょうか。',
        value: 'cancellation',
        display: '解約・キャンセル',
        answeredAt: NOW,
      },
    ]);
    expect(answerRows()).toEqual([
      {
        interaction_id: 'call-1',
        script_id: 'inbound-inquiry',
        step_id: 'ask_topic',
        value: '"cancellation"',
        answered_at: NOW,
        script_version: 1,
        customer_id: 'cust-1',
        question: '本日はどのようなご用件でしょうか。',
        display: '解約・キャンセル',
      },
    ]);
    expect(repo.forScript('call-1', 'other-script')).toEqual([]);
    expect(repo.forScript('call-2', 'inbound-inquiry')).toEqual([]);
  });

  it('keeps each value’s type: text, number, yes / no', () => {
    repo.save(answer({ stepId: 'a', value: 'テキスト', display: 'テキスト' }));
    repo.save(answer({ stepId: 'b', value: 7, display: '7', at: NOW + SEC }));
    repo.save(answer({ stepId: 'c', value: false, display: 'いいえ', at: NOW + 2 * SEC }));
    repo.save(answer({ stepId: 'd', value: '42', display: '42', at: NOW + 3 * SEC }));
    expect(repo.forScript('call-1', 'inbound-inquiry').map((a) => [a.stepId, a.value])).toEqual([
      ['a', 'テキスト'],
      ['b', 7],
      ['c', false],
      ['d', '42'],
    ]);
  });

  it('replaces an answer given again, keeping when it was first given (the call’s order)', () => {
    repo.save(answer({ stepId: 'identity_check', value: true, display: 'はい', at: NOW }));
    repo.save(answer({ at: NOW + 10 * SEC }));
    repo.save(
      answer({
        stepId: 'identity_check',
        value: false,
        display: 'いいえ',
        question: '（言い直し）',
        scriptVersion: 2,
        at: NOW + 20 * SEC,
      }),
    );
    expect(repo.forScript('call-1', 'inbound-inquiry')).toEqual([
      {
        stepId: 'identity_check',
        question: '（言い直し）',
        value: false,
        display: 'いいえ',
        answeredAt: NOW,
      },
      {
        stepId: 'ask_topic',
        question: '本日はどのようなご用件でしょうか。',
        value: 'cancellation',
        display: '解約・キャンセル',
        answeredAt: NOW + 10 * SEC,
      },
    ]);
    expect(answerRows()).toHaveLength(2);
    expect(
      db
        .prepare("SELECT script_version FROM script_answers WHERE step_id = 'identity_check'")
        .pluck()
        .get(),
    ).toBe(2);
  });

  it('keeps the answers of two scripts of one call apart, even where step ids repeat', () => {
    repo.save(answer({ scriptId: 'inbound-inquiry', stepId: 'greeting', value: 'a' }));
    repo.save(answer({ scriptId: 'inbound-order', stepId: 'greeting', value: 'b', at: NOW + 1 }));
    expect(repo.forScript('call-1', 'inbound-inquiry').map((a) => a.value)).toEqual(['a']);
    expect(repo.forScript('call-1', 'inbound-order').map((a) => a.value)).toEqual(['b']);
  });
});

describe('forInteractions', () => {
  it('gives each call’s question / answer pairs, every script, oldest first', () => {
    repo.save(answer({ stepId: 'q2', question: 'Q2', display: 'A2', at: NOW + 2 * SEC }));
    repo.save(
      answer({ scriptId: 'inbound-order', stepId: 'q1', question: 'Q1', display: 'A1', at: NOW }),
    );
    repo.save(
      answer({ interactionId: 'call-2', stepId: 'q', question: 'Q', display: 'A', at: NOW }),
    );
    const found = repo.forInteractions(['call-1', 'call-2', 'call-none']);
    expect([...found]).toEqual([
      [
        'call-1',
        [
          { question: 'Q1', answer: 'A1' },
          { question: 'Q2', answer: 'A2' },
        ],
      ],
      ['call-2', [{ question: 'Q', answer: 'A' }]],
    ]);
    expect(repo.forInteractions([]).size).toBe(0);
  });
});

describe('rows written before schema 5 and rows written by hand', () => {
  const raw = (step: string, value: string, at: number): void => {
    db.prepare(
      `INSERT INTO script_answers (interaction_id, script_id, step_id, value, answered_at)
       VALUES ('call-old', 'inbound-inquiry', ?, ?, ?)`,
    ).run(step, value, at);
  };

  it('reads a row with no question / display as its step id and its value', () => {
    raw('ask_topic', '"cancellation"', NOW);
    raw('identity_check', 'true', NOW + 1);
    raw('ask_quantity', '3', NOW + 2);
    expect(repo.forScript('call-old', 'inbound-inquiry')).toEqual([
      {
        stepId: 'ask_topic',
        question: 'ask_topic',
        value: 'cancellation',
        display: 'cancellation',
        answeredAt: NOW,
      },
      {
        stepId: 'identity_check',
        question: 'identity_check',
        value: true,
        display: 'true',
        answeredAt: NOW + 1,
      },
      {
        stepId: 'ask_quantity',
        question: 'ask_quantity',
        value: 3,
        display: '3',
        answeredAt: NOW + 2,
      },
    ]);
    expect(repo.forInteractions(['call-old']).get('call-old')).toEqual([
      { question: 'ask_topic', answer: 'cancellation' },
      { question: 'identity_check', answer: 'true' },
      { question: 'ask_quantity', answer: '3' },
    ]);
  });

  it('reads a value that is not JSON, or not an answer, as the text stored', () => {
    raw('a', 'not json {', NOW);
    raw('b', '{"x":1}', NOW + 1);
    raw('c', 'null', NOW + 2);
    expect(repo.forScript('call-old', 'inbound-inquiry').map((a) => [a.value, a.display])).toEqual([
      ['not json {', 'not json {'],
      ['{"x":1}', '{"x":1}'],
      ['null', 'null'],
    ]);
  });

  it('queues an old row with its step id as the question when the call is answered again', () => {
    raw('ask_topic', '"cancellation"', NOW);
    repo.save(
      answer({
        interactionId: 'call-old',
        stepId: 'cancel_reason',
        question: '理由は？',
        value: 'price',
        display: '価格が高い',
        at: NOW + SEC,
      }),
    );
    const [row] = outboxRows();
    expect(row?.payload).toMatchObject({
      answers: {
        ask_topic: {
          value: 'cancellation',
          question: 'ask_topic',
          answer: 'cancellation',
          at: NOW,
        },
        cancel_reason: {
          value: 'price',
          question: '理由は？',
          answer: '価格が高い',
          at: NOW + SEC,
        },
      },
    });
  });
});

describe('upgrade to schema 5', () => {
  const tempDir = useTempDir();

  it('keeps the answers written under schema 4, read back as step id and value', () => {
    db.close();
    const file = join(tempDir(), 'agent.db');
    const v4 = openDatabase(file, { migrations: migrations.slice(0, 4) });
    v4.prepare(
      `INSERT INTO script_answers (interaction_id, script_id, step_id, value, answered_at)
       VALUES ('call-old', 'outbound-nps', 'nps_score', '9', ?),
              ('call-old', 'outbound-nps', 'promoter_comment', '"とても良い"', ?)`,
    ).run(NOW, NOW + SEC);
    v4.close();
    open(openDatabase(file));
    expect(repo.forScript('call-old', 'outbound-nps')).toEqual([
      {
        stepId: 'nps_score',
        question: 'nps_score',
        value: 9,
        display: '9',
        answeredAt: NOW,
      },
      {
        stepId: 'promoter_comment',
        question: 'promoter_comment',
        value: 'とても良い',
        display: 'とても良い',
        answeredAt: NOW + SEC,
      },
    ]);
  });
});

describe('the outbox', () => {
  it('queues one pending row per call and script under a fixed key, holding every answer', () => {
    expect(answersKey('call-1', 'inbound-inquiry')).toBe('script:call-1:inbound-inquiry');
    repo.save(answer({ stepId: 'identity_check', value: true, display: 'はい', question: 'Q1' }));
    repo.save(answer({ at: NOW + 5 * SEC }));
    expect(outboxRows()).toEqual([
      {
        key: 'script:call-1:inbound-inquiry',
        kind: 'script_answers',
        entity: 'interaction:call-1',
        state: 'pending',
        payload: {
          interactionId: 'call-1',
          customerId: 'cust-1',
          customerCrmId: '101',
          scriptId: 'inbound-inquiry',
          answers: {
            identity_check: { value: true, question: 'Q1', answer: 'はい', at: NOW },
            ask_topic: {
              value: 'cancellation',
              question: '本日はどのようなご用件でしょうか。',
              answer: '解約・キャンセル',
              at: NOW + 5 * SEC,
            },
          },
        },
      },
    ]);
  });

  it('makes a second row for a second script on the same call', () => {
    repo.save(answer());
    repo.save(answer({ scriptId: 'inbound-order', stepId: 'ask_purpose', value: 'order' }));
    expect(outboxRows().map((r) => [r.key, Object.keys((r.payload as Answers).answers)])).toEqual([
      ['script:call-1:inbound-inquiry', ['ask_topic']],
      ['script:call-1:inbound-order', ['ask_purpose']],
    ]);
  });

  it('queues an unknown caller’s answers with no customer', () => {
    repo.save(answer({ interactionId: 'call-9', customerId: null }));
    expect(outboxRows()[0]?.payload).toMatchObject({ customerId: null, customerCrmId: null });
  });

  it('writes the answer and its outbox row together, or neither', () => {
    repo.save(answer({ stepId: 'identity_check', value: true, display: 'はい' }));
    const before = { answers: answerRows(), outbox: outboxRows() };
    db.exec(`CREATE TEMP TRIGGER refuse_outbox BEFORE UPDATE ON outbox
               BEGIN SELECT RAISE(ABORT, 'outbox refused'); END;
             CREATE TEMP TRIGGER refuse_outbox_insert BEFORE INSERT ON outbox
               BEGIN SELECT RAISE(ABORT, 'outbox refused'); END;`);
    // A new answer and a changed one: neither is written when the outbox refuses.
    expect(() => repo.save(answer({ at: NOW + SEC }))).toThrow('outbox refused');
    expect(() =>
      repo.save(answer({ stepId: 'identity_check', value: false, display: 'いいえ' })),
    ).toThrow('outbox refused');
    expect(answerRows()).toEqual(before.answers);
    expect(outboxRows()).toEqual(before.outbox);
    expect(repo.forScript('call-1', 'inbound-inquiry').map((a) => a.value)).toEqual([true]);
  });
});

interface Answers {
  answers: Record<string, unknown>;
}
