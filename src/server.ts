// The main job: start the Huashu server. Configuration from the environment; the embedded
// SQLite file under HUASHU_DATA_DIR unless DATABASE_URL names a PostgreSQL database.
import { loadConfig } from './config/config.ts';
import { openStore, sqliteFileIn } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import { buildApp } from './http/app.ts';
import { Catalog } from './playbook/catalog.ts';
import { seedPlaybooks } from './playbook/store.ts';
import { systemClock, timeOrderedIds } from './shared/clock.ts';
import { startDeadlineTimer } from './tickets/timer.ts';

export async function startServer(env: Record<string, string | undefined> = process.env) {
  const config = loadConfig(env);
  const store = openStore(
    config.databaseUrl
      ? { databaseUrl: config.databaseUrl }
      : { sqliteFile: sqliteFileIn(config.dataDir), backgroundCheckpoints: true },
  );
  const applied = await migrateToLatest(store.db);
  const catalog = Catalog.load();
  await seedPlaybooks(store.db, catalog, systemClock);
  const app = await buildApp({
    config,
    store,
    catalog,
    clock: systemClock,
    ids: timeOrderedIds,
    logger: true,
  });
  await app.services.playbooks.loadStored();
  const admin = await app.services.accounts.ensureFirstAdmin(config.adminPassword);
  if (admin.generatedPassword) {
    // Printed once, on the first start only: the password is not stored anywhere readable.
    process.stdout.write(
      `\n  First start: created the admin account.\n  username: admin\n  password: ${admin.generatedPassword}\n  (shown only now; set HUASHU_ADMIN_PASSWORD before the first start to choose it)\n\n`,
    );
  }
  await app.listen({ port: config.port, host: config.host });
  const deadlineTimer = startDeadlineTimer(app.services.tickets, systemClock, 60_000, app.log); // breaches, every minute
  app.log.info(
    { database: store.dialect, location: store.location, migrations: applied },
    'Huashu is running',
  );
  const stop = async () => {
    await deadlineTimer.stop();
    await app.close();
    await store.close();
  };
  return { app, store, config, stop };
}
