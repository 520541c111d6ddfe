// The form of a one-click ticket (tickets.tsx), already filled from the call (brand, caller,
// call id, a subject from what the caller said, the last turns as the description) for
// POST /api/tickets; harassment also lists the number on the blacklist (POST /api/blacklist
// with the call id, once the call is stored) or marks the hang-up for it. The contact number
// is the caller's, editable and checked (a complaint's is required: the desk calls back); a
// complaint shows when its reply is due (GET /api/complaint-promise), what the agent tells
// the caller. Its own chunk.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, DatePicker, Form, Input, Modal, Radio, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useRef } from 'react';
import { ApiError, api, ok } from '../api/client';
import { ComplaintSubtype, type TicketPriority } from '../api/enums.gen';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/zh';
import { useFormatTime } from '../lib/brands';
import { formatPhone, halfWidth, phoneDigits } from '../lib/phone';
import { isMainland } from './panels';
import type { CallView } from './state';
import type { TicketKind } from './tickets';

interface FormValues {
  subject: string;
  /** The contact number as typed (the caller's, prefilled). */
  contact?: string;
  description: string;
  priority?: TicketPriority;
  subtype?: ComplaintSubtype;
  visit?: [Dayjs, Dayjs];
  dueAt?: Dayjs;
  department?: string;
  colleague?: string;
  /** Whom a complaint is about: nobody (a product, the service), this agent, or another (by 工号). */
  about?: 'service' | 'me' | 'colleague';
  aboutNumber?: string;
}

/** A typed 工号: trimmed, full-width digits (a Chinese input method's) as ASCII. */
function agentNumberOf(typed: string): string {
  return halfWidth(typed.trim());
}

/** A typed contact number as the API's digits, or undefined when it is no mainland number. */
function contactOf(typed: string | undefined): string | undefined {
  const digits = phoneDigits(typed ?? '');
  return isMainland(digits) ? digits : undefined;
}

/** What the caller said first (the subject) and the last turns (the description). */
function prefill(call: CallView): { subject: string; description: string } {
  const said = call.turns.filter((t) => t.speaker === 'customer');
  const subject = (said[0]?.text ?? '').slice(0, 60);
  const description = call.turns
    .slice(-6)
    .map((t) => `${t.speaker === 'agent' ? '坐席' : '客户'}：${t.text}`)
    .join('\n');
  return { subject, description };
}

export function TicketForm({
  call,
  kind,
  onClose,
  onHarassment,
}: {
  call: CallView;
  kind: TicketKind;
  onClose: () => void;
  onHarassment: () => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const queries = useQueryClient();
  const [form] = Form.useForm<FormValues>();
  const colleagues = useQuery({
    queryKey: ['console', 'colleagues'],
    enabled: kind === 'message',
    queryFn: () => ok(api.GET('/api/colleagues')),
  });
  const phone = call.card?.caller;
  const about = Form.useWatch('about', form);
  const priority = Form.useWatch('priority', form);
  const formatTime = useFormatTime();
  // The reply this complaint is promised, per priority, if filed now (the brand's policy).
  const promise = useQuery({
    queryKey: ['console', 'complaint-promise', call.brand],
    enabled: kind === 'complaint',
    queryFn: () => ok(api.GET('/api/complaint-promise', { params: { query: { brand: call.brand } } })),
    staleTime: 30_000,
  });
  const promised = (p: TicketPriority | undefined) => promise.data?.options.find((o) => o.priority === p);
  /** The ticket this form filed (a harassment ticket whose blacklist step is still to do). */
  const filed = useRef<{ id: string; number?: string | null } | null>(null);
  const create = useMutation({
    meta: { quiet: true },
    mutationFn: async (v: FormValues) => {
      const common = {
        brand: call.brand,
        subject: v.subject,
        description: v.description,
        callId: call.callId,
        // The customer is the caller (their card and history); a number they give to be called
        // back on goes apart, as the contact number (the server defaults it to theirs).
        ...(isMainland(phone) ? { customerPhone: phone } : {}),
        ...(kind !== 'harassment' && contactOf(v.contact) ? { contactPhone: contactOf(v.contact) } : {}),
        ...(v.priority ? { priority: v.priority } : {}),
      };
      const body = (() => {
        switch (kind) {
          case 'complaint': {
            // Only as chosen: the server never takes the call's agent by default.
            const about =
              v.about === 'me' && call.agentNumber
                ? call.agentNumber
                : v.about === 'colleague'
                  ? agentNumberOf(v.aboutNumber ?? '')
                  : undefined;
            return {
              ...common,
              type: 'complaint' as const,
              subtype: v.subtype ?? 'other',
              ...(about ? { aboutAgentNumber: about } : {}),
            };
          }
          case 'repair':
            return {
              ...common,
              type: 'repair' as const,
              booking: 'repair' as const,
              visitWindow: {
                from: (v.visit?.[0] ?? dayjs()).toISOString(),
                to: (v.visit?.[1] ?? dayjs().add(3, 'hour')).toISOString(),
              },
            };
          case 'callback':
            return {
              ...common,
              type: 'callback' as const,
              reason: 'promised' as const,
              ...(v.dueAt ? { dueAt: v.dueAt.toISOString() } : {}),
            };
          case 'suggestion':
            return { ...common, type: 'suggestion' as const, department: v.department ?? '' };
          case 'message':
            return { ...common, type: 'message' as const, colleague: v.colleague ?? '' };
          case 'harassment':
            return { ...common, type: 'harassment' as const };
          case 'technical':
            return { ...common, type: 'technical' as const };
        }
      })();
      // Filed once: when the blacklist step after it failed, sending again only retries that.
      const ticket = filed.current ?? (await ok(api.POST('/api/tickets', { body })));
      filed.current = ticket;
      let listed: 'listed' | 'already' | null = null;
      if (kind === 'harassment') {
        if (call.status === 'ended' && !call.card?.practice) {
          // The call is stored: its caller goes on the blacklist now (the hang-up may have
          // listed it already: that is done, not a failure).
          try {
            await ok(
              api.POST('/api/blacklist', { body: { callId: call.callId, reason: v.subject || '骚扰电话' } }),
            );
            listed = 'listed';
          } catch (err) {
            if (!alreadyListed(err)) throw new ListingFailed(ticket.number ?? ticket.id, err);
            listed = 'already';
          }
        } else onHarassment();
      }
      return { ticket, listed };
    },
    onSuccess: ({ ticket, listed }) => {
      // The card's history shows the new ticket.
      void queries.invalidateQueries({ queryKey: ['console', 'history'] });
      message.success({
        // The short number (ZH-20261203-0001) is what the agent reads out to the caller.
        content: t(
          listed === 'listed'
            ? 'console.ticket.createdListed'
            : listed === 'already'
              ? 'console.ticket.createdAlreadyListed'
              : 'console.ticket.created',
          { number: ticket.number ?? ticket.id },
        ),
        key: 'ticket',
      });
      onClose();
    },
    onError: (err) => {
      // The card's history shows a ticket filed before the blacklist step failed.
      if (err instanceof ListingFailed) void queries.invalidateQueries({ queryKey: ['console', 'history'] });
      const content =
        err instanceof ListingFailed
          ? t('console.ticket.listingFailed', { number: err.number, message: err.message })
          : err instanceof Error
            ? err.message
            : String(err);
      message.error({ content, key: 'ticket' });
    },
  });
  // A product fault the caller described is about the product; anything else is left for the
  // agent to choose (the detectors do not tell a complaint about staff from one about the service).
  const productFault = call.situations.includes('product-fault');
  const initial: FormValues = {
    ...prefill(call),
    contact: isMainland(phone) ? formatPhone(phone) : '',
    priority: kind === 'complaint' ? 'standard' : undefined,
    subtype: productFault ? 'product-quality' : 'other',
    ...(productFault ? { about: 'service' as const } : {}),
    visit: [
      dayjs().add(1, 'day').hour(9).minute(0).second(0),
      dayjs().add(1, 'day').hour(12).minute(0).second(0),
    ],
  };
  return (
    <Modal
      // Inline, not in a portal on <body>: the body scroll lock injects a <style> without the
      // CSP nonce (refused under style-src 'nonce-…').
      getContainer={false}
      open
      // Whose call it files for: the next call may be ringing in meanwhile.
      title={`${t(`console.ticket.${kind}` as MessageKey)} · ${phone ? formatPhone(phone) : call.callId}`}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('console.ticket.submit')}
      confirmLoading={create.isPending}
      okButtonProps={{ 'data-testid': 'ticket-submit' } as Record<`data-${string}`, string>}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={initial}
        onFinish={(v) => create.mutate(v)}
        data-testid="ticket-form"
      >
        <Form.Item name="subject" label={t('console.ticket.subject')} rules={[{ required: true, max: 200 }]}>
          {/* The cursor where the agent types next, the form opened by a key or a click. */}
          <Input data-testid="ticket-subject" autoFocus />
        </Form.Item>
        {kind === 'complaint' && (
          <>
            <Form.Item
              name="priority"
              label={t('console.ticket.deadline')}
              extra={
                promised(priority) ? (
                  // What the agent tells the caller (seed 000 B.七.5), with the due time itself.
                  <span data-testid="ticket-promise">
                    {t('console.ticket.promise', {
                      due: formatTime(promised(priority)?.dueAt, call.brand),
                    })}
                    {promised(priority)?.basis === 'working' ? t('console.ticket.promise.working') : ''}
                  </span>
                ) : undefined
              }
            >
              <Radio.Group
                data-testid="ticket-priority"
                options={[
                  {
                    value: 'urgent',
                    label: promised('urgent')
                      ? t('console.ticket.urgentHours', { hours: promised('urgent')?.hours ?? '' })
                      : t('console.ticket.urgent'),
                  },
                  {
                    value: 'standard',
                    label: promised('standard')
                      ? t('console.ticket.standardHours', { hours: promised('standard')?.hours ?? '' })
                      : t('console.ticket.standard'),
                  },
                ]}
              />
            </Form.Item>
            <Form.Item name="subtype" label={t('console.ticket.subtype')}>
              <Select
                options={ComplaintSubtype.map((s) => ({
                  value: s,
                  label: t(`console.ticket.subtype.${s}` as MessageKey),
                }))}
              />
            </Form.Item>
            <Form.Item
              name="about"
              label={t('console.ticket.about')}
              rules={[{ required: true, message: t('console.ticket.about.required') }]}
            >
              <Radio.Group
                data-testid="ticket-about"
                options={[
                  { value: 'service', label: t('console.ticket.about.service') },
                  {
                    value: 'me',
                    label: t('console.ticket.about.me', { number: call.agentNumber ?? '—' }),
                    disabled: !call.agentNumber,
                  },
                  { value: 'colleague', label: t('console.ticket.about.colleague') },
                ]}
              />
            </Form.Item>
            {about === 'colleague' && (
              <Form.Item
                name="aboutNumber"
                label={t('console.ticket.about.number')}
                rules={[
                  { required: true, whitespace: true },
                  {
                    // A 工号 is 2–8 digits (as on the account): else the complaint names nobody.
                    validator: (_, value: string | undefined) =>
                      !value?.trim() || /^\d{2,8}$/.test(agentNumberOf(value))
                        ? Promise.resolve()
                        : Promise.reject(new Error(t('console.ticket.about.numberInvalid'))),
                  },
                ]}
              >
                <Input data-testid="ticket-about-number" />
              </Form.Item>
            )}
          </>
        )}
        {kind !== 'harassment' && (
          <Form.Item
            name="contact"
            label={t('console.ticket.contact')}
            rules={[
              // A complaint is answered by phone within its deadline: the desk needs the number.
              ...(kind === 'complaint'
                ? [{ required: true, whitespace: true, message: t('console.ticket.contact.required') }]
                : []),
              {
                validator: (_: unknown, value: string | undefined) =>
                  !value?.trim() || contactOf(value)
                    ? Promise.resolve()
                    : Promise.reject(new Error(t('console.ticket.contact.invalid'))),
              },
            ]}
          >
            <Input data-testid="ticket-contact" inputMode="tel" />
          </Form.Item>
        )}
        {kind === 'repair' && (
          <Form.Item name="visit" label={t('console.ticket.visit')} rules={[{ required: true }]}>
            <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
          </Form.Item>
        )}
        {kind === 'callback' && (
          <Form.Item name="dueAt" label={t('console.ticket.dueAt')}>
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
          </Form.Item>
        )}
        {kind === 'suggestion' && (
          <Form.Item name="department" label={t('console.ticket.department')} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
        )}
        {kind === 'message' && (
          <Form.Item name="colleague" label={t('console.ticket.colleague')} rules={[{ required: true }]}>
            <Select
              showSearch
              optionFilterProp="label"
              loading={colleagues.isPending}
              // Only colleagues who may work the call's brand: without a brand, or of this one.
              options={(colleagues.data?.items ?? [])
                .filter((u) => u.brand === null || u.brand === call.brand)
                .map((u) => ({
                  value: u.id,
                  label: `${u.displayName}${u.agentNumber ? ` (${u.agentNumber})` : ''}`,
                }))}
            />
          </Form.Item>
        )}
        <Form.Item name="description" label={t('console.ticket.description')}>
          <Input.TextArea rows={4} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** The blacklist step of a harassment ticket failed; the ticket itself was filed. */
class ListingFailed extends Error {
  constructor(
    readonly number: string,
    err: unknown,
  ) {
    super(err instanceof Error ? err.message : String(err));
  }
}

/**
 * POST /api/blacklist refused because the number is on the blacklist already (its one conflict,
 * on body.phone; the detail's text is in the UI's language).
 */
function alreadyListed(err: unknown): boolean {
  return (
    err instanceof ApiError && err.code === 'conflict' && err.details.some((d) => d.path === 'body.phone')
  );
}
