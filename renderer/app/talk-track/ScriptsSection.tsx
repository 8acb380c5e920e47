// Settings: the talk-track scripts loaded, and the files that did not load with where and why
// (file, line, message as `npm run scripts:check` says it) — so a supervisor sees why a
// script is missing. Refreshed on 'scripts.changed'.
import { useEffect, useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useAgent, useTalkTrack } from '../agent-context';
import { failureText } from '../outbound/labels';

export function ScriptsSection() {
  const { t } = useTranslation();
  const talk = useTalkTrack();
  const list = useAgent((s) => s.scriptList);
  const loading = useAgent((s) => s.scriptListLoading);
  const error = useAgent((s) => s.scriptListError);
  const id = useId();
  useEffect(() => {
    void talk.loadScripts();
  }, [talk]);
  return (
    <section
      className="settings-section scripts-section"
      data-testid="scripts"
      aria-labelledby={id}
    >
      <h3 id={id} className="subhead">
        {t('scripts.title')}
      </h3>
      {error ? (
        <p className="note note-error" role="alert" title={error.message}>
          <span>{t('scripts.loadFailed', { reason: failureText(t, error) })}</span>
          <button
            type="button"
            className="note-dismiss"
            disabled={loading}
            onClick={() => void talk.loadScripts()}
          >
            {t('scripts.retry')}
          </button>
        </p>
      ) : !list ? (
        <p className="muted" role="status">
          {t('scripts.loading')}
        </p>
      ) : (
        <>
          <p className="muted" data-testid="scripts-count">
            {t('scripts.loaded', { n: list.scripts.length })}
          </p>
          {list.problems.length === 0 ? (
            <p className="muted">{t('scripts.noProblems')}</p>
          ) : (
            <>
              <p className="field-label">{t('scripts.problems')}</p>
              <ul className="script-problems" data-testid="script-problems">
                {list.problems.map((p, i) => (
                  <li key={i} className="script-problem" data-testid="script-problem">
                    <span className="script-problem-where">
                      {p.file}
                      {p.line !== null && ` (${t('scripts.line', { n: p.line })})`}
                    </span>
                    <span className="script-problem-what">{p.message}</span>
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
    </section>
  );
}
