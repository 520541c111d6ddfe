// Sign-in: username and password; the server sets the session cookie and answers the CSRF
// token. Errors (wrong password, 429 with its wait) are the server's message, in the UI's language.
import { Alert, Button, Card, Form, Input, Layout, Typography } from 'antd';
import { useLocation, useNavigate } from 'react-router';
import { useSignIn } from '../auth';
import { useI18n } from '../i18n/i18n';
import { LanguageSwitch } from '../layout/layout';

export function LoginPage() {
  const { t } = useI18n();
  const signIn = useSignIn();
  const navigate = useNavigate();
  const from = (useLocation().state as { from?: string } | null)?.from ?? '/';
  return (
    <Layout style={{ minHeight: '100vh', alignItems: 'center', justifyContent: 'center' }}>
      <div style={{ position: 'absolute', top: 8, right: 16 }}>
        <LanguageSwitch />
      </div>
      <Card style={{ width: 360 }} data-testid="login-page">
        <Typography.Title level={3}>
          {t('app.title')} · {t('login.title')}
        </Typography.Title>
        {signIn.error && (
          <Alert
            type="error"
            showIcon
            title={signIn.error.message}
            style={{ marginBottom: 16 }}
            data-testid="login-error"
          />
        )}
        <Form
          layout="vertical"
          onFinish={(v: { username: string; password: string }) =>
            signIn.mutate(v, { onSuccess: () => navigate(from === '/login' ? '/' : from, { replace: true }) })
          }
        >
          <Form.Item
            name="username"
            label={t('login.username')}
            rules={[{ required: true, message: t('login.required', { field: t('login.username') }) }]}
          >
            <Input autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('login.password')}
            rules={[{ required: true, message: t('login.required', { field: t('login.password') }) }]}
          >
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={signIn.isPending}>
            {t('login.submit')}
          </Button>
        </Form>
      </Card>
    </Layout>
  );
}
