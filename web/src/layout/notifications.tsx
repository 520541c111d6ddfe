// The notification bell: the unread count (GET /api/notifications?unread=true), refreshed the
// moment the server pushes one (Server-Sent Events, GET /api/notifications/stream: breach,
// escalation, assignment), with the latest in a dropdown. EventSource reconnects by itself.
import { BellOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Badge, Button, Empty, List, Popover, Typography } from 'antd';
import { useEffect, useRef } from 'react';
import { Link } from 'react-router';
import { api, ok, pageUserId } from '../api/client';
import type { components } from '../api/schema';
import { ME_KEY } from '../auth';
import { useI18n } from '../i18n/i18n';
import { useFormatTime } from '../lib/brands';
import { useNotificationText } from '../lib/notes';
import { useSessionEpoch } from '../session';

const KEY = ['notifications'] as const;

export function NotificationBell() {
  const { t } = useI18n();
  const client = useQueryClient();
  const { notification } = App.useApp();
  const fmt = useFormatTime();
  const text = useNotificationText();
  // The stream's toast reads the text as the UI's language is now, without a new stream when
  // the rule titles (for a review's notification in English) arrive.
  const textNow = useRef(text);
  textNow.current = text;
  const list = useQuery({
    queryKey: KEY,
    queryFn: () => ok(api.GET('/api/notifications', { params: { query: { limit: 20 } } })),
  });
  // A new stream after signing in again (an EventSource refused with 401 does not retry).
  const epoch = useSessionEpoch();
  useEffect(() => {
    void epoch;
    // Named for the page's user: refused (and closed) once the cookie is another user's.
    const user = pageUserId();
    const source = new EventSource(
      `/api/notifications/stream${user ? `?user=${encodeURIComponent(user)}` : ''}`,
    );
    // Refused, not dropped (EventSource retries a dropped stream itself): who the cookie is now
    // is asked again, and the session dialog shows (signed out, or another user signed in).
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED) void client.invalidateQueries({ queryKey: ME_KEY });
    };
    source.addEventListener('notification', (e) => {
      const data = JSON.parse((e as MessageEvent<string>).data) as components['schemas']['NotificationEvent'];
      notification.info({
        message: t('notifications.new'),
        description: textNow.current(data.message),
        placement: 'bottomRight',
      });
      void client.invalidateQueries({ queryKey: KEY });
      void client.invalidateQueries({ queryKey: ['tickets'] });
      // The review's notifications (a review assigned, an appeal filed or judged) carry no
      // ticket: the review and appeal lists and their switch counts are asked again.
      if (!data.ticketId) {
        void client.invalidateQueries({ queryKey: ['reviews'] });
        void client.invalidateQueries({ queryKey: ['review'] });
        void client.invalidateQueries({ queryKey: ['appeals'] });
      }
    });
    return () => source.close();
  }, [client, notification, t, epoch]);
  const readAll = useMutation({
    mutationFn: () => ok(api.POST('/api/notifications/read-all')),
    onSuccess: () => client.invalidateQueries({ queryKey: KEY }),
  });
  const unread = list.data?.unread ?? 0;
  const content = (
    <div style={{ width: 360, maxHeight: 420, overflow: 'auto' }}>
      {list.data && list.data.items.length > 0 ? (
        <List
          size="small"
          dataSource={list.data.items}
          renderItem={(n) => (
            <List.Item>
              <List.Item.Meta
                title={
                  <Typography.Text strong={!n.readAt} data-testid="notification-item">
                    {n.ticketId ? (
                      <Link to={`/tickets/${n.ticketId}`}>{text(n.message)}</Link>
                    ) : (
                      text(n.message)
                    )}
                  </Typography.Text>
                }
                description={fmt(n.at)}
              />
            </List.Item>
          )}
        />
      ) : (
        <Empty description={t('notifications.empty')} />
      )}
      <Button size="small" disabled={unread === 0} onClick={() => readAll.mutate()}>
        {t('notifications.readAll')}
      </Button>
    </div>
  );
  return (
    <Popover content={content} title={t('menu.notifications')} trigger="click" placement="bottomRight">
      <Badge count={unread} size="small" data-testid="notification-badge">
        <Button type="text" icon={<BellOutlined />} aria-label={t('menu.notifications')} />
      </Badge>
    </Popover>
  );
}
