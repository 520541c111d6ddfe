// The store `huashu serve` would use (HUASHU_DATA_DIR or DATABASE_URL), for the commands that
// reach the server's data from its machine: `huashu admin …`, and `huashu qa` / `huashu replay`
// with `--scorecard store`.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Config, ConfigError, loadConfig } from '../config/config.ts';
import { openVerifiedStore, type Store } from '../db/database.ts';
import { StoreOpenError } from '../db/faults.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { CliExit, EXIT_INVALID_INPUT } from './exit.ts';

/**
 * The store `huashu serve` would use, migrated, and the configuration naming it. Never creates
 * an empty database: a wrong HUASHU_DATA_DIR says so. `context` starts every message
 * (`--scorecard store: `).
 */
export async function openConfiguredStore(context = ''): Promise<{ config: Config; store: Store }> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) throw new CliExit(EXIT_INVALID_INPUT, `${context}${err.message}`);
    throw err;
  }
  if (!config.databaseUrl) {
    const file = join(resolve(config.dataDir), 'huashu.sqlite');
    if (!existsSync(file))
      throw new CliExit(
        EXIT_INVALID_INPUT,
        `${context}no Huashu database at ${file}; set HUASHU_DATA_DIR (or DATABASE_URL) as for huashu serve`,
      );
  }
  try {
    const store = await openVerifiedStore(
      config.databaseUrl
        ? { databaseUrl: config.databaseUrl }
        : { sqliteFile: join(resolve(config.dataDir), 'huashu.sqlite') },
    );
    // The schema the code expects (a server not yet restarted after an upgrade).
    await migrateToLatest(store.db);
    return { config, store };
  } catch (err) {
    if (err instanceof StoreOpenError) throw new CliExit(EXIT_INVALID_INPUT, `${context}${err.message}`);
    throw err;
  }
}
