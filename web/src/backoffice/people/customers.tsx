// Customers: search by a number in any spelling (+86, spaces, dashes, full-width digits, the
// last digits) or by surname; a customer opens their latest calls and tickets. A whole number
// opens its history even without a customer record (a ticket filed without a stored call has
// none), and `?phone=` opens it directly (a ticket's customer number links here).
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Drawer, Empty, Input, List, Row, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, ok } from '../../api/client';
import type { components } from '../../api/schema';
import { useI18n } from '../../i18n/i18n';
import { useFormatTime } from '../../lib/brands';
import { formatPhone, phoneDigits } from '../../lib/phone';

type Customer = components['schemas']['Customer'];

export function CustomersPage() {
  const { t, tx } = useI18n();
  const fmt = useFormatTime();
  const [params] = useSearchParams();
  const linked = phoneDigits(params.get('phone') ?? '') ?? null;
  const [query, setQuery] = useState<{ phone?: string; surname?: string }>(linked ? { phone: linked } : {});
  const [selected, setSelected] = useState<string | null>(linked);
  const list = useQuery({
    queryKey: ['customers', query],
    queryFn: () => ok(api.GET('/api/customers', { params: { query: { ...query, limit: 50 } } })),
  });
  const history = useQuery({
    queryKey: ['customer-history', selected],
    queryFn: () =>
      ok(
        api.GET('/api/customers/{phone}/history', {
          params: { path: { phone: selected ?? '' }, query: { limit: 20 } },
        }),
      ),
    enabled: selected !== null,
  });
  const search = (text: string) => {
    const v = text.trim();
    if (!v) return setQuery({});
    const digits = phoneDigits(v);
    setQuery(digits ? { phone: digits } : { surname: v });
  };
  const h = history.data;
  // A whole number (7 digits or more, not a 尾号) nobody recorded as a customer still has a history.
  const wholeNumber = query.phone && query.phone.length >= 7 ? query.phone : null;
  const unrecorded = wholeNumber && list.data && list.data.items.length === 0 ? wholeNumber : null;
  return (
    <Card
      title={t('customers.title')}
      data-testid="customers-page"
      extra={
        <Input.Search
          allowClear
          placeholder={t('customers.search')}
          onSearch={search}
          style={{ width: 300 }}
          data-testid="customer-search"
        />
      }
    >
      <Typography.Paragraph type="secondary">{t('customers.hint')}</Typography.Paragraph>
      <Table<Customer>
        rowKey="id"
        size="small"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: t('customers.empty') }}
        pagination={false}
        onRow={(c) =>
          ({
            onClick: () => setSelected(c.phone),
            style: { cursor: 'pointer' },
            'data-phone': c.phone,
          }) as React.HTMLAttributes<HTMLElement>
        }
        columns={[
          { title: t('customers.phone'), dataIndex: 'phone', render: (v: string) => formatPhone(v) },
          { title: t('customers.name'), render: (_, c) => `${c.surname ?? ''}${c.title ?? ''}` || '—' },
          { title: t('customers.notes'), dataIndex: 'notes', ellipsis: true },
          { title: t('customers.updated'), dataIndex: 'updatedAt', render: (v: string) => fmt(v) },
        ]}
      />
      {unrecorded && (
        <Button
          style={{ marginTop: 12 }}
          onClick={() => setSelected(unrecorded)}
          data-testid="customer-number-history"
        >
          {t('customers.numberHistory', { phone: formatPhone(unrecorded) })}
        </Button>
      )}
      <Drawer
        open={selected !== null}
        onClose={() => setSelected(null)}
        width={640}
        title={`${t('customers.history')} · ${selected ? formatPhone(selected) : ''}`}
      >
        <div data-testid="customer-history">
          {history.error && (
            <Alert
              type="error"
              showIcon
              message={history.error.message}
              data-testid="customer-history-error"
            />
          )}
          {h && !h.customer && (
            <Typography.Paragraph>
              {t('customers.noRecord', { phone: formatPhone(h.phone) })}
            </Typography.Paragraph>
          )}
          {h?.customer && (
            <Typography.Paragraph>
              <Typography.Text
                strong
              >{`${h.customer.surname ?? ''}${h.customer.title ?? ''}`}</Typography.Text>{' '}
              {h.customer.notes}
            </Typography.Paragraph>
          )}
          <Row gutter={12}>
            <Col span={12}>
              <Typography.Title level={5}>{t('customers.calls')}</Typography.Title>
              {h && h.calls.length === 0 ? (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
              ) : (
                <List
                  size="small"
                  dataSource={h?.calls ?? []}
                  renderItem={(c) => (
                    <List.Item>
                      <span data-testid="history-call">
                        <Link to={`/calls/${c.id}`}>{fmt(c.startedAt, c.brand)}</Link> {c.subject ?? ''}{' '}
                        {c.answered === false && <Tag>{t('common.no')}</Tag>}
                      </span>
                    </List.Item>
                  )}
                />
              )}
            </Col>
            <Col span={12}>
              <Typography.Title level={5}>{t('customers.tickets')}</Typography.Title>
              {h && h.tickets.length === 0 ? (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
              ) : (
                <List
                  size="small"
                  dataSource={h?.tickets ?? []}
                  renderItem={(tk) => (
                    <List.Item>
                      <span data-testid="history-ticket">
                        {/* The number the caller may read out, and what kind of case it is. */}
                        <Typography.Text type="secondary" data-testid="history-ticket-number">
                          {tk.number ?? '—'}
                        </Typography.Text>{' '}
                        <Tag data-testid="history-ticket-type">{tx('ticket.type', tk.type)}</Tag>
                        <Link to={`/tickets/${tk.id}`}>{tk.subject}</Link>{' '}
                        <Tag>{tx('ticket.status', tk.status)}</Tag>
                      </span>
                    </List.Item>
                  )}
                />
              )}
            </Col>
          </Row>
        </div>
      </Drawer>
    </Card>
  );
}
