import { ColumnHeightOutlined, LeftOutlined, ReloadOutlined, RightOutlined, VerticalRightOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Card, Dropdown, Flex, Form, Select, Space, Table, Tooltip, Typography, type TableProps } from 'antd';
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Page } from '../../common/paging';
import { ErrorAlert } from './error-display';
import { useUrlState } from './url-state';

type Density = 'large' | 'middle' | 'small';
type FormValues = Record<string, unknown>;

export interface PageRequest {
  cursor?: string;
  limit: number;
  filters: Record<string, string | undefined>;
}

export interface DataTableProps<T> {
  /** Identifies the list in the query cache; filters and cursor are appended. */
  queryKey: readonly unknown[];
  fetchPage: (request: PageRequest) => Promise<Page<T>>;
  columns: TableProps<T>['columns'];
  rowKey: TableProps<T>['rowKey'];
  /** URL query keys the search form writes; each is passed to fetchPage as a filter. */
  filterKeys?: readonly string[];
  /** Form.Items of the search form above the table, named like filterKeys. */
  searchFields?: ReactNode;
  /** URL strings → form values, for fields that are not plain strings (dates, ranges); keep it stable (module level). */
  toFormValues?: (filters: Record<string, string | undefined>) => FormValues;
  /** Form values → URL strings; the inverse of toFormValues. */
  toFilters?: (values: FormValues) => Record<string, string | undefined>;
  /** Extra toolbar content, left of refresh and density. */
  toolbar?: ReactNode;
  title?: ReactNode;
  pageSizes?: number[];
  scrollX?: number;
  testId?: string;
}

function plainFilters(values: FormValues): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(values)) {
    out[key] = value === undefined || value === null || value === '' ? undefined : String(value).trim() || undefined;
  }
  return out;
}

/**
 * The console's list: a search form, a toolbar (refresh, density) and a table
 * paged by the API's opaque cursors. Filters, cursor and page size live in the
 * URL, so a reload or a shared link shows the same page.
 */
export function DataTable<T extends object>(props: DataTableProps<T>) {
  const { t } = useTranslation();
  const filterKeys = props.filterKeys ?? [];
  const pageSizes = props.pageSizes ?? [20, 50, 100];
  const [urlValues, setUrl] = useUrlState(['cursor', 'limit', ...filterKeys]);
  const [form] = Form.useForm<FormValues>();
  const [density, setDensity] = useState<Density>('middle');
  const [previousCursors, setPreviousCursors] = useState<string[]>([]);

  const filters: Record<string, string | undefined> = {};
  for (const key of filterKeys) filters[key] = urlValues[key];
  const limit = pageSizes.includes(Number(urlValues.limit)) ? Number(urlValues.limit) : (pageSizes[0] ?? 20);
  const cursor = urlValues.cursor;
  const filterSignature = JSON.stringify(filters);

  const toFormValues = props.toFormValues;
  // The form mirrors the URL whenever its filters change (search, back button, shared link).
  useEffect(() => {
    const parsed = JSON.parse(filterSignature) as Record<string, string | undefined>;
    form.resetFields();
    form.setFieldsValue(toFormValues ? toFormValues(parsed) : parsed);
  }, [filterSignature, form, toFormValues]);

  const query = useQuery({
    queryKey: [...props.queryKey, { filters, cursor, limit }],
    queryFn: () => props.fetchPage({ cursor, limit, filters }),
    placeholderData: keepPreviousData,
  });

  const search = (values: FormValues) => {
    const next = props.toFilters ? props.toFilters(values) : plainFilters(values);
    setPreviousCursors([]);
    const changes: Record<string, string | undefined> = { cursor: undefined };
    for (const key of filterKeys) changes[key] = next[key];
    setUrl(changes);
  };

  const reset = () => {
    form.resetFields();
    search({});
  };

  const goNext = () => {
    const nextCursor = query.data?.nextCursor;
    if (!nextCursor) return;
    setPreviousCursors((stack) => [...stack, cursor ?? '']);
    setUrl({ cursor: nextCursor });
  };

  const goPrevious = () => {
    const stack = [...previousCursors];
    const previous = stack.pop();
    setPreviousCursors(stack);
    setUrl({ cursor: previous || undefined });
  };

  const goFirst = () => {
    setPreviousCursors([]);
    setUrl({ cursor: undefined });
  };

  const densityItems = (['large', 'middle', 'small'] as const).map((key) => ({ key, label: t(`table.density.${key}`) }));
  const items = query.data?.items ?? [];
  const total = query.data?.total;

  return (
    <Flex vertical gap={16} data-testid={props.testId}>
      {props.searchFields ? (
        <Card size="small" styles={{ body: { paddingBottom: 0 } }}>
          <Form form={form} layout="inline" onFinish={search} style={{ rowGap: 12 }} data-testid="search-form">
            {props.searchFields}
            <Form.Item style={{ marginBottom: 16 }}>
              <Space>
                <Button type="primary" htmlType="submit" data-testid="search-submit">
                  {t('action.search')}
                </Button>
                <Button onClick={reset} data-testid="search-reset">
                  {t('action.reset')}
                </Button>
              </Space>
            </Form.Item>
          </Form>
        </Card>
      ) : null}
      <Card size="small">
        <Flex justify="space-between" align="center" style={{ marginBottom: 12 }} gap={8} wrap>
          <Typography.Text strong>{props.title}</Typography.Text>
          <Space>
            {props.toolbar}
            <Tooltip title={t('table.refresh')}>
              <Button type="text" icon={<ReloadOutlined spin={query.isFetching} />} onClick={() => void query.refetch()} data-testid="table-refresh" aria-label={t('table.refresh')} />
            </Tooltip>
            <Dropdown
              trigger={['click']}
              menu={{ selectable: true, selectedKeys: [density], items: densityItems, onClick: ({ key }) => setDensity(key as Density) }}
            >
              <Tooltip title={t('table.density.title')}>
                <Button type="text" icon={<ColumnHeightOutlined />} data-testid="table-density" aria-label={t('table.density.title')} />
              </Tooltip>
            </Dropdown>
          </Space>
        </Flex>
        <ErrorAlert error={query.error} />
        <Table<T>
          rowKey={props.rowKey}
          columns={props.columns}
          dataSource={items}
          loading={query.isFetching}
          size={density}
          pagination={false}
          scroll={props.scrollX ? { x: props.scrollX } : undefined}
        />
        <Flex justify="flex-end" align="center" gap={8} style={{ marginTop: 16 }} wrap>
          {total !== undefined ? <Typography.Text type="secondary">{t('table.total', { count: total })}</Typography.Text> : null}
          <Button icon={<VerticalRightOutlined />} disabled={!cursor} onClick={goFirst} data-testid="page-first">
            {t('table.firstPage')}
          </Button>
          <Button icon={<LeftOutlined />} disabled={!cursor} onClick={goPrevious} data-testid="page-previous">
            {t('table.previousPage')}
          </Button>
          <Button disabled={!query.data?.nextCursor} onClick={goNext} data-testid="page-next">
            {t('table.nextPage')} <RightOutlined />
          </Button>
          <Select
            value={limit}
            style={{ width: 120 }}
            onChange={(value: number) => {
              setPreviousCursors([]);
              setUrl({ limit: String(value), cursor: undefined });
            }}
            options={pageSizes.map((size) => ({ value: size, label: t('table.pageSize', { count: size }) }))}
            data-testid="page-size"
          />
        </Flex>
      </Card>
    </Flex>
  );
}
