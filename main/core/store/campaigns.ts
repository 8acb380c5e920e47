// Campaigns: each row holds the whole Campaign (contract) as JSON. Rules are validated on the
// way in and again on the way out: a row edited by hand or written by an older app that no
// longer validates is logged and skipped, so one bad campaign never takes the queue down.
import { z } from 'zod';
import { Campaign } from '../../../preload/contract';
import { silentLogger, type Logger } from '../log';
import { DEFAULT_CAMPAIGNS } from '../outbound/default-campaigns';
import type { Database } from './db';

export interface CampaignRepo {
  /** The active campaigns, in the order they were first written. */
  list(): Campaign[];
  /** Active or not (a callback keeps its campaign's rules); undefined when unknown or invalid. */
  get(id: string): Campaign | undefined;
  /** Validates, then inserts or replaces the rules (an inactive campaign stays inactive). */
  upsert(c: Campaign): void;
  /** Inserts the default campaigns that are missing; never touches existing ones. */
  ensureDefaults(): void;
  /** Hides a campaign from list() (or shows it again); returns whether it exists. */
  setActive(id: string, active: boolean): boolean;
}

/** A campaign that does not satisfy the contract; nothing was written. */
export class InvalidCampaignError extends Error {
  readonly code = 'invalid_campaign';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InvalidCampaignError';
  }
}

export function createCampaignRepo(
  db: Database,
  opts: { now?: () => number; log?: Logger } = {},
): CampaignRepo {
  const now = opts.now ?? Date.now;
  const log = opts.log ?? silentLogger;
  const active = db.prepare<[], { id: string; rules: string }>(
    'SELECT id, rules FROM campaigns WHERE active = 1 ORDER BY rowid',
  );
  const byId = db.prepare<[string], { id: string; rules: string }>(
    'SELECT id, rules FROM campaigns WHERE id = ?',
  );
  const upsertRow = db.prepare<[string, string, number]>(
    `INSERT INTO campaigns (id, rules, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET rules = excluded.rules, updated_at = excluded.updated_at`,
  );
  const insertMissing = db.prepare<[string, string, number]>(
    `INSERT INTO campaigns (id, rules, updated_at) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING`,
  );
  const setActiveRow = db.prepare<[number, number, string]>(
    'UPDATE campaigns SET active = ?, updated_at = ? WHERE id = ?',
  );

  // Parsing and validating the rules costs ~60 µs and the queue reads them for every pick:
  // keep the last parse per id while its stored text is unchanged (a frozen copy, so no
  // caller can alter what the next one reads).
  const parsedCache = new Map<string, { rules: string; campaign: Campaign }>();

  function read(row: { id: string; rules: string }): Campaign | undefined {
    const hit = parsedCache.get(row.id);
    if (hit && hit.rules === row.rules) return hit.campaign;
    const campaign = parse(row);
    if (campaign) parsedCache.set(row.id, { rules: row.rules, campaign: deepFreeze(campaign) });
    return campaign;
  }

  function parse(row: { id: string; rules: string }): Campaign | undefined {
    let json: unknown;
    try {
      json = JSON.parse(row.rules);
    } catch (err) {
      log.error('store: campaign skipped: its rules are not JSON', { campaignId: row.id, err });
      return undefined;
    }
    const parsed = Campaign.safeParse(json);
    if (!parsed.success) {
      log.error('store: campaign skipped: its rules are invalid', {
        campaignId: row.id,
        issues: z.prettifyError(parsed.error),
      });
      return undefined;
    }
    if (parsed.data.id !== row.id) {
      log.error('store: campaign skipped: its rules name another id', {
        campaignId: row.id,
        rulesId: parsed.data.id,
      });
      return undefined;
    }
    return parsed.data;
  }

  function validate(c: Campaign): Campaign {
    const parsed = Campaign.safeParse(c);
    if (!parsed.success) {
      const id = (c as { id?: unknown } | null)?.id;
      throw new InvalidCampaignError(
        `campaign ${JSON.stringify(id)} is invalid:\n${z.prettifyError(parsed.error)}`,
        { cause: parsed.error },
      );
    }
    return parsed.data;
  }

  const ensureDefaults = db.transaction(() => {
    const t = now();
    for (const c of DEFAULT_CAMPAIGNS) insertMissing.run(c.id, JSON.stringify(validate(c)), t);
  });

  return {
    list: () => active.all().flatMap((row) => read(row) ?? []),
    get(id) {
      const row = byId.get(id);
      return row ? read(row) : undefined;
    },
    upsert(c) {
      const checked = validate(c);
      upsertRow.run(checked.id, JSON.stringify(checked), now());
    },
    ensureDefaults: () => ensureDefaults(),
    setActive: (id, on) => setActiveRow.run(on ? 1 : 0, now(), id).changes > 0,
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
