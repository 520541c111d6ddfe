// One-click tickets from the call: each button opens a short form already filled from the call
// (ticket-form.tsx, its own chunk: the form, its date pickers and selects are loaded when an
// agent first opens one, not with the console).
import { Button, Space, Tag } from 'antd';
import { lazy, Suspense, useEffect } from 'react';
import type { TicketType } from '../api/enums.gen';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/zh';
import { Loading } from '../pages/basic';
import { keyOf } from './shortcuts';
import type { CallView } from './state';

const loadForm = () => import('./ticket-form');
const TicketForm = lazy(async () => ({ default: (await loadForm()).TicketForm }));

/** The ticket types a call opens in one click (the console's choice, of the server's TicketType). */
export const TICKET_KINDS = [
  'complaint',
  'repair',
  'technical',
  'callback',
  'suggestion',
  'message',
  'harassment',
] as const satisfies readonly TicketType[];
export type TicketKind = (typeof TICKET_KINDS)[number];

export function TicketButtons({
  open,
  onOpen,
  onClose,
  onHarassment,
}: {
  /**
   * The form open and the call it files for (the console's state: its keys open one too). That
   * call, not the current one: the next call may ring in while the agent fills the form.
   */
  open: { kind: TicketKind; call: CallView } | null;
  onOpen: (kind: TicketKind) => void;
  onClose: () => void;
  /** A live call: its hang-up will carry `harassment: true`. */
  onHarassment: (callId: string) => void;
}) {
  const { t } = useI18n();
  useEffect(() => {
    // Fetched once the console is idle, so that the first click opens the form at once.
    const idle = window.requestIdleCallback ?? ((f: () => void) => window.setTimeout(f, 1000));
    idle(() => void loadForm().catch(() => {}));
  }, []);
  return (
    <>
      <Space size={[4, 4]} wrap data-testid="ticket-buttons">
        {TICKET_KINDS.map((k) => (
          <Button key={k} size="small" data-testid={`ticket-${k}`} onClick={() => onOpen(k)}>
            {t(`console.ticket.${k}` as MessageKey)}
            <Tag style={{ marginLeft: 4, marginRight: 0, fontSize: 11, lineHeight: '16px' }}>
              {keyOf(`ticket-${k}`)}
            </Tag>
          </Button>
        ))}
      </Space>
      {open && (
        <Suspense fallback={<Loading />}>
          <TicketForm
            call={open.call}
            kind={open.kind}
            onClose={onClose}
            onHarassment={() => onHarassment(open.call.callId)}
          />
        </Suspense>
      )}
    </>
  );
}
