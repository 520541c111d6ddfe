// Whether a role may call an operation, from the server's own access rules (access.gen.ts,
// generated with the types): the UI hides or disables what the server would refuse.
import { ACCESS, type Access, type Role } from './access.gen';

export type { Role };

type Paths = typeof ACCESS;
export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export function mayCall<P extends keyof Paths>(role: Role | undefined, method: Method, path: P): boolean {
  if (!role) return false;
  const rule = (ACCESS[path] as Record<string, Access | undefined>)[method];
  if (rule === undefined) return false;
  if (rule === 'public' || rule === 'authenticated') return true;
  return (rule as readonly Role[]).includes(role);
}
