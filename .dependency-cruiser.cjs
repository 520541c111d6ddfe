// Module boundaries, checked in `npm test` (`npm run depcheck`). dependency-cruiser 17 reads a
// CommonJS config in this ESM project, hence the .cjs. On success it prints one line; on
// failure one line per violating import (rule: from → to), and exits non-zero.
// The other boundary, "only a module's repository touches its tables", is not an import and
// is checked by test/architecture.test.ts.

/** Pure domain code: no I/O beyond reading its own data files, so no store, no HTTP. */
const PURE =
  '^src/(text|qa)/|^src/playbook/(?!store\\.ts$)|^src/tickets/(workflow|calendar|deadlines|escalation)\\.ts$|^src/review/(domain|model)\\.ts$|^src/live/agent-state\\.ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment:
        'An import cycle: split the shared part (types, constants) into its own file both import ' +
        '(e.g. calls/views.ts, cli/exit.ts, http/deps.ts). Type-only imports count too: such a ' +
        'cycle costs nothing at run time but still ties the two modules together, and none exist.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'src-not-to-test-bench-scripts',
      comment:
        'The application never imports tests, benchmarks or scripts: they import it. (A test ' +
        'beside its module is not the application: it may read the training data script.)',
      severity: 'error',
      from: { path: '^src/', pathNot: '\\.test\\.ts$' },
      to: { path: '^(test|bench|scripts)/' },
    },
    {
      name: 'pure-domain-no-store-or-http',
      comment:
        'Pure domain code (text, qa, playbook but store.ts, the ticket workflow, calendar, ' +
        'deadlines, escalation) has no I/O: it takes data and returns data. Let a service or ' +
        'repository call it instead of it calling the store, HTTP, or a service.',
      severity: 'error',
      from: { path: PURE, pathNot: '\\.test\\.ts$' },
      to: {
        path: [
          '^src/(db|http|cli|cti)/',
          '^src/[^/]+/(service|repository|store)\\.ts$',
          '^node_modules/(fastify|@fastify/[^/]+|kysely|pg|better-sqlite3)/',
        ],
      },
    },
    {
      name: 'app-core-no-transport',
      comment:
        'The application core (src/app/) builds the services for every adapter: HTTP, the ' +
        'command line, a WebSocket server, tests. It knows none of them: no Fastify, no ' +
        'src/http or src/cli; an adapter imports the core, never the other way round.',
      severity: 'error',
      from: { path: '^src/app/' },
      to: { path: ['^src/(http|cli)/', '^node_modules/(fastify|@fastify/[^/]+|fastify-[^/]+)/'] },
    },
    {
      name: 'adapters-no-sql',
      comment:
        'HTTP routes and the command line are adapters: they call services, never a repository ' +
        'or the row types of src/db/schema.ts. Add a service method instead. (playbook/store.ts ' +
        'is left out: it is both PlaybookService and its SQL, and src/app/application.ts builds it.)',
      severity: 'error',
      from: { path: '^src/(http|cli)/' },
      to: { path: ['^src/[^/]+/repository\\.ts$', '^src/db/schema\\.ts$'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports (`import type`) are dependencies too: a cycle through them still couples.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
