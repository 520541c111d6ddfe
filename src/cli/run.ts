// The process entry of the command line: `node dist/cli/run.js <command>` (npm start, and
// bin/huashu.js when the build is current) or src/cli/run.ts through tsx.
import { main } from './main.ts';

// A reader that stops early (`huashu qa … | head`) closes the pipe: that is not a failure of
// the command, so stop quietly, as Unix tools do, instead of a stack trace on stderr.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

process.exitCode = await main(process.argv.slice(2));
