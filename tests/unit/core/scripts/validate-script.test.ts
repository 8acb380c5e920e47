import { describe, expect, it } from 'vitest';
import { Script, type Step } from '../../../../main/core/scripts/script-format';
import {
  pathText,
  validateScript,
  type ValidateOptions,
} from '../../../../main/core/scripts/validate-script';

type Input = Record<string, unknown>;

/** A valid script: greet → ask-size → check → (large →) bye; one objection. */
function input(): Input {
  return {
    id: 'test',
    version: 1,
    title: { ja: 'テスト', en: 'Test' },
    languages: ['ja', 'en'],
    match: { direction: 'inbound' },
    start: 'greet',
    steps: [
      {
        id: 'greet',
        say: { ja: 'こんにちは {{customer.name}}', en: 'Hello {{ customer.name }}' },
        next: 'ask-size',
      },
      {
        id: 'ask-size',
        ask: { ja: 'サイズ？', en: 'Size?' },
        question: {
          type: 'choice',
          options: [
            { value: 's', label: { ja: 'S', en: 'S' } },
            { value: 'l', label: { ja: 'L', en: 'L' } },
          ],
        },
        next: 'check',
      },
      {
        id: 'check',
        branch: [{ when: { field: 'answers.ask-size', equals: 'l' }, goto: 'large' }],
        otherwise: 'bye',
      },
      {
        id: 'large',
        say: { ja: 'L {{answers.ask-size}}', en: 'L {{answers.ask-size}}' },
        next: 'bye',
      },
      { id: 'bye', say: { ja: 'さようなら', en: 'Bye' }, end: { disposition: 'done' } },
    ],
    objections: [
      { id: 'busy', label: { ja: '忙しい', en: 'Busy' }, say: { ja: 'すぐ', en: 'Quick' } },
    ],
  };
}

const steps = (s: Input): Input[] => s.steps as Input[];
const objections = (s: Input): Input[] => s.objections as Input[];

/** Validates with a locate that hands out numbers, then reads each problem's path back. */
function check(
  s: Input,
  opts: ValidateOptions = {},
): { code: string; stepId: string | null; message: string; at: string }[] {
  // A fake line per path (the same path, the same line), so each problem's path can be read back.
  const paths: string[] = [];
  const locate = (path: (string | number)[]): number => {
    const text = pathText(path);
    const known = paths.indexOf(text);
    return known === -1 ? paths.push(text) : known + 1;
  };
  return validateScript(Script.parse(s), locate, opts).map((p) => ({
    code: p.code,
    stepId: p.stepId,
    message: p.message.replace(/line (\d+)/g, (_, n: string) => `line <${paths[Number(n) - 1]}>`),
    at: p.line === null ? '' : paths[p.line - 1]!,
  }));
}

describe('validateScript', () => {
  it('finds nothing wrong in a valid script', () => {
    expect(check(input())).toEqual([]);
  });

  it('reports a step id used twice, at the second, naming the first line', () => {
    const s = input();
    steps(s)[3]!.id = 'greet';
    const problems = check(s).filter((p) => p.code === 'duplicate_id');
    expect(problems).toEqual([
      {
        code: 'duplicate_id',
        stepId: 'greet',
        message: "id 'greet' is already used by the step on line <steps[0].id>",
        at: 'steps[3].id',
      },
    ]);
  });

  it('reports an objection whose id is a step id, and two objections with one id', () => {
    const s = input();
    objections(s).push({ ...objections(s)[0]!, id: 'bye' }, { ...objections(s)[0]! });
    expect(check(s).map((p) => [p.code, p.message, p.at])).toEqual([
      [
        'duplicate_id',
        "objection 'bye': id is already used by the step on line <steps[4].id>",
        'objections[1].id',
      ],
      [
        'duplicate_id',
        "objection 'busy': id is already used by the objection on line <objections[0].id>",
        'objections[2].id',
      ],
    ]);
  });

  it('reports every kind of jump to no step, with a did-you-mean', () => {
    const s = input();
    s.start = 'greeet';
    steps(s)[0]!.next = 'ask-sise';
    const branch = steps(s)[2]!.branch as { goto: string }[];
    branch[0]!.goto = 'larg';
    steps(s)[2]!.otherwise = 'nowhere';
    objections(s)[0]!.goto = 'byee';
    expect(check(s).filter((p) => p.code === 'unknown_target')).toEqual([
      {
        code: 'unknown_target',
        stepId: null,
        message: "start → 'greeet' is not a step (did you mean 'greet'?)",
        at: 'start',
      },
      {
        code: 'unknown_target',
        stepId: 'greet',
        message: "next → 'ask-sise' is not a step (did you mean 'ask-size'?)",
        at: 'steps[0].next',
      },
      {
        code: 'unknown_target',
        stepId: 'check',
        message: "branch[0].goto → 'larg' is not a step (did you mean 'large'?)",
        at: 'steps[2].branch[0].goto',
      },
      {
        code: 'unknown_target',
        stepId: 'check',
        message: "otherwise → 'nowhere' is not a step",
        at: 'steps[2].otherwise',
      },
      {
        code: 'unknown_target',
        stepId: null,
        message: "objection 'busy': goto → 'byee' is not a step (did you mean 'bye'?)",
        at: 'objections[0].goto',
      },
    ]);
  });

  it('reports a step no path from start reaches; an objection’s goto counts as a path', () => {
    const s = input();
    steps(s).push({ id: 'orphan', say: { ja: 'x', en: 'x' }, end: { disposition: 'done' } });
    expect(check(s)).toEqual([
      {
        code: 'unreachable',
        stepId: 'orphan',
        message: "unreachable: no path from start 'greet' leads here",
        at: 'steps[5].id',
      },
    ]);
    objections(s)[0]!.goto = 'orphan';
    expect(check(s)).toEqual([]);
  });

  it('reports a loop with no way out once, naming its steps, not the steps leading into it', () => {
    const s = input();
    // check → large ⇄ loop-back; 'otherwise' still reaches bye, so only the loop is stuck.
    steps(s)[3]!.next = 'loop-back';
    steps(s).push({ id: 'loop-back', say: { ja: 'x', en: 'x' }, next: 'large' });
    expect(check(s)).toEqual([
      {
        code: 'no_way_out',
        stepId: 'large',
        message: "loop with no way out: no end step can be reached from 'large', 'loop-back'",
        at: 'steps[3].id',
      },
    ]);
  });

  it('reports a step that only leads back to itself', () => {
    const s = input();
    steps(s)[3]!.next = 'large';
    expect(check(s).map((p) => [p.code, p.stepId, p.message])).toEqual([
      [
        'no_way_out',
        'large',
        'loop with no way out: the step only leads back to itself, no end step can be reached',
      ],
    ]);
  });

  it('does not count an objection’s goto as a way out of a loop', () => {
    const s = input();
    steps(s)[3]!.next = 'large';
    objections(s)[0]!.goto = 'bye';
    expect(check(s).map((p) => p.code)).toEqual(['no_way_out']);
  });

  it('does not call a step stuck when it jumps to no step (already reported)', () => {
    const s = input();
    steps(s)[3]!.next = 'missing';
    expect(check(s).map((p) => p.code)).toEqual(['unknown_target']);
  });

  it('reports unknown variables and malformed braces, in any text', () => {
    const s = input();
    steps(s)[0]!.say = { ja: '{{customer.nmae}} {{answers.greet}}', en: 'x }} {{}} {{agent.name' };
    objections(s)[0]!.say = { ja: '{{callback.dueat}}', en: '{{answers.ask-size}} {{weather}}' };
    expect(check(s).map((p) => [p.code, p.stepId, p.message, p.at])).toEqual([
      [
        'unknown_variable',
        'greet',
        'say.ja: unknown variable {{customer.nmae}} (did you mean {{customer.name}}?)',
        'steps[0].say.ja',
      ],
      [
        'unknown_variable',
        'greet',
        "say.ja: unknown variable {{answers.greet}}: 'greet' is not an ask step",
        'steps[0].say.ja',
      ],
      [
        'unknown_variable',
        'greet',
        "say.en: '}}' without '{{' at column 3 of the text",
        'steps[0].say.en',
      ],
      [
        'unknown_variable',
        'greet',
        'say.en: empty {{}} at column 6 of the text',
        'steps[0].say.en',
      ],
      [
        'unknown_variable',
        'greet',
        "say.en: '{{' at column 11 of the text is never closed with '}}'",
        'steps[0].say.en',
      ],
      [
        'unknown_variable',
        null,
        "objection 'busy': say.ja: unknown variable {{callback.dueat}} (did you mean {{callback.dueAt}}?)",
        'objections[0].say.ja',
      ],
      [
        'unknown_variable',
        null,
        "objection 'busy': say.en: unknown variable {{weather}} (known: customer.name, customer.nameKana, customer.segment, customer.phone, customer.purchaseCount, customer.lastContactDays, callback.dueAt, callback.campaign, callback.note, agent.name, answers.<ask step>)",
        'objections[0].say.en',
      ],
    ]);
  });

  it('reports each text missing one of the script’s languages', () => {
    const s = input();
    s.title = { ja: 'テスト' };
    const ask = steps(s)[1]! as { question: { options: { label: object }[] } };
    ask.question.options[1]!.label = { ja: 'L' };
    objections(s)[0]!.label = {};
    steps(s)[4]!.say = { en: 'Bye' };
    expect(check(s).map((p) => [p.code, p.stepId, p.message, p.at])).toEqual([
      ['missing_translation', null, "title has no 'en' text", 'title'],
      [
        'missing_translation',
        'ask-size',
        "question.options[1].label has no 'en' text",
        'steps[1].question.options[1].label',
      ],
      ['missing_translation', 'bye', "say has no 'ja' text", 'steps[4].say'],
      [
        'missing_translation',
        null,
        "objection 'busy': label has no 'ja', 'en' text",
        'objections[0].label',
      ],
    ]);
  });

  it('reports a mandatory step with nothing to confirm', () => {
    const s = input();
    steps(s)[0]!.mandatory = true;
    expect(check(s)).toEqual([
      {
        code: 'mandatory_without_confirm',
        stepId: 'greet',
        message: 'mandatory step has no confirm text (what the agent confirms before moving on)',
        at: 'steps[0].mandatory',
      },
    ]);
    steps(s)[0]!.confirm = { ja: '読みました', en: 'I read it' };
    expect(check(s)).toEqual([]);
  });

  it('reports conditions on what is not an ask step’s answer, on no option, or testing nothing', () => {
    const s = input();
    const when = (j: number): Input => (steps(s)[2]!.branch as Input[])[j]!.when as Input;
    (steps(s)[2]!.branch as Input[]).push(
      { when: { field: 'answers.greet', equals: 'x' }, goto: 'bye' },
      { when: { field: 'answers.ask-sise', equals: 's' }, goto: 'bye' },
      { when: { field: 'answers.ask-size', in: ['s', 'xl'] }, goto: 'bye' },
      { when: { field: 'customer.segment' }, goto: 'bye' },
    );
    expect(when(0).field).toBe('answers.ask-size');
    expect(check(s).map((p) => [p.code, p.stepId, p.message, p.at])).toEqual([
      [
        'bad_condition',
        'check',
        "branch[1].when: 'answers.greet' — 'greet' is a say step, not an ask step",
        'steps[2].branch[1].when.field',
      ],
      [
        'bad_condition',
        'check',
        "branch[2].when: 'answers.ask-sise' — 'ask-sise' is not a step (did you mean 'ask-size'?)",
        'steps[2].branch[2].when.field',
      ],
      [
        'bad_condition',
        'check',
        "branch[3].when: 'ask-size' has no option 'xl' (options: s, l)",
        'steps[2].branch[3].when',
      ],
      [
        'bad_condition',
        'check',
        'branch[4].when has no test (equals, in, gte or lte)',
        'steps[2].branch[4].when',
      ],
    ]);
  });

  describe('end steps’ dispositions (with the campaigns’ codes)', () => {
    const CODES: Record<string, string[]> = {
      requested: ['ordered', 'completed', 'call_me_at'],
      renewal: ['renewed', 'completed', 'call_me_at'],
      delivery_delay: ['completed', 'call_me_at'],
      nps: ['surveyed', 'completed', 'call_me_at'],
      reactivation: ['ordered', 'completed', 'call_me_at'],
      dm_follow_up: ['ordered', 'completed', 'call_me_at'],
    };
    /** The codes by kind, recording which kinds were asked about. */
    function codes(asked: string[] = [], unknown: string[] = []): ValidateOptions {
      return {
        dispositions: (kind) => {
          asked.push(kind);
          return unknown.includes(kind) ? null : new Set(CODES[kind]);
        },
      };
    }
    /** The test script with its end on `code`, plus a second end step on `second`. */
    function withEnds(match: Input, code: string, second = 'completed'): Input {
      const s = input();
      s.match = match;
      steps(s)[4]!.end = { disposition: code };
      steps(s)[3]!.next = 'bye2';
      steps(s).push({
        id: 'bye2',
        say: { ja: 'じゃあ', en: 'Later' },
        end: { disposition: second },
      });
      // 'large' now ends on bye2; bye stays reachable through check's otherwise.
      return s;
    }

    it('checks nothing without the codes', () => {
      expect(check(withEnds({ direction: 'inbound' }, 'nonsense'))).toEqual([]);
    });

    it('checks an inbound script against the requested campaign only', () => {
      const asked: string[] = [];
      expect(check(withEnds({ direction: 'inbound' }, 'ordered'), codes(asked))).toEqual([]);
      expect(asked).toEqual(['requested']);
      // 'renewed' is a code of some campaign, not of the one inbound calls close with.
      expect(check(withEnds({ direction: 'inbound' }, 'renewed'), codes())).toEqual([
        {
          code: 'unknown_disposition',
          stepId: 'bye',
          message: "disposition 'renewed' is not a code of the campaign 'requested'",
          at: 'steps[4].end.disposition',
        },
      ]);
    });

    it('reports each end step on its own line, with a did-you-mean', () => {
      const s = withEnds({ direction: 'inbound' }, 'complted', 'call_me_later');
      expect(check(s, codes())).toEqual([
        {
          code: 'unknown_disposition',
          stepId: 'bye',
          message:
            "disposition 'complted' is not a code of the campaign 'requested' (did you mean 'completed'?)",
          at: 'steps[4].end.disposition',
        },
        {
          code: 'unknown_disposition',
          stepId: 'bye2',
          message:
            "disposition 'call_me_later' is not a code of the campaign 'requested' (did you mean 'call_me_at'?)",
          at: 'steps[5].end.disposition',
        },
      ]);
    });

    it('checks an outbound script against each campaign kind it lists', () => {
      const match = { direction: 'outbound', campaigns: ['renewal', 'nps'] };
      const asked: string[] = [];
      expect(check(withEnds(match, 'completed'), codes(asked))).toEqual([]);
      expect(asked).toEqual(['renewal', 'nps']);
      // A code one of them lacks names that one; a code both lack names both.
      expect(check(withEnds(match, 'renewed', 'ordered'), codes())).toEqual([
        {
          code: 'unknown_disposition',
          stepId: 'bye',
          message: "disposition 'renewed' is not a code of the campaign 'nps'",
          at: 'steps[4].end.disposition',
        },
        {
          code: 'unknown_disposition',
          stepId: 'bye2',
          message: "disposition 'ordered' is not a code of the campaigns 'renewal', 'nps'",
          at: 'steps[5].end.disposition',
        },
      ]);
    });

    it('checks an outbound script for any campaign against every kind', () => {
      const asked: string[] = [];
      const s = withEnds({ direction: 'outbound' }, 'ordered');
      expect(check(s, codes(asked)).map((p) => [p.code, p.stepId, p.message, p.at])).toEqual([
        [
          'unknown_disposition',
          'bye',
          "disposition 'ordered' is not a code of the campaigns 'renewal', 'delivery_delay', 'nps'",
          'steps[4].end.disposition',
        ],
      ]);
      expect(asked).toEqual([
        'requested',
        'renewal',
        'delivery_delay',
        'nps',
        'reactivation',
        'dm_follow_up',
      ]);
    });

    it('does not check against a kind whose codes are unknown (null)', () => {
      const s = withEnds({ direction: 'outbound', campaigns: ['renewal', 'nps'] }, 'renewed');
      expect(check(s, codes([], ['nps']))).toEqual([]);
      expect(check(withEnds({ direction: 'inbound' }, 'x_y'), codes([], ['requested']))).toEqual(
        [],
      );
    });
  });

  it('accepts a step kind of each sort (types stay in step with the schema)', () => {
    const kinds = Script.parse(input()).steps.map((st: Step) => Object.keys(st).sort().join(','));
    expect(kinds).toContain('end,id,mandatory,say');
  });
});
