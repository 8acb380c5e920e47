import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Call, OptOutScope } from '../../preload/contract';
import { useAgent, useCrm } from './agent-context';
import { nationalForm } from './ClickToDial';
import { optOutNumber } from './crm-actions';

const SCOPES: readonly OptOutScope[] = ['all', 'marketing'];

/**
 * "Do not call" for the call's number: one click, then a tiny confirm that picks the scope.
 * The confirm may also be opened from elsewhere (the talk track's end step): it then takes
 * the focus, so the agent goes on with the keyboard.
 */
export function OptOutButton({ call }: { call: Call }) {
  const { t } = useTranslation();
  const crm = useCrm();
  const record = useAgent((s) => s.optOuts[call.id]);
  const open = useAgent((s) => s.optOutOpenFor === call.id);
  const setOpenFor = useAgent((s) => s.setOptOutOpen);
  const [scope, setScope] = useState<OptOutScope>('all');
  const [reason, setReason] = useState('');
  const id = useId();
  const formRef = useRef<HTMLFormElement>(null);
  /** Opened by this button (focus stays on it), not from elsewhere. */
  const ownClick = useRef(false);
  useEffect(() => {
    if (open && !ownClick.current)
      formRef.current?.querySelector<HTMLElement>('input:checked, input')?.focus();
    ownClick.current = false;
  }, [open]);
  const number = optOutNumber(call);
  if (!number) return null; // anonymous, or not a phone number
  const shown = call.remote.display || nationalForm(number);
  // An opt-out only ever strengthens: after "all" there is nothing left to do.
  const final = record?.status === 'done' && record.scope === 'all';
  const setOpen = (on: boolean) => setOpenFor(on ? call.id : null);
  const close = () => setOpen(false);
  return (
    <div className="opt-out">
      <button
        type="button"
        className="opt-out-btn"
        data-testid="opt-out"
        aria-expanded={open}
        aria-controls={`${id}-confirm`}
        disabled={record?.status === 'saving' || final}
        onClick={() => {
          ownClick.current = true;
          setOpen(!open);
        }}
      >
        <span aria-hidden="true">⊘</span>
        {t('optOut.button')}
      </button>
      {open && (
        <form
          ref={formRef}
          id={`${id}-confirm`}
          className="popover opt-out-confirm"
          data-testid="opt-out-confirm"
          aria-labelledby={`${id}-title`}
          onSubmit={(e) => {
            e.preventDefault();
            close();
            void crm.setOptOut(call, scope, reason);
          }}
          onKeyDown={(e) => {
            if (e.key !== 'Escape') return;
            e.preventDefault(); // not the window's Escape (reject a ringing call)
            close();
          }}
        >
          <fieldset className="opt-out-scopes">
            <legend id={`${id}-title`}>{t('optOut.title', { number: shown })}</legend>
            {SCOPES.map((s) => (
              <label key={s} className="settings-check">
                <input
                  type="radio"
                  name={`${id}-scope`}
                  value={s}
                  data-testid={`opt-out-scope-${s}`}
                  checked={scope === s}
                  onChange={() => setScope(s)}
                />
                {t(`optOut.scope.${s}`)}
              </label>
            ))}
          </fieldset>
          <label className="field-label" htmlFor={`${id}-reason`}>
            {t('optOut.reason')}
          </label>
          <input
            id={`${id}-reason`}
            className="field field-small"
            data-testid="opt-out-reason"
            maxLength={2000}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
          <div className="opt-out-buttons">
            <button type="submit" className="btn btn-optout" data-testid="opt-out-submit">
              {t('optOut.confirm')}
            </button>
            <button type="button" className="btn btn-secondary" onClick={close}>
              {t('optOut.cancel')}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}

/** What became of the do-not-call request for this call. */
export function OptOutState({ call }: { call: Call }) {
  const { t } = useTranslation();
  const record = useAgent((s) => s.optOuts[call.id]);
  if (!record) return null;
  const number = record.e164 ?? optOutNumber(call) ?? '';
  return (
    <p
      className="opt-out-state"
      data-testid="opt-out-state"
      data-state={record.status}
      data-scope={record.scope}
      role="status"
      title={record.error?.message}
    >
      {record.status === 'saving'
        ? t('optOut.saving')
        : record.status === 'done'
          ? t('optOut.done', {
              scope: t(`optOut.scope.${record.scope}`),
              number: call.remote.display || nationalForm(number),
            })
          : t('optOut.failed', { reason: t(`errors.code.${record.error?.code ?? 'internal'}`) })}
    </p>
  );
}
