import { Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

/** Department scopes as `account / department` tags; "all" for roles that are not narrowed. */
export function ScopeTags({ scopes, unlimited }: { scopes: { accountId: string; departmentId: number }[] | null; unlimited?: boolean }) {
  const { t } = useTranslation();
  if (unlimited) return <Tag color="green">{t('scope.all')}</Tag>;
  if (!scopes || scopes.length === 0) return <Typography.Text type="secondary">{t('scope.none')}</Typography.Text>;
  return (
    <Space size={[4, 4]} wrap>
      {scopes.map((s) => (
        <Tag key={`${s.accountId}:${s.departmentId}`}>{t('scope.department', { accountId: s.accountId, departmentId: s.departmentId })}</Tag>
      ))}
    </Space>
  );
}

/** WeCom members a user is, as `account / userid` tags. */
export function MemberTags({ members }: { members: { accountId: string; userid: string }[] }) {
  const { t } = useTranslation();
  if (members.length === 0) return <Typography.Text type="secondary">{t('scope.noMembers')}</Typography.Text>;
  return (
    <Space size={[4, 4]} wrap>
      {members.map((m) => (
        <Tag key={`${m.accountId}:${m.userid}`}>{t('scope.member', { accountId: m.accountId, userid: m.userid })}</Tag>
      ))}
    </Space>
  );
}
