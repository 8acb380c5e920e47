// Which talk track fits a call: by direction, the inbound call's reason (from the IVR), the
// outbound call's campaign and the customer's segment. A script fits when each of its match
// lists that is not empty holds the call's fact (an unknown fact — no reason from the IVR, a
// number dialled by hand — fits only scripts that do not ask for one). The most specific fit
// wins: the one whose lists matched the most facts; ties go to the script id, so the choice
// is the same on every desk.
import type {
  CallReason,
  CampaignKind,
  Direction,
  ScriptSummary,
  Segment,
} from '../../../preload/contract';
import { pick } from './engine';
import type { Script, ScriptLanguage } from './script-format';

export interface CallFacts {
  direction: Direction;
  reason: CallReason | null;
  campaign: CampaignKind | null;
  /** Unknown callers count as 'new'. */
  segment: Segment;
}

interface Ranked {
  script: Script;
  fits: boolean;
  /** Facts matched by a non-empty list (the more, the more specific). */
  specific: number;
  /** Facts a non-empty list did not hold. */
  misses: number;
}

function rank(script: Script, facts: CallFacts): Ranked {
  let specific = 0;
  let misses = 0;
  const test = <T>(list: readonly T[], fact: T | null): void => {
    if (list.length === 0) return;
    if (fact !== null && list.includes(fact)) specific++;
    else misses++;
  };
  test(script.match.reasons, facts.direction === 'inbound' ? facts.reason : null);
  test(script.match.campaigns, facts.direction === 'outbound' ? facts.campaign : null);
  test(script.match.segments, facts.segment);
  return { script, fits: misses === 0, specific, misses };
}

/**
 * The scripts for the call's direction, best first: those that fit (most specific first),
 * then the others (fewest misses first). `best` is the first when it fits, else null.
 */
export function chooseScripts(
  scripts: Iterable<Script>,
  facts: CallFacts,
): { best: Script | null; ranked: Script[] } {
  const ranked = [...scripts]
    .filter((s) => s.match.direction === facts.direction)
    .map((s) => rank(s, facts))
    .sort(
      (a, b) =>
        Number(b.fits) - Number(a.fits) ||
        b.specific - a.specific ||
        a.misses - b.misses ||
        (a.script.id < b.script.id ? -1 : a.script.id > b.script.id ? 1 : 0),
    );
  const first = ranked[0];
  return { best: first?.fits ? first.script : null, ranked: ranked.map((r) => r.script) };
}

/** A script as the screen lists it, its title in the agent's language. */
export function summarize(script: Script, lang: ScriptLanguage): ScriptSummary {
  return {
    id: script.id,
    version: script.version,
    title: pick(script, script.title, lang) ?? script.id,
    direction: script.match.direction,
    reasons: script.match.reasons,
    campaigns: script.match.campaigns,
    segments: script.match.segments,
  };
}
