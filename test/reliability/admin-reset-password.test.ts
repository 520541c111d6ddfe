// `huashu admin reset-password <user>` on the server machine (issue 7): a locked-out admin
// gets a new password, the user's sessions end, and the audit log says the command line did
// it (never a null actor). The real CLI process against the same data a server would use.
import { afterEach, describe, expect, it } from 'vitest';
import { AccountsService } from '../../src/accounts/service.ts';
import { auditTrail } from '../../src/audit/audit.ts';
import { CLI_ACTOR_ID } from '../../src/cli/admin-commands.ts';
import { systemClock, timeOrderedIds } from '../../src/shared/clock.ts';
import { runHuashu } from '../support/server-process.ts';
import { ENGINES, freshStore, type TestStore } from '../support/store.ts';

const OLD = 'old password 1';

describe.each(ENGINES)('huashu admin reset-password on %s', (engine) => {
  let store: TestStore | undefined;
  afterEach(async () => {
    await store?.drop();
    store = undefined;
  });

  it('prints a new password once, ends the sessions, audits with the CLI as actor', async () => {
    store = await freshStore(engine);
    const env: Record<string, string> =
      engine === 'sqlite' ? { HUASHU_DATA_DIR: store.dataDir ?? '' } : { DATABASE_URL: store.url ?? '' };
    const accounts = new AccountsService(store.db, systemClock, timeOrderedIds, 12);
    const user = await accounts.createUser(
      { username: 'zhang', displayName: '张', role: 'admin', password: OLD },
      { userId: null, ip: null },
    );
    const session = await accounts.login('zhang', OLD, null);
    expect(await accounts.authenticateSession(session.sessionToken)).not.toBeNull();

    const r = runHuashu(['admin', 'reset-password', 'zhang'], env);
    expect(r.code, r.stderr).toBe(0);
    const password = /new password: (\S+)/.exec(r.stdout)?.[1];
    expect(password, r.stdout).toBeDefined();
    expect(r.stdout).toMatch(/ended 1 session/);

    await expect(accounts.login('zhang', OLD, null)).rejects.toThrow(/wrong username or password/);
    expect((await accounts.login('zhang', password ?? '', null)).user.id).toBe(user.id);
    expect(await accounts.authenticateSession(session.sessionToken)).toBeNull();
    const entry = (await auditTrail(store.db, 'user', user.id)).find((e) => e.action === 'reset-password');
    expect(entry).toMatchObject({ actorId: CLI_ACTOR_ID, entityId: user.id });
    expect(entry?.actorId).not.toBeNull();

    // --password-stdin: the chosen password, not printed.
    const chosen = runHuashu(
      ['admin', 'reset-password', 'zhang', '--password-stdin'],
      env,
      'chosen password 9\n',
    );
    expect(chosen.code, chosen.stderr).toBe(0);
    expect(chosen.stdout).not.toContain('chosen password 9');
    expect(chosen.stdout).not.toMatch(/new password/);
    expect((await accounts.login('zhang', 'chosen password 9', null)).user.id).toBe(user.id);
    const short = runHuashu(['admin', 'reset-password', 'zhang', '--password-stdin'], env, 'short\n');
    expect(short.code).toBe(1);
    expect(short.stderr).toMatch(/shorter than 10 characters/);
  });

  it('an unknown user is exit 1, a missing argument exit 2', async () => {
    store = await freshStore(engine);
    const env: Record<string, string> =
      engine === 'sqlite' ? { HUASHU_DATA_DIR: store.dataDir ?? '' } : { DATABASE_URL: store.url ?? '' };
    const unknown = runHuashu(['admin', 'reset-password', 'nobody'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim()).toBe("no user 'nobody'");
    const usage = runHuashu(['admin', 'reset-password'], env);
    expect(usage.code).toBe(2);
  });
});
