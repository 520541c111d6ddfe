// Admin: the audit log (GET /api/audit), newest first: who (a user by name and username, the
// system's actors in words), did what to which record (in words; a type or action the screen
// does not know as stored), from where, and what changed (before → after, long values folded).
// The filters (actor, record type, record id, action, time range read in the centre's zone)
// and the page live in the URL: an investigation can be bookmarked and Back returns to it.
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, DatePicker, Input, Select, Space, Table, Typography } from 'antd';
import dayjs from 'dayjs';
import { type ReactNode, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, ok } from '../../api/client';
import type { components } from '../../api/schema';
import { useI18n } from '../../i18n/i18n';
import { zh } from '../../i18n/zh';
import { useFormatTime, useTimeZone } from '../../lib/brands';
import { pickedInstant } from '../../lib/time';

type Entry = components['schemas']['AuditEntry'];
const PAGE = 20;
/** The actors that are no user (src/audit/audit.ts SYSTEM_ACTORS), named in words. */
const SYSTEM_ACTORS = ['system:server', 'system:first-start', 'system:cli', 'anonymous'] as const;
/** The record types and actions the screen names in words: those of the dictionary. */
const known = (prefix: string) =>
  Object.keys(zh)
    .filter((k) => k.startsWith(prefix))
    .map((k) => k.slice(prefix.length));
const ENTITY_TYPES = known('audit.entityType.');
const ACTIONS = known('audit.actionName.');
/** The record types whose id opens a page of the back office. */
const PAGES: Record<string, string> = { ticket: '/tickets', call: '/calls', review: '/reviews' };
/** A value longer than this is folded (its start shown, the rest on 展开). */
const FOLD = 60;
/** The picker's wall time in the URL: read in the centre's zone when asked. */
const WALL = 'YYYY-MM-DD HH:mm';

export function AuditPage() {
  const { t, tx } = useI18n();
  const fmt = useFormatTime();
  const zone = useTimeZone();
  const [params, setParams] = useSearchParams();
  const filter = {
    actor: params.get('actor') ?? undefined,
    entity: params.get('entity') ?? undefined,
    entityId: params.get('entityId') ?? undefined,
    action: params.get('action') ?? undefined,
    from: params.get('from') ?? undefined,
    to: params.get('to') ?? undefined,
  };
  const page = Math.max(1, Number(params.get('page')) || 1);
  const set = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v === undefined || v === '') next.delete(k);
      else next.set(k, v);
    }
    if (!('page' in changes)) next.delete('page');
    setParams(next, { replace: true });
  };
  // A wall time of the URL as the picker's value (none when it is not one), and as an instant.
  const wallOf = (wall: string | undefined) => (wall && dayjs(wall).isValid() ? dayjs(wall) : null);
  const instant = (wall: string | undefined) => {
    const d = wallOf(wall);
    return d ? pickedInstant(d, zone) : undefined;
  };
  const from = instant(filter.from);
  // The end shown is a whole minute, and it is in the range (10:30 finds what happened at 10:30:40):
  // the API's `to` is exclusive, so it is the minute after.
  const toWall = wallOf(filter.to);
  const to = toWall ? pickedInstant(toWall.add(1, 'minute'), zone) : undefined;
  const users = useQuery({ queryKey: ['users'], queryFn: () => ok(api.GET('/api/users')) });
  const list = useQuery({
    queryKey: ['audit', filter, zone, page],
    queryFn: () =>
      ok(
        api.GET('/api/audit', {
          params: {
            query: {
              ...(filter.actor ? { actor: filter.actor } : {}),
              ...(filter.entity ? { entity: filter.entity } : {}),
              ...(filter.entityId ? { entityId: filter.entityId } : {}),
              ...(filter.action ? { action: filter.action } : {}),
              ...(from ? { from } : {}),
              ...(to ? { to } : {}),
              limit: PAGE,
              offset: (page - 1) * PAGE,
            },
          },
        }),
      ),
    placeholderData: (previous) => previous,
  });
  const filtered = Object.values(filter).some((v) => v !== undefined);
  const actorOptions = [
    {
      label: t('audit.users'),
      options: (users.data?.items ?? []).map((u) => ({
        value: u.id,
        label: `${u.displayName}（${u.username}）`,
      })),
    },
    {
      label: t('audit.systemActors'),
      options: SYSTEM_ACTORS.map((a) => ({ value: a, label: tx('audit.actor', a) })),
    },
  ];
  // A record that is a user: named as the actors are (the id on hover).
  const userName = (id: string) => {
    const u = users.data?.items.find((x) => x.id === id);
    return u ? `${u.displayName}（${u.username}）` : undefined;
  };

  return (
    <Card
      title={t('audit.title')}
      data-testid="audit-page"
      extra={<Typography.Text type="secondary">{t('audit.timeZone', { zone })}</Typography.Text>}
    >
      <Space wrap style={{ marginBottom: 12 }} data-testid="audit-filters">
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          placeholder={t('audit.actor')}
          aria-label={t('audit.actor')}
          style={{ width: 200 }}
          value={filter.actor}
          onChange={(v) => set({ actor: v })}
          options={actorOptions}
          data-testid="audit-filter-actor"
        />
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          placeholder={t('audit.entity')}
          aria-label={t('audit.entity')}
          style={{ width: 140 }}
          value={filter.entity}
          onChange={(v) => set({ entity: v })}
          options={ENTITY_TYPES.map((v) => ({ value: v, label: tx('audit.entityType', v) }))}
          data-testid="audit-filter-entity"
        />
        <Input.Search
          allowClear
          key={`id:${filter.entityId ?? ''}`}
          defaultValue={filter.entityId}
          placeholder={t('audit.entityId')}
          aria-label={t('audit.entityId')}
          style={{ width: 220 }}
          onSearch={(v) => set({ entityId: v.trim() })}
          data-testid="audit-filter-entity-id"
        />
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          placeholder={t('audit.action')}
          aria-label={t('audit.action')}
          style={{ width: 170 }}
          value={filter.action}
          onChange={(v) => set({ action: v })}
          options={ACTIONS.map((v) => ({ value: v, label: tx('audit.actionName', v) }))}
          data-testid="audit-filter-action"
        />
        <DatePicker.RangePicker
          // A day picked without a time runs from its first minute to its last one.
          showTime={{ format: 'HH:mm', defaultValue: [dayjs('00:00', 'HH:mm'), dayjs('23:59', 'HH:mm')] }}
          format={WALL}
          allowEmpty={[true, true]}
          placeholder={[t('audit.rangeStart'), t('audit.rangeEnd')]}
          aria-label={t('audit.range')}
          value={[wallOf(filter.from), wallOf(filter.to)]}
          onChange={(v) =>
            set({ from: v?.[0]?.format(WALL) ?? undefined, to: v?.[1]?.format(WALL) ?? undefined })
          }
          data-testid="audit-filter-range"
        />
        {filtered && (
          <Button
            onClick={() => setParams(new URLSearchParams(), { replace: true })}
            data-testid="audit-clear"
          >
            {t('audit.clear')}
          </Button>
        )}
      </Space>
      {list.isError && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          message={t('audit.loadFailed', { message: list.error.message })}
          data-testid="audit-error"
        />
      )}
      <Table<Entry>
        rowKey="id"
        size="small"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: filtered ? t('audit.emptyFiltered') : t('audit.empty') }}
        scroll={{ x: 1100 }}
        onRow={(e) => ({ 'data-audit': e.id }) as React.HTMLAttributes<HTMLElement>}
        pagination={{
          current: page,
          pageSize: PAGE,
          total: list.data?.total ?? 0,
          showSizeChanger: false,
          onChange: (p) => set({ page: p === 1 ? undefined : String(p) }),
          showTotal: (n) => t('audit.total', { n }),
        }}
        columns={[
          {
            title: t('audit.at'),
            dataIndex: 'at',
            width: 150,
            render: (v: string) => (
              <span style={{ whiteSpace: 'nowrap' }} data-col="at">
                {fmt(v)}
              </span>
            ),
          },
          {
            title: t('audit.actor'),
            width: 150,
            render: (_, e) => <span data-col="actor">{actorText(e, tx)}</span>,
          },
          {
            title: t('audit.action'),
            dataIndex: 'action',
            width: 130,
            render: (v: string) => <span data-col="action">{tx('audit.actionName', v)}</span>,
          },
          {
            title: t('audit.entity'),
            dataIndex: 'entityType',
            width: 100,
            render: (v: string) => <span data-col="entity">{tx('audit.entityType', v)}</span>,
          },
          {
            title: t('audit.entityId'),
            dataIndex: 'entityId',
            width: 200,
            render: (v: string, e) => {
              const base = PAGES[e.entityType];
              const name = e.entityType === 'user' ? userName(v) : undefined;
              return (
                <span data-col="entity-id" title={v} style={{ wordBreak: 'break-all' }}>
                  {base ? <Link to={`${base}/${encodeURIComponent(v)}`}>{v}</Link> : (name ?? v)}
                </span>
              );
            },
          },
          {
            title: t('audit.ip'),
            dataIndex: 'actorIp',
            width: 120,
            render: (v: string | null) => <span data-col="ip">{v ?? '—'}</span>,
          },
          {
            title: t('audit.changes'),
            dataIndex: 'changes',
            render: (v: Record<string, unknown>) => <Changes changes={v} />,
          },
        ]}
      />
    </Card>
  );
}

/** The actor as a person reads it: 李娜（li.na）, 系统, 匿名; a user no longer found, by id. */
function actorText(e: Entry, tx: (prefix: string, value: string) => string): string {
  if (e.actorName !== null)
    return e.actorUsername && e.actorUsername !== e.actorName
      ? `${e.actorName}（${e.actorUsername}）`
      : e.actorName;
  if (e.actorId === null) return tx('audit.actor', 'system:server');
  return (SYSTEM_ACTORS as readonly string[]).includes(e.actorId) ? tx('audit.actor', e.actorId) : e.actorId;
}

/** A change's value as text: strings as they are, the rest as JSON; null and absent as —. */
function text(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

const isFromTo = (v: unknown): v is { from: unknown; to: unknown } =>
  typeof v === 'object' &&
  v !== null &&
  !Array.isArray(v) &&
  Object.keys(v).length === 2 &&
  'from' in v &&
  'to' in v;

/** The changes, one line each: `role: agent → team-lead`, `reason: wrong password`. */
function Changes({ changes }: { changes: Record<string, unknown> }) {
  const { t } = useI18n();
  const keys = Object.keys(changes);
  if (keys.length === 0) return <Typography.Text type="secondary">{t('audit.noChanges')}</Typography.Text>;
  return (
    <div data-col="changes" style={{ fontSize: 12, lineHeight: 1.6 }}>
      {keys.map((k) => {
        const v = changes[k];
        return (
          <div key={k} data-change={k}>
            <Typography.Text type="secondary">{k}</Typography.Text>
            {t('common.colon')}
            {isFromTo(v) ? (
              <>
                <Folded value={text(v.from)} /> → <Folded value={text(v.to)} />
              </>
            ) : (
              <Folded value={text(v)} />
            )}
          </div>
        );
      })}
    </div>
  );
}

/** A value, its start only when long, with 展开 / 收起. */
function Folded({ value }: { value: string }): ReactNode {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  if (value.length <= FOLD) return <span style={{ wordBreak: 'break-all' }}>{value}</span>;
  return (
    <span style={{ wordBreak: 'break-all' }} data-folded={!open}>
      {open ? value : `${value.slice(0, FOLD)}…`}{' '}
      <Typography.Link onClick={() => setOpen(!open)} data-testid="audit-fold">
        {open ? t('audit.less') : t('audit.more')}
      </Typography.Link>
    </span>
  );
}
