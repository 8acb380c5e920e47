// The shapes we rely on in kintone's replies, checked before use: a reply that is not JSON, or
// not shaped as kintone documents it, becomes CrmError('bad_reply') naming what was wrong,
// never a TypeError deep in the mapping. Numbers are accepted as strings or integers: kintone
// sends ids, revisions and counts as strings, its published OpenAPI spec says integers.
import { z } from 'zod';
import { CrmError } from '../adapter';

const IdLike = z
  .union([z.string().regex(/^\d{1,19}$/), z.number().int().nonnegative()])
  .transform((v) => String(v));

const FieldValue = z.object({ type: z.string().optional(), value: z.unknown() });
export const KintoneRecord = z.record(z.string(), FieldValue);
export type KintoneRecord = z.infer<typeof KintoneRecord>;

export const RecordsReply = z.object({
  records: z.array(KintoneRecord),
  totalCount: z.union([IdLike, z.null()]).optional(),
});
export const RecordReply = z.object({ record: KintoneRecord });
export const UpsertReply = z.object({
  records: z
    .array(z.object({ id: IdLike, revision: IdLike, operation: z.string().optional() }))
    .length(1),
});
export const RevisionReply = z.object({ revision: IdLike });
export const AppReply = z.object({ appId: IdLike, name: z.string() });

const FieldProperty = z.object({
  type: z.string(),
  code: z.string(),
  label: z.string().optional(),
  unique: z.union([z.boolean(), z.string()]).optional(),
  options: z.record(z.string(), z.object({ label: z.string() })).optional(),
});
export const FormFieldsReply = z.object({ properties: z.record(z.string(), FieldProperty) });
export type FormField = z.infer<typeof FieldProperty>;

/** Checks a reply against its shape; `what` names the request in the error. */
export function parseReply<S extends z.ZodType>(
  schema: S,
  data: unknown,
  what: string,
): z.output<S> {
  if (typeof data === 'string') {
    const head = data.slice(0, 60).replace(/\s+/g, ' ');
    throw new CrmError('bad_reply', `kintone ${what}: reply is not JSON ("${head}")`);
  }
  const res = schema.safeParse(data);
  if (!res.success) {
    const issue = res.error.issues[0];
    const where = issue && issue.path.length ? issue.path.join('.') : 'body';
    throw new CrmError(
      'bad_reply',
      `kintone ${what}: unexpected reply at ${where}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return res.data;
}

/** One record's field values, with errors naming the record and field. */
export class RecordView {
  readonly id: string;
  constructor(
    private readonly rec: KintoneRecord,
    private readonly what: string,
  ) {
    const id = rec['$id']?.value;
    if (typeof id !== 'string' || !/^\d+$/.test(id)) {
      throw new CrmError('bad_reply', `kintone ${what}: a record without a valid $id`);
    }
    this.id = id;
  }

  private fail(code: string, why: string): never {
    throw new CrmError(
      'bad_reply',
      `kintone ${this.what}: record ${this.id} field "${code}" ${why}`,
    );
  }

  /** A text-like value ('' when empty). Missing field: the mapping does not match the app. */
  text(code: string): string {
    const f = this.rec[code];
    if (!f) this.fail(code, 'is missing (check the field mapping)');
    if (f.value === null || f.value === undefined) return '';
    if (typeof f.value !== 'string') this.fail(code, `is not text (${f.type ?? typeof f.value})`);
    return f.value;
  }

  optionalText(code: string): string | null {
    const t = this.text(code).trim();
    return t === '' ? null : t;
  }

  /** A datetime as kintone formats it; must parse. */
  datetime(code: string): string {
    const t = this.text(code);
    if (Number.isNaN(Date.parse(t))) this.fail(code, `is not a datetime ("${t.slice(0, 40)}")`);
    return t;
  }

  revision(): string {
    const r = this.text('$revision');
    if (!/^\d+$/.test(r)) this.fail('$revision', 'is not a number');
    return r;
  }
}
