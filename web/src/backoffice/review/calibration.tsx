// Calibration (校准): a session gives the same calls to several inspectors, who review them
// blind; the table shows per rule how often they agreed, Cohen's kappa (mean over pairs) and
// Fleiss' kappa, and how often the machine agreed with them. Below, the machine's measured
// precision per rule and week from every completed review: which rules to trust.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { api, ok } from '../../api/client';
import { useMe } from '../../auth';
import { useI18n } from '../../i18n/i18n';
import { useBrands } from '../../lib/brands';
import { useRuleTitle } from '../../lib/rules';
import { useFieldErrors } from '../common';

const pct = (v: number | null) => (v === null ? '—' : `${Math.round(v * 1000) / 10}%`);
const num = (v: number | null) => (v === null ? '—' : v.toFixed(2));

interface NewSession {
  brand: string;
  title: string;
  calls: string;
  inspectorIds: string[];
}

export function CalibrationPage() {
  const { t } = useI18n();
  const ruleTitle = useRuleTitle();
  const me = useMe().data;
  const brands = useBrands().data ?? [];
  const client = useQueryClient();
  const { message } = App.useApp();
  const showFieldErrors = useFieldErrors();
  const [form] = Form.useForm<NewSession>();
  const [selected, setSelected] = useState<string | null>(null);
  const brand = me?.brand ?? brands[0]?.brand ?? '';
  // Preselected once known (the account and the brands may arrive after the first render).
  useEffect(() => {
    if (brand && (me?.brand || !form.getFieldValue('brand'))) form.setFieldValue('brand', brand);
  }, [brand, me?.brand, form]);
  const sessions = useQuery({ queryKey: ['calibrations'], queryFn: () => ok(api.GET('/api/calibrations')) });
  const colleagues = useQuery({ queryKey: ['colleagues'], queryFn: () => ok(api.GET('/api/colleagues')) });
  const inspectors = [
    ...(me && me.role === 'qa-lead' ? [{ id: me.id, displayName: me.displayName }] : []),
    ...(colleagues.data?.items ?? []).filter((u) => u.role === 'qa-inspector' || u.role === 'qa-lead'),
  ];
  const current = selected ?? sessions.data?.items[0]?.id ?? null;
  const report = useQuery({
    queryKey: ['calibration', current],
    enabled: current !== null,
    queryFn: () => ok(api.GET('/api/calibrations/{id}', { params: { path: { id: current ?? '' } } })),
  });
  const since = new Date(Date.now() - 90 * 86_400_000).toISOString();
  const precision = useQuery({
    queryKey: ['precision', brand],
    enabled: brand !== '',
    queryFn: () =>
      ok(
        api.GET('/api/review/precision', {
          params: { query: { brand, from: since, to: new Date(Date.now() + 86_400_000).toISOString() } },
        }),
      ),
  });
  const create = useMutation({
    meta: { quiet: true },
    mutationFn: (v: NewSession) =>
      ok(
        api.POST('/api/calibrations', {
          body: {
            brand: v.brand,
            title: v.title,
            callIds: v.calls
              .split(/[\s,，、]+/)
              .map((s) => s.trim())
              .filter(Boolean),
            inspectorIds: v.inspectorIds ?? [],
          },
        }),
      ),
    onSuccess: (s) => {
      message.success(t('calibration.created'));
      form.resetFields();
      setSelected(s.id);
      void client.invalidateQueries({ queryKey: ['calibrations'] });
    },
    onError: (error) => {
      // The call ids are typed in one field (body.callIds.N on the server): under it, which one.
      if (!showFieldErrors(form, error, { callIds: ['calls'] })) message.error(error.message);
    },
  });
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="calibration-page">
      <Card title={t('calibration.new')}>
        <Form<NewSession>
          form={form}
          layout="inline"
          initialValues={{ brand }}
          onFinish={(v) => create.mutate(v)}
          data-testid="calibration-form"
        >
          <Form.Item name="brand" rules={[{ required: true }]}>
            <Select
              style={{ width: 140 }}
              showSearch
              optionFilterProp="label"
              data-testid="calibration-brand"
              // A brand-limited account calibrates its own brand only (another's answers 403).
              options={brands
                .filter((b) => !me?.brand || b.brand === me.brand)
                .map((b) => ({ value: b.brand, label: b.name }))}
            />
          </Form.Item>
          <Form.Item name="title" rules={[{ required: true, message: t('calibration.titleRequired') }]}>
            <Input placeholder={t('calibration.sessionTitle')} data-testid="calibration-title" />
          </Form.Item>
          <Form.Item name="calls" rules={[{ required: true, message: t('calibration.callsRequired') }]}>
            <Input
              placeholder={t('calibration.calls')}
              style={{ width: 220 }}
              data-testid="calibration-calls"
            />
          </Form.Item>
          <Form.Item name="inspectorIds">
            <Select
              mode="multiple"
              optionFilterProp="label"
              style={{ minWidth: 220 }}
              placeholder={t('calibration.inspectors')}
              data-testid="calibration-inspectors"
              options={inspectors.map((u) => ({ value: u.id, label: u.displayName }))}
            />
          </Form.Item>
          <Button
            type="primary"
            htmlType="submit"
            loading={create.isPending}
            data-testid="calibration-create"
          >
            {t('calibration.create')}
          </Button>
        </Form>
      </Card>
      <Card
        title={t('calibration.title')}
        extra={
          <Select
            style={{ width: 260 }}
            value={current}
            onChange={setSelected}
            data-testid="calibration-session"
            options={(sessions.data?.items ?? []).map((s) => ({ value: s.id, label: s.title }))}
          />
        }
      >
        {report.data ? (
          <>
            <Space style={{ marginBottom: 12 }} wrap>
              {report.data.session.inspectors.map((i) => (
                <Tag key={i.id}>
                  {i.name ?? i.id}: {i.done}/{report.data.session.callIds.length}
                </Tag>
              ))}
              <Typography.Text data-testid="calibration-complete">
                {t('calibration.completeCalls', { n: report.data.completeCalls })}
              </Typography.Text>
            </Space>
            <Table
              rowKey="rule"
              size="small"
              pagination={false}
              dataSource={report.data.rules}
              onRow={(r) => ({ 'data-rule': r.rule }) as React.HTMLAttributes<HTMLElement>}
              columns={[
                { title: t('review.rule'), render: (_, r) => `${ruleTitle(r.rule, r.title)} (${r.rule})` },
                { title: t('calibration.callCount'), dataIndex: 'calls' },
                { title: t('calibration.failedBySomeone'), dataIndex: 'failedBySomeone' },
                { title: t('calibration.agreement'), render: (_, r) => pct(r.percentAgreement) },
                { title: t('calibration.kappa'), render: (_, r) => num(r.kappa) },
                { title: t('calibration.fleiss'), render: (_, r) => num(r.fleissKappa) },
                { title: t('calibration.machine'), render: (_, r) => pct(r.machineAgreement) },
              ]}
            />
          </>
        ) : (
          <Typography.Text type="secondary">{t('calibration.none')}</Typography.Text>
        )}
      </Card>
      <Card title={t('calibration.precision')}>
        <Table
          rowKey={(r) => `${r.rule}|${r.week}`}
          size="small"
          pagination={false}
          dataSource={precision.data?.items ?? []}
          data-testid="precision-table"
          columns={[
            { title: t('review.rule'), render: (_, r) => `${ruleTitle(r.rule, r.title)} (${r.rule})` },
            { title: t('calibration.week'), dataIndex: 'week' },
            { title: t('calibration.confirmed'), dataIndex: 'confirmed' },
            { title: t('calibration.wrong'), dataIndex: 'wrong' },
            { title: t('calibration.missed'), dataIndex: 'missed' },
            { title: t('calibration.precisionCol'), render: (_, r) => pct(r.precision) },
          ]}
        />
      </Card>
    </Space>
  );
}
