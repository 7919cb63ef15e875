import { Alert, Button, Result, Typography, type FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../app/api-client';

/** The text to show for anything a request threw: the server's localised message when there is one. */
export function errorMessage(error: unknown, fallback: string): string {
  if (isApiError(error)) return error.message || fallback;
  if (error instanceof Error && error.message) return error.message;
  return fallback;
}

function ErrorMeta({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!isApiError(error)) return null;
  return (
    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
      {t('error.code')}: {error.code}
      {error.requestId ? ` · ${t('error.requestId')}: ${error.requestId}` : ''}
    </Typography.Text>
  );
}

/** An inline error above a form or table; shows the code and request id for support. */
export function ErrorAlert({ error, onClose }: { error: unknown; onClose?: () => void }) {
  const { t } = useTranslation();
  if (!error) return null;
  return (
    <Alert
      type="error"
      showIcon
      data-testid="error-alert"
      title={errorMessage(error, t('error.unknown'))}
      description={<ErrorMeta error={error} />}
      closable={onClose ? { onClose } : false}
      style={{ marginBottom: 16 }}
    />
  );
}

/** A whole-page error, e.g. when a page's data cannot load. */
export function ErrorResult({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  const status = isApiError(error) && error.status === 403 ? '403' : isApiError(error) && error.status === 404 ? '404' : 'error';
  return (
    <Result
      status={status}
      title={errorMessage(error, t('error.unknown'))}
      subTitle={<ErrorMeta error={error} />}
      extra={
        onRetry ? (
          <Button type="primary" onClick={onRetry} data-testid="error-retry">
            {t('action.retry')}
          </Button>
        ) : undefined
      }
    />
  );
}

/**
 * Puts the server's field errors (`details.fields`, e.g. `body.username`) next to
 * the matching form fields. Returns whether any field matched, so the caller can
 * fall back to a general message for the rest.
 */
export function applyFieldErrors(form: FormInstance, error: unknown): boolean {
  if (!isApiError(error)) return false;
  const known = new Set(Object.keys(form.getFieldsValue(true) as Record<string, unknown>));
  const fields = error.fieldErrors
    .map((f) => ({ name: fieldPath(f.field), errors: [f.message] }))
    .filter((f) => f.name.length > 0 && known.has(String(f.name[0])));
  if (fields.length === 0) return false;
  form.setFields(fields);
  return true;
}

function fieldPath(field: string): (string | number)[] {
  const parts = field.split('.');
  if (parts[0] === 'body' || parts[0] === 'querystring' || parts[0] === 'params') parts.shift();
  return parts.map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}
