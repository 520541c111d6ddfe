// Scorecards (评分表) in the store: the versions with who stored and published them; an admin
// edits the YAML, checks it (each finding at line:col, a click puts the cursor there), saves it
// as the draft and publishes it. Re-inspection of a period (brand, from, to) with the published
// version runs in the background; its progress (n of m calls, errors) is shown as it goes.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Input, Progress, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { ApiError, api, ok } from '../../api/client';
import { useMe } from '../../auth';
import { useI18n } from '../../i18n/i18n';
import { useBrands, useFormatTime } from '../../lib/brands';
import { RULE_TITLES_QUERY } from '../../lib/rules';
import { DEFAULT_TIME_ZONE, instantInZone } from '../../lib/time';
import { GatedButton, useDenial } from '../common';
import { type LintFinding, lintFindings, YamlEditor } from '../yaml-editor';

const ID = 'default';

function Editor({ latest }: { latest: number | null }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const client = useQueryClient();
  const deny = useDenial();
  const [text, setText] = useState<string | null>(null);
  const [findings, setFindings] = useState<LintFinding[] | null>(null);
  useQuery({
    queryKey: ['scorecard-yaml', ID, latest],
    enabled: latest !== null,
    queryFn: async () => {
      const v = await ok(
        api.GET('/api/scorecards/{id}/versions/{version}', {
          params: { path: { id: ID, version: latest ?? 1 } },
        }),
      );
      setText((prev) => prev ?? v.content);
      return v.content;
    },
    staleTime: Number.POSITIVE_INFINITY,
  });
  const file = `${ID}.yaml`;
  const shown = (f: { line: number; column: number; path: string; message: string }): LintFinding => ({
    line: f.line || null,
    col: f.line ? f.column : null,
    where: `${file}${f.line ? `:${f.line}:${f.column}` : ''}${f.path ? ` ${f.path}` : ''}`,
    message: f.message,
  });
  const onError = (error: Error) => {
    if (error instanceof ApiError && error.details.length > 0) setFindings(lintFindings(error, file));
    else message.error(error.message);
  };
  const lint = useMutation({
    meta: { quiet: true },
    mutationFn: () =>
      ok(
        api.POST('/api/scorecards/{id}/lint', {
          params: { path: { id: ID } },
          body: { content: text ?? '' },
        }),
      ),
    onSuccess: (r) => setFindings(r.issues.map(shown)),
    onError,
  });
  const save = useMutation({
    meta: { quiet: true },
    mutationFn: () =>
      ok(
        api.PUT('/api/scorecards/{id}/draft', {
          params: { path: { id: ID } },
          body: { content: text ?? '' },
        }),
      ),
    onSuccess: (v) => {
      setFindings(null);
      message.success(t('scorecards.saved', { n: v.version }));
      void client.invalidateQueries({ queryKey: ['scorecards'] });
    },
    onError,
  });

  return (
    <Card size="small" title={t('scorecards.editor')} style={{ marginTop: 12 }}>
      <Typography.Paragraph type="secondary">
        {t('scorecards.versionHint', { n: latest ?? 0 })}
      </Typography.Paragraph>
      {findings?.length === 0 && (
        <Alert
          type="success"
          showIcon
          title={t('scorecards.lintOk')}
          style={{ marginBottom: 8 }}
          data-testid="lint-ok"
        />
      )}
      <YamlEditor
        text={text}
        onChange={setText}
        findings={findings ?? []}
        findingsTitle={t('scorecards.lintErrors')}
        height={360}
        testId="scorecard-yaml"
      />
      <Space style={{ marginTop: 8 }}>
        <GatedButton
          reason={deny('post', '/api/scorecards/{id}/lint')}
          onClick={() => lint.mutate()}
          loading={lint.isPending}
          data-testid="scorecard-lint"
        >
          {t('scorecards.lint')}
        </GatedButton>
        <GatedButton
          type="primary"
          reason={deny('put', '/api/scorecards/{id}/draft')}
          onClick={() => save.mutate()}
          loading={save.isPending}
          data-testid="scorecard-save"
        >
          {t('scorecards.saveDraft')}
        </GatedButton>
      </Space>
    </Card>
  );
}

function Reinspection() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const client = useQueryClient();
  const deny = useDenial();
  const brands = useBrands().data ?? [];
  const formatTime = useFormatTime();
  const me = useMe().data;
  const [chosen, setBrand] = useState<string | undefined>(undefined);
  // A brand-limited account re-inspects its own brand only (another's, or all, answers 403).
  const brand = me?.brand ?? chosen;
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const runs = useQuery({
    queryKey: ['reinspections'],
    queryFn: () => ok(api.GET('/api/scorecards/reinspections', { params: { query: { limit: 20 } } })),
    refetchInterval: (q) =>
      q.state.data?.items.some((r) => r.status === 'waiting' || r.status === 'running') ? 1000 : false,
  });
  const zone = brands.find((b) => b.brand === brand)?.timeZone ?? DEFAULT_TIME_ZONE;
  /** A picked day's start in the brand's zone; `next` the day after (the period's end is exclusive). */
  const dayStart = (date: string, next = false) => {
    const [y, m, d] = date.split('-').map(Number);
    return instantInZone(
      { year: y ?? 1970, month: m ?? 1, day: (d ?? 1) + (next ? 1 : 0), hour: 0, minute: 0, second: 0 },
      zone,
    );
  };
  const start = useMutation({
    mutationFn: () =>
      ok(
        api.POST('/api/scorecards/reinspections', {
          body: {
            ...(brand ? { brand } : {}),
            ...(from ? { from: dayStart(from) } : {}),
            ...(to ? { to: dayStart(to, true) } : {}),
          },
        }),
      ),
    onSuccess: () => {
      message.success(t('scorecards.reinspectStarted'));
      void client.invalidateQueries({ queryKey: ['reinspections'] });
    },
  });
  return (
    <Card size="small" title={t('scorecards.reinspect')} style={{ marginTop: 12 }}>
      <Space wrap>
        <Select
          allowClear={!me?.brand}
          style={{ width: 160 }}
          placeholder={t('scorecards.allBrands')}
          value={brand}
          onChange={setBrand}
          options={brands
            .filter((b) => !me?.brand || b.brand === me.brand)
            .map((b) => ({ value: b.brand, label: b.name }))}
          data-testid="reinspect-brand"
        />
        <Input
          type="date"
          value={from}
          onChange={(e) => setFrom(e.target.value)}
          aria-label={t('scorecards.from')}
          data-testid="reinspect-from"
        />
        <Input
          type="date"
          value={to}
          onChange={(e) => setTo(e.target.value)}
          aria-label={t('scorecards.to')}
          data-testid="reinspect-to"
        />
        <GatedButton
          reason={deny('post', '/api/scorecards/reinspections')}
          onClick={() => start.mutate()}
          loading={start.isPending}
          data-testid="reinspect-start"
        >
          {t('scorecards.reinspectStart')}
        </GatedButton>
      </Space>
      <Table
        size="small"
        style={{ marginTop: 8 }}
        rowKey="id"
        pagination={false}
        dataSource={runs.data?.items ?? []}
        columns={[
          { title: t('scorecards.createdAt'), render: (_, r) => formatTime(r.createdAt) },
          { title: t('scorecards.versionCol'), render: (_, r) => r.scorecardVersion },
          { title: t('scorecards.brand'), render: (_, r) => r.brand ?? t('scorecards.allBrands') },
          {
            title: t('scorecards.progress'),
            render: (_, r) => (
              <span data-testid="reinspect-progress" data-status={r.status}>
                <Progress
                  size="small"
                  percent={
                    r.total ? Math.round((r.done / r.total) * 100) : r.status === 'completed' ? 100 : 0
                  }
                  status={r.status === 'failed' ? 'exception' : undefined}
                  style={{ width: 120, display: 'inline-block', marginRight: 8 }}
                />
                {t('scorecards.nOfM', { n: r.done, m: r.total })}
              </span>
            ),
          },
          {
            title: t('scorecards.outcome'),
            render: (_, r) =>
              t('scorecards.counts', { changed: r.changed, skipped: r.skipped, errors: r.errors.length }),
          },
          { title: t('scorecards.status'), render: (_, r) => <Tag>{t(`scorecards.run.${r.status}`)}</Tag> },
        ]}
      />
    </Card>
  );
}

export function ScorecardsPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const client = useQueryClient();
  const deny = useDenial();
  const formatTime = useFormatTime();
  const versions = useQuery({
    queryKey: ['scorecards', ID],
    queryFn: () => ok(api.GET('/api/scorecards/{id}/versions', { params: { path: { id: ID } } })),
  });
  const items = versions.data?.items ?? [];
  const draft = items.find((v) => v.status === 'draft');
  const published = items.find((v) => v.status === 'published');
  const publish = useMutation({
    mutationFn: (version: number) =>
      ok(
        api.POST('/api/scorecards/{id}/versions/{version}/publish', {
          params: { path: { id: ID, version } },
        }),
      ),
    onSuccess: (v) => {
      message.success(t('scorecards.published', { n: v.version }));
      void client.invalidateQueries({ queryKey: ['scorecards'] });
      void client.invalidateQueries({ queryKey: RULE_TITLES_QUERY });
    },
  });
  return (
    <Card
      title={t('scorecards.title')}
      data-testid="scorecards-page"
      extra={
        <Space>
          {published && (
            <Tag color="green" data-testid="scorecard-published">
              {t('scorecards.publishedVersion', { n: published.version })}
            </Tag>
          )}
          {draft && (
            <Tag color="gold" data-testid="scorecard-draft">
              {t('scorecards.draftVersion', { n: draft.version })}
            </Tag>
          )}
          <GatedButton
            type="primary"
            disabled={!draft}
            reason={deny('post', '/api/scorecards/{id}/versions/{version}/publish')}
            onClick={() => draft && publish.mutate(draft.version)}
            loading={publish.isPending}
            data-testid="scorecard-publish"
          >
            {t('scorecards.publish')}
          </GatedButton>
        </Space>
      }
    >
      <Table
        size="small"
        rowKey="version"
        pagination={false}
        loading={versions.isLoading}
        dataSource={items}
        columns={[
          { title: t('scorecards.versionCol'), dataIndex: 'version' },
          { title: t('scorecards.name'), dataIndex: 'name' },
          {
            title: t('scorecards.status'),
            render: (_, v) => (
              <Tag color={v.status === 'published' ? 'green' : 'gold'}>
                {t(`scorecards.status.${v.status}`)}
              </Tag>
            ),
          },
          { title: t('scorecards.createdAt'), render: (_, v) => formatTime(v.createdAt) },
          { title: t('scorecards.publishedAt'), render: (_, v) => formatTime(v.publishedAt) },
        ]}
      />
      <Editor latest={items[0]?.version ?? null} />
      <Reinspection />
      {versions.error && <Button onClick={() => versions.refetch()}>{t('scorecards.retry')}</Button>}
    </Card>
  );
}
