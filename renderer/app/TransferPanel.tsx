import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Call, TransferState } from '../../preload/contract';
import { useActions, useAgent } from './agent-context';
import { dialTarget } from './dial-target';

/** Blind or attended transfer of a call to a number the agent types. */
export function TransferPanel({ call }: { call: Call }) {
  const { t } = useTranslation();
  const actions = useActions();
  const pending = useAgent((s) => s.pending[call.id]);
  const setTransferOpen = useAgent((s) => s.setTransferOpen);
  const [value, setValue] = useState('');
  const target = dialTarget(value);
  const disabled = !target || pending !== undefined;
  const blind = () => {
    if (!target) return;
    void actions.blindTransfer(call.id, target).then(() => setTransferOpen(false));
  };
  const consult = () => {
    if (!target) return;
    void actions.startConsult(call.id, target).then(() => setTransferOpen(false));
  };
  return (
    <form
      className="transfer"
      data-testid="transfer-panel"
      onSubmit={(e) => {
        e.preventDefault();
        consult();
      }}
    >
      <label className="field-label" htmlFor={`transfer-target-${call.id}`}>
        {t('transfer.target')}
      </label>
      <input
        id={`transfer-target-${call.id}`}
        className="field"
        data-testid="transfer-target"
        inputMode="tel"
        autoComplete="off"
        // Opened with a key: start typing at once.
        autoFocus
        placeholder={t('dial.placeholder')}
        value={value}
        onChange={(e) => setValue(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') setTransferOpen(false);
        }}
      />
      <div className="transfer-buttons">
        <button
          type="submit"
          className="btn btn-secondary"
          data-testid="transfer-consult"
          disabled={disabled}
        >
          {t('transfer.consult')}
        </button>
        <button
          type="button"
          className="btn btn-secondary"
          data-testid="transfer-blind"
          disabled={disabled}
          onClick={blind}
        >
          {t('transfer.blind')}
        </button>
      </div>
    </form>
  );
}

/** REFER progress as NOTIFYs report it. */
export function TransferStatus({ transfer }: { transfer: TransferState }) {
  const { t } = useTranslation();
  return (
    <p
      className="transfer-status"
      role="status"
      data-testid="transfer-status"
      data-state={transfer.state}
      title={transfer.detail ?? undefined}
    >
      {t('transfer.status', {
        target: transfer.target,
        state: t(`transfer.state.${transfer.state}`),
      })}
    </p>
  );
}
