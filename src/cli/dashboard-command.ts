// `huashu dashboard backfill [--from] [--to]`: the dashboards' back-fill (补录) on the server
// machine — the twin of the `dashboard-backfill` job, over the same DashboardService.backfill.
// Facts kept already are left alone, so it is safe to run twice and while the server runs.
import type { Command } from 'commander';
import { createApplication } from '../app/application.ts';
import { systemClock, timeOrderedIds } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import { openConfiguredStore } from './configured-store.ts';
import { CliExit, EXIT_INVALID_INPUT } from './exit.ts';
import type { Io } from './io.ts';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const day = (name: string, v: string | undefined): string | undefined => {
  if (v === undefined) return undefined;
  if (!DAY.test(v) || Number.isNaN(Date.parse(v)) || new Date(v).toISOString().slice(0, 10) !== v)
    throw new CliExit(
      EXIT_INVALID_INPUT,
      `--${name} ${v}: expected a day YYYY-MM-DD that exists, e.g. 2026-11-20`,
    );
  return v;
};

export function registerDashboardCommand(program: Command, io: Io): void {
  program
    .command('dashboard')
    .description('the dashboards (HUASHU_DATA_DIR or DATABASE_URL as for serve)')
    .command('backfill')
    .description(
      'give the stored calls, tickets and appeals without dashboard facts their facts and recount the rollups they touch; safe to run twice',
    )
    .option('--from <day>', 'the first local day (YYYY-MM-DD) of the calls, tickets and appeals to read')
    .option('--to <day>', 'the last local day, included')
    .option('--batch <n>', 'items per transaction (1–1000)', '200')
    .option('--json', 'print the result as one JSON document')
    .action(async (opts: { from?: string; to?: string; batch: string; json?: boolean }) => {
      const from = day('from', opts.from);
      const to = day('to', opts.to);
      const batchSize = Number(opts.batch);
      if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 1000)
        throw new CliExit(
          EXIT_INVALID_INPUT,
          `--batch ${opts.batch}: expected a whole number from 1 to 1000`,
        );
      const { config, store } = await openConfiguredStore();
      const application = createApplication({ config, store, clock: systemClock, ids: timeOrderedIds });
      try {
        const result = await application.dashboard.backfill({
          ...(from ? { from } : {}),
          ...(to ? { to } : {}),
          batchSize,
          // Progress on stderr: stdout keeps the result (--json) clean.
          onProgress: (p) =>
            io.err(
              `${p.kind}: ${p.seen}${p.total !== undefined ? ` of ${p.total}` : ''} read, ${p.added} added\n`,
            ),
        });
        if (opts.json) io.out(`${JSON.stringify(result)}\n`);
        else
          for (const kind of ['calls', 'tickets', 'appeals'] as const)
            io.out(`${kind}: ${result[kind].seen} read, ${result[kind].added} given their facts\n`);
      } catch (err) {
        if (err instanceof AppError && err.code === 'validation')
          throw new CliExit(EXIT_INVALID_INPUT, err.message);
        throw err;
      } finally {
        await application.close();
        await store.close();
      }
    });
}
