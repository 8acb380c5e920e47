// Talk-track answers, stored the moment the agent gives them. Each save also queues the
// script's whole answer set for the CRM under one fixed key per call and script, in the same
// transaction: the CRM gets one record per call and script, updated as answers change (a
// re-queued row replaces one still waiting; the outbox keeps a newer payload that arrives
// while the older one is in flight).
import { AnswerValue, type ScriptAnswer } from '../../../preload/contract';
import { crmIdLookup } from './customers';
import type { Database } from './db';
import type { OutboxRepo } from './outbox';

export interface SaveAnswerInput {
  interactionId: string;
  customerId: string | null;
  scriptId: string;
  scriptVersion: number;
  stepId: string;
  question: string;
  value: AnswerValue;
  display: string;
  at: number;
}

export interface ScriptAnswerRepo {
  /** Stores (or replaces) one answer and re-queues the script's answers for the CRM. */
  save(input: SaveAnswerInput): void;
  /** One call's answers to one script, in the order they were first given. */
  forScript(interactionId: string, scriptId: string): ScriptAnswer[];
  /** Question / answer pairs of each call (for the timeline), every script, oldest first. */
  forInteractions(ids: readonly string[]): Map<string, { question: string; answer: string }[]>;
}

interface Row {
  interactionId: string;
  scriptId: string;
  stepId: string;
  value: string;
  answeredAt: number;
  question: string;
  display: string;
}

const COLUMNS = `interaction_id AS interactionId, script_id AS scriptId, step_id AS stepId,
  value, answered_at AS answeredAt, question, display`;

/** The outbox key of a call's answers to one script (the CRM upserts one record by it). */
export function answersKey(interactionId: string, scriptId: string): string {
  return `script:${interactionId}:${scriptId}`;
}

export function createScriptAnswerRepo(db: Database, outbox: OutboxRepo): ScriptAnswerRepo {
  // Replacing an answer keeps its first answered_at: the order is the order of the call.
  const upsert = db.prepare(
    `INSERT INTO script_answers (interaction_id, script_id, step_id, value, answered_at,
       script_version, customer_id, question, display)
     VALUES (@interactionId, @scriptId, @stepId, @value, @at, @scriptVersion, @customerId,
       @question, @display)
     ON CONFLICT (interaction_id, script_id, step_id) DO UPDATE SET
       value = excluded.value, script_version = excluded.script_version,
       customer_id = excluded.customer_id, question = excluded.question,
       display = excluded.display`,
  );
  const byScript = db.prepare<[string, string], Row>(
    `SELECT ${COLUMNS} FROM script_answers WHERE interaction_id = ? AND script_id = ?
      ORDER BY answered_at, rowid`,
  );
  const byInteraction = db.prepare<[string], Row>(
    `SELECT ${COLUMNS} FROM script_answers WHERE interaction_id = ? ORDER BY answered_at, rowid`,
  );
  const crmIdOf = crmIdLookup(db);

  const save = db.transaction((a: SaveAnswerInput) => {
    upsert.run({ ...a, value: JSON.stringify(a.value) });
    const answers: Record<string, unknown> = {};
    for (const r of byScript.all(a.interactionId, a.scriptId)) {
      answers[r.stepId] = {
        value: parseValue(r.value),
        question: r.question || r.stepId,
        answer: displayOf(r),
        at: r.answeredAt,
      };
    }
    outbox.enqueue(
      'script_answers',
      `interaction:${a.interactionId}`,
      {
        interactionId: a.interactionId,
        customerId: a.customerId,
        customerCrmId: crmIdOf(a.customerId),
        scriptId: a.scriptId,
        answers,
      },
      answersKey(a.interactionId, a.scriptId),
    );
  });

  return {
    save: (input) => save(input),
    forScript: (interactionId, scriptId) =>
      byScript.all(interactionId, scriptId).map((r) => ({
        stepId: r.stepId,
        question: r.question || r.stepId,
        value: parseValue(r.value),
        display: displayOf(r),
        answeredAt: r.answeredAt,
      })),
    forInteractions(ids) {
      const out = new Map<string, { question: string; answer: string }[]>();
      for (const id of ids) {
        const rows = byInteraction.all(id);
        if (rows.length === 0) continue;
        out.set(
          id,
          rows.map((r) => ({ question: r.question || r.stepId, answer: displayOf(r) })),
        );
      }
      return out;
    },
  };
}

/** A stored value; one that is not valid JSON (written by hand, or corrupt) reads as text. */
function parseValue(text: string): AnswerValue {
  try {
    const parsed = AnswerValue.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
  } catch {
    /* not JSON: fall through */
  }
  return text;
}

/** Rows from before schema 5 have no display text: the value stands in. */
function displayOf(r: Row): string {
  if (r.display) return r.display;
  const v = parseValue(r.value);
  return typeof v === 'string' ? v : String(v);
}
