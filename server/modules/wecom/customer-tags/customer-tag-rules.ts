import { AppError } from '../../../../common/errors';
import type { TagValues } from './customer-tags.tables';

/** WeCom's corp-tag limits (facts §5.5): names ≤ 30 characters, order in [0, 2^32), at most 10,000 tags per corp. */
export const CUSTOMER_TAG_LIMITS = {
  nameChars: 30,
  maxOrder: 2 ** 32 - 1,
  perCorp: 10_000,
  /** 「联系我」 state is at most 30 characters, so a state rule's value is too. */
  stateChars: 30,
} as const;

const chars = (value: string) => [...value].length;

/** The name as WeCom will store it (trimmed), or CUSTOMER_TAG_NAME_INVALID. */
export function checkTagName(raw: string, field: string): string {
  const name = raw.trim();
  if (chars(name) < 1 || chars(name) > CUSTOMER_TAG_LIMITS.nameChars) {
    throw new AppError('CUSTOMER_TAG_NAME_INVALID', { field, max: CUSTOMER_TAG_LIMITS.nameChars, actual: chars(name) });
  }
  return name;
}

export function checkTagOrder(order: number | undefined): number {
  if (order === undefined) return 0;
  if (!Number.isInteger(order) || order < 0 || order > CUSTOMER_TAG_LIMITS.maxOrder) throw new AppError('CUSTOMER_TAG_ORDER_INVALID', { max: CUSTOMER_TAG_LIMITS.maxOrder });
  return order;
}

export function checkTagCount(current: number, adding: number): void {
  if (current + adding > CUSTOMER_TAG_LIMITS.perCorp) throw new AppError('CUSTOMER_TAG_LIMIT_REACHED', { max: CUSTOMER_TAG_LIMITS.perCorp, current, adding });
}

export function sameValues(a: TagValues | null, b: TagValues | null): boolean {
  if (!a || !b) return a === b;
  return a.name === b.name && a.order === b.order;
}

/** Qiao's side of one row as reconciliation sees it. */
export interface LocalTagState {
  values: TagValues;
  base: TagValues | null;
  pending: 'create' | 'update' | 'delete' | null;
  conflict: boolean;
}

/**
 * What a pull does with one row, given WeCom's values (null: not in WeCom):
 * - `insert` a row WeCom has and Qiao does not;
 * - `take` WeCom's values (Qiao changed nothing, or its pending change is what WeCom now holds);
 * - `purge` a row WeCom deleted while Qiao changed nothing (or Qiao was deleting it too);
 * - `keep` Qiao's pending change, WeCom not having moved since the last agreement (sync pushes it);
 * - `conflict` both sides changed it since they last agreed: shown, never overwritten;
 * - `none` already equal.
 */
export type Reconcile = 'insert' | 'take' | 'purge' | 'keep' | 'conflict' | 'none';

export function reconcileTag(local: LocalTagState | null, remote: TagValues | null): Reconcile {
  if (!local) return remote ? 'insert' : 'none';
  if (local.conflict) return remote && sameValues(remote, local.values) && local.pending !== 'delete' ? 'take' : 'conflict';
  switch (local.pending) {
    case null:
      if (!remote) return 'purge';
      return sameValues(remote, local.values) && sameValues(remote, local.base) ? 'none' : 'take';
    case 'create':
      // Never applied: WeCom holding it (matched by name) means the create went through.
      return remote ? 'take' : 'keep';
    case 'update':
      if (!remote) return 'conflict';
      if (sameValues(remote, local.values)) return 'take';
      return sameValues(remote, local.base) ? 'keep' : 'conflict';
    case 'delete':
      if (!remote) return 'purge';
      return sameValues(remote, local.base) ? 'keep' : 'conflict';
  }
}

/** Does an auto-tag rule fire for this text (keyword rules) or value (state and add_way rules)? */
export function ruleMatches(rule: { trigger: 'state' | 'add_way' | 'keyword'; match: 'exact' | 'contains'; value: string }, input: string): boolean {
  if (rule.trigger !== 'keyword') return rule.value === input;
  const text = input.trim().toLowerCase();
  const value = rule.value.trim().toLowerCase();
  if (value === '') return false;
  return rule.match === 'exact' ? text === value : text.includes(value);
}
