// The kintone CRM adapter: one outbox item → kintone requests, one cursor → a page of records.
// Built on @kintone/rest-api-client. Idempotency comes from kintone itself: every record we
// write is an upsert (PUT /k/v1/records.json, upsert: true) keyed by the item's idempotency
// key in a text field with "prohibit duplicate values", so a retry after a lost reply updates
// the record the first attempt made instead of adding a second one.
import { KintoneRestAPIClient } from '@kintone/rest-api-client';
import {
  CrmError,
  OutboxPayloads,
  type ConnectionCheck,
  type CrmActivity,
  type CrmAdapter,
  type CrmCustomer,
  type OptOutLevel,
  type OutboxItem,
  type OutboxPayload,
  type PullCursor,
  type PullPage,
  type PushAck,
} from '../adapter';
import { silentLogger, type Logger } from '../../../log';
import { KintoneConfig, joinTokens, type KintoneConfigInput, type KintoneTokens } from './config';
import { isDnsFailure, toCrmError } from './errors';
import { formProblems, requiredFields, type AppName } from './form-check';
import {
  activityFieldList,
  activityRecord,
  callbackRecord,
  customerFieldList,
  readOptOut,
  strongerOptOut,
  toActivity,
  toCustomer,
  type RecordBody,
} from './mapping';
import { clampLimit, isAfter, phoneLookupQuery, pullQuery } from './query';
import {
  AppReply,
  FormFieldsReply,
  parseReply,
  RecordReply,
  RecordsReply,
  RecordView,
  RevisionReply,
  UpsertReply,
} from './replies';

export interface KintoneAdapterOptions {
  config: KintoneConfigInput;
  /** From the OS keychain; never logged, never part of an error message. */
  tokens: KintoneTokens;
  /** Per request: no reply within this → CrmError('timeout'). */
  timeoutMs?: number;
  logger?: Logger;
}

/** kintone's updateKey value is at most 64 characters. */
const MAX_KEY = 64;
/** Customers sharing one phone number whose opt-out we strengthen. */
const MAX_OPT_OUT_MATCHES = 20;

export class KintoneAdapter implements CrmAdapter {
  readonly kind = 'kintone' as const;
  readonly config: KintoneConfig;
  private readonly client: KintoneRestAPIClient;
  private readonly log: Logger;

  constructor(opts: KintoneAdapterOptions) {
    const parsed = KintoneConfig.safeParse(opts.config);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      throw new Error(
        `kintone settings: ${first?.path.join('.') || 'config'}: ${first?.message ?? 'invalid'}`,
      );
    }
    this.config = parsed.data;
    this.log = opts.logger ?? silentLogger;
    // @kintone/rest-api-client takes plain http only for the name "localhost": a loopback
    // address (tests) is given to it by that name.
    const url = new URL(this.config.baseUrl);
    if (url.protocol === 'http:') url.hostname = 'localhost';
    const host = url.hostname;
    this.client = new KintoneRestAPIClient({
      baseUrl: url.origin,
      auth: { apiToken: joinTokens(opts.tokens).split(',') },
      socketTimeout: opts.timeoutMs ?? 15_000,
      userAgent: 'agent-desktop',
      // localhost (tests) never goes through a proxy from the environment.
      ...(host === 'localhost' ? { proxy: false as const } : {}),
    });
  }

  private async call<T>(what: string, fn: () => Promise<T>): Promise<unknown> {
    try {
      return (await fn()) as unknown;
    } catch (e) {
      throw toCrmError(e, what);
    }
  }

  // ---- check ---------------------------------------------------------------------------

  async check(): Promise<ConnectionCheck> {
    const apps = this.config.apps;
    const needs = requiredFields(this.config);
    const names: string[] = [];
    const problems: string[] = [];
    for (const app of ['customers', 'activities', 'callbacks'] as const) {
      const id = apps[app];
      try {
        // Raw client errors on purpose: checkFailure tells a DNS failure from other ones.
        const info = parseReply(
          AppReply,
          await this.client.app.getApp({ id }),
          `${app} app #${id}`,
        );
        const form = parseReply(
          FormFieldsReply,
          await this.client.app.getFormFields({ app: id }),
          `${app} app #${id} fields`,
        );
        names.push(`${app} "${info.name}" (#${id})`);
        for (const p of formProblems(needs[app], form.properties)) {
          problems.push(`${app} app #${id}: ${p}`);
        }
      } catch (e) {
        return this.checkFailure(e, app, id);
      }
    }
    if (problems.length) {
      return { ok: false, code: 'bad_config', message: problems.join('; ').slice(0, 2000) };
    }
    const host = new URL(this.config.baseUrl).host;
    return {
      ok: true,
      detail: `Connected to ${host}: ${names.join(', ')}; field mapping OK (write permission is checked on the first push)`,
    };
  }

  private checkFailure(e: unknown, app: AppName, id: number): ConnectionCheck {
    const host = new URL(this.config.baseUrl).host;
    if (isDnsFailure(e)) {
      return {
        ok: false,
        code: 'bad_domain',
        message: `The domain ${host} does not exist (its name does not resolve): check the kintone address.`,
      };
    }
    const err = toCrmError(e, `${app} app #${id}`);
    const code = err.crmCode;
    switch (err.kind) {
      case 'network':
      case 'timeout':
        return {
          ok: false,
          code: 'unreachable',
          message: `kintone at ${host} cannot be reached: ${err.message}`,
        };
      case 'server':
      case 'rate_limited':
        return {
          ok: false,
          code: 'unreachable',
          message: `kintone at ${host} is not answering normally (HTTP ${err.status ?? '?'}): try again later.`,
        };
      case 'auth':
        if (code === 'GAIA_AP01' || code === 'GAIA_IL23') {
          return {
            ok: false,
            code: 'bad_config',
            message: `The ${app} app #${id} does not exist on ${host} (or is in a guest space): check the app id.`,
          };
        }
        if (
          code === 'GAIA_NO01' ||
          code === 'CB_NO02' ||
          (err.status === 403 && code !== 'CB_WA01')
        ) {
          return {
            ok: false,
            code: 'no_permission',
            message: `The API tokens may not read the ${app} app #${id}: give that app's own token, with record view, add and edit permission. (${code ?? err.status})`,
          };
        }
        return {
          ok: false,
          code: 'bad_token',
          message: `kintone refused the API token(s) (${code ?? err.status}): check the token of each app, and that the app's settings were updated after it was made.`,
        };
      case 'bad_reply':
        return err.status !== null
          ? {
              ok: false,
              code: 'bad_domain',
              message: `${host} answered, but not as kintone does (HTTP ${err.status}): check the kintone address.`,
            }
          : { ok: false, code: 'bad_reply', message: err.message };
      default:
        return { ok: false, code: 'bad_reply', message: err.message };
    }
  }

  // ---- push ----------------------------------------------------------------------------

  async push(item: OutboxItem): Promise<PushAck> {
    const what = `push ${item.kind}`;
    if (typeof item.key !== 'string' || item.key.length === 0 || item.key.length > MAX_KEY) {
      throw new CrmError(
        'rejected',
        `kintone ${what}: idempotency key must be 1–${MAX_KEY} characters`,
      );
    }
    const valid = OutboxPayloads[item.kind].safeParse(item.payload);
    if (!valid.success) {
      const issue = valid.error.issues[0];
      throw new CrmError(
        'rejected',
        `kintone ${what}: invalid payload at ${issue?.path.join('.') || 'payload'}: ${issue?.message ?? ''}`,
      );
    }
    const a = this.config.apps;
    const f = this.config.fields;
    try {
      switch (item.kind) {
        case 'opt_out':
          return await this.pushOptOut(item.key, item.payload, item.createdAt);
        case 'callback':
          return await this.upsert(
            a.callbacks,
            f.callbacks.syncKey,
            item.key,
            callbackRecord(item, this.config),
            what,
          );
        default:
          return await this.upsert(
            a.activities,
            f.activities.syncKey,
            item.key,
            activityRecord(item, this.config),
            what,
          );
      }
    } catch (e) {
      if (e instanceof RangeError) throw new CrmError('rejected', `kintone ${what}: ${e.message}`);
      throw e;
    }
  }

  private async upsert(
    app: number,
    keyField: string,
    key: string,
    record: RecordBody,
    what: string,
  ): Promise<PushAck> {
    const reply = await this.call(what, () =>
      this.client.record.updateRecords({
        app,
        upsert: true,
        records: [{ updateKey: { field: keyField, value: key }, record }],
      }),
    );
    const r = parseReply(UpsertReply, reply, what).records[0]!;
    return { remoteId: r.id, revision: r.revision };
  }

  /**
   * Strengthens the customer's opt-out (read, compare, write with the read revision: a
   * concurrent edit gives 'conflict' and the engine retries with a fresh read), then writes the
   * audit record in the activities app keyed by the idempotency key.
   */
  private async pushOptOut(
    key: string,
    p: OutboxPayload<'opt_out'>,
    createdAt: number,
  ): Promise<PushAck> {
    const f = this.config.fields.customers;
    const app = this.config.apps.customers;
    const targets = await this.optOutTargets(p);
    const after: { id: string; level: OptOutLevel }[] = [];
    for (const t of targets) {
      const next = strongerOptOut(t.level, p.scope);
      if (next !== t.level) {
        const reply = await this.call('opt-out update', () =>
          this.client.record.updateRecord({
            app,
            id: Number(t.id),
            revision: Number(t.revision),
            record: { [f.optOut]: { value: this.config.values.optOut[next] } },
          }),
        );
        parseReply(RevisionReply, reply, 'opt-out update');
        this.log.info('kintone opt-out strengthened', { customer: t.id, level: next });
      }
      after.push({ id: t.id, level: next });
    }
    const item = { key, kind: 'opt_out' as const, payload: p, createdAt };
    const record = activityRecord(item, this.config, {
      customer: targets[0]?.id ?? null,
      detail: { customers: after },
    });
    return this.upsert(
      this.config.apps.activities,
      this.config.fields.activities.syncKey,
      key,
      record,
      'push opt_out',
    );
  }

  private async optOutTargets(
    p: OutboxPayload<'opt_out'>,
  ): Promise<{ id: string; revision: string; level: OptOutLevel }[]> {
    const f = this.config.fields.customers;
    const app = this.config.apps.customers;
    if (p.customerCrmId && /^\d+$/.test(p.customerCrmId)) {
      const id = p.customerCrmId;
      try {
        const reply = await this.call('opt-out read', () =>
          this.client.record.getRecord({ app, id }),
        );
        const r = new RecordView(
          parseReply(RecordReply, reply, 'opt-out read').record,
          'opt-out read',
        );
        return [
          { id: r.id, revision: r.revision(), level: readOptOut(r.text(f.optOut), this.config) },
        ];
      } catch (e) {
        // Deleted in the CRM since we pulled it: fall back to the phone number.
        if (!(e instanceof CrmError && e.crmCode === 'GAIA_RE01')) throw e;
      }
    }
    const reply = await this.call('opt-out lookup', () =>
      this.client.record.getRecords({
        app,
        query: phoneLookupQuery(f.phones, p.e164, MAX_OPT_OUT_MATCHES),
        fields: ['$id', '$revision', f.optOut],
      }),
    );
    return parseReply(RecordsReply, reply, 'opt-out lookup').records.map((rec) => {
      const r = new RecordView(rec, 'opt-out lookup');
      return { id: r.id, revision: r.revision(), level: readOptOut(r.text(f.optOut), this.config) };
    });
  }

  // ---- pull ----------------------------------------------------------------------------

  pullCustomers(since: PullCursor | null, limit: number): Promise<PullPage<CrmCustomer>> {
    return this.pull('customers', since, limit);
  }

  pullActivities(since: PullCursor | null, limit: number): Promise<PullPage<CrmActivity>> {
    return this.pull('activities', since, limit);
  }

  private async pull<S extends 'customers' | 'activities'>(
    stream: S,
    since: PullCursor | null,
    limit: number,
  ): Promise<PullPage<S extends 'customers' ? CrmCustomer : CrmActivity>> {
    type T = S extends 'customers' ? CrmCustomer : CrmActivity;
    const what = `pull ${stream}`;
    const cfg = this.config;
    const updatedAt = cfg.fields[stream].updatedAt;
    let query: string;
    try {
      query = pullQuery(updatedAt, since, limit);
    } catch (e) {
      throw new CrmError('rejected', `kintone ${what}: ${(e as Error).message}`);
    }
    const reply = await this.call(what, () =>
      this.client.record.getRecords({
        app: cfg.apps[stream],
        query,
        fields: stream === 'customers' ? customerFieldList(cfg) : activityFieldList(cfg),
        totalCount: true,
      }),
    );
    const page = parseReply(RecordsReply, reply, what);
    const records: T[] = [];
    let last: PullCursor | null = null;
    for (const rec of page.records) {
      const view = new RecordView(rec, what);
      const mapped = (stream === 'customers' ? toCustomer(view, cfg) : toActivity(view, cfg)) as T;
      const pos = { updatedAt: mapped.updatedAt, id: mapped.crmId };
      if (last && !isAfter(pos, last)) {
        throw new CrmError(
          'bad_reply',
          `kintone ${what}: records out of (更新日時, $id) order at record ${pos.id}`,
        );
      }
      last = pos;
      if (isAfter(pos, since)) records.push(mapped);
    }
    if (page.records.length > 0 && records.length === 0) {
      // Only records at or before the cursor: following this page would never move on.
      throw new CrmError('bad_reply', `kintone ${what}: the page holds nothing after the cursor`);
    }
    const total = page.totalCount != null ? Number(page.totalCount) : undefined;
    const done =
      total !== undefined ? total <= page.records.length : page.records.length < clampLimit(limit);
    const lastKept = records.length ? records[records.length - 1]! : null;
    return {
      records,
      cursor: lastKept ? { updatedAt: lastKept.updatedAt, id: lastKept.crmId } : null,
      done,
      ...(total !== undefined ? { total } : {}),
    };
  }
}

export function createKintoneAdapter(opts: KintoneAdapterOptions): KintoneAdapter {
  return new KintoneAdapter(opts);
}
