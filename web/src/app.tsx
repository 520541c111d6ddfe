// The app: query cache (retries, the error toast), language, router, and the guard that sends
// a signed-out visitor to sign-in and shows "no access" on a screen the role may not open.
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp } from 'antd';
import type { MessageInstance } from 'antd/es/message/interface';
import { lazy, type ReactNode, Suspense, useEffect } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import type { Role } from './api/access';
import { ApiError, OfflineError } from './api/client';
import { ME_KEY, type User, useMe } from './auth';
import { BACKOFFICE_ROUTES } from './backoffice/routes';
import { ConsolePage } from './console/console-page';
import { I18nProvider, translate, useI18n } from './i18n/i18n';
import { AppLayout } from './layout/layout';
import { ErrorBoundary, HomePage, Loading, NoAccessPage, NotFoundPage } from './pages/basic';
import { type ScreenId, screen } from './screens';
import { markSessionEnded, useSessionEnded } from './session';

// Only a signed-out visitor needs the sign-in page (its form): its own chunk. The console is
// part of the entry (the screen an agent opens first); the back office's screens are each their
// own chunk (backoffice/routes.tsx).
const LoginPage = lazy(async () => ({ default: (await import('./pages/login')).LoginPage }));
// The password asked again over a page whose session ended: loaded then (its form is the sign-in
// page's, kept out of what every page loads).
const SessionDialog = lazy(async () => ({
  default: (await import('./layout/session-dialog')).SessionDialog,
}));

function SessionGuard({ user }: { user: User }) {
  const ended = useSessionEnded();
  return ended ? (
    <Suspense fallback={null}>
      <SessionDialog user={user} />
    </Suspense>
  ) : null;
}

// The toast needs antd's App context (its styles carry the CSP nonce); the query cache, made
// outside React, reaches it through this.
let toast: MessageInstance | null = null;
let currentLang: 'zh' | 'en' = 'zh';

/**
 * A 401 under a signed-in page: the page stays, with what was typed in it, and the session
 * dialog asks for the password (the sign-in page would have unmounted every form). True when
 * the error was that.
 */
function sessionRefused(error: unknown, client: QueryClient): boolean {
  if (!(error instanceof ApiError)) return false;
  // Refused for an old CSRF token even after taking the current one (api/client.ts): who is
  // the browser signed in as now? (/api/auth/me: another user opens the dialog, never a swap.)
  if (error.code === 'csrf-mismatch') void client.invalidateQueries({ queryKey: ME_KEY });
  if (error.status !== 401) return false;
  if (error.code === 'session-changed') {
    // Another user signed in in another tab: the dialog, then /api/auth/me says who.
    markSessionEnded();
    void client.invalidateQueries({ queryKey: ME_KEY });
    return true;
  }
  if (client.getQueryData(ME_KEY)) markSessionEnded();
  else client.setQueryData(ME_KEY, null);
  return true;
}

function report(error: unknown, client: QueryClient) {
  if (sessionRefused(error, client) || !toast) return;
  if (error instanceof OfflineError) {
    toast.error({ content: translate(currentLang, 'error.offline'), key: 'offline' });
  } else if (error instanceof ApiError && error.code === 'conflict') {
    // Shown where it happened (the page offers a reload); a toast as well for lists.
    toast.error({ content: translate(currentLang, 'error.conflict'), key: 'conflict' });
  } else if (error instanceof Error) {
    toast.error({
      content: translate(currentLang, 'error.api', { message: error.message }),
      key: error.message,
    });
  }
}

export function makeQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError: (e) => report(e, client) }),
    mutationCache: new MutationCache({
      onError: (e, _v, _c, mutation) => {
        // A quiet mutation shows its own error, but a lost session is everyone's.
        if (!mutation.meta?.quiet) report(e, client);
        else sessionRefused(e, client);
      },
    }),
    defaultOptions: {
      queries: {
        // A refusal (4xx) is not retried; the network and 5xx are, three times with backoff.
        retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 3,
        staleTime: 10_000,
        refetchOnWindowFocus: false,
      },
    },
  });
  return client;
}

function ToastBridge() {
  const { message } = AntApp.useApp();
  const { lang } = useI18n();
  useEffect(() => {
    toast = message;
    currentLang = lang;
  }, [message, lang]);
  return null;
}

function Guard({ id, user, children }: { id: ScreenId; user: User; children: ReactNode }) {
  return screen(id).allowed(user.role as Role) ? children : <NoAccessPage user={user} />;
}

function SignedIn({ user }: { user: User }) {
  return (
    <AppLayout user={user}>
      <SessionGuard user={user} />
      <Suspense fallback={<Loading />}>
        <Routes>
          <Route path="/" element={<HomePage user={user} />} />
          <Route
            path="/console/*"
            element={
              <Guard id="console" user={user}>
                <ConsolePage />
              </Guard>
            }
          />
          {BACKOFFICE_ROUTES.map((r) => (
            <Route
              key={r.path}
              path={r.path}
              element={
                <Guard id={r.screen} user={user}>
                  {r.element}
                </Guard>
              }
            />
          ))}
          <Route path="/login" element={<Navigate to="/" replace />} />
          <Route path="*" element={<NotFoundPage />} />
        </Routes>
      </Suspense>
    </AppLayout>
  );
}

function Root() {
  const me = useMe();
  const location = useLocation();
  const { lang } = useI18n();
  if (me.isPending) return <Loading fullscreen />;
  const user = me.data ?? null;
  return (
    <ErrorBoundary lang={lang}>
      {user ? (
        <SignedIn user={user} />
      ) : (
        <Suspense fallback={<Loading fullscreen />}>
          <Routes>
            <Route path="/login" element={<LoginPage />} />
            <Route path="*" element={<Navigate to="/login" replace state={{ from: location.pathname }} />} />
          </Routes>
        </Suspense>
      )}
    </ErrorBoundary>
  );
}

export function HuashuApp({ nonce }: { nonce: string | undefined }) {
  return (
    <QueryClientProvider client={queryClient}>
      <I18nProvider nonce={nonce}>
        <AntApp>
          <ToastBridge />
          <BrowserRouter>
            <Root />
          </BrowserRouter>
        </AntApp>
      </I18nProvider>
    </QueryClientProvider>
  );
}

const queryClient = makeQueryClient();
