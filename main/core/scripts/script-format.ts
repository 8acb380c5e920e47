// The talk-track format: what a script file (YAML) may say, checked with zod. A script is a
// graph of steps — say something, ask something (the answer is stored), branch on answers or
// customer data, end with a suggested disposition and next action — plus objection handlers
// reachable from any step. Texts are per language; {{customer.*}} / {{callback.*}} variables
// are filled in from the call's data. Graph rules (targets exist, every step reachable, an
// end reachable from everywhere, variables known, translations present) are checked by the
// validator, which also points at the file, line and step.
import { z } from 'zod';
import { CallReason, CampaignKind, NextAction, Segment } from '../../../preload/contract';

export const ScriptId = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,63}$/, 'ids are lower-case letters, digits and dashes');
export const StepId = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,63}$/, 'step ids are lower-case letters, digits, _ and -');

export const ScriptLanguage = z.enum(['ja', 'en']);
export type ScriptLanguage = z.infer<typeof ScriptLanguage>;

/** A text in each of the script's languages (the validator checks none is missing). */
export const Text = z.partialRecord(ScriptLanguage, z.string().min(1).max(4000));
export type Text = z.infer<typeof Text>;

export { CallReason };

/** Which calls a script fits; the most specific match is offered first. */
export const ScriptMatch = z
  .object({
    direction: z.enum(['inbound', 'outbound']),
    /** Inbound: the call's reason (from the IVR); empty = any. */
    reasons: z.array(CallReason).default([]),
    /** Outbound: the callback's campaign kind; empty = any. */
    campaigns: z.array(CampaignKind).default([]),
    /** The customer's segment; empty = any (unknown callers count as 'new'). */
    segments: z.array(Segment).default([]),
  })
  .strict();

const Choice = z
  .object({
    value: z
      .string()
      .regex(/^[a-z0-9_-]{1,40}$/, 'option values are 1–40 lower-case letters, digits, _ and -'),
    label: Text,
  })
  .strict();

/** What an ask step collects; the answer is stored under the step's id (or `store`). */
export const Question = z.discriminatedUnion('type', [
  z.object({ type: z.literal('choice'), options: z.array(Choice).min(2).max(20) }).strict(),
  z.object({ type: z.literal('yes_no') }).strict(),
  z
    .object({ type: z.literal('text'), maxLength: z.number().int().min(1).max(2000).default(500) })
    .strict(),
  z
    .object({
      type: z.literal('number'),
      min: z.number().optional(),
      max: z.number().optional(),
    })
    .strict(),
  z.object({ type: z.literal('date') }).strict(),
  z.object({ type: z.literal('nps') }).strict(), // 0–10
]);
export type Question = z.infer<typeof Question>;

/** A condition on an answer given earlier or on the customer's data. */
export const Condition = z
  .object({
    /** `answers.<step>` or `customer.<field>` (segment, purchaseCount, lastContactDays…). */
    // (Step ids may hold dashes, so `answers.ask-size` must be allowed.)
    field: z
      .string()
      .regex(
        /^(answers|customer|callback)\.[A-Za-z_][A-Za-z0-9_-]*$/,
        'a condition field is answers.<ask step id>, customer.<field> or callback.<field>',
      ),
    equals: z.union([z.string(), z.number(), z.boolean()]).optional(),
    in: z.array(z.union([z.string(), z.number()])).optional(),
    gte: z.number().optional(),
    lte: z.number().optional(),
  })
  .strict();
export type Condition = z.infer<typeof Condition>;

export { NextAction };

const StepBase = {
  id: StepId,
  /** Must be confirmed by the agent before moving on (recording disclosure, identity check). */
  mandatory: z.boolean().default(false),
  /** For a mandatory step: what the agent confirms ("I read the recording notice"). */
  confirm: Text.optional(),
};

export const Step = z.union([
  z.object({ ...StepBase, say: Text, next: StepId }).strict(),
  z
    .object({ ...StepBase, say: Text.optional(), ask: Text, question: Question, next: StepId })
    .strict(),
  z
    .object({
      ...StepBase,
      say: Text.optional(),
      branch: z
        .array(z.object({ when: Condition, goto: StepId }).strict())
        .min(1)
        .max(20),
      otherwise: StepId,
    })
    .strict(),
  z
    .object({
      ...StepBase,
      say: Text.optional(),
      end: z
        .object({
          /** A disposition code of the call's campaign (or of 'requested' for other calls). */
          disposition: z
            .string()
            .regex(
              /^[a-z][a-z0-9_]{0,31}$/,
              'a disposition code is lower-case letters, digits and _ (up to 32)',
            ),
          action: NextAction.default('none'),
        })
        .strict(),
    })
    .strict(),
]);
export type Step = z.infer<typeof Step>;

export const Objection = z
  .object({
    id: StepId,
    label: Text,
    say: Text,
    /** Back to the step the agent was on (default), or on to a step (e.g. an end). */
    goto: StepId.optional(),
  })
  .strict();
export type Objection = z.infer<typeof Objection>;

export const Script = z
  .object({
    id: ScriptId,
    version: z.number().int().positive(),
    title: Text,
    languages: z.array(ScriptLanguage).min(1),
    match: ScriptMatch,
    start: StepId,
    steps: z.array(Step).min(1).max(500),
    objections: z.array(Objection).max(50).default([]),
  })
  .strict();
export type Script = z.infer<typeof Script>;

/** The variables a text may use: {{customer.name}}, {{callback.dueAt}}, … */
export const VARIABLES = [
  'customer.name',
  'customer.nameKana',
  'customer.segment',
  'customer.phone',
  'customer.purchaseCount',
  'customer.lastContactDays',
  'callback.dueAt',
  'callback.campaign',
  'callback.note',
  'agent.name',
] as const;
export type Variable = (typeof VARIABLES)[number];
