// The `huashu` command line. Each command prints human output (colour only on a TTY) or,
// with --json, one JSON document for scripts. Exit codes: 0 ok, 1 the input is invalid
// (a lint failure, bad data), 2 the command itself is wrong (unknown command or option).
import { Command, CommanderError } from 'commander';
// Exit codes and CliExit live in exit.ts so the command files need not import main.ts
// (which imports them): no import cycle.
import { CliExit, EXIT_INVALID_INPUT, EXIT_OK, EXIT_USAGE } from './exit.ts';
import { createIo, type Io } from './io.ts';

export { CliExit, EXIT_INVALID_INPUT, EXIT_OK, EXIT_USAGE };

// Each group's module is loaded only when its command runs (or for the full help): they pull in
// the database drivers, the QA engine, the export libraries, which cost a CLI start hundreds
// of milliseconds that `huashu playbook list` has no use for.
const COMMAND_GROUPS: Record<string, () => Promise<(program: Command, io: Io) => void>> = {
  playbook: async () => (await import('./playbook-commands.ts')).registerPlaybookCommands,
  qa: async () => (await import('./qa-command.ts')).registerQaCommand,
  detect: async () => (await import('./detect-command.ts')).registerDetectCommand,
  replay: async () => (await import('./replay-command.ts')).registerReplayCommand,
  admin: async () => (await import('./admin-commands.ts')).registerAdminCommands,
  dashboard: async () => (await import('./dashboard-command.ts')).registerDashboardCommand,
};

/** The program with the commands `argv` may run: its own group when it names one, else all. */
export async function buildProgram(io: Io, argv: readonly string[] = []): Promise<Command> {
  const program = new Command('huashu')
    .description('Huashu (话术): playbooks and quality inspection for Chinese customer-service hotlines')
    .showHelpAfterError('(add --help for usage)')
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (s) => io.out(s),
      writeErr: (s) => io.err(s),
    })
    .exitOverride();
  const first = argv[0];
  const named =
    first !== undefined && Object.hasOwn(COMMAND_GROUPS, first) ? COMMAND_GROUPS[first] : undefined;
  const groups = first === 'serve' ? [] : named ? [named] : Object.values(COMMAND_GROUPS);
  for (const load of groups) (await load())(program, io);
  program
    .command('serve')
    .description(
      'start the Huashu server (PORT, HUASHU_DATA_DIR, DATABASE_URL, HUASHU_ADMIN_PASSWORD from the environment)',
    )
    .action(async () => {
      const { startServer } = await import('../server.ts');
      try {
        const { stop } = await startServer();
        await new Promise<void>((resolve) => {
          const shutdown = () => {
            stop().finally(resolve);
          };
          process.once('SIGINT', shutdown);
          process.once('SIGTERM', shutdown);
        });
      } catch (err) {
        const { ConfigError } = await import('../config/config.ts');
        const { StoreOpenError } = await import('../db/faults.ts');
        const { StartupError } = await import('../server.ts');
        // The environment is wrong (a port in use, a damaged database…): the message, no stack.
        if (err instanceof ConfigError || err instanceof StoreOpenError || err instanceof StartupError)
          throw new CliExit(EXIT_INVALID_INPUT, err.message);
        throw err;
      }
    });
  return program;
}

export async function main(argv: readonly string[], io: Io = createIo()): Promise<number> {
  const program = await buildProgram(io, argv);
  if (argv.length === 0) {
    program.outputHelp({ error: true });
    return EXIT_USAGE;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT_OK;
  } catch (err) {
    if (err instanceof CliExit) {
      if (err.message) io.err(`${err.message}\n`);
      return err.code;
    }
    if (err instanceof CommanderError) {
      // Help and version are successful exits; every other parse error is a usage error.
      if (
        err.code === 'commander.helpDisplayed' ||
        err.code === 'commander.version' ||
        err.code === 'commander.help'
      ) {
        return EXIT_OK;
      }
      return EXIT_USAGE;
    }
    throw err;
  }
}
