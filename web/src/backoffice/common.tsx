// What several back-office screens share: a button the role may not press (disabled, the
// reason in a tooltip), durations in words, and the user's permission reason.
import { useQuery } from '@tanstack/react-query';
import { Button, type ButtonProps, type FormInstance, Tooltip } from 'antd';
import type { Method, Role } from '../api/access';
import { mayCall } from '../api/access';
import type { ACCESS } from '../api/access.gen';
import { ApiError, api, ok } from '../api/client';
import { useMe } from '../auth';
import { type Language, useI18n } from '../i18n/i18n';

/** A button that is disabled, with why in a tooltip, when `reason` is given. */
export function GatedButton({ reason, ...props }: ButtonProps & { reason?: string | null | undefined }) {
  if (!reason) return <Button {...props} />;
  return (
    <Tooltip title={reason}>
      {/* A disabled button gets no mouse events: the span carries the tooltip. */}
      <span
        data-testid={`${props['data-testid' as keyof ButtonProps] ?? 'gated'}-reason`}
        data-reason={reason}
      >
        <Button {...props} disabled />
      </span>
    </Tooltip>
  );
}

/** Why the user may not call the operation, or null when they may. */
export function useDenial(): (method: Method, path: keyof typeof ACCESS) => string | null {
  const role = useMe().data?.role as Role | undefined;
  const { t } = useI18n();
  return (method, path) =>
    mayCall(role, method, path) ? null : t('common.noPermission', { role: role ? t(`role.${role}`) : '—' });
}

/** "1 小时 20 分" / "1 h 20 min" (minutes; days past 48 h). */
export function formatDuration(ms: number, lang: Language): string {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (lang === 'zh')
    return days > 1
      ? `${days} 天 ${hours} 小时`
      : `${days * 24 + hours > 0 ? `${days * 24 + hours} 小时 ` : ''}${mins} 分`;
  return days > 1
    ? `${days} d ${hours} h`
    : `${days * 24 + hours > 0 ? `${days * 24 + hours} h ` : ''}${mins} min`;
}

/**
 * Puts a validation error's field messages on the form's fields (`body.username` → username);
 * true when there were any, so the caller shows no toast on top.
 */
export function showFieldErrors(form: FormInstance, error: unknown): boolean {
  if (!(error instanceof ApiError) || error.code !== 'validation') return false;
  const fields = error.details
    .filter((d) => d.path?.startsWith('body.'))
    .map((d) => ({ name: (d.path as string).slice(5).split('.')[0] as string, errors: [d.message] }));
  if (fields.length === 0) return false;
  form.setFields(fields);
  return true;
}

/** A user's display name from their id, when the role may list users (else the id). */
export function useUserName(): (userId: string) => string {
  const me = useMe().data;
  const allowed = mayCall(me?.role as Role | undefined, 'get', '/api/users');
  const users = useQuery({ queryKey: ['users'], queryFn: () => ok(api.GET('/api/users')), enabled: allowed });
  return (userId) =>
    users.data?.items.find((u) => u.id === userId)?.displayName ??
    (userId === me?.id ? me.displayName : userId);
}
