import { UserOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import { App, Avatar, Button, Flex, Select, Space, Spin, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { NavigateFunction } from 'react-router';
import { errorMessage } from '../../../components/error-display';
import { customersApi, customersKey, type Customer } from '../customers/customers.api';

/** A customer chosen for a transfer, with who follows them so a change of member can drop the ones it does not follow. */
export interface PickedCustomer {
  externalUserId: string;
  name: string;
  followerUserids: string[];
}

/** What the customers pages hand to the transfer form (as router state: the list can be long). */
export interface TransferDraft {
  handoverUserid?: string;
  customers: PickedCustomer[];
}

/** The transfers API takes at most this many customers at once. */
export const transferCustomerLimit = 10_000;

export function pickedOf(customer: Customer): PickedCustomer {
  return { externalUserId: customer.externalUserId, name: customer.name, followerUserids: customer.followers.filter((f) => f.status === 'active').map((f) => f.userid) };
}

export function followedBy(customer: PickedCustomer, userid: string): boolean {
  return customer.followerUserids.some((u) => u.toLowerCase() === userid.toLowerCase());
}

/** Opens the transfer page's form with the member and customers filled in. */
export function openTransfer(navigate: NavigateFunction, accountId: string, draft: TransferDraft): void {
  void navigate(`/wecom/customer-transfers?account=${encodeURIComponent(accountId)}`, { state: { transferDraft: draft } });
}

function useDebounced(value: string, delayMs: number): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}

function CustomerOption({ customer, handoverUserid }: { customer: Customer; handoverUserid: string | undefined }) {
  const remark = customer.followers.find((f) => f.status === 'active' && handoverUserid && f.userid.toLowerCase() === handoverUserid.toLowerCase())?.remark;
  return (
    <Space>
      <Avatar size="small" src={customer.avatar ?? undefined} icon={<UserOutlined />} />
      <span>{customer.name || customer.externalUserId}</span>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {remark || customer.externalUserId}
      </Typography.Text>
    </Space>
  );
}

/** Picks the handing-over member's customers by name, remark or external userid, searched on the server. */
export function CustomerSelect(props: { accountId: string; handoverUserid: string | undefined; value?: PickedCustomer[]; onChange?(value: PickedCustomer[]): void }) {
  const { t } = useTranslation('wecomTransfers');
  const { message } = App.useApp();
  const { accountId, handoverUserid } = props;
  const value = useMemo(() => props.value ?? [], [props.value]);
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), 300);
  const found = useQuery({
    queryKey: [...customersKey(accountId), 'transfer-picker', handoverUserid, q],
    queryFn: () => customersApi.list(accountId, { userid: handoverUserid, ...(q ? { q } : {}) }, undefined, 30),
    enabled: Boolean(accountId && handoverUserid),
  });
  const everyone = useMutation({
    mutationFn: async () => {
      const all: Customer[] = [];
      let cursor: string | undefined;
      do {
        const page = await customersApi.list(accountId, { userid: handoverUserid }, cursor, 500);
        all.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor && all.length < transferCustomerLimit);
      return all.slice(0, transferCustomerLimit);
    },
    onSuccess: (all) => {
      const known = new Set(value.map((c) => c.externalUserId));
      props.onChange?.([...value, ...all.filter((c) => !known.has(c.externalUserId)).map(pickedOf)]);
    },
    onError: (error) => void message.error(errorMessage(error, t('common:error.unknown'))),
  });

  const byId = useMemo(() => {
    const map = new Map<string, PickedCustomer>();
    for (const c of value) map.set(c.externalUserId, c);
    for (const c of found.data?.items ?? []) if (!map.has(c.externalUserId)) map.set(c.externalUserId, pickedOf(c));
    return map;
  }, [value, found.data]);
  const options = (found.data?.items ?? []).map((c) => ({
    value: c.externalUserId,
    label: <CustomerOption customer={c} handoverUserid={handoverUserid} />,
  }));

  return (
    <Flex vertical gap={8}>
      <Select
        mode="multiple"
        allowClear
        showSearch={{ filterOption: false, onSearch: setSearch, searchValue: search, autoClearSearchValue: false }}
        disabled={!handoverUserid}
        placeholder={handoverUserid ? t('placeholder.customers') : t('placeholder.customersNeedMember')}
        value={value.map((c) => c.externalUserId)}
        onChange={(ids: string[]) => props.onChange?.(ids.map((id) => byId.get(id)).filter((c): c is PickedCustomer => c !== undefined))}
        options={options}
        labelRender={({ value: id }) => byId.get(String(id))?.name || String(id)}
        notFoundContent={found.isFetching ? <Spin size="small" /> : t('picker.none')}
        maxTagCount={20}
        style={{ width: '100%' }}
        data-testid="transfer-customers"
      />
      {handoverUserid ? (
        <Space size={4} wrap>
          <Typography.Text type="secondary">{t('picker.selected', { count: value.length })}</Typography.Text>
          <Button type="link" size="small" loading={everyone.isPending} onClick={() => everyone.mutate()} data-testid="transfer-customers-all">
            {t('picker.all')}
          </Button>
        </Space>
      ) : null}
    </Flex>
  );
}
