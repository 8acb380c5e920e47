import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ActionErrorNote } from './ActionErrorNote';
import { useActions, useAgent } from './agent-context';
import { dialTarget } from './dial-target';
import { DialWarning, refusesAll, useNumberCheck } from './outbound/NumberCheck';
import { ShortcutKeys } from './ShortcutKeys';

export const DIAL_INPUT_ID = 'dial-input';

/** The number field: any Japanese way of writing a number (full-width too); Enter dials. */
export function DialCard() {
  const { t } = useTranslation();
  const actions = useActions();
  const dialing = useAgent((s) => s.dialing);
  const registered = useAgent((s) => s.phone?.registration === 'registered');
  const [value, setValue] = useState('');
  const [touched, setTouched] = useState(false);
  const target = dialTarget(value);
  const invalid = touched && value.trim() !== '' && !target;
  // Opt-outs of the typed number (SIP addresses are colleagues: nothing to check).
  const check = useNumberCheck(target && !/^sips?:/i.test(target) ? target : null, 300);
  const blocked = refusesAll(check);
  const warned = check?.status === 'done' && check.optOut !== 'none';
  const dial = () => {
    setTouched(true);
    if (!target || dialing || blocked) return;
    void actions.dial(target).then((id) => {
      if (id) {
        setValue('');
        setTouched(false);
      }
    });
  };
  return (
    <section className="card dial" aria-labelledby="dial-title">
      <header className="card-head">
        <h2 id="dial-title" className="card-title">
          {t('dial.title')}
        </h2>
        <ShortcutKeys shortcut="dial" />
      </header>
      <form
        className="dial-row"
        onSubmit={(e) => {
          e.preventDefault();
          dial();
        }}
      >
        <input
          id={DIAL_INPUT_ID}
          className="field dial-input"
          data-testid="dialpad-input"
          type="text"
          inputMode="tel"
          autoComplete="off"
          spellCheck={false}
          aria-label={t('dial.label')}
          aria-invalid={invalid}
          aria-describedby={invalid ? 'dial-invalid' : warned ? 'dial-warning' : undefined}
          placeholder={t('dial.placeholder')}
          value={value}
          onChange={(e) => setValue(e.target.value)}
          onBlur={() => setTouched(true)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') (e.target as HTMLInputElement).blur();
          }}
        />
        <button
          type="submit"
          className="btn btn-dial"
          data-testid="dial"
          disabled={dialing || !registered || (touched && !target) || blocked}
        >
          {dialing ? t('dial.dialing') : t('dial.call')}
        </button>
      </form>
      {invalid && (
        <p id="dial-invalid" className="field-error" role="alert">
          {t('dial.invalid')}
        </p>
      )}
      <DialWarning check={check} id="dial-warning" />
      <ActionErrorNote callId={null} action="dial" />
    </section>
  );
}
