// `huashu admin update-user <user> --team <name>` on the server machine: sets a user's team
// (班组) and clears it with --team "", audited with the command line as actor like a change
// over the API; a bad name or an unknown user is exit 1 with the reason. The real CLI process.
import { afterEach, describe, expect, it } from 'vitest';
import { AccountsService } from '../../src/accounts/service.ts';
import { auditTrail } from '../../src/audit/audit.ts';
import { CLI_ACTOR_ID } from '../../src/cli/admin-commands.ts';
import { systemClock, timeOrderedIds } from '../../src/shared/clock.ts';
import { runHuashu } from '../support/server-process.ts';
import { ENGINES, freshStore, type TestStore } from '../support/store.ts';

describe.each(ENGINES)('huashu admin update-user --team on %s', (engine) => {
  let store: TestStore | undefined;
  afterEach(async () => {
    await store?.drop();
    store = undefined;
  });

  it('sets and clears the team, audited; refuses a bad name and an unknown user', {
    timeout: 120_000,
  }, async () => {
    store = await freshStore(engine);
    const env: Record<string, string> =
      engine === 'sqlite' ? { HUASHU_DATA_DIR: store.dataDir ?? '' } : { DATABASE_URL: store.url ?? '' };
    const accounts = new AccountsService(store.db, systemClock, timeOrderedIds, 12);
    const user = await accounts.createUser(
      { username: 'li', displayName: '李', role: 'agent', agentNumber: '1024', password: 'correct horse 1' },
      { userId: null, ip: null },
    );

    const set = runHuashu(['admin', 'update-user', 'li', '--team', ' 一組 '], env);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toContain('is in team 一組');
    expect((await accounts.findUserById(user.id))?.team).toBe('一組');
    // Traditional as typed, one team with the Simplified spelling.
    expect(await accounts.teamMembers('一组', null)).toEqual([{ agentNumber: '1024', brand: null }]);

    const long = runHuashu(['admin', 'update-user', 'li', '--team', '组'.repeat(33)], env);
    expect(long.code).toBe(1);
    expect(long.stderr).toMatch(/at most 32 characters/);
    expect((await accounts.findUserById(user.id))?.team).toBe('一組');

    const cleared = runHuashu(['admin', 'update-user', 'li', '--team', ''], env);
    expect(cleared.code, cleared.stderr).toBe(0);
    expect(cleared.stdout).toContain('has no team now');
    expect((await accounts.findUserById(user.id))?.team).toBeNull();

    const updates = (await auditTrail(store.db, 'user', user.id)).filter((e) => e.action === 'update');
    expect(updates.map((e) => [e.actorId, e.changes])).toEqual([
      [CLI_ACTOR_ID, { team: { from: null, to: '一組' } }],
      [CLI_ACTOR_ID, { team: { from: '一組', to: null } }],
    ]);

    const unknown = runHuashu(['admin', 'update-user', 'nobody', '--team', '一组'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim()).toBe("no user 'nobody'");
    expect(runHuashu(['admin', 'update-user', 'li'], env).code).toBe(2);
  });
});
