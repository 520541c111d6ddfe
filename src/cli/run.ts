// The process entry of the command line: `node dist/cli/run.js <command>` (npm start, and
// bin/huashu.js when the build is current) or src/cli/run.ts through tsx.
import { main } from './main.ts';

process.exitCode = await main(process.argv.slice(2));
