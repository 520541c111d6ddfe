// The screens of the UI, who may open each, and their place in the menu. The roles follow the
// server's access rules of the API each screen reads (mayCall, from access.gen.ts), narrowed
// where the issue asks: an agent sees the console and their own calls and tickets only.
import { mayCall, type Role } from './api/access';
import type { MessageKey } from './i18n/zh';

export type ScreenId =
  | 'home'
  | 'console'
  | 'tickets'
  | 'callbacks'
  | 'follow-ups'
  | 'blacklist'
  | 'customers'
  | 'calls'
  | 'playbooks'
  | 'scorecards'
  | 'users'
  | 'tokens'
  | 'audit'
  | 'reviews'
  | 'appeals'
  | 'calibration'
  | 'dashboards'
  | 'wallboard';

export interface Screen {
  id: ScreenId;
  path: string;
  label: MessageKey;
  allowed(role: Role): boolean;
}

const notAgent = (role: Role) => role !== 'agent';

export const SCREENS: Screen[] = [
  { id: 'home', path: '/', label: 'menu.home', allowed: () => true },
  // The console's roles: those who take or supervise calls (its softphone's). The socket also
  // admits QA inspectors and leads, for the wallboard only.
  {
    id: 'console',
    path: '/console',
    label: 'menu.console',
    allowed: (r) => mayCall(r, 'get', '/api/live/softphone'),
  },
  {
    id: 'tickets',
    path: '/tickets',
    label: 'menu.tickets',
    allowed: (r) => mayCall(r, 'get', '/api/tickets'),
  },
  {
    id: 'callbacks',
    path: '/callbacks',
    label: 'menu.callbacks',
    allowed: (r) => notAgent(r) && mayCall(r, 'get', '/api/callbacks'),
  },
  {
    id: 'follow-ups',
    path: '/follow-ups',
    label: 'menu.followUps',
    allowed: (r) => mayCall(r, 'get', '/api/follow-ups'),
  },
  {
    id: 'blacklist',
    path: '/blacklist',
    label: 'menu.blacklist',
    allowed: (r) => mayCall(r, 'get', '/api/blacklist'),
  },
  {
    id: 'customers',
    path: '/customers',
    label: 'menu.customers',
    allowed: (r) => notAgent(r) && mayCall(r, 'get', '/api/customers'),
  },
  { id: 'calls', path: '/calls', label: 'menu.calls', allowed: (r) => mayCall(r, 'get', '/api/calls') },
  {
    id: 'dashboards',
    path: '/dashboards',
    label: 'menu.dashboards',
    allowed: (r) => mayCall(r, 'get', '/api/dashboard/calls'),
  },
  {
    id: 'wallboard',
    path: '/wallboard',
    label: 'menu.wallboard',
    allowed: (r) => mayCall(r, 'get', '/api/dashboard/wallboard'),
  },
  { id: 'playbooks', path: '/playbooks', label: 'menu.playbooks', allowed: notAgent },
  {
    id: 'scorecards',
    path: '/scorecards',
    label: 'menu.scorecards',
    allowed: (r) => mayCall(r, 'get', '/api/scorecards'),
  },
  {
    id: 'users',
    path: '/admin/users',
    label: 'menu.users',
    allowed: (r) => mayCall(r, 'post', '/api/users'),
  },
  { id: 'tokens', path: '/admin/tokens', label: 'menu.tokens', allowed: (r) => r === 'admin' },
  {
    id: 'audit',
    path: '/audit',
    label: 'menu.audit',
    allowed: (r) => mayCall(r, 'get', '/api/audit'),
  },
  // Review (人工复核): inspectors their assignments, agents their reviewed calls, leads every review.
  {
    id: 'reviews',
    path: '/reviews',
    label: 'menu.reviews',
    allowed: (r) => mayCall(r, 'get', '/api/reviews'),
  },
  {
    id: 'appeals',
    path: '/appeals',
    label: 'menu.appeals',
    allowed: (r) => r !== 'agent' && mayCall(r, 'get', '/api/appeals'),
  },
  {
    id: 'calibration',
    path: '/calibration',
    label: 'menu.calibration',
    allowed: (r) => mayCall(r, 'get', '/api/calibrations'),
  },
];

export function screen(id: ScreenId): Screen {
  const s = SCREENS.find((x) => x.id === id);
  if (!s) throw new Error(`no screen ${id}`);
  return s;
}
