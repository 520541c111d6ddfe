// `huashu admin …`: account administration on the server machine, for when no admin can sign
// in (a lost first-start password). It reaches the data the way `huashu serve` does
// (HUASHU_DATA_DIR or DATABASE_URL), so only someone who may run the server can use it.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { generatePassword } from '../accounts/password.ts';
import { createApplication } from '../app/application.ts';
import { SYSTEM_ACTORS, systemActor } from '../audit/audit.ts';
import { type Config, ConfigError, loadConfig } from '../config/config.ts';
import { openVerifiedStore, type Store } from '../db/database.ts';
import { StoreOpenError } from '../db/faults.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { systemClock, timeOrderedIds } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import { CliExit, EXIT_INVALID_INPUT } from './exit.ts';
import type { Io } from './io.ts';

/**
 * The actor of audit entries written from this command line: no user is signed in, and the
 * audit log never has a null actor (see SYSTEM_ACTORS).
 */
export const CLI_ACTOR_ID = SYSTEM_ACTORS.cli;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Buffer));
  // One line: the trailing newline of `echo` or a here-string is not part of the password.
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** The store `huashu serve` would use, migrated, and the configuration naming it. */
export async function openConfiguredStore(): Promise<{ config: Config; store: Store }> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) throw new CliExit(EXIT_INVALID_INPUT, err.message);
    throw err;
  }
  if (!config.databaseUrl) {
    // Never create an empty database here: a wrong HUASHU_DATA_DIR should say so.
    const file = join(resolve(config.dataDir), 'huashu.sqlite');
    if (!existsSync(file))
      throw new CliExit(
        EXIT_INVALID_INPUT,
        `no Huashu database at ${file}; set HUASHU_DATA_DIR (or DATABASE_URL) as for huashu serve`,
      );
  }
  try {
    const store = await openVerifiedStore(
      config.databaseUrl
        ? { databaseUrl: config.databaseUrl }
        : { sqliteFile: join(resolve(config.dataDir), 'huashu.sqlite') },
    );
    // The schema the accounts code expects (a server not yet restarted after an upgrade).
    await migrateToLatest(store.db);
    return { config, store };
  } catch (err) {
    if (err instanceof StoreOpenError) throw new CliExit(EXIT_INVALID_INPUT, err.message);
    throw err;
  }
}

export function registerAdminCommands(program: Command, io: Io): void {
  const admin = program
    .command('admin')
    .description(
      'account administration on the server machine (HUASHU_DATA_DIR or DATABASE_URL as for serve)',
    );
  admin
    .command('reset-password')
    .description(
      "set a new password for a user and end the user's sessions; prints a generated password once",
    )
    .argument('<user>', 'the username')
    .option('--password-stdin', 'read the new password from standard input instead of generating one')
    .action(async (username: string, opts: { passwordStdin?: boolean }) => {
      let password: string | undefined;
      if (opts.passwordStdin) {
        // Checked by the same strength rule as every password (see password-policy.ts).
        password = await readStdin();
      }
      const { config, store } = await openConfiguredStore();
      // The same services as the server's, on the same data.
      const application = createApplication({ config, store, clock: systemClock, ids: timeOrderedIds });
      try {
        const { accounts } = application;
        const user = await accounts.findUserByUsername(username);
        if (!user) throw new CliExit(EXIT_INVALID_INPUT, `no user '${username}'`);
        const newPassword = password ?? generatePassword();
        const r = await accounts.resetPassword(user.id, newPassword, systemActor('cli'));
        io.out(
          `Reset the password of '${r.user.username}' (${r.user.role}); ended ${r.endedSessions} session(s).\n`,
        );
        if (password === undefined) io.out(`  new password: ${newPassword}\n  (shown only now)\n`);
      } catch (err) {
        if (err instanceof AppError && (err.code === 'not-found' || err.code === 'validation'))
          throw new CliExit(EXIT_INVALID_INPUT, err.message);
        throw err;
      } finally {
        await application.close();
        await store.close();
      }
    });
  admin
    .command('update-user')
    .description("change a user's account; audited like a change over the API (actor system:cli)")
    .argument('<user>', 'the username')
    .requiredOption('--team <name>', 'the team (班组), e.g. 一组, 1–32 characters; "" clears it')
    .action(async (username: string, opts: { team: string }) => {
      const { config, store } = await openConfiguredStore();
      const application = createApplication({ config, store, clock: systemClock, ids: timeOrderedIds });
      try {
        const { accounts } = application;
        const user = await accounts.findUserByUsername(username);
        if (!user) throw new CliExit(EXIT_INVALID_INPUT, `no user '${username}'`);
        // The empty name clears: a shell has no null.
        const team = opts.team.trim() === '' ? null : opts.team;
        const after = await accounts.updateUser(user.id, { team }, systemActor('cli'));
        io.out(
          after.team === null
            ? `'${after.username}' (${after.role}) has no team now.\n`
            : `'${after.username}' (${after.role}) is in team ${after.team} now.\n`,
        );
      } catch (err) {
        if (err instanceof AppError && (err.code === 'not-found' || err.code === 'validation'))
          throw new CliExit(EXIT_INVALID_INPUT, err.message);
        throw err;
      } finally {
        await application.close();
        await store.close();
      }
    });
}
