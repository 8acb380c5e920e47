// Does each app have the fields the mapping names, of a type we can read and write? Checked
// in check() so a wrong mapping shows up in the settings screen, not as a dead-lettered item.
import type { KintoneConfig } from './config';
import type { FormField } from './replies';

type Need = { code: string; types: string[]; unique?: boolean; options?: string[] };

const TEXT = ['SINGLE_LINE_TEXT'];
const CHOICE = ['DROP_DOWN', 'RADIO_BUTTON', 'SINGLE_LINE_TEXT'];
const PHONE = ['SINGLE_LINE_TEXT', 'LINK'];
const RECORD_REF = ['NUMBER', 'SINGLE_LINE_TEXT'];

export type AppName = 'customers' | 'activities' | 'callbacks';

/** What each app must hold for the mapping in `cfg`. */
export function requiredFields(cfg: KintoneConfig): Record<AppName, Need[]> {
  const c = cfg.fields.customers;
  const a = cfg.fields.activities;
  const b = cfg.fields.callbacks;
  const v = cfg.values;
  const optOutLabels = [v.optOut.marketing, v.optOut.all, v.optOut.none].filter((s) => s !== '');
  const ourTypes = [
    v.activityType.call_log,
    v.activityType.note,
    v.activityType.disposition,
    v.activityType.opt_out,
    v.activityType.script_answers,
  ];
  return {
    customers: [
      { code: c.name, types: ['SINGLE_LINE_TEXT', 'CALC'] },
      { code: c.nameKana, types: TEXT },
      { code: c.segment, types: CHOICE },
      ...c.phones.map((code) => ({ code, types: PHONE })),
      { code: c.optOut, types: CHOICE, options: optOutLabels },
      { code: c.updatedAt, types: ['UPDATED_TIME'] },
    ],
    activities: [
      { code: a.type, types: CHOICE, options: ourTypes },
      { code: a.syncKey, types: TEXT, unique: true },
      { code: a.customer, types: RECORD_REF },
      { code: a.at, types: ['DATETIME'] },
      {
        code: a.direction,
        types: CHOICE,
        options: [v.direction.inbound, v.direction.outbound],
      },
      { code: a.summary, types: ['SINGLE_LINE_TEXT', 'MULTI_LINE_TEXT'] },
      { code: a.detail, types: ['MULTI_LINE_TEXT'] },
      { code: a.updatedAt, types: ['UPDATED_TIME'] },
    ],
    callbacks: [
      { code: b.syncKey, types: TEXT, unique: true },
      { code: b.callbackId, types: TEXT },
      { code: b.customer, types: RECORD_REF },
      { code: b.phone, types: PHONE },
      { code: b.dueAt, types: ['DATETIME'] },
      { code: b.status, types: CHOICE },
      { code: b.detail, types: ['MULTI_LINE_TEXT'] },
      { code: b.updatedAt, types: ['UPDATED_TIME'] },
    ],
  };
}

/** Problems with one app's form, in words; empty when the mapping fits. */
export function formProblems(needs: Need[], form: Record<string, FormField>): string[] {
  const out: string[] = [];
  for (const need of needs) {
    const field = form[need.code];
    if (!field) {
      out.push(`field "${need.code}" is missing`);
      continue;
    }
    if (!need.types.includes(field.type)) {
      out.push(`field "${need.code}" is ${field.type}, expected ${need.types.join(' or ')}`);
      continue;
    }
    if (need.unique && field.unique !== true && field.unique !== 'true') {
      out.push(`field "${need.code}" must prohibit duplicate values (it is the upsert key)`);
    }
    if (need.options && (field.type === 'DROP_DOWN' || field.type === 'RADIO_BUTTON')) {
      const have = new Set(Object.values(field.options ?? {}).map((o) => o.label));
      const missing = need.options.filter((o) => !have.has(o));
      if (missing.length) {
        out.push(
          `field "${need.code}" lacks the option(s) ${missing.map((o) => `"${o}"`).join(', ')}`,
        );
      }
    }
  }
  return out;
}
