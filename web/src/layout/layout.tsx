// The frame of every signed-in page: the menu (only the screens the role may open), the user,
// the language switch, the notification bell and sign-out.
import { LogoutOutlined, TranslationOutlined } from '@ant-design/icons';
import { Button, Layout, Menu, Space, Typography } from 'antd';
import type { ReactNode } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import type { Role } from '../api/access';
import { type User, useSignOut } from '../auth';
import { useI18n } from '../i18n/i18n';
import { SCREENS } from '../screens';
import { NotificationBell } from './notifications';

export function LanguageSwitch() {
  const { t, lang, setLang } = useI18n();
  return (
    <Button
      type="text"
      icon={<TranslationOutlined />}
      onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}
      data-testid="language-switch"
    >
      {t('lang.switch')}
    </Button>
  );
}

export function AppLayout({ user, children }: { user: User; children: ReactNode }) {
  const { t } = useI18n();
  const location = useLocation();
  const navigate = useNavigate();
  const signOut = useSignOut();
  const role = user.role as Role;
  const items = SCREENS.filter((s) => s.allowed(role)).map((s) => ({
    key: s.path,
    label: <Link to={s.path}>{t(s.label)}</Link>,
  }));
  // The deepest menu entry the URL is under (/tickets/123 → /tickets).
  const selected = items
    .map((i) => i.key)
    .filter((k) => (k === '/' ? location.pathname === '/' : location.pathname.startsWith(k)))
    .sort((a, b) => b.length - a.length)[0];
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider
        width={180}
        breakpoint="lg"
        collapsedWidth={0}
        theme="light"
        style={{ borderInlineEnd: '1px solid #f0f0f0' }}
      >
        <div style={{ padding: '16px 20px' }}>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('app.title')}
          </Typography.Title>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('app.subtitle')}
          </Typography.Text>
        </div>
        <Menu
          mode="inline"
          selectedKeys={selected ? [selected] : []}
          items={items}
          data-testid="main-menu"
          style={{ borderInlineEnd: 'none' }} // the sider draws the line, down to the bottom
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{
            background: 'transparent',
            display: 'flex',
            justifyContent: 'flex-end',
            alignItems: 'center',
            padding: '0 16px',
            height: 48,
          }}
        >
          <Space size="small">
            <NotificationBell />
            <LanguageSwitch />
            <Typography.Text data-testid="current-user">
              {user.displayName} · {t(`role.${role}`)}
            </Typography.Text>
            <Button
              type="text"
              icon={<LogoutOutlined />}
              data-testid="sign-out"
              onClick={() => signOut.mutate(undefined, { onSettled: () => navigate('/login') })}
            >
              {t('logout')}
            </Button>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ padding: '0 16px 16px' }}>{children}</Layout.Content>
      </Layout>
    </Layout>
  );
}
