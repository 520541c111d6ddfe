// Who is signed in: GET /api/auth/me (401: nobody), sign-in and sign-out. The session is the
// HttpOnly cookie; the CSRF token it comes with goes to the API client for unsafe methods.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Role } from './api/access';
import { ApiError, api, ok, setCsrfToken, setPageUser } from './api/client';
import type { components } from './api/schema';
import { markSessionEnded, markSessionResumed } from './session';

export type User = components['schemas']['User'];
export const ME_KEY = ['me'] as const;

/** The check web/public/early.js started while the page loaded, taken once (null: ask now). */
function takeEarlyMe(): Promise<Response> | null {
  const page = globalThis as { huashuEarlyMe?: Promise<Response> | null };
  const early = page.huashuEarlyMe ?? null;
  page.huashuEarlyMe = null;
  return early;
}

export function useMe() {
  const client = useQueryClient();
  return useQuery({
    queryKey: ME_KEY,
    queryFn: async (): Promise<User | null> => {
      try {
        const early = takeEarlyMe();
        const me = await ok(api.GET('/api/auth/me', early ? { fetch: () => early } : {}));
        const shown = client.getQueryData<User | null>(ME_KEY);
        if (shown && shown.id !== me.user.id) {
          // Someone else signed in in another tab (the cookie is shared): this page stays its
          // user's, never swapped under what was typed; the dialog asks to sign in again as them.
          markSessionEnded(me.user.username);
          return shown;
        }
        setCsrfToken(me.csrfToken);
        setPageUser(me.user.id);
        return me.user;
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) {
          // Asked again under a signed-in page: keep the page (and its forms), ask for the password.
          const shown = client.getQueryData<User | null>(ME_KEY);
          if (shown) {
            markSessionEnded();
            return shown;
          }
          setCsrfToken(null);
          setPageUser(null);
          return null;
        }
        throw err;
      }
    },
    staleTime: 60_000,
  });
}

export function useRole(): Role | undefined {
  return useMe().data?.role as Role | undefined;
}

export function useSignIn() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { username: string; password: string }) => ok(api.POST('/api/auth/login', { body })),
    onSuccess: (r) => {
      setCsrfToken(r.csrfToken);
      setPageUser(r.user.id);
      client.setQueryData(ME_KEY, r.user);
      markSessionResumed();
    },
    meta: { quiet: true },
  });
}

export function useSignOut() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => ok(api.POST('/api/auth/logout')),
    onSettled: () => {
      setCsrfToken(null);
      setPageUser(null);
      client.clear();
      client.setQueryData(ME_KEY, null);
    },
  });
}
