import type { EndpointBody, EndpointResult } from '../../../wechat/client';
import type { wecomDepartmentCreate, wecomDepartmentList, wecomDepartmentUpdate, wecomMemberCreate, wecomMemberGet, wecomMemberUpdate } from '../../../wechat/wecom';
import type { DepartmentValues, MemberValues } from './directory-sync.schema';

type WeComMember = EndpointResult<typeof wecomMemberGet>;
type WeComDepartment = EndpointResult<typeof wecomDepartmentList>['department'][number];

/** Fields of MemberValues WeCom may withhold from a self-built app (facts §5.3). */
const withheldFields = { mobile: 'mobile', email: 'email', gender: 'gender' } as const;

const statusByCode: Record<number, MemberValues['status']> = { 1: 'active', 2: 'disabled', 4: 'inactive', 5: 'resigned' };
const genderByCode: Record<string, MemberValues['gender']> = { '1': 'male', '2': 'female' };

const blankToNull = (value: string | undefined): string | null => (value === undefined || value === '' ? null : value);

/** WeCom's member answer as Qiao's values, and which withheld fields were missing from it. */
export function memberFromWeCom(member: WeComMember): { values: MemberValues; unavailable: string[] } {
  const departmentIds = member.department ?? [];
  const unavailable = Object.entries(withheldFields)
    .filter(([, wire]) => !(wire in member))
    .map(([field]) => field);
  return {
    values: {
      userid: member.userid,
      name: member.name ?? member.userid,
      alias: blankToNull(member.alias),
      mobile: blankToNull(member.mobile),
      email: blankToNull(member.email),
      position: blankToNull(member.position),
      gender: genderByCode[member.gender ?? ''] ?? 'unknown',
      telephone: blankToNull(member.telephone),
      status: statusByCode[member.status ?? 1] ?? 'active',
      mainDepartmentId: member.main_department ?? departmentIds[0] ?? 1,
      departments: departmentIds.map((departmentId, i) => ({
        departmentId,
        order: member.order?.[i] ?? 0,
        isLeader: member.is_leader_in_dept?.[i] === 1,
      })),
    },
    unavailable,
  };
}

export function departmentFromWeCom(department: WeComDepartment): DepartmentValues {
  return {
    id: department.id,
    parentId: department.parentid,
    name: department.name ?? String(department.id),
    nameEn: blankToNull(department.name_en),
    order: department.order ?? 0,
    leaderUserids: department.department_leader ?? [],
  };
}

const genderCode: Record<MemberValues['gender'], string | undefined> = { unknown: undefined, male: '1', female: '2' };

/** WeCom can set "enabled" and "disabled"; "not activated" and "left" are the member's doing. */
function enableOf(status: MemberValues['status']): number | undefined {
  if (status === 'disabled') return 0;
  if (status === 'active') return 1;
  return undefined;
}

function placement(values: MemberValues) {
  return {
    department: values.departments.map((d) => d.departmentId),
    order: values.departments.map((d) => d.order),
    is_leader_in_dept: values.departments.map((d) => (d.isLeader ? 1 : 0)),
    main_department: values.mainDepartmentId,
  };
}

const orEmpty = (value: string | null): string => value ?? '';

export function memberCreateRequest(values: MemberValues): EndpointBody<typeof wecomMemberCreate> {
  const gender = genderCode[values.gender];
  const enable = enableOf(values.status);
  return {
    userid: values.userid,
    name: values.name,
    ...(values.alias ? { alias: values.alias } : {}),
    ...(values.mobile ? { mobile: values.mobile } : {}),
    ...(values.email ? { email: values.email } : {}),
    ...(values.position ? { position: values.position } : {}),
    ...(gender ? { gender } : {}),
    ...(values.telephone ? { telephone: values.telephone } : {}),
    ...placement(values),
    ...(enable !== undefined ? { enable } : {}),
    // Qiao's push is bookkeeping; whether to invite is the admin's call in WeCom.
    to_invite: false,
  };
}

/** Only the fields that changed, so a push never overwrites what WeCom holds for the others. */
export function memberUpdateRequest(values: MemberValues, fields: readonly string[]): EndpointBody<typeof wecomMemberUpdate> {
  const body: EndpointBody<typeof wecomMemberUpdate> = { userid: values.userid };
  for (const field of fields) {
    if (field === 'name') body.name = values.name;
    else if (field === 'alias') body.alias = orEmpty(values.alias);
    else if (field === 'mobile') body.mobile = orEmpty(values.mobile);
    else if (field === 'email') body.email = orEmpty(values.email);
    else if (field === 'position') body.position = orEmpty(values.position);
    else if (field === 'telephone') body.telephone = orEmpty(values.telephone);
    else if (field === 'gender') body.gender = genderCode[values.gender] ?? '0';
    else if (field === 'status') {
      const enable = enableOf(values.status);
      if (enable !== undefined) body.enable = enable;
    } else if (field === 'departments' || field === 'mainDepartmentId') Object.assign(body, placement(values));
  }
  return body;
}

export function departmentCreateRequest(values: DepartmentValues): EndpointBody<typeof wecomDepartmentCreate> {
  return { id: values.id, name: values.name, parentid: values.parentId, order: values.order, ...(values.nameEn ? { name_en: values.nameEn } : {}) };
}

/** Department leaders are set in WeCom's admin console; the API's update takes name, English name, parent and order. */
export function departmentUpdateRequest(values: DepartmentValues, fields: readonly string[]): EndpointBody<typeof wecomDepartmentUpdate> {
  const body: EndpointBody<typeof wecomDepartmentUpdate> = { id: values.id };
  if (fields.includes('name')) body.name = values.name;
  if (fields.includes('nameEn')) body.name_en = values.nameEn ?? '';
  if (fields.includes('parentId')) body.parentid = values.parentId;
  if (fields.includes('order')) body.order = values.order;
  return body;
}
