import type { AuditPage, AuditVerifyResult } from '../../../../server/modules/system/audit/audit.schema';
import { api } from '../../../app/api-client';
import type { PageRequest } from '../../../components/data-table';

export const auditQueryKey = ['audit-log'] as const;

export const auditApi = {
  list: ({ cursor, limit, filters }: PageRequest) => api.get<AuditPage>('/api/v1/audit-log', { cursor, limit, ...filters }),
  verify: () => api.post<AuditVerifyResult>('/api/v1/audit-log/verify'),
};

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
  changed: boolean;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Lines up `summary.before` and `summary.after` field by field; null when the entry has neither. */
export function changesOf(summary: Record<string, unknown>): FieldChange[] | null {
  const before = isRecord(summary.before) ? summary.before : undefined;
  const after = isRecord(summary.after) ? summary.after : undefined;
  if (!before && !after) return null;
  const fields = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  return fields.map((field) => {
    const b = before?.[field];
    const a = after?.[field];
    return { field, before: b, after: a, changed: JSON.stringify(b) !== JSON.stringify(a) };
  });
}

/** The rest of a summary once before/after are shown as changes. */
export function extraOf(summary: Record<string, unknown>): Record<string, unknown> {
  const { before: _before, after: _after, ...rest } = summary;
  return rest;
}
