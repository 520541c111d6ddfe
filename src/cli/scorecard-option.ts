// `--scorecard <file | store | store:N>` of `huashu qa` and `huashu replay`: a scorecard file
// (the default, scorecards/default.yaml; works offline), or the server's store (the same
// HUASHU_DATA_DIR or DATABASE_URL as `huashu serve`) — the published version in force, or
// version N — with the playbooks in force there, so that the command line judges a call with
// exactly the rules the live hang-up inspection used. A file named `store` is `./store`.

import { Catalog } from '../playbook/catalog.ts';
import { loadScorecard, type Scorecard } from '../qa/scorecard.ts';
import { CliExit, EXIT_INVALID_INPUT } from './exit.ts';

export const SCORECARD_OPTION_HELP =
  'scorecard YAML (default: scorecards/default.yaml), or `store` / `store:<version>`: the published scorecard of the server’s store (HUASHU_DATA_DIR or DATABASE_URL as for serve)';

export type ScorecardChoice = { from: 'file'; file?: string } | { from: 'store'; version?: number };

/** The option's value as a choice; a bad version number is a usage error with an example. */
export function parseScorecardOption(value: string | undefined): ScorecardChoice {
  if (value === undefined) return { from: 'file' };
  if (value === 'store') return { from: 'store' };
  const m = /^store:(.*)$/.exec(value);
  if (!m) return { from: 'file', file: value };
  const version = m[1] ?? '';
  if (!/^[1-9]\d{0,8}$/.test(version))
    throw new CliExit(
      EXIT_INVALID_INPUT,
      `error: --scorecard store:${version}: '${version}' is not a version number; give a whole number ≥ 1 (store:3), or store for the version in force`,
    );
  return { from: 'store', version: Number(version) };
}

/** What inspects: the scorecard, the playbooks, and where they came from. */
export interface Rules {
  scorecard: Scorecard;
  catalog: Catalog;
  /** The stored version (null: a file). */
  version: number | null;
}

/**
 * The scorecard and playbooks of the choice. A file's problems throw as loading throws them
 * (ScorecardError, PlaybookError); the store's are a CliExit naming what the store holds.
 */
export async function loadRules(choice: ScorecardChoice): Promise<Rules> {
  if (choice.from === 'file')
    return { scorecard: loadScorecard(choice.file), catalog: Catalog.load(), version: null };
  const context = `error: --scorecard ${choice.version === undefined ? 'store' : `store:${choice.version}`}: `;
  // The store's modules (the database drivers, kysely, the migrations) load only for a store:
  // a scorecard file, the default, starts without compiling and running them.
  const [
    { openConfiguredStore },
    { PlaybookService },
    { ScorecardService },
    { systemClock, timeOrderedIds },
    { AppError },
  ] = await Promise.all([
    import('./configured-store.ts'),
    import('../playbook/store.ts'),
    import('../scorecards/store.ts'),
    import('../shared/clock.ts'),
    import('../shared/errors.ts'),
  ]);
  const { store } = await openConfiguredStore(context);
  try {
    const catalog = Catalog.load();
    // The playbooks the server has in force (the greeting rule reads the brand's names in them).
    await new PlaybookService(store.db, catalog, systemClock, timeOrderedIds).loadStored();
    const scorecards = new ScorecardService(store.db, catalog, systemClock, timeOrderedIds, () => undefined);
    const { version, scorecard } = await scorecards.published(choice.version, (v, err) => {
      process.stderr.write(`scorecard default@${v} is skipped: ${err.message}\n`);
    });
    return { scorecard, catalog, version };
  } catch (err) {
    if (err instanceof AppError) throw new CliExit(EXIT_INVALID_INPUT, `${context}${err.message}`);
    throw err;
  } finally {
    await store.close();
  }
}
