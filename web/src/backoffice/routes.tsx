// The back office's pages, each under the screen (screens.ts) whose roles may open it.
import type { ReactNode } from 'react';
import type { ScreenId } from '../screens';
import { TokensPage } from './admin/tokens';
import { UsersPage } from './admin/users';
import { CallDetailPage, CallsPage } from './people/calls';
import { CustomersPage } from './people/customers';
import { PlaybooksPage } from './playbooks/playbooks';
import { BlacklistPage } from './queues/blacklist';
import { CallbacksPage } from './queues/callbacks';
import { TicketDetailPage } from './tickets/detail';
import { TicketListPage } from './tickets/list';

export interface BackofficeRoute {
  path: string;
  screen: ScreenId;
  element: ReactNode;
}

export const BACKOFFICE_ROUTES: BackofficeRoute[] = [
  { path: '/tickets', screen: 'tickets', element: <TicketListPage /> },
  { path: '/tickets/:id', screen: 'tickets', element: <TicketDetailPage /> },
  { path: '/callbacks', screen: 'callbacks', element: <CallbacksPage /> },
  { path: '/blacklist', screen: 'blacklist', element: <BlacklistPage /> },
  { path: '/customers', screen: 'customers', element: <CustomersPage /> },
  { path: '/calls', screen: 'calls', element: <CallsPage /> },
  { path: '/calls/:id', screen: 'calls', element: <CallDetailPage /> },
  { path: '/playbooks', screen: 'playbooks', element: <PlaybooksPage /> },
  { path: '/admin/users', screen: 'users', element: <UsersPage /> },
  { path: '/admin/tokens', screen: 'tokens', element: <TokensPage /> },
];
