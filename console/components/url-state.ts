import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';

/**
 * A set of string values kept in the URL query, so filters, paging and open
 * jobs survive a reload and can be shared as a link. Setting a value to
 * undefined or '' removes it.
 */
export function useUrlState<K extends string>(keys: readonly K[]) {
  const [params, setParams] = useSearchParams();
  const values = useMemo(() => {
    const out = {} as Record<K, string | undefined>;
    for (const key of keys) out[key] = params.get(key) ?? undefined;
    return out;
  }, [params, keys]);
  const update = useCallback(
    (changes: Partial<Record<K, string | undefined>>, options: { replace?: boolean } = {}) => {
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          for (const [key, value] of Object.entries(changes) as [string, string | undefined][]) {
            if (value === undefined || value === '') next.delete(key);
            else next.set(key, value);
          }
          return next;
        },
        { replace: options.replace ?? false },
      );
    },
    [setParams],
  );
  return [values, update] as const;
}
