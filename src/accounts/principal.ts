// Who is acting: the one description of a signed-in caller, built once per request (or per
// WebSocket connection) from a session cookie or an API token, and the types every service
// takes for "who does this" are picked from it, so that a new field (a second brand, a team)
// is added in one place. Pure: no I/O.
import type { TokenScope, User, UserRole } from './roles.ts';

export interface Principal {
  /** The user's id; what the audit log records as the actor. */
  userId: string;
  username: string;
  displayName: string;
  role: UserRole;
  /** 工号: the agent number calls ring to and are scored against; null without one. */
  agentNumber: string | null;
  /** The brand whose hotline the user works; null: every brand. */
  brand: string | null;
  /** The team (班组) as typed: a team lead with one sees that team's live calls; null: none. */
  team: string | null;
  /** A session cookie needs a CSRF token on unsafe methods; an API token has scopes instead. */
  via: 'session' | 'token';
  /** API tokens: what the token may do (TOKEN_SCOPES); null for a session. */
  scopes: readonly TokenScope[] | null;
  /** Sessions: the token an unsafe request must echo in x-csrf-token; null for a token. */
  csrfToken: string | null;
  sessionId: string | null;
  tokenId: string | null;
  /** Where the caller is (the audit log's actor ip); null when not known. */
  ip: string | null;
}

/**
 * Who did something, as the audit log records it. `userId` is a principal's, a reserved
 * system id (SYSTEM_ACTORS), or null for the server's own work.
 */
export type Actor = Pick<Principal, 'ip'> & { userId: Principal['userId'] | null };

/** An actor with a role for the permission rules; the system (no role) may do anything. */
export type RoleActor = Actor & Partial<Pick<Principal, 'role'>>;

/** Staff acting on calls and numbers: agents act only on their own calls (their 工号, brand). */
export type StaffActor = Actor & Pick<Principal, 'role' | 'agentNumber'> & { brand?: Principal['brand'] };

/** Who sees which calls: the role, 工号 and brand of a principal. */
export type Viewer = Pick<Principal, 'role' | 'agentNumber'> & { brand?: Principal['brand'] };

/** The principal of a user who signed in (a session) or sent an API token. */
export function buildPrincipal(
  user: User,
  how:
    | { via: 'session'; sessionId: string; csrfToken: string }
    | { via: 'token'; tokenId: string; scopes: readonly TokenScope[] },
  ip: string | null = null,
): Principal {
  return {
    userId: user.id,
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    agentNumber: user.agentNumber,
    brand: user.brand,
    team: user.team,
    via: how.via,
    scopes: how.via === 'token' ? how.scopes : null,
    csrfToken: how.via === 'session' ? how.csrfToken : null,
    sessionId: how.via === 'session' ? how.sessionId : null,
    tokenId: how.via === 'token' ? how.tokenId : null,
    ip,
  };
}
