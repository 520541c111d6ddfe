// The session ended under an open page (session.ts): the password asked here, over the page,
// which keeps what was typed in its forms; once signed in again the user sends the form again.
// Signing out instead goes to the sign-in page (the page's text is then given up).
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Form, Input, Modal, Space, Typography } from 'antd';
import { useState } from 'react';
import { type User, useSignIn, useSignOut } from '../auth';
import { useI18n } from '../i18n/i18n';
import { useSessionEnded, useSessionOtherUser } from '../session';

export function SessionDialog({ user }: { user: User }) {
  const { t } = useI18n();
  const ended = useSessionEnded();
  // Another user signed in in another tab (the cookie is the browser's): said so, and the
  // password asked is still this page's user's.
  const other = useSessionOtherUser();
  const signIn = useSignIn();
  const signOut = useSignOut();
  const client = useQueryClient();
  const [password, setPassword] = useState('');
  const submit = () =>
    password &&
    signIn.mutate(
      { username: user.username, password },
      {
        onSuccess: () => {
          setPassword('');
          // What failed for want of the session is asked again (the lists on the page).
          void client.invalidateQueries({ predicate: (q) => q.state.status === 'error' });
        },
      },
    );
  return (
    <Modal
      // Inline, not in a portal on <body>: the body scroll lock injects a <style> without the
      // CSP nonce (refused under style-src 'nonce-…'). Above the page's own dialogs.
      getContainer={false}
      zIndex={2000}
      open={ended}
      closable={false}
      maskClosable={false}
      keyboard={false}
      title={t(other ? 'session.otherTitle' : 'session.title')}
      footer={null}
      destroyOnHidden
      data-testid="session-dialog"
    >
      <Typography.Paragraph>
        {other
          ? t('session.otherText', { user: user.username, other })
          : t('session.text', { user: user.username })}
      </Typography.Paragraph>
      {signIn.error && (
        <Alert
          type="error"
          showIcon
          title={signIn.error.message}
          style={{ marginBottom: 12 }}
          data-testid="session-error"
        />
      )}
      <Form layout="vertical" onFinish={submit}>
        <Form.Item label={t('login.password')} required>
          <Input.Password
            autoFocus
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            data-testid="session-password"
          />
        </Form.Item>
        <Space>
          <Button
            type="primary"
            htmlType="submit"
            loading={signIn.isPending}
            disabled={!password}
            data-testid="session-sign-in"
          >
            {t('session.signIn')}
          </Button>
          <Button onClick={() => signOut.mutate()} data-testid="session-sign-out">
            {t('session.signOut')}
          </Button>
        </Space>
      </Form>
    </Modal>
  );
}
