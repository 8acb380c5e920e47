// Which talk track fits a call: the shipped samples on the calls they were written for, and
// small synthetic scripts for the ranking rules (most specific first, unknown facts fit only
// scripts that do not ask for them, ties by id, one direction at a time).
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  chooseScripts,
  summarize,
  type CallFacts,
} from '../../../../main/core/scripts/choose-script';
import { loadScriptFolder } from '../../../../main/core/scripts/load-script';
import { Script } from '../../../../main/core/scripts/script-format';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const samples = loadScriptFolder(join(root, 'assets/scripts'));

const inbound = (over: Partial<CallFacts> = {}): CallFacts => ({
  direction: 'inbound',
  reason: null,
  campaign: null,
  segment: 'new',
  ...over,
});
const outbound = (over: Partial<CallFacts> = {}): CallFacts => ({
  ...inbound(),
  direction: 'outbound',
  ...over,
});

/** A minimal valid script with the given id and match. */
function script(
  id: string,
  match: Record<string, unknown>,
  over: Record<string, unknown> = {},
): Script {
  return Script.parse({
    id,
    version: 1,
    title: { ja: `${id}（ja）`, en: `${id} (en)` },
    languages: ['ja', 'en'],
    match,
    start: 'bye',
    steps: [{ id: 'bye', say: { ja: 'さようなら', en: 'Bye' }, end: { disposition: 'completed' } }],
    ...over,
  });
}

const ids = (r: { ranked: Script[] }): string[] => r.ranked.map((s) => s.id);

describe('chooseScripts: the shipped samples', () => {
  it('loads the samples the cases below rely on', () => {
    expect(samples.problems).toEqual([]);
    expect(samples.scripts.map((s) => s.id).sort()).toEqual([
      'inbound-general',
      'inbound-inquiry',
      'inbound-order',
      'inbound-repeat-order',
      'outbound-dm-follow-up',
      'outbound-general',
      'outbound-nps',
      'outbound-reactivation',
      'outbound-renewal',
    ]);
  });

  it('an inquiry from a repeat customer → inbound-inquiry', () => {
    const r = chooseScripts(samples.scripts, inbound({ reason: 'inquiry', segment: 'repeat' }));
    expect(r.best?.id).toBe('inbound-inquiry');
    // The catch-all fits too, less specifically; then the scripts that do not fit, the one
    // that matched a fact (the segment) first.
    expect(ids(r)).toEqual([
      'inbound-inquiry',
      'inbound-general',
      'inbound-repeat-order',
      'inbound-order',
    ]);
  });

  it('an order from a new customer → inbound-order; from a heavy one → inbound-repeat-order', () => {
    const fresh = chooseScripts(samples.scripts, inbound({ reason: 'order', segment: 'new' }));
    expect(fresh.best?.id).toBe('inbound-order');
    expect(ids(fresh)).toEqual([
      'inbound-order',
      'inbound-general',
      'inbound-repeat-order',
      'inbound-inquiry',
    ]);

    const heavy = chooseScripts(samples.scripts, inbound({ reason: 'order', segment: 'heavy' }));
    expect(heavy.best?.id).toBe('inbound-repeat-order');
    expect(ids(heavy)).toEqual([
      'inbound-repeat-order',
      'inbound-general',
      'inbound-order',
      'inbound-inquiry',
    ]);

    const again = inbound({ reason: 'repeat_order', segment: 'repeat' });
    expect(chooseScripts(samples.scripts, again).best?.id).toBe('inbound-repeat-order');
  });

  it('an inbound call with no reason from the IVR, or a consultation → inbound-general', () => {
    const r = chooseScripts(samples.scripts, inbound({ reason: null, segment: 'repeat' }));
    expect(r.best?.id).toBe('inbound-general');
    expect(ids(r)).toEqual([
      'inbound-general',
      'inbound-repeat-order',
      'inbound-inquiry',
      'inbound-order',
    ]);
    const consultation = inbound({ reason: 'consultation', segment: 'heavy' });
    expect(chooseScripts(samples.scripts, consultation).best?.id).toBe('inbound-general');
  });

  it('an outbound renewal callback → outbound-renewal, then the other outbound scripts', () => {
    const r = chooseScripts(samples.scripts, outbound({ campaign: 'renewal', segment: 'repeat' }));
    expect(r.best?.id).toBe('outbound-renewal');
    // The general one fits too, less specifically; then the ones for other campaigns.
    expect(ids(r)).toEqual([
      'outbound-renewal',
      'outbound-general',
      'outbound-dm-follow-up',
      'outbound-nps',
      'outbound-reactivation',
    ]);
  });

  it('a reactivation call to a dormant customer → outbound-reactivation; to another, the general one', () => {
    const dormant = outbound({ campaign: 'reactivation', segment: 'dormant' });
    expect(chooseScripts(samples.scripts, dormant).best?.id).toBe('outbound-reactivation');

    // The sample asks for dormant customers too: for a repeat customer only the general
    // script fits; the reactivation one (one fact matched, one missed) comes next.
    const repeat = chooseScripts(
      samples.scripts,
      outbound({ campaign: 'reactivation', segment: 'repeat' }),
    );
    expect(repeat.best?.id).toBe('outbound-general');
    expect(ids(repeat).slice(0, 2)).toEqual(['outbound-general', 'outbound-reactivation']);
    // Without the general script nothing fits, and the closest is still listed first.
    const specific = samples.scripts.filter((x) => x.id !== 'outbound-general');
    const none = chooseScripts(specific, outbound({ campaign: 'reactivation', segment: 'repeat' }));
    expect(none.best).toBeNull();
    expect(ids(none)[0]).toBe('outbound-reactivation');
  });

  it('an NPS and a DM follow-up call each get their own script', () => {
    expect(chooseScripts(samples.scripts, outbound({ campaign: 'nps' })).best?.id).toBe(
      'outbound-nps',
    );
    expect(chooseScripts(samples.scripts, outbound({ campaign: 'dm_follow_up' })).best?.id).toBe(
      'outbound-dm-follow-up',
    );
  });

  it('a manual outbound dial (no campaign) gets the general script; every outbound one is ranked', () => {
    const r = chooseScripts(samples.scripts, outbound({ campaign: null, segment: 'new' }));
    expect(r.best?.id).toBe('outbound-general');
    // Then one miss each (the campaign), ties by id; reactivation misses the segment too.
    expect(ids(r)).toEqual([
      'outbound-general',
      'outbound-dm-follow-up',
      'outbound-nps',
      'outbound-renewal',
      'outbound-reactivation',
    ]);
  });
});

describe('chooseScripts: the rules', () => {
  it('offers only scripts of the call’s direction', () => {
    const scripts = [
      script('in-any', { direction: 'inbound' }),
      script('out-any', { direction: 'outbound' }),
    ];
    expect(ids(chooseScripts(scripts, inbound()))).toEqual(['in-any']);
    expect(ids(chooseScripts(scripts, outbound()))).toEqual(['out-any']);
    expect(chooseScripts([], inbound())).toEqual({ best: null, ranked: [] });
  });

  it('the most specific fit wins; a script with no lists fits any call of its direction', () => {
    const any = script('a-any', { direction: 'inbound' });
    const reason = script('b-reason', { direction: 'inbound', reasons: ['order'] });
    const both = script('c-both', { direction: 'inbound', reasons: ['order'], segments: ['new'] });
    const all = [any, reason, both];
    expect(ids(chooseScripts(all, inbound({ reason: 'order', segment: 'new' })))).toEqual([
      'c-both',
      'b-reason',
      'a-any',
    ]);
    // The segment does not match: c-both drops below every script that fits.
    const heavy = chooseScripts(all, inbound({ reason: 'order', segment: 'heavy' }));
    expect(heavy.best?.id).toBe('b-reason');
    expect(ids(heavy)).toEqual(['b-reason', 'a-any', 'c-both']);
    // No reason known: only the script that does not ask for one fits.
    const unknown = chooseScripts(all, inbound({ reason: null, segment: 'new' }));
    expect(unknown.best?.id).toBe('a-any');
    expect(ids(unknown)).toEqual(['a-any', 'c-both', 'b-reason']);
  });

  it('an unknown campaign (a number dialled by hand) fits only scripts that ask for none', () => {
    const any = script('any', { direction: 'outbound', segments: ['dormant'] });
    const renewal = script('renewal', { direction: 'outbound', campaigns: ['renewal'] });
    const manual = chooseScripts([renewal, any], outbound({ campaign: null, segment: 'dormant' }));
    expect(manual.best?.id).toBe('any');
    expect(ids(manual)).toEqual(['any', 'renewal']);
    const known = chooseScripts(
      [renewal, any],
      outbound({ campaign: 'renewal', segment: 'repeat' }),
    );
    expect(known.best?.id).toBe('renewal');
  });

  it('reasons count on inbound calls only, campaigns on outbound calls only', () => {
    // (Scripts like these make no sense, but the facts of the other direction must not leak.)
    const inWithCampaign = script('in-c', { direction: 'inbound', campaigns: ['renewal'] });
    const outWithReason = script('out-r', { direction: 'outbound', reasons: ['order'] });
    expect(
      chooseScripts([inWithCampaign], inbound({ campaign: 'renewal', reason: 'order' })).best,
    ).toBeNull();
    expect(
      chooseScripts([outWithReason], outbound({ campaign: 'renewal', reason: 'order' })).best,
    ).toBeNull();
  });

  it('ties go to the script id, whatever order the scripts come in', () => {
    const m = { direction: 'inbound', reasons: ['inquiry'] };
    const scripts = [script('zeta', m), script('alpha', m), script('mid', m)];
    const facts = inbound({ reason: 'inquiry' });
    expect(ids(chooseScripts(scripts, facts))).toEqual(['alpha', 'mid', 'zeta']);
    expect(ids(chooseScripts([...scripts].reverse(), facts))).toEqual(['alpha', 'mid', 'zeta']);
    expect(chooseScripts(scripts, facts).best?.id).toBe('alpha');
  });

  it('among scripts that do not fit, the one with fewer misses comes first', () => {
    const one = script('b-one', { direction: 'inbound', reasons: ['order'] });
    const two = script('a-two', {
      direction: 'inbound',
      reasons: ['order'],
      segments: ['heavy'],
    });
    const r = chooseScripts([two, one], inbound({ reason: 'inquiry', segment: 'new' }));
    expect(r.best).toBeNull();
    expect(ids(r)).toEqual(['b-one', 'a-two']);
  });
});

describe('summarize', () => {
  const renewal = samples.scripts.find((s) => s.id === 'outbound-renewal')!;

  it('gives the title in the agent’s language, with the script’s match lists', () => {
    expect(summarize(renewal, 'ja')).toEqual({
      id: 'outbound-renewal',
      version: 1,
      title: '契約更新のご案内',
      direction: 'outbound',
      reasons: [],
      campaigns: ['renewal'],
      segments: [],
    });
    expect(summarize(renewal, 'en').title).toBe('Renewal reminder');
    const order = samples.scripts.find((s) => s.id === 'inbound-repeat-order')!;
    expect(summarize(order, 'en')).toMatchObject({
      direction: 'inbound',
      reasons: ['order', 'repeat_order'],
      campaigns: [],
      segments: ['repeat', 'heavy'],
    });
  });

  it('falls back to the script’s languages in order, then to its id', () => {
    const jaOnly = script('ja-only', { direction: 'inbound' }, { title: { ja: '日本語のみ' } });
    expect(summarize(jaOnly, 'en').title).toBe('日本語のみ');
    const enFirst = script(
      'en-first',
      { direction: 'inbound' },
      { languages: ['en', 'ja'], title: { ja: 'タイトル', en: 'Title' } },
    );
    expect(summarize(enFirst, 'ja').title).toBe('タイトル');
    const missing = script(
      'half',
      { direction: 'inbound' },
      { languages: ['ja', 'en'], title: { en: 'English only' } },
    );
    expect(summarize(missing, 'ja').title).toBe('English only');
    const none = script('untitled', { direction: 'inbound' }, { title: {} });
    expect(summarize(none, 'ja').title).toBe('untitled');
  });
});
