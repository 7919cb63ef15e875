import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, type ReactNode } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router';
import type { Permission } from '../../common/permissions';
import type { Me } from '../../server/modules/system/auth/auth.schema';
import { ErrorResult } from '../components/error-display';
import { FullPageSpin } from '../components/full-page-spin';
import { authApi, meQueryKey, setupQueryKey } from '../features/auth/auth.api';
import { isApiError, onUnauthenticated, setCsrfToken } from './api-client';

const SessionContext = createContext<Me | null>(null);

/** The signed-in user; only inside pages behind RequireSession. */
export function useMe(): Me {
  const me = useContext(SessionContext);
  if (!me) throw new Error('useMe used outside a signed-in page');
  return me;
}

/** Whether the signed-in user holds a permission; the console hides what it would refuse. */
export function useCan(): (permission: Permission) => boolean {
  const me = useMe();
  return (permission) => me.permissions.includes(permission);
}

export function SessionProvider({ me, children }: { me: Me; children: ReactNode }) {
  return <SessionContext.Provider value={me}>{children}</SessionContext.Provider>;
}

/** Sends to first-run setup while no user exists, to login without a session, else renders the app. */
export function RequireSession() {
  const location = useLocation();
  const queryClient = useQueryClient();
  const setup = useQuery({ queryKey: setupQueryKey, queryFn: authApi.setupStatus, staleTime: Infinity, retry: 1 });
  const me = useQuery({ queryKey: meQueryKey, queryFn: authApi.me, retry: false, enabled: setup.data?.needed === false, staleTime: 60_000 });

  useEffect(
    () =>
      onUnauthenticated(() => {
        void queryClient.invalidateQueries({ queryKey: meQueryKey, exact: true });
      }),
    [queryClient],
  );

  if (setup.isPending) return <FullPageSpin />;
  if (setup.isError) return <ErrorResult error={setup.error} onRetry={() => void setup.refetch()} />;
  if (setup.data.needed) return <Navigate to="/setup" replace />;
  if (me.isError) {
    if (isApiError(me.error) && me.error.status === 401) {
      const next = `${location.pathname}${location.search}`;
      return <Navigate to={next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`} replace />;
    }
    return <ErrorResult error={me.error} onRetry={() => void me.refetch()} />;
  }
  if (me.isPending) return <FullPageSpin />;
  setCsrfToken(me.data.csrfToken ?? null);
  return (
    <SessionProvider me={me.data}>
      <Outlet />
    </SessionProvider>
  );
}
