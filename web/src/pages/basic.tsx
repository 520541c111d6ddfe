// The small pages: home, 404, no access, loading, and the error boundary.
import { Button, Result, Spin, Typography } from 'antd';
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { Link, useLocation } from 'react-router';
import type { User } from '../auth';
import { translate, useI18n } from '../i18n/i18n';

export function HomePage({ user }: { user: User }) {
  const { t } = useI18n();
  return (
    <div data-testid="home-page">
      <Typography.Title level={3}>{t('home.welcome', { name: user.displayName })}</Typography.Title>
      <Typography.Paragraph>{t('home.role', { role: t(`role.${user.role}`) })}</Typography.Paragraph>
      <Typography.Paragraph type="secondary">{t('home.hint')}</Typography.Paragraph>
    </div>
  );
}

/**
 * What a screen shows while its code (a lazily loaded chunk) or the signed-in check is on its
 * way: a spinner with the translated "loading", announced to screen readers.
 */
export function Loading({ fullscreen = false }: { fullscreen?: boolean }) {
  const { t } = useI18n();
  if (fullscreen) return <Spin fullscreen description={t('common.loading')} data-testid="loading" />;
  return (
    <div
      role="status"
      data-testid="loading"
      style={{ display: 'flex', gap: 8, alignItems: 'center', padding: 24 }}
    >
      <Spin size="small" />
      <Typography.Text type="secondary">{t('common.loading')}</Typography.Text>
    </div>
  );
}

export function NotFoundPage() {
  const { t } = useI18n();
  const location = useLocation();
  return (
    <Result
      status="404"
      title={t('notFound.title')}
      subTitle={t('notFound.text', { path: location.pathname })}
      extra={
        <Link to="/">
          <Button type="primary">{t('notFound.home')}</Button>
        </Link>
      }
      data-testid="not-found"
    />
  );
}

export function NoAccessPage({ user }: { user: User }) {
  const { t } = useI18n();
  return (
    <Result
      status="403"
      title={t('noAccess.title')}
      subTitle={t('noAccess.text', { role: t(`role.${user.role}`) })}
      data-testid="no-access"
    />
  );
}

interface BoundaryState {
  error: Error | null;
}

/** A page that throws while rendering shows this instead of a blank screen. */
export class ErrorBoundary extends Component<{ children: ReactNode; lang: 'zh' | 'en' }, BoundaryState> {
  override state: BoundaryState = { error: null };
  static getDerivedStateFromError(error: Error): BoundaryState {
    return { error };
  }
  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error('page failed', error, info.componentStack);
  }
  override render() {
    if (!this.state.error) return this.props.children;
    const { lang } = this.props;
    return (
      <Result
        status="error"
        title={translate(lang, 'error.title')}
        subTitle={translate(lang, 'error.text')}
        extra={<Button onClick={() => window.location.reload()}>{translate(lang, 'common.reload')}</Button>}
        data-testid="error-boundary"
      />
    );
  }
}
