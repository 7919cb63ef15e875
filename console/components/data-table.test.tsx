// @vitest-environment happy-dom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { Form, Input } from 'antd';
import { I18nextProvider } from 'react-i18next';
import { MemoryRouter, useLocation } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { i18n } from '../app/i18n';
import { DataTable, type PageRequest } from './data-table';

interface Row {
  id: string;
  name: string;
}

function CurrentSearch() {
  return <output data-testid="search">{useLocation().search}</output>;
}

function renderTable(fetchPage: (request: PageRequest) => Promise<{ items: Row[]; nextCursor: string | null; total?: number }>, initialUrl = '/list') {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <I18nextProvider i18n={i18n}>
      <QueryClientProvider client={client}>
        <MemoryRouter initialEntries={[initialUrl]}>
          <DataTable<Row>
            queryKey={['rows']}
            fetchPage={fetchPage}
            rowKey="id"
            columns={[{ title: 'name', dataIndex: 'name' }]}
            filterKeys={['q']}
            searchFields={
              <Form.Item name="q" label="q">
                <Input data-testid="q" />
              </Form.Item>
            }
          />
          <CurrentSearch />
        </MemoryRouter>
      </QueryClientProvider>
    </I18nextProvider>,
  );
}

afterEach(cleanup);

describe('DataTable', () => {
  it('pages forward and back by cursor, keeping the cursor in the URL', async () => {
    const fetchPage = vi.fn(async ({ cursor }: PageRequest) =>
      cursor === 'c2' ? { items: [{ id: '2', name: 'second page row' }], nextCursor: null } : { items: [{ id: '1', name: 'first page row' }], nextCursor: 'c2', total: 2 },
    );
    renderTable(fetchPage);
    await screen.findByText('first page row');
    expect(screen.getByText('共 2 条')).toBeTruthy();
    await act(async () => {
      fireEvent.click(screen.getByTestId('page-next'));
    });
    await screen.findByText('second page row');
    expect(screen.getByTestId('search').textContent).toBe('?cursor=c2');
    expect(fetchPage).toHaveBeenLastCalledWith({ cursor: 'c2', limit: 20, filters: { q: undefined } });
    await act(async () => {
      fireEvent.click(screen.getByTestId('page-previous'));
    });
    await screen.findByText('first page row');
    expect(screen.getByTestId('search').textContent).toBe('');
  });

  it('writes the search form into the URL and starts again from the first page', async () => {
    const fetchPage = vi.fn(async () => ({ items: [{ id: '1', name: 'row' }], nextCursor: null }));
    renderTable(fetchPage, '/list?cursor=old');
    await screen.findByText('row');
    fireEvent.change(screen.getByTestId('q'), { target: { value: ' li ' } });
    await act(async () => {
      fireEvent.click(screen.getByTestId('search-submit'));
    });
    await waitFor(() => expect(screen.getByTestId('search').textContent).toBe('?q=li'));
    await waitFor(() => expect(fetchPage).toHaveBeenLastCalledWith({ cursor: undefined, limit: 20, filters: { q: 'li' } }));
  });

  it('fills the search form from the URL on load', async () => {
    renderTable(async () => ({ items: [], nextCursor: null }), '/list?q=wang');
    await waitFor(() => expect((screen.getByTestId('q') as HTMLInputElement).value).toBe('wang'));
  });
});
