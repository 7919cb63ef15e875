import { ArrowRightOutlined } from '@ant-design/icons';
import { Card, Col, Descriptions, Row, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { visibleAreas } from '../../app/menu';
import { useMe } from '../../app/session';
import { PageHeader } from '../../components/page-header';
import { MemberTags, ScopeTags } from '../../components/scope-tags';

/** 概览: who is signed in, what they may do, and where to go next. */
export function HomePage() {
  const { t } = useTranslation('home');
  const me = useMe();
  const links = visibleAreas(me.permissions)
    .flatMap((area) => area.pages)
    .filter((page) => page.path !== '/');

  return (
    <>
      <PageHeader title={t('title', { name: me.displayName })} description={t('description')} />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={14}>
          <Card title={t('you.title')} data-testid="home-profile">
            <Descriptions
              column={1}
              items={[
                { key: 'displayName', label: t('common:field.displayName'), children: me.displayName },
                { key: 'username', label: t('common:field.username'), children: me.username },
                { key: 'role', label: t('common:field.role'), children: <Tag color="blue">{t(`common:role.${me.role}`)}</Tag> },
                { key: 'roleMeaning', label: t('you.roleMeaning'), children: t(`common:roleDescription.${me.role}`) },
                {
                  key: 'scope',
                  label: t('common:field.departmentScopes'),
                  children: <ScopeTags scopes={me.departmentScopes} unlimited={me.role === 'super_admin'} />,
                },
                { key: 'members', label: t('common:field.wecomMembers'), children: <MemberTags members={me.wecomMembers} /> },
                { key: 'permissions', label: t('you.permissionCount'), children: t('you.permissions', { count: me.permissions.length }) },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card title={t('links.title')} data-testid="home-links">
            {links.length === 0 ? (
              <Typography.Text type="secondary">{t('links.none')}</Typography.Text>
            ) : (
              links.map((page) => (
                <Link key={page.path} to={page.path} style={{ display: 'block', padding: '10px 0', borderBottom: '1px solid rgba(5,5,5,0.06)' }}>
                  <Typography.Text>{t(`common:${page.labelKey}`)}</Typography.Text>
                  <Typography.Text type="secondary" style={{ float: 'right' }}>
                    <ArrowRightOutlined />
                  </Typography.Text>
                  <br />
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t(`links.${page.labelKey.replace('menu.', '')}`)}
                  </Typography.Text>
                </Link>
              ))
            )}
            <Link to="/account" style={{ display: 'block', padding: '10px 0' }}>
              <Typography.Text>{t('common:userMenu.account')}</Typography.Text>
              <Typography.Text type="secondary" style={{ float: 'right' }}>
                <ArrowRightOutlined />
              </Typography.Text>
              <br />
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('links.account')}
              </Typography.Text>
            </Link>
          </Card>
        </Col>
      </Row>
    </>
  );
}
