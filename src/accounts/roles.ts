// Who uses Huashu. Every HTTP route declares which of these may call it.
export const USER_ROLES = {
  agent: { zh: '坐席', en: 'agent' },
  'team-lead': { zh: '组长/协调员', en: 'team lead / coordinator' },
  'room-director': { zh: '室主任', en: 'room director' },
  'complaint-desk': { zh: '投诉处理岗', en: 'complaint desk' },
  'qa-inspector': { zh: '质检员', en: 'QA inspector' },
  /** Leads the inspectors: sampling plans, calibration, judges appeals (never their own review). */
  'qa-lead': { zh: '质检组长', en: 'QA lead' },
  admin: { zh: '管理员', en: 'admin' },
} as const;

export type UserRole = keyof typeof USER_ROLES;
export const USER_ROLE_IDS = Object.keys(USER_ROLES) as UserRole[];

/**
 * What an API token may do, on top of its owner's role (a token never does more than its owner):
 * `read` the safe methods, `write` the others, `admin` the admin-only routes, `cti` post call
 * events for any agent (the telephone system's integration; no person's session may).
 */
export const TOKEN_SCOPES = ['read', 'write', 'admin', 'cti'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

/**
 * The roles whose `cti` token posts call events for every 工号 (the telephone system's
 * integration speaks for the whole floor); only they may hold a token with the scope `cti`.
 */
export const CTI_INTEGRATION_OWNERS: readonly UserRole[] = ['admin'];

export function parseScopes(stored: string): TokenScope[] {
  return stored.split(' ').filter((s): s is TokenScope => (TOKEN_SCOPES as readonly string[]).includes(s));
}

export interface User {
  id: string;
  username: string;
  displayName: string;
  role: UserRole;
  agentNumber: string | null;
  /** The brand whose hotline the agent works; null: every brand. */
  brand: string | null;
  /** The team (班组) as the admin typed it; null: none. */
  team: string | null;
  createdAt: string;
  disabled: boolean;
}
