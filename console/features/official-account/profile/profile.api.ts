import type { Profile, UpdateCertificationBody, UpdateProfileBody, UploadAvatarBody } from '../../../../server/modules/official-account/profile/profile.schema';
import { api } from '../../../app/api-client';

const base = (accountId: string) => `/api/v1/official-accounts/${encodeURIComponent(accountId)}`;

export const profileKey = (accountId: string) => ['oa-profile', accountId] as const;

export const profileApi = {
  get: (accountId: string) => api.get<Profile>(`${base(accountId)}/profile`),
  update: (accountId: string, body: UpdateProfileBody) => api.put<Profile>(`${base(accountId)}/profile`, body),
  uploadAvatar: (accountId: string, body: UploadAvatarBody) => api.put<Profile>(`${base(accountId)}/profile/avatar`, body),
  updateCertification: (accountId: string, body: UpdateCertificationBody) => api.put<Profile>(`${base(accountId)}/certification`, body),
};

/** A file as the base64 the avatar upload takes. */
export function fileToBase64(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.addEventListener('load', () => resolve(String(reader.result).replace(/^data:[^,]*,/, '')));
    reader.addEventListener('error', () => reject(reader.error ?? new Error('read failed')));
    reader.readAsDataURL(file);
  });
}
