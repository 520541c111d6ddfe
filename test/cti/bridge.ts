// The telephone system's bridge in tests: an admin's API token with the scope `cti`, the only
// credential that posts call events for every 工号 (src/cti/permissions.ts).
import type { TokenScope } from '../../src/accounts/roles.ts';
import { signInAs, type TestApp } from '../support/app.ts';

export async function ctiBridge(
  t: TestApp,
  scopes: readonly TokenScope[] = ['cti'],
): Promise<Record<string, string>> {
  await signInAs(t, 'admin');
  const admin = (await t.app.services.accounts.listUsers()).find((u) => u.username === 'admin');
  if (!admin) throw new Error('no admin');
  const { token } = await t.app.services.accounts.createApiToken(
    admin.id,
    'CTI bridge',
    { userId: admin.id, ip: null },
    { scopes },
  );
  return { authorization: `Bearer ${token}`, 'accept-language': 'en' };
}

/** Creates an agent with the 工号 and signs in as them. */
export async function agentWithNumber(t: TestApp, username: string, agentNumber: string) {
  await t.app.services.accounts.createUser(
    { username, displayName: username, role: 'agent', password: 'correct horse 1', agentNumber },
    { userId: null, ip: null },
  );
  return signInAs(t, 'agent', username);
}
