// The playbook browser: search a brand's scenarios by Chinese text, full pinyin or initials
// (ts → 投诉), and read one with its lines rendered (the user's 工号 filled in, the brand's
// script). Admins edit the brand's YAML and publish it as the next version; the check's
// findings come back as file:line:col, and a click puts the cursor there.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Card, Col, Empty, Input, List, Modal, Row, Select, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { ApiError, api, ok } from '../../api/client';
import { useMe } from '../../auth';
import { useI18n } from '../../i18n/i18n';
import { useBrands } from '../../lib/brands';
import { GatedButton, useDenial } from '../common';
import { type LintFinding, lintFindings, YamlEditor } from '../yaml-editor';

function Scenario({ brand, id }: { brand: string; id: string }) {
  const { t, tx } = useI18n();
  const me = useMe().data;
  const scenario = useQuery({
    queryKey: ['scenario', brand, id, me?.agentNumber],
    queryFn: () =>
      ok(
        api.GET('/api/playbooks/{brand}/scenarios/{scenario}', {
          // Call variables are query parameters (?agentNumber=1024); the 工号 is the user's.
          params: {
            path: { brand, scenario: id },
            query: (me?.agentNumber ? { agentNumber: me.agentNumber } : {}) as never,
          },
        }),
      ),
  });
  if (!scenario.data) return null;
  const s = scenario.data;
  return (
    <Card size="small" title={s.title} extra={<Tag>{s.stage}</Tag>} data-testid="scenario">
      <Typography.Title level={5}>{t('playbooks.lines')}</Typography.Title>
      {s.lines.map((l) => (
        <Typography.Paragraph key={l.text} data-testid="scenario-line">
          {l.when && <Tag color="blue">{t('playbooks.when', { when: l.when })}</Tag>}
          {l.text}
          {l.missing.length > 0 && (
            <Typography.Text type="warning">
              {' '}
              {t('playbooks.missing', { names: l.missing.join('、') })}
            </Typography.Text>
          )}
        </Typography.Paragraph>
      ))}
      {s.steps.length > 0 && (
        <>
          <Typography.Title level={5}>{t('playbooks.steps')}</Typography.Title>
          <ol>
            {s.steps.map((st) => (
              <li key={st.text}>
                {st.text}
                {st.ticket && (
                  <Tag style={{ marginLeft: 8 }}>
                    {t('playbooks.ticket', { type: tx('ticket.type', st.ticket) })}
                  </Tag>
                )}
                {st.escalateTo && (
                  <Tag color="orange">{t('playbooks.escalateTo', { to: st.escalateTo })}</Tag>
                )}
              </li>
            ))}
          </ol>
        </>
      )}
    </Card>
  );
}

function Editor({ brand, version, onClose }: { brand: string; version: number; onClose(): void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [text, setText] = useState<string | null>(null);
  const [findings, setFindings] = useState<LintFinding[]>([]);
  useQuery({
    queryKey: ['playbook-yaml', brand],
    queryFn: async () => {
      const versions = await ok(api.GET('/api/playbooks/{brand}/versions', { params: { path: { brand } } }));
      const latest = versions.items[0];
      const content = latest
        ? (
            await ok(
              api.GET('/api/playbooks/{brand}/versions/{version}', {
                params: { path: { brand, version: latest.version } },
              }),
            )
          ).content
        : '';
      setText((prev) => prev ?? content);
      return content;
    },
    staleTime: Number.POSITIVE_INFINITY,
  });
  const publish = useMutation({
    meta: { quiet: true },
    mutationFn: () =>
      ok(api.PUT('/api/playbooks/{brand}', { params: { path: { brand } }, body: { content: text ?? '' } })),
    onSuccess: (v) => {
      message.success(t('playbooks.published', { n: v.version }));
      void client.invalidateQueries({ queryKey: ['brands'] });
      void client.invalidateQueries({ queryKey: ['scenario'] });
      void client.invalidateQueries({ queryKey: ['playbook-search'] });
      void client.removeQueries({ queryKey: ['playbook-yaml', brand] });
      onClose();
    },
    onError: (error) => {
      if (error instanceof ApiError && error.details.length > 0)
        setFindings(lintFindings(error, `${brand}.yaml`));
      else message.error(error.message);
    },
  });

  return (
    <Modal
      open
      width={960}
      title={t('playbooks.editor', { brand })}
      okText={t('playbooks.publish')}
      cancelText={t('common.cancel')}
      onCancel={onClose}
      onOk={() => publish.mutate()}
      confirmLoading={publish.isPending}
      okButtonProps={{ 'data-testid': 'playbook-publish' }}
    >
      <Typography.Paragraph type="secondary">
        {t('playbooks.versionHint', { n: version })}
      </Typography.Paragraph>
      <YamlEditor
        text={text}
        onChange={setText}
        findings={findings}
        findingsTitle={t('playbooks.lintErrors')}
        height={420}
        testId="playbook-yaml"
      />
    </Modal>
  );
}

export function PlaybooksPage() {
  const { t } = useI18n();
  const brands = useBrands().data ?? [];
  const me = useMe().data;
  const deny = useDenial();
  const [params, setParams] = useSearchParams();
  const brand = params.get('brand') ?? me?.brand ?? brands[0]?.brand ?? '';
  const q = params.get('q') ?? '';
  const picked = params.get('scenario');
  const [editing, setEditing] = useState(false);
  const set = (patch: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) v ? next.set(k, v) : next.delete(k);
    setParams(next, { replace: true });
  };
  const results = useQuery({
    queryKey: ['playbook-search', brand, q],
    queryFn: () => ok(api.GET('/api/playbooks/search', { params: { query: { q, brand, limit: 30 } } })),
    enabled: q.trim() !== '' && brand !== '',
  });
  const current = brands.find((b) => b.brand === brand);
  return (
    <Card
      title={t('playbooks.title')}
      data-testid="playbooks-page"
      extra={
        <Space>
          <Select
            style={{ width: 160 }}
            value={brand || undefined}
            onChange={(v) => set({ brand: v, scenario: null })}
            options={brands.map((b) => ({ value: b.brand, label: b.name }))}
            data-testid="playbook-brand"
            aria-label={t('common.brand')}
          />
          {current && (
            <Tag data-testid="playbook-version">{t('playbooks.version', { n: current.version })}</Tag>
          )}
          <GatedButton
            reason={deny('put', '/api/playbooks/{brand}')}
            onClick={() => setEditing(true)}
            data-testid="playbook-edit"
          >
            {t('playbooks.edit')}
          </GatedButton>
        </Space>
      }
    >
      <Row gutter={12}>
        <Col span={9}>
          <Input.Search
            allowClear
            defaultValue={q}
            placeholder={t('playbooks.search')}
            onSearch={(v) => set({ q: v.trim() || null })}
            data-testid="playbook-search"
          />
          {q ? (
            <List
              size="small"
              locale={{ emptyText: t('playbooks.noResults') }}
              loading={results.isFetching}
              dataSource={results.data?.items ?? []}
              renderItem={(r) => (
                <List.Item
                  onClick={() => set({ scenario: r.scenarioId })}
                  style={{ cursor: 'pointer', background: r.scenarioId === picked ? '#e6f4ff' : undefined }}
                >
                  <span data-testid="playbook-hit" data-scenario={r.scenarioId}>
                    {r.title} <Tag>{r.stage}</Tag>
                  </span>
                </List.Item>
              )}
            />
          ) : (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('playbooks.typeToSearch')} />
          )}
        </Col>
        <Col span={15}>
          {picked && brand ? (
            <Scenario brand={brand} id={picked} />
          ) : (
            <Empty description={t('playbooks.pickScenario')} />
          )}
        </Col>
      </Row>
      {editing && current && (
        <Editor brand={brand} version={current.version} onClose={() => setEditing(false)} />
      )}
    </Card>
  );
}
