// `huashu admin …`: account administration on the server machine, for when no admin can sign
// in (a lost first-start password). It reaches the data the way `huashu serve` does
// (HUASHU_DATA_DIR or DATABASE_URL), so only someone who may run the server can use it.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { AccountsService } from '../accounts/service.ts';
import { ConfigError, loadConfig } from '../config/config.ts';
import { openVerifiedStore, type Store } from '../db/database.ts';
import { StoreOpenError } from '../db/faults.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { systemClock, timeOrderedIds } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import type { Io } from './io.ts';
import { CliExit, EXIT_INVALID_INPUT } from './main.ts';

/**
 * The actor of audit entries written from this command line: no user is signed in, and the
 * audit log never has a null actor. User ids are UUIDs, so this cannot name a user.
 */
export const CLI_ACTOR_ID = 'cli';

const MIN_PASSWORD_LENGTH = 8; // as HUASHU_ADMIN_PASSWORD

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Buffer));
  // One line: the trailing newline of `echo` or a here-string is not part of the password.
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

async function openConfiguredStore(): Promise<Store> {
  let config: ReturnType<typeof loadConfig>;
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
    return store;
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
        password = await readStdin();
        if ([...password].length < MIN_PASSWORD_LENGTH)
          throw new CliExit(
            EXIT_INVALID_INPUT,
            `the password on standard input must be at least ${MIN_PASSWORD_LENGTH} characters`,
          );
      }
      const store = await openConfiguredStore();
      try {
        const accounts = new AccountsService(store.db, systemClock, timeOrderedIds, 1);
        const r = await accounts.resetPassword(username, password, { userId: CLI_ACTOR_ID, ip: null });
        io.out(
          `Reset the password of '${r.user.username}' (${r.user.role}); ended ${r.sessionsEnded} session(s).\n`,
        );
        if (r.generated) io.out(`  new password: ${r.password}\n  (shown only now)\n`);
      } catch (err) {
        if (err instanceof AppError && err.code === 'not-found')
          throw new CliExit(EXIT_INVALID_INPUT, err.message);
        throw err;
      } finally {
        await store.close();
      }
    });
}
