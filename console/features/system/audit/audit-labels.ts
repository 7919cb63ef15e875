import type { TFunction } from 'i18next';

/**
 * Action names contain dots (`users.create`), so they are looked up in a flat
 * map rather than as nested keys; unknown actions show as they are.
 */
export function actionLabel(t: TFunction, action: string): string {
  const labels = t('audit:actions', { returnObjects: true }) as unknown;
  if (typeof labels === 'object' && labels !== null) {
    const label = (labels as Record<string, unknown>)[action];
    if (typeof label === 'string') return label;
  }
  return action;
}

export function targetTypeLabel(t: TFunction, targetType: string | null): string {
  if (!targetType) return '—';
  const labels = t('audit:targetTypes', { returnObjects: true }) as unknown;
  const label = typeof labels === 'object' && labels !== null ? (labels as Record<string, unknown>)[targetType] : undefined;
  return typeof label === 'string' ? label : targetType;
}
