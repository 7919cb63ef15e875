import { useQuery } from '@tanstack/react-query';
import { Button, Empty, Select } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import type { Page } from '../../common/paging';
import type { Account, AccountType } from '../../server/modules/system/accounts/accounts.schema';
import { api } from '../app/api-client';

const storageKey = (type: AccountType) => `qiao.account.${type}`;

export interface ProductAccount {
  /** Connected accounts of the product, in the order the API lists them. */
  accounts: Account[];
  /** `?account=` when it names one of them, else the last one picked here, else the first. */
  account: Account | null;
  isLoading: boolean;
  /** A select for the page header; hidden when there is only one account. */
  picker: ReactNode;
  /** What to show instead of the page body when nothing is connected yet. */
  empty: ReactNode;
}

/**
 * The Official Account or WeCom corp a page works on. Pages of one product
 * share the choice: it is kept in the URL (links can be shared) and
 * remembered in the browser for the next page opened from the menu.
 */
export function useProductAccount(type: AccountType): ProductAccount {
  const { t } = useTranslation('common');
  const [params, setParams] = useSearchParams();
  const query = useQuery({
    queryKey: ['accounts', 'all', type],
    queryFn: () => api.get<Page<Account>>('/api/v1/accounts', { type, limit: 500 }),
  });
  const accounts = query.data?.items ?? [];
  const wanted = params.get('account') ?? window.localStorage.getItem(storageKey(type));
  const account = accounts.find((a) => a.id === wanted) ?? accounts[0] ?? null;

  const choose = (id: string) => {
    window.localStorage.setItem(storageKey(type), id);
    setParams((current) => {
      const next = new URLSearchParams(current);
      next.set('account', id);
      return next;
    });
  };

  const picker =
    accounts.length > 1 ? (
      <Select
        style={{ width: 240 }}
        value={account?.id}
        onChange={choose}
        options={accounts.map((a) => ({ value: a.id, label: `${a.name}${a.sandbox ? ` (${t('accountPicker.sandbox')})` : ''}` }))}
        data-testid="account-picker"
      />
    ) : null;

  const empty = query.isLoading ? null : (
    <Empty description={t(type === 'wecom' ? 'accountPicker.noWecom' : 'accountPicker.noOfficialAccount')}>
      <Link to="/accounts/connect">
        <Button type="primary">{t('accountPicker.connect')}</Button>
      </Link>
    </Empty>
  );

  return { accounts, account, isLoading: query.isLoading, picker, empty };
}
