// @vitest-environment happy-dom
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { Form, Input, type FormInstance } from 'antd';
import { afterEach, describe, expect, it } from 'vitest';
import { I18nextProvider } from 'react-i18next';
import { ApiError } from '../app/api-client';
import { i18n } from '../app/i18n';
import { ErrorAlert, applyFieldErrors } from './error-display';

afterEach(cleanup);

const validationError = new ApiError(400, {
  code: 'VALIDATION_FAILED',
  message: '请求参数有误，请检查标出的字段',
  details: { fields: [{ field: 'body.username', message: 'use letters, digits and . _ @ - only' }, { field: 'body.unknownThing', message: 'x' }] },
  requestId: 'req-42',
});

describe('ErrorAlert', () => {
  it('shows the server message with its code and request id', () => {
    render(
      <I18nextProvider i18n={i18n}>
        <ErrorAlert error={validationError} />
      </I18nextProvider>,
    );
    const alert = screen.getByTestId('error-alert');
    expect(alert.textContent).toContain('请求参数有误，请检查标出的字段');
    expect(alert.textContent).toContain('VALIDATION_FAILED');
    expect(alert.textContent).toContain('req-42');
  });

  it('renders nothing without an error', () => {
    render(
      <I18nextProvider i18n={i18n}>
        <ErrorAlert error={null} />
      </I18nextProvider>,
    );
    expect(screen.queryByTestId('error-alert')).toBeNull();
  });
});

describe('applyFieldErrors', () => {
  it('puts field errors next to the matching form fields only', async () => {
    let form: FormInstance | undefined;
    function Harness() {
      const [instance] = Form.useForm();
      form = instance;
      return (
        <Form form={instance} initialValues={{ username: 'bad name', displayName: 'Li' }}>
          <Form.Item name="username" label="username">
            <Input />
          </Form.Item>
          <Form.Item name="displayName" label="displayName">
            <Input />
          </Form.Item>
        </Form>
      );
    }
    render(<Harness />);
    let applied = false;
    act(() => {
      applied = applyFieldErrors(form!, validationError);
    });
    expect(applied).toBe(true);
    expect(form!.getFieldError('username')).toEqual(['use letters, digits and . _ @ - only']);
    expect(form!.getFieldError('displayName')).toEqual([]);
    await waitFor(() => expect(screen.getByText('use letters, digits and . _ @ - only')).toBeTruthy());
  });

  it('reports false for errors without field details', () => {
    let form: FormInstance | undefined;
    function Harness() {
      const [instance] = Form.useForm();
      form = instance;
      return <Form form={instance} />;
    }
    render(<Harness />);
    expect(applyFieldErrors(form!, new ApiError(401, { code: 'AUTH_INVALID_CREDENTIALS', message: '用户名或密码错误' }))).toBe(false);
    expect(applyFieldErrors(form!, new Error('boom'))).toBe(false);
  });
});
