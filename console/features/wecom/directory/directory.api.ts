import type { CreateDepartmentBody, Department, DepartmentList, UpdateDepartmentBody } from '../../../../server/modules/wecom/departments/departments.schema';
import type { CreateMemberBody, DirectoryVisibility, Member, UpdateMemberBody } from '../../../../server/modules/wecom/members/members.schema';
import type { Page } from '../../../../common/paging';
import { api } from '../../../app/api-client';
import type { PageRequest } from '../../../components/data-table';

export const departmentsQueryKey = (accountId: string) => ['wecom-directory', accountId, 'departments'] as const;
export const membersQueryKey = (accountId: string) => ['wecom-directory', accountId, 'members'] as const;

const base = (accountId: string) => `/api/v1/wecom/${accountId}`;

export const directoryApi = {
  departments: (accountId: string) => api.get<DepartmentList>(`${base(accountId)}/departments`),
  createDepartment: (accountId: string, body: CreateDepartmentBody) => api.post<Department>(`${base(accountId)}/departments`, body),
  updateDepartment: (accountId: string, id: number, body: UpdateDepartmentBody) => api.patch<Department>(`${base(accountId)}/departments/${id}`, body),
  removeDepartment: (accountId: string, id: number) => api.delete<unknown>(`${base(accountId)}/departments/${id}`),
  members: (accountId: string, { cursor, limit, filters }: PageRequest) => api.get<Page<Member>>(`${base(accountId)}/members`, { cursor, limit, ...filters }),
  member: (accountId: string, userid: string) => api.get<Member>(`${base(accountId)}/members/${encodeURIComponent(userid)}`),
  createMember: (accountId: string, body: CreateMemberBody) => api.post<Member>(`${base(accountId)}/members`, body),
  updateMember: (accountId: string, userid: string, body: UpdateMemberBody) => api.patch<Member>(`${base(accountId)}/members/${encodeURIComponent(userid)}`, body),
  removeMember: (accountId: string, userid: string) => api.delete<unknown>(`${base(accountId)}/members/${encodeURIComponent(userid)}`),
  visibility: (accountId: string) => api.get<DirectoryVisibility>(`${base(accountId)}/directory/visibility`),
  setVisibility: (accountId: string, body: DirectoryVisibility) => api.put<DirectoryVisibility>(`${base(accountId)}/directory/visibility`, body),
};
