// The settings panel's CRM section: the saved view loaded when the panel opens, local ↔
// kintone, the connection test (its answer and every failure code explained), save (the
// write-only token: never re-sent when left empty, gone from the field and the store after
// saving), client-side checks and main's refusals shown inline.
import { act, cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type {
  CrmSettingsInput,
  CrmSettingsView,
  MethodResult,
  RpcError,
} from '../../../preload/contract';
import { appInMessage, draftOf, toCrmInput } from '../../../renderer/app/CrmSettings';
import type { Handlers } from './fake-bridge';
import { helloResult, kintoneSync } from './fixtures';
import { flush, renderAgent } from './render-agent';

afterEach(cleanup);

type Check = MethodResult<'testCrmConnection'>;

const KINTONE: CrmSettingsView = {
  kind: 'kintone',
  baseUrl: 'https://example.cybozu.com',
  apps: { customers: 12, activities: 13, callbacks: 14 },
  hasToken: true,
};
const LOCAL: CrmSettingsView = { kind: 'local', baseUrl: null, apps: null, hasToken: false };

/** Renders the app with these handlers and opens the settings panel. */
async function openSettings(handlers: Handlers = {}, locale: 'ja' | 'en' = 'ja') {
  const r = await renderAgent({
    handlers: { hello: () => helloResult({ locale }), ...handlers },
  });
  await userEvent.click(screen.getByTestId('settings-open'));
  await flush();
  return r;
}

const input = (testId: string) => screen.getByTestId(testId) as HTMLInputElement;
const result = () => screen.getByTestId('crm-test-result');

/** A reply held until the test releases it. */
function held<T>() {
  let release!: (v: T) => void;
  const promise = new Promise<T>((r) => (release = r));
  return { promise, release };
}

describe('CRM settings: loading and kind', () => {
  it('loads the saved kintone view when the panel opens; the token is only "stored"', async () => {
    const { bridge } = await openSettings({ getCrmSettings: () => KINTONE });
    expect(bridge.calls('getCrmSettings')).toEqual([{}]);
    const section = screen.getByTestId('crm-settings');
    expect(within(section).getByText('CRM 連携')).toBeTruthy();
    expect(input('crm-kind-kintone').checked).toBe(true);
    expect(input('crm-base-url').value).toBe('https://example.cybozu.com');
    expect(
      [input('crm-app-customers'), input('crm-app-activities'), input('crm-app-callbacks')].map(
        (i) => i.value,
      ),
    ).toEqual(['12', '13', '14']);
    const token = input('crm-token');
    expect(token.type).toBe('password');
    expect(token.value).toBe('');
    expect(token.placeholder).toBe('変更しない場合は空欄のまま');
    expect(screen.getByTestId('crm-token-stored').textContent).toBe('保存済み');
    expect(screen.getByLabelText(/^API トークン/)).toBe(token);
  });

  it('shows "loading" until main answers, and a load failure with a retry', async () => {
    const reply = held<CrmSettingsView | RpcError>();
    let calls = 0;
    await openSettings({
      getCrmSettings: () => (++calls === 1 ? reply.promise : KINTONE),
    });
    expect(screen.getByTestId('crm-settings').textContent).toContain(
      'CRM の設定を読み込んでいます…',
    );
    await act(async () => reply.release({ code: 'unavailable', message: 'socket closed' }));
    await flush();
    const err = screen.getByTestId('crm-load-error');
    expect(err.textContent).toContain('CRM の設定を読み込めませんでした: アプリに接続できません');
    await userEvent.click(within(err).getByRole('button', { name: '再試行' }));
    await flush();
    expect(input('crm-base-url').value).toBe('https://example.cybozu.com');
  });

  it('local → kintone shows empty kintone fields; back to local hides them and saves {kind: local}', async () => {
    const { bridge } = await openSettings({ getCrmSettings: () => LOCAL });
    expect(input('crm-kind-local').checked).toBe(true);
    expect(screen.queryByTestId('crm-base-url')).toBeNull();
    expect(screen.getByTestId('crm-settings').textContent).toContain(
      '顧客情報と対応履歴はこの PC にのみ保存され',
    );

    await userEvent.click(input('crm-kind-kintone'));
    expect(input('crm-base-url').value).toBe('');
    expect(input('crm-app-customers').value).toBe('');
    expect(input('crm-token').placeholder).toBe(''); // nothing stored: nothing to keep
    expect(screen.queryByTestId('crm-token-stored')).toBeNull();

    await userEvent.click(input('crm-kind-local'));
    expect(screen.queryByTestId('crm-base-url')).toBeNull();
    await userEvent.click(screen.getByTestId('crm-save'));
    await flush();
    expect(bridge.calls('setCrmSettings')).toEqual([{ kind: 'local' }]);
  });

  it('a kintone view switched to local and saved reloads as local', async () => {
    const { bridge } = await openSettings({ getCrmSettings: () => KINTONE });
    await userEvent.click(input('crm-kind-local'));
    await userEvent.click(screen.getByTestId('crm-save'));
    await flush();
    expect(bridge.calls('setCrmSettings')).toEqual([{ kind: 'local' }]);
    expect(input('crm-kind-local').checked).toBe(true);
    expect(screen.getByTestId('crm-saved').textContent).toBe(
      '保存しました。同期はこの設定で行われます。',
    );
  });
});

describe('CRM settings: connection test', () => {
  it('sends the form (no token when left empty); disabled with a spinner while it runs; success shown', async () => {
    const reply = held<Check>();
    const { bridge } = await openSettings({
      getCrmSettings: () => KINTONE,
      testCrmConnection: () => reply.promise,
    });
    const button = screen.getByTestId('crm-test') as HTMLButtonElement;
    expect(button.textContent).toBe('接続テスト');
    await userEvent.click(button);
    expect(bridge.calls('testCrmConnection')).toEqual([
      {
        kind: 'kintone',
        baseUrl: 'https://example.cybozu.com',
        apps: { customers: 12, activities: 13, callbacks: 14 },
      },
    ]);
    expect(button.disabled).toBe(true);
    expect(button.getAttribute('aria-busy')).toBe('true');
    expect(button.textContent).toBe('テスト中…');
    expect(button.querySelector('.spinner')).not.toBeNull();
    expect((screen.getByTestId('crm-save') as HTMLButtonElement).disabled).toBe(true);
    expect(input('crm-base-url').matches(':disabled')).toBe(true); // the fieldset
    await userEvent.click(button); // disabled: not sent twice
    expect(bridge.calls('testCrmConnection')).toHaveLength(1);

    await act(async () =>
      reply.release({
        ok: true,
        detail: 'Connected to example.cybozu.com: customers "顧客リスト" (#12)',
      }),
    );
    await flush();
    expect(button.disabled).toBe(false);
    expect(button.textContent).toBe('接続テスト');
    expect(result().dataset.ok).toBe('true');
    expect(result().textContent).toContain('接続できました。');
    expect(result().textContent).toContain('customers "顧客リスト" (#12)');
  });

  it('sends a typed token (trimmed, per-app list joined) with the test', async () => {
    const { bridge } = await openSettings({ getCrmSettings: () => KINTONE });
    await userEvent.type(input('crm-token'), ' tokA1 , tokB2,tokC3 ');
    await userEvent.click(screen.getByTestId('crm-test'));
    await flush();
    expect(bridge.calls('testCrmConnection')).toEqual([
      { ...toCrmInput(draftOf(KINTONE)).input, token: 'tokA1,tokB2,tokC3' },
    ]);
  });

  const failures: Array<[string, string, string]> = [
    [
      'bad_domain',
      'The domain nowhere.cybozu.com does not exist (its name does not resolve): check the kintone address.',
      'kintone のドメインに接続できないか、存在しません。',
    ],
    [
      'unreachable',
      'kintone at example.cybozu.com cannot be reached: connect ETIMEDOUT',
      'ネットワークの問題で kintone に接続できません。',
    ],
    [
      'bad_token',
      'kintone refused the API token(s) (GAIA_IA02): check the token of each app',
      'API トークンが正しくないか、無効になっています。',
    ],
    [
      'no_permission',
      'The API tokens may not read the activities app #13: give that app’s own token, with record view, add and edit permission. (GAIA_NO01)',
      'API トークンに対応履歴アプリ（ID 13）へのアクセス権がありません。',
    ],
    [
      'bad_config',
      'customers app #12: field "電話番号" is missing',
      '設定またはフィールドの対応付けに誤りがあります。',
    ],
    [
      'bad_reply',
      'kintone customers app #12: reply is not JSON ("<html>")',
      'kintone から想定外の応答がありました。',
    ],
    ['something_new', 'a code this screen does not know yet', '接続テストに失敗しました。'],
  ];

  it.each(failures)(
    '%s: explained, with main’s message as the detail',
    async (code, message, text) => {
      await openSettings({
        getCrmSettings: () => KINTONE,
        testCrmConnection: () => ({ ok: false, code, message }),
      });
      await userEvent.click(screen.getByTestId('crm-test'));
      await flush();
      expect(result().dataset.ok).toBe('false');
      expect(result().dataset.code).toBe(code);
      expect(result().getAttribute('role')).toBe('alert');
      const [explanation, detail] = result().querySelectorAll('p');
      expect(explanation?.textContent).toContain(text);
      expect(detail?.textContent).toBe(message);
    },
  );

  it('no_permission without an app in the message still says what is wrong', async () => {
    await openSettings({
      getCrmSettings: () => KINTONE,
      testCrmConnection: () => ({ ok: false, code: 'no_permission', message: 'HTTP 403' }),
    });
    await userEvent.click(screen.getByTestId('crm-test'));
    await flush();
    expect(result().textContent).toContain(
      'API トークンにいずれかのアプリへのアクセス権がありません。',
    );
  });

  it('explains failures in English too', async () => {
    await openSettings(
      {
        getCrmSettings: () => KINTONE,
        testCrmConnection: () => ({
          ok: false,
          code: 'no_permission',
          message: 'The API tokens may not read the callbacks app #14: give that app’s own token',
        }),
      },
      'en',
    );
    expect(screen.getByTestId('crm-test').textContent).toBe('Test connection');
    expect(screen.getByTestId('crm-token-stored').textContent).toBe('Stored');
    await userEvent.click(screen.getByTestId('crm-test'));
    await flush();
    expect(result().textContent).toContain(
      'The API token has no permission on the Callbacks app (ID 14).',
    );
  });

  it('a test request that fails (app unreachable) is shown as a failed test', async () => {
    await openSettings({
      getCrmSettings: () => KINTONE,
      testCrmConnection: () => ({ code: 'unavailable', message: 'socket closed' }),
    });
    await userEvent.click(screen.getByTestId('crm-test'));
    await flush();
    expect(result().dataset.ok).toBe('false');
    expect(result().textContent).toContain(
      '接続テストを実行できませんでした: アプリに接続できません',
    );
    expect(result().textContent).toContain('socket closed');
  });

  it('editing the form drops the previous answer (it was about other settings)', async () => {
    await openSettings({ getCrmSettings: () => KINTONE });
    await userEvent.click(screen.getByTestId('crm-test'));
    await flush();
    expect(result().dataset.ok).toBe('true');
    await userEvent.type(input('crm-app-callbacks'), '5');
    expect(screen.queryByTestId('crm-test-result')).toBeNull();
  });
});

describe('CRM settings: save', () => {
  it('a token left empty is not re-sent (main keeps the stored one)', async () => {
    const { bridge } = await openSettings({ getCrmSettings: () => KINTONE });
    await userEvent.clear(input('crm-app-callbacks'));
    await userEvent.type(input('crm-app-callbacks'), '20');
    await userEvent.click(screen.getByTestId('crm-save'));
    await flush();
    expect(bridge.calls('setCrmSettings')).toEqual([
      {
        kind: 'kintone',
        baseUrl: 'https://example.cybozu.com',
        apps: { customers: 12, activities: 13, callbacks: 20 },
      },
    ]);
    expect(bridge.calls('setCrmSettings')[0]).not.toHaveProperty('token');
  });

  it('local → kintone: sends the token, then the view reloads, the field is cleared and nothing keeps it', async () => {
    const SECRET = 'Zq8sEcReTtoKen01';
    const reply = held<CrmSettingsView>();
    const { bridge, store } = await openSettings({
      getCrmSettings: () => LOCAL,
      setCrmSettings: () => reply.promise,
    });
    await userEvent.click(input('crm-kind-kintone'));
    await userEvent.type(input('crm-base-url'), 'example.cybozu.com'); // no scheme: https assumed
    await userEvent.type(input('crm-app-customers'), '12');
    await userEvent.type(input('crm-app-activities'), '13');
    await userEvent.type(input('crm-app-callbacks'), '14');
    await userEvent.type(input('crm-token'), SECRET);
    await userEvent.click(screen.getByTestId('crm-save'));
    expect(bridge.calls('setCrmSettings')).toEqual([
      {
        kind: 'kintone',
        baseUrl: 'https://example.cybozu.com',
        apps: { customers: 12, activities: 13, callbacks: 14 },
        token: SECRET,
      },
    ]);
    const save = screen.getByTestId('crm-save') as HTMLButtonElement;
    expect(save.disabled).toBe(true);
    expect(save.textContent).toBe('保存中…');
    expect(input('crm-token').matches(':disabled')).toBe(true);

    await act(async () => reply.release(KINTONE));
    await flush();
    expect(save.disabled).toBe(false);
    expect(input('crm-token').value).toBe('');
    expect(screen.getByTestId('crm-token-stored').textContent).toBe('保存済み');
    expect(input('crm-base-url').value).toBe('https://example.cybozu.com');
    expect(screen.getByTestId('crm-saved')).toBeTruthy();
    expect(store.getState().crmSettings).toEqual(KINTONE);
    expect(JSON.stringify(store.getState())).not.toContain(SECRET);
    expect(document.body.innerHTML).not.toContain(SECRET);

    // The status bar follows main's sync events by itself.
    act(() => bridge.emit('sync.status', kintoneSync()));
    expect(screen.getByTestId('sync-status').dataset.crm).toBe('kintone');

    // Saving again without typing: the stored token is kept, not sent.
    await userEvent.click(save);
    await flush();
    expect(bridge.calls('setCrmSettings').at(-1)).not.toHaveProperty('token');
  });

  it("main's refusal is shown inline with its message; the form (token too) is kept for a retry", async () => {
    const { bridge, store } = await openSettings({
      getCrmSettings: () => KINTONE,
      setCrmSettings: () => ({
        code: 'invalid_argument',
        message:
          'kintone settings are invalid: baseUrl: kintone must be reached over https (plain http only for localhost, in tests)',
      }),
    });
    await userEvent.clear(input('crm-base-url'));
    await userEvent.type(input('crm-base-url'), 'http://example.cybozu.com');
    await userEvent.type(input('crm-token'), 'abc123');
    await userEvent.click(screen.getByTestId('crm-save'));
    await flush();
    expect(bridge.calls('setCrmSettings')).toHaveLength(1);
    const err = screen.getByTestId('crm-save-error');
    expect(err.getAttribute('role')).toBe('alert');
    expect(err.textContent).toContain('保存できませんでした: 設定内容が受け付けられませんでした');
    expect(err.textContent).toContain('kintone must be reached over https');
    expect(screen.queryByTestId('crm-saved')).toBeNull();
    expect(input('crm-base-url').value).toBe('http://example.cybozu.com');
    expect(input('crm-token').value).toBe('abc123');
    expect(store.getState().crmSettings).toEqual(KINTONE);
    expect(JSON.stringify(store.getState())).not.toContain('abc123');
  });

  it('another failure names its RPC code', async () => {
    await openSettings({
      getCrmSettings: () => KINTONE,
      setCrmSettings: () => ({ code: 'internal', message: 'keychain locked' }),
    });
    await userEvent.click(screen.getByTestId('crm-save'));
    await flush();
    expect(screen.getByTestId('crm-save-error').textContent).toContain(
      '保存できませんでした: 内部エラー',
    );
    expect(screen.getByTestId('crm-save-error').textContent).toContain('keychain locked');
  });

  it('obvious mistakes are caught before asking main: empty domain, non-numeric app id', async () => {
    const { bridge } = await openSettings({ getCrmSettings: () => LOCAL });
    await userEvent.click(input('crm-kind-kintone'));
    await userEvent.type(input('crm-app-customers'), '12');
    await userEvent.type(input('crm-app-activities'), 'abc'); // a number field keeps nothing
    await userEvent.type(input('crm-app-callbacks'), '0');
    await userEvent.click(screen.getByTestId('crm-save'));
    await userEvent.click(screen.getByTestId('crm-test'));
    expect(bridge.calls('setCrmSettings')).toEqual([]);
    expect(bridge.calls('testCrmConnection')).toEqual([]);
    expect(screen.getByTestId('crm-baseUrl-error').textContent).toBe(
      'kintone のドメインを入力してください。',
    );
    expect(input('crm-base-url').getAttribute('aria-invalid')).toBe('true');
    expect(screen.queryByTestId('crm-customers-error')).toBeNull();
    expect(screen.getByTestId('crm-activities-error').textContent).toBe(
      '1 以上の整数で入力してください。',
    );
    expect(screen.getByTestId('crm-callbacks-error')).toBeTruthy();

    await userEvent.type(input('crm-base-url'), 'https://exa mple');
    await userEvent.click(screen.getByTestId('crm-save'));
    expect(screen.getByTestId('crm-baseUrl-error').textContent).toBe(
      'https://example.cybozu.com の形式で入力してください。',
    );
  });
});

describe('CRM settings: form helpers', () => {
  it('toCrmInput: a copied app address becomes the domain; blank tokens are omitted', () => {
    const draft = {
      kind: 'kintone' as const,
      baseUrl: ' https://example.cybozu.com/k/12/ ',
      apps: { customers: '12', activities: '13', callbacks: '14' },
      token: ' , ',
    };
    expect(toCrmInput(draft).input).toEqual<CrmSettingsInput>({
      kind: 'kintone',
      baseUrl: 'https://example.cybozu.com',
      apps: { customers: 12, activities: 13, callbacks: 14 },
    });
    expect(toCrmInput({ ...draft, apps: { ...draft.apps, customers: '1.5' } }).errors).toEqual({
      customers: 'appId',
    });
    expect(toCrmInput({ ...draft, kind: 'local' }).input).toEqual({ kind: 'local' });
  });

  it('appInMessage finds the app main names', () => {
    expect(appInMessage('The API tokens may not read the customers app #7: …')).toEqual({
      app: 'customers',
      id: '7',
    });
    expect(appInMessage('HTTP 403')).toBeNull();
  });
});
