// The settings panel's CRM section: local or kintone (domain, the three app ids, API tokens),
// a connection test and save. The token is write-only: typed into a password field, sent with
// the request, never shown again nor kept in the store (main only says one is stored).
import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CrmSettingsInput, CrmSettingsView } from '../../preload/contract';
import { useAgent, useCrm } from './agent-context';
import type { CrmCheck, CrmError } from './store/crm-slice';

const APPS = ['customers', 'activities', 'callbacks'] as const;
type AppName = (typeof APPS)[number];

/** What the form holds: text as typed, so a half-typed id is not lost or coerced. */
export interface CrmDraft {
  kind: 'local' | 'kintone';
  baseUrl: string;
  apps: Record<AppName, string>;
  /** Empty = keep the stored token. */
  token: string;
}

export type CrmDraftErrors = Partial<
  Record<'baseUrl', 'required' | 'url'> & Record<AppName, 'appId'>
>;

export function draftOf(view: CrmSettingsView): CrmDraft {
  return {
    kind: view.kind,
    baseUrl: view.baseUrl ?? '',
    apps: {
      customers: view.apps ? String(view.apps.customers) : '',
      activities: view.apps ? String(view.apps.activities) : '',
      callbacks: view.apps ? String(view.apps.callbacks) : '',
    },
    token: '',
  };
}

/** "example.cybozu.com" or a copied app address → https://example.cybozu.com. */
function normalizeBaseUrl(raw: string): string | null {
  const text = raw.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  try {
    const url = new URL(withScheme);
    return url.hostname.includes('.') || url.hostname === 'localhost' ? url.origin : null;
  } catch {
    return null;
  }
}

/**
 * The request for main, or what is obviously wrong (main checks for real: https, the apps,
 * the token). Tokens: trimmed, spaces around commas dropped; none typed = none sent.
 */
export function toCrmInput(
  draft: CrmDraft,
): { input: CrmSettingsInput; errors?: never } | { input?: never; errors: CrmDraftErrors } {
  if (draft.kind === 'local') return { input: { kind: 'local' } };
  const errors: CrmDraftErrors = {};
  const baseUrl = draft.baseUrl.trim() ? normalizeBaseUrl(draft.baseUrl) : null;
  if (!draft.baseUrl.trim()) errors.baseUrl = 'required';
  else if (!baseUrl) errors.baseUrl = 'url';
  const apps = {} as Record<AppName, number>;
  for (const app of APPS) {
    const text = draft.apps[app].trim();
    const id = Number(text);
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(id) || id <= 0) errors[app] = 'appId';
    else apps[app] = id;
  }
  if (Object.keys(errors).length > 0 || !baseUrl) return { errors };
  const token = draft.token
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean)
    .join(',');
  return {
    input: token ? { kind: 'kintone', baseUrl, apps, token } : { kind: 'kintone', baseUrl, apps },
  };
}

/** Which app a no_permission / bad_config message from main names ("the customers app #12"). */
export function appInMessage(message: string): { app: AppName; id: string } | null {
  const m = /\b(customers|activities|callbacks) app #(\d+)/.exec(message);
  return m ? { app: m[1] as AppName, id: m[2] as string } : null;
}

const FAILURES = [
  'bad_domain',
  'unreachable',
  'bad_token',
  'no_permission',
  'bad_config',
  'bad_reply',
] as const;
type FailureCode = (typeof FAILURES)[number];
const isFailureCode = (c: string): c is FailureCode => (FAILURES as readonly string[]).includes(c);

export function CrmSettingsSection() {
  const { t } = useTranslation();
  const crm = useCrm();
  const view = useAgent((s) => s.crmSettings);
  const loading = useAgent((s) => s.crmPending.crmLoad === true);
  const loadError = useAgent((s) =>
    s.crmSettingsError?.action === 'load' ? s.crmSettingsError : null,
  );
  const id = useId();
  // Fetched each time the panel opens: main's settings may have changed meanwhile.
  useEffect(() => {
    void crm.loadCrmSettings();
  }, [crm]);
  return (
    <section
      className="settings-section crm-settings"
      data-testid="crm-settings"
      aria-labelledby={id}
    >
      <h3 id={id} className="subhead">
        {t('crmSettings.title')}
      </h3>
      {loadError ? (
        <p
          className="note note-error"
          role="alert"
          data-testid="crm-load-error"
          title={loadError.message}
        >
          <span>{t('crmSettings.loadFailed', { reason: t(`errors.code.${loadError.code}`) })}</span>
          <button
            type="button"
            className="note-dismiss"
            disabled={loading}
            onClick={() => void crm.loadCrmSettings()}
          >
            {t('crmSettings.retry')}
          </button>
        </p>
      ) : view === null ? (
        <p className="muted" role="status">
          {t('crmSettings.loading')}
        </p>
      ) : (
        <CrmForm view={view} />
      )}
    </section>
  );
}

function CrmForm({ view }: { view: CrmSettingsView }) {
  const { t } = useTranslation();
  const crm = useCrm();
  const testing = useAgent((s) => s.crmPending.crmTest === true);
  const saving = useAgent((s) => s.crmPending.crmSave === true);
  const check = useAgent((s) => s.crmCheck);
  const error = useAgent((s) => s.crmSettingsError);
  const id = useId();
  const [draft, setDraft] = useState(() => draftOf(view));
  const [errors, setErrors] = useState<CrmDraftErrors>({});
  const [saved, setSaved] = useState(false);
  // A new view from main (loaded, or the answer to a save): the form starts over from it, so
  // a token just sent is gone from the field.
  const [shown, setShown] = useState(view);
  if (shown !== view) {
    setShown(view);
    setDraft(draftOf(view));
    setErrors({});
  }
  const busy = testing || saving;
  const tokenStored = view.kind === 'kintone' && view.hasToken;

  function edit(change: Partial<CrmDraft>) {
    setDraft((d) => ({ ...d, ...change }));
    setSaved(false);
    crm.clearCrmCheck();
  }

  function editApp(app: AppName, value: string) {
    setDraft((d) => ({ ...d, apps: { ...d.apps, [app]: value } }));
    setSaved(false);
    crm.clearCrmCheck();
  }

  function validated(): CrmSettingsInput | null {
    const r = toCrmInput(draft);
    setErrors(r.errors ?? {});
    return r.input ?? null;
  }

  function test() {
    const input = validated();
    if (input) void crm.testCrmConnection(input);
  }

  async function save(e: FormEvent) {
    e.preventDefault();
    const input = validated();
    if (!input) return;
    setSaved(false);
    if (await crm.saveCrmSettings(input)) setSaved(true);
  }

  const fieldError = (key: keyof CrmDraftErrors) => {
    const code = errors[key];
    if (!code) return null;
    return (
      <p id={`${id}-${key}-error`} className="field-error" data-testid={`crm-${key}-error`}>
        {t(`crmSettings.invalid.${code}`)}
      </p>
    );
  };

  return (
    <form className="crm-form" noValidate onSubmit={(e) => void save(e)} data-testid="crm-form">
      <fieldset className="crm-fields" disabled={busy}>
        <fieldset className="crm-kind">
          <legend className="field-label">{t('crmSettings.kind')}</legend>
          {(['local', 'kintone'] as const).map((kind) => (
            <label key={kind} className="settings-check">
              <input
                type="radio"
                name={`${id}-kind`}
                value={kind}
                data-testid={`crm-kind-${kind}`}
                checked={draft.kind === kind}
                onChange={() => {
                  edit({ kind });
                  setErrors({});
                }}
              />
              {t(kind === 'local' ? 'crmSettings.kindLocal' : 'crmSettings.kindKintone')}
            </label>
          ))}
        </fieldset>
        {draft.kind === 'local' ? (
          <p className="muted crm-hint">{t('crmSettings.localHint')}</p>
        ) : (
          <>
            <div>
              <label className="field-label" htmlFor={`${id}-baseUrl`}>
                {t('crmSettings.baseUrl')}
              </label>
              <input
                id={`${id}-baseUrl`}
                className="field"
                type="text"
                inputMode="url"
                autoComplete="off"
                spellCheck={false}
                data-testid="crm-base-url"
                placeholder="https://example.cybozu.com"
                value={draft.baseUrl}
                aria-invalid={errors.baseUrl ? true : undefined}
                aria-describedby={errors.baseUrl ? `${id}-baseUrl-error` : `${id}-baseUrl-hint`}
                onChange={(e) => edit({ baseUrl: e.target.value })}
              />
              {fieldError('baseUrl') ?? (
                <p id={`${id}-baseUrl-hint`} className="muted crm-hint">
                  {t('crmSettings.baseUrlHint')}
                </p>
              )}
            </div>
            <fieldset className="crm-apps">
              <legend className="field-label">{t('crmSettings.apps')}</legend>
              {APPS.map((app) => (
                <div key={app}>
                  <label className="crm-app-label" htmlFor={`${id}-${app}`}>
                    {t(`crmSettings.app.${app}`)}
                  </label>
                  <input
                    id={`${id}-${app}`}
                    className="field"
                    type="number"
                    min={1}
                    step={1}
                    inputMode="numeric"
                    data-testid={`crm-app-${app}`}
                    value={draft.apps[app]}
                    aria-invalid={errors[app] ? true : undefined}
                    aria-describedby={errors[app] ? `${id}-${app}-error` : undefined}
                    onChange={(e) => editApp(app, e.target.value)}
                  />
                  {fieldError(app)}
                </div>
              ))}
            </fieldset>
            <div>
              <label className="field-label crm-token-label" htmlFor={`${id}-token`}>
                {t('crmSettings.token')}
                {tokenStored && (
                  <span className="crm-stored" data-testid="crm-token-stored">
                    {t('crmSettings.tokenStored')}
                  </span>
                )}
              </label>
              <input
                id={`${id}-token`}
                className="field"
                type="password"
                autoComplete="new-password"
                spellCheck={false}
                data-testid="crm-token"
                placeholder={tokenStored ? t('crmSettings.tokenKeep') : undefined}
                value={draft.token}
                aria-describedby={`${id}-token-hint`}
                onChange={(e) => edit({ token: e.target.value })}
              />
              <p id={`${id}-token-hint`} className="muted crm-hint">
                {t('crmSettings.tokenHint')}
              </p>
            </div>
          </>
        )}
      </fieldset>
      <div className="crm-buttons">
        <button
          type="button"
          className="bar-btn light"
          data-testid="crm-test"
          disabled={busy}
          aria-busy={testing || undefined}
          onClick={test}
        >
          {testing ? (
            <>
              <span className="spinner" aria-hidden="true" />
              {t('crmSettings.testing')}
            </>
          ) : (
            t('crmSettings.test')
          )}
        </button>
        <button
          type="submit"
          className="bar-btn light crm-save"
          data-testid="crm-save"
          disabled={busy}
          aria-busy={saving || undefined}
        >
          {saving ? t('crmSettings.saving') : t('crmSettings.save')}
        </button>
      </div>
      {check && <CheckResult check={check} />}
      {error?.action === 'test' && <TestRequestError error={error} />}
      {error?.action === 'save' && (
        <div className="note note-error crm-result" role="alert" data-testid="crm-save-error">
          <p>
            {t('crmSettings.saveFailed', {
              reason:
                error.code === 'invalid_argument'
                  ? t('crmSettings.saveInvalid')
                  : t(`errors.code.${error.code}`),
            })}
          </p>
          <p className="crm-detail">{error.message}</p>
        </div>
      )}
      {saved && !error && (
        <p className="muted crm-saved" role="status" data-testid="crm-saved">
          {t('crmSettings.saved')}
        </p>
      )}
    </form>
  );
}

function CheckResult({ check }: { check: CrmCheck }) {
  const { t } = useTranslation();
  if (check.ok) {
    return (
      <div
        className="note note-ok crm-result"
        role="status"
        data-testid="crm-test-result"
        data-ok="true"
      >
        <p>{t('crmSettings.ok')}</p>
        <p className="crm-detail">{check.detail}</p>
      </div>
    );
  }
  const named = appInMessage(check.message);
  const app = named
    ? t('crmSettings.appRef', { app: t(`crmSettings.app.${named.app}`), id: named.id })
    : t('crmSettings.anyApp');
  return (
    <div
      className="note note-error crm-result"
      role="alert"
      data-testid="crm-test-result"
      data-ok="false"
      data-code={check.code}
    >
      <p>
        {isFailureCode(check.code)
          ? t(`crmSettings.failure.${check.code}`, { app })
          : t('crmSettings.failure.unknown')}
      </p>
      <p className="crm-detail">{check.message}</p>
    </div>
  );
}

/** The test request itself failed (the app unreachable, a refused request): not a CRM answer. */
function TestRequestError({ error }: { error: CrmError }) {
  const { t } = useTranslation();
  return (
    <div
      className="note note-error crm-result"
      role="alert"
      data-testid="crm-test-result"
      data-ok="false"
      data-code={error.code}
    >
      <p>{t('crmSettings.testFailed', { reason: t(`errors.code.${error.code}`) })}</p>
      <p className="crm-detail">{error.message}</p>
    </div>
  );
}
