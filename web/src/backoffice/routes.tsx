// The back office's pages, each under the screen (screens.ts) whose roles may open it.
import { type ComponentType, lazy, type ReactNode } from 'react';
import type { ScreenId } from '../screens';

// Each screen is its own chunk, loaded when first opened: the sign-in page and the console do
// not wait for the tables, pickers and editors of the back office.
const named = <K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) =>
  lazy(async () => ({ default: (await load())[name] }));
const TicketListPage = named(() => import('./tickets/list'), 'TicketListPage');
const TicketDetailPage = named(() => import('./tickets/detail'), 'TicketDetailPage');
const CallbacksPage = named(() => import('./queues/callbacks'), 'CallbacksPage');
const FollowUpsPage = named(() => import('./queues/follow-ups'), 'FollowUpsPage');
const BlacklistPage = named(() => import('./queues/blacklist'), 'BlacklistPage');
const CustomersPage = named(() => import('./people/customers'), 'CustomersPage');
const CallsPage = named(() => import('./people/calls'), 'CallsPage');
const CallDetailPage = named(() => import('./people/calls'), 'CallDetailPage');
const PlaybooksPage = named(() => import('./playbooks/playbooks'), 'PlaybooksPage');
const ScorecardsPage = named(() => import('./scorecards/scorecards'), 'ScorecardsPage');
const UsersPage = named(() => import('./admin/users'), 'UsersPage');
const TokensPage = named(() => import('./admin/tokens'), 'TokensPage');
const AuditPage = named(() => import('./admin/audit'), 'AuditPage');
const ReviewListPage = named(() => import('./review/reviews'), 'ReviewListPage');
const ReviewDetailPage = named(() => import('./review/reviews'), 'ReviewDetailPage');
const AppealsPage = named(() => import('./review/appeals'), 'AppealsPage');
const CalibrationPage = named(() => import('./review/calibration'), 'CalibrationPage');
const DashboardsPage = named(() => import('./dashboard/dashboards'), 'DashboardsPage');
const WallboardPage = named(() => import('./dashboard/wallboard'), 'WallboardPage');

export interface BackofficeRoute {
  path: string;
  screen: ScreenId;
  element: ReactNode;
}

export const BACKOFFICE_ROUTES: BackofficeRoute[] = [
  { path: '/tickets', screen: 'tickets', element: <TicketListPage /> },
  { path: '/tickets/:id', screen: 'tickets', element: <TicketDetailPage /> },
  { path: '/callbacks', screen: 'callbacks', element: <CallbacksPage /> },
  { path: '/follow-ups', screen: 'follow-ups', element: <FollowUpsPage /> },
  { path: '/blacklist', screen: 'blacklist', element: <BlacklistPage /> },
  { path: '/customers', screen: 'customers', element: <CustomersPage /> },
  { path: '/calls', screen: 'calls', element: <CallsPage /> },
  { path: '/calls/:id', screen: 'calls', element: <CallDetailPage /> },
  { path: '/dashboards', screen: 'dashboards', element: <DashboardsPage /> },
  { path: '/wallboard', screen: 'wallboard', element: <WallboardPage /> },
  { path: '/playbooks', screen: 'playbooks', element: <PlaybooksPage /> },
  { path: '/scorecards', screen: 'scorecards', element: <ScorecardsPage /> },
  { path: '/admin/users', screen: 'users', element: <UsersPage /> },
  { path: '/admin/tokens', screen: 'tokens', element: <TokensPage /> },
  { path: '/audit', screen: 'audit', element: <AuditPage /> },
  { path: '/reviews', screen: 'reviews', element: <ReviewListPage /> },
  { path: '/reviews/:id', screen: 'reviews', element: <ReviewDetailPage /> },
  { path: '/appeals', screen: 'appeals', element: <AppealsPage /> },
  { path: '/calibration', screen: 'calibration', element: <CalibrationPage /> },
];
