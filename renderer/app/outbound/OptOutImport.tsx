// Settings: a do-not-call list from a CSV file (number[,scope[,reason]] per line). The file is
// read here and sent as text; main records each number (only ever strengthening an opt-out),
// cancels the callbacks they had, and says which lines it could not read.
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OptOutScope } from '../../../preload/contract';
import { useAgent, useOutbound } from '../agent-context';
import { formatCount } from '../format';
import { failureText } from './labels';

/** The contract's limit for the CSV text. */
const MAX_CSV = 5_000_000;
const SCOPES: readonly OptOutScope[] = ['all', 'marketing'];

export function OptOutImportSection() {
  const { t } = useTranslation();
  const outbound = useOutbound();
  const result = useAgent((s) => s.importResult);
  const importing = useAgent((s) => s.outboundPending.import === true);
  const error = useAgent((s) => s.outboundErrors.import);
  const locale = useAgent((s) => s.locale);
  const [scope, setScope] = useState<OptOutScope>('all');
  const [file, setFile] = useState<{ name: string; problem: 'tooLarge' | 'readFailed' | null }>();
  const id = useId();

  const choose = async (chosen: File | undefined) => {
    if (!chosen) return;
    if (chosen.size > MAX_CSV) {
      setFile({ name: chosen.name, problem: 'tooLarge' });
      return;
    }
    let text: string;
    try {
      text = await chosen.text();
    } catch {
      setFile({ name: chosen.name, problem: 'readFailed' });
      return;
    }
    if (text.length > MAX_CSV) {
      setFile({ name: chosen.name, problem: 'tooLarge' });
      return;
    }
    setFile({ name: chosen.name, problem: null });
    await outbound.importOptOuts(text, scope);
  };

  const n = (v: number) => formatCount(v, locale);
  return (
    <section
      className="settings-section opt-out-import"
      data-testid="opt-out-import"
      aria-labelledby={id}
    >
      <h3 id={id} className="subhead">
        {t('outbound.import.title')}
      </h3>
      <p className="muted crm-hint">{t('outbound.import.hint')}</p>
      <div className="import-row">
        <div>
          <label className="field-label" htmlFor={`${id}-scope`}>
            {t('outbound.import.scope')}
          </label>
          <select
            id={`${id}-scope`}
            data-testid="import-scope"
            value={scope}
            onChange={(e) => setScope(e.target.value as OptOutScope)}
          >
            {SCOPES.map((s) => (
              <option key={s} value={s}>
                {t(`optOut.scope.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label className="field-label" htmlFor={`${id}-file`}>
            {t('outbound.import.file')}
          </label>
          <input
            id={`${id}-file`}
            type="file"
            accept=".csv,text/csv,text/plain"
            data-testid="import-file"
            disabled={importing}
            onChange={(e) => {
              const input = e.target;
              void choose(input.files?.[0]).finally(() => {
                input.value = ''; // the same file again is a new import
              });
            }}
          />
        </div>
      </div>
      {importing && file && (
        <p className="muted import-state" role="status">
          {t('outbound.import.importing', { name: file.name })}
        </p>
      )}
      {file?.problem && (
        <p className="note note-error" role="alert" data-testid="import-problem">
          {t(`outbound.import.${file.problem}`)}
        </p>
      )}
      {error && (
        <p
          className="note note-error"
          role="alert"
          data-testid="import-error"
          title={error.message}
        >
          {t('outbound.import.failed', { reason: failureText(t, error) })}
        </p>
      )}
      {result && (
        <div className="import-result" data-testid="import-result" role="status">
          {file && <p className="import-done">{t('outbound.import.done', { name: file.name })}</p>}
          <dl className="import-counts">
            <div data-count="added">
              <dt>{t('outbound.import.added')}</dt>
              <dd data-testid="import-added">{n(result.added)}</dd>
            </div>
            <div data-count="unchanged">
              <dt>{t('outbound.import.unchanged')}</dt>
              <dd data-testid="import-unchanged">{n(result.unchanged)}</dd>
            </div>
            <div data-count="rejected" data-bad={result.rejected.length > 0 || undefined}>
              <dt>{t('outbound.import.rejected')}</dt>
              <dd data-testid="import-rejected">{n(result.rejected.length)}</dd>
            </div>
            <div data-count="cancelled">
              <dt>{t('outbound.import.cancelled')}</dt>
              <dd data-testid="import-cancelled">{n(result.callbacksCancelled)}</dd>
            </div>
          </dl>
          {result.rejected.length > 0 && (
            <>
              <h4 className="subhead">{t('outbound.import.rejectedTitle')}</h4>
              <ul className="import-rejected" data-testid="import-rejected-lines">
                {result.rejected.map((r) => (
                  <li key={`${r.line}:${r.value}`} data-line={r.line}>
                    <span className="import-line">{t('outbound.import.line', { n: r.line })}</span>
                    <code className="import-value">{r.value || '—'}</code>
                    <span className="import-reason">{r.reason}</span>
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
    </section>
  );
}
