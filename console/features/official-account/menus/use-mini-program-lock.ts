import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Profile } from '../../../../server/modules/official-account/profile/profile.schema';
import { profileApi, profileKey } from '../profile/profile.api';

/** Why mini-program buttons are locked for this account, in words; null when they are not. */
export function useMiniProgramLock(accountId: string): string | null {
  const { t } = useTranslation('oaProfile');
  const profile = useQuery({ queryKey: profileKey(accountId), queryFn: () => profileApi.get(accountId), enabled: accountId !== '' });
  const capability = profile.data?.capabilities.find((c: Profile['capabilities'][number]) => c.feature === 'menu.miniprogram');
  return capability && !capability.available ? t(`lockReason.${capability.reason}`) : null;
}

