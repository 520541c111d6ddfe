// What several back-office screens share: a button the role may not press (disabled, the
// reason in a tooltip), durations in words, the user's permission reason, and a request's
// refused fields shown under the form's fields.
import { useQuery } from '@tanstack/react-query';
import { App, Button, type ButtonProps, type FormInstance, Result, Tooltip } from 'antd';
import { type ReactNode, useState } from 'react';
import type { Method, Role } from '../api/access';
import { mayCall } from '../api/access';
import type { ACCESS } from '../api/access.gen';
import { ApiError, api, download, ok } from '../api/client';
import { useMe } from '../auth';
import { type Language, useI18n } from '../i18n/i18n';
import { markSessionEnded } from '../session';

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

/** A form field's name as antd spells it: list items by number (`['missed', 0, 'rule']`). */
export type FieldName = (string | number)[];

/** The form field a server field path names: `body.lines.2.text` → ['lines', 2, 'text']; null outside the body. */
export function fieldName(path: string | undefined): FieldName | null {
  if (!path?.startsWith('body.')) return null;
  return path
    .slice(5)
    .split('.')
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

const sameName = (a: readonly (string | number)[], b: readonly (string | number)[]) =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Shows a validation error's messages under the form's fields (`body.lines.2.text` under the
 * third item's text). A path the form has no field for goes under the nearest field holding it,
 * the rest named (a multi-select's `第 2 项：…`), else in a toast naming the field. `renamed`
 * maps a server path to the form's name where they differ (`{ 'override.score':
 * ['overrideScore'] }`). True when it showed the error, so the caller shows no toast on top.
 */
export function useFieldErrors(): (
  form: FormInstance,
  error: unknown,
  renamed?: Readonly<Record<string, FieldName>>,
) => boolean {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  return (form, error, renamed = {}) => {
    if (!(error instanceof ApiError) || error.details.length === 0) return false;
    // The fields the form has now (a list's items included), by the names antd matches on.
    const fields = form.getFieldsError().map((f) => f.name);
    if (error.code !== 'validation') {
      // A refusal of another kind naming a field the form has (a 工号 another account holds):
      // under that field, where the user fixes it. Anything else is the caller's toast.
      const under = error.details.flatMap((d) => {
        const name = fieldName(d.path);
        return name && fields.some((f) => sameName(f, name)) ? [{ name, errors: [d.message] }] : [];
      });
      if (under.length === 0) return false;
      form.setFields(under);
      return true;
    }
    const named = (name: readonly (string | number)[]) =>
      name.map((p) => (typeof p === 'number' ? t('common.listItem', { n: p + 1 }) : p)).join(' ');
    const shown = new Map<string, { name: FieldName; errors: string[] }>();
    const elsewhere: string[] = [];
    for (const d of error.details) {
      const server = fieldName(d.path);
      if (!server) {
        elsewhere.push(d.path ? `${d.path}${t('common.colon')}${d.message}` : d.message);
        continue;
      }
      // The longest renamed prefix, the rest kept: {callIds: ['calls']} takes callIds.1 to calls.1.
      const from = Object.keys(renamed)
        .map((k) => k.split('.'))
        .filter((k) => sameName(k, server.slice(0, k.length).map(String)))
        .sort((a, b) => b.length - a.length)[0];
      const name = from ? [...(renamed[from.join('.')] ?? []), ...server.slice(from.length)] : server;
      let n = name.length;
      while (n > 0 && !fields.some((f) => sameName(f, name.slice(0, n)))) n--;
      if (n === 0) {
        elsewhere.push(`${named(name)}${t('common.colon')}${d.message}`);
        continue;
      }
      const field = name.slice(0, n);
      const key = JSON.stringify(field);
      const text = n === name.length ? d.message : `${named(name.slice(n))}${t('common.colon')}${d.message}`;
      shown.set(key, { name: field, errors: [...(shown.get(key)?.errors ?? []), text] });
    }
    if (shown.size > 0) form.setFields([...shown.values()]);
    if (elsewhere.length > 0) message.error(elsewhere.join(lang === 'zh' ? '；' : '; '));
    return true;
  };
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

/**
 * A link to an export that downloads it (the file under the server's name), or says on the
 * page why not: the server's reason (a period too long, the wrong way round), the server
 * unreachable, or the session ended (the password asked again, the page kept).
 */
export function DownloadLink({
  href,
  children,
  testId,
}: {
  href: string;
  children: ReactNode;
  testId: string;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const save = async () => {
    setBusy(true);
    try {
      const { blob, filename } = await download(href);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = filename;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) markSessionEnded();
      message.error({
        content: t('common.exportFailed', { message: err instanceof Error ? err.message : String(err) }),
        key: 'export',
      });
    } finally {
      setBusy(false);
    }
  };
  return (
    <a
      href={href}
      data-testid={testId}
      aria-busy={busy}
      onClick={(e) => {
        e.preventDefault();
        if (!busy) void save();
      }}
    >
      {children}
    </a>
  );
}

/**
 * A status switch's label with how many are in that status now ("待复核（2）"): what is waiting
 * is seen before it is opened. `total` undefined (not counted yet): the label alone.
 */
export function useCountLabel(): (label: string, total: number | undefined) => string {
  const { t } = useI18n();
  return (label, total) => (total === undefined ? label : t('common.withCount', { label, n: total }));
}

/**
 * What a screen of one thing (a ticket, a call) shows when it could not be loaded: "no such
 * ticket" only when the server said so (404); otherwise why it failed (the server unreachable,
 * the server's message) and a button to try again, not a "not found" that sends staff looking
 * for a ticket that exists.
 */
export function LoadFailed({
  error,
  notFound,
  retry,
}: {
  error: unknown;
  notFound: string;
  retry: () => void;
}) {
  const { t } = useI18n();
  const message = error instanceof Error ? error.message : undefined;
  if (error instanceof ApiError && error.status === 404)
    return <Result status="404" title={notFound} subTitle={message} />;
  return (
    <Result
      status="warning"
      title={t('common.loadFailed')}
      subTitle={message}
      data-testid="load-failed"
      extra={
        <Button type="primary" onClick={retry} data-testid="load-retry">
          {t('common.retry')}
        </Button>
      }
    />
  );
}
