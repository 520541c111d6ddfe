// A brand's sampling plan (抽检方案), for QA leads and room directors: every fatal and complaint
// call, plus a share or a number of calls per agent per week drawn with a seed; days to review
// and to appeal; how reviews are shared out. "Run" samples one week (its Monday) and assigns.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, InputNumber, Select, Space, Switch } from 'antd';
import { useEffect, useState } from 'react';
import { api, ok } from '../../api/client';
import type { components } from '../../api/schema';
import { useMe } from '../../auth';
import { useI18n } from '../../i18n/i18n';
import { useBrands } from '../../lib/brands';
import { useFieldErrors } from '../common';

type Plan = components['schemas']['SamplingPlan'];

export function PlanCard() {
  const { t } = useI18n();
  const me = useMe().data;
  const brands = useBrands().data ?? [];
  const client = useQueryClient();
  const { message } = App.useApp();
  const showFieldErrors = useFieldErrors();
  const [form] = Form.useForm<Omit<Plan, 'brand'>>();
  const [chosen, setBrand] = useState<string>(me?.brand ?? 'zhonghua');
  // A brand-limited account plans its own brand only (another's answers 403).
  const brand = me?.brand ?? chosen;
  const [week, setWeek] = useState('');
  const plan = useQuery({
    queryKey: ['review-plan', brand],
    queryFn: () => ok(api.GET('/api/review/plans/{brand}', { params: { path: { brand } } })),
  });
  // Another brand's plan (plan.data changes with the brand) starts from blank fields, never
  // from the previous brand's values.
  useEffect(() => {
    form.resetFields();
    if (plan.data) form.setFieldsValue(plan.data);
  }, [plan.data, form]);
  const save = useMutation({
    meta: { quiet: true },
    mutationFn: (v: Omit<Plan, 'brand'>) =>
      ok(api.PUT('/api/review/plans/{brand}', { params: { path: { brand } }, body: v })),
    onSuccess: () => {
      message.success(t('plan.saved'));
      void client.invalidateQueries({ queryKey: ['review-plan', brand] });
    },
    onError: (error) => {
      if (!showFieldErrors(form, error)) message.error(error.message);
    },
  });
  const run = useMutation({
    meta: { quiet: true },
    mutationFn: () =>
      ok(
        api.POST('/api/review/plans/{brand}/run', {
          params: { path: { brand } },
          body: week.trim() ? { week: week.trim() } : {},
        }),
      ),
    onSuccess: (r) => {
      message.success(t('plan.assigned', { n: r.assigned.length }));
      void client.invalidateQueries({ queryKey: ['reviews'] });
    },
    onError: (error) => message.error(error.message),
  });
  return (
    <Card
      title={t('plan.title')}
      data-testid="plan-card"
      style={{ marginBottom: 16 }}
      extra={
        <Select
          style={{ width: 160 }}
          value={brand}
          onChange={setBrand}
          data-testid="plan-brand"
          options={brands
            .filter((b) => !me?.brand || b.brand === me.brand)
            .map((b) => ({ value: b.brand, label: b.name }))}
        />
      }
    >
      <Form form={form} layout="inline" onFinish={(v) => save.mutate(v)} data-testid="plan-form">
        <Form.Item name="allFatal" label={t('plan.allFatal')} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item name="allComplaints" label={t('plan.allComplaints')} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item name="mode" label={t('plan.mode')}>
          <Select
            style={{ width: 150 }}
            data-testid="plan-mode"
            options={[
              { value: 'percent', label: t('plan.mode.percent') },
              { value: 'count', label: t('plan.mode.count') },
            ]}
          />
        </Form.Item>
        <Form.Item name="amount" label={t('plan.amount')}>
          <InputNumber min={0} data-testid="plan-amount" />
        </Form.Item>
        <Form.Item name="seed" label={t('plan.seed')}>
          <InputNumber min={0} data-testid="plan-seed" />
        </Form.Item>
        <Form.Item name="dueDays" label={t('plan.dueDays')}>
          <InputNumber min={1} max={60} />
        </Form.Item>
        <Form.Item name="appealWindowDays" label={t('plan.appealWindowDays')}>
          <InputNumber min={1} max={90} />
        </Form.Item>
        <Form.Item name="assign" label={t('plan.assign')}>
          <Select
            style={{ width: 130 }}
            options={[
              { value: 'least-loaded', label: t('plan.assign.least-loaded') },
              { value: 'round-robin', label: t('plan.assign.round-robin') },
            ]}
          />
        </Form.Item>
        <Button htmlType="submit" loading={save.isPending} data-testid="plan-save">
          {t('common.save')}
        </Button>
      </Form>
      <Space style={{ marginTop: 12 }}>
        <Input
          placeholder={t('plan.week')}
          value={week}
          onChange={(e) => setWeek(e.target.value)}
          style={{ width: 220 }}
          data-testid="plan-week"
        />
        <Button type="primary" onClick={() => run.mutate()} loading={run.isPending} data-testid="plan-run">
          {t('plan.run')}
        </Button>
      </Space>
    </Card>
  );
}
