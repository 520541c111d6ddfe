// Module boundaries that imports cannot show: only a module's repository touches its tables.
// (Import rules — no cycles, pure domain code without store or HTTP — are dependency-cruiser's,
// .dependency-cruiser.cjs, also run by `npm test`.) The test reads the source: every query
// builder call naming a table (selectFrom, insertInto, updateTable, deleteFrom, joins, and
// db/prepared.ts's insertRows) must sit in the repository file of the module owning the table.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const SRC = join(ROOT, 'src');

/** Which module owns each table of src/db/schema.ts (its `DB` interface). */
const OWNER: Record<string, string> = {
  users: 'accounts',
  sessions: 'accounts',
  api_tokens: 'accounts',
  audit_log: 'audit',
  customers: 'customers',
  calls: 'calls',
  tickets: 'tickets',
  ticket_number_counters: 'tickets',
  ticket_events: 'tickets',
  notifications: 'tickets',
  blacklist: 'blacklist',
  playbook_versions: 'playbook',
  event_outbox: 'events',
  review_plans: 'review',
  reviews: 'review',
  review_appeals: 'review',
  calibration_sessions: 'review',
  scorecard_versions: 'scorecards',
  reinspections: 'scorecards',
  call_inspections: 'calls',
  dash_calls: 'dashboard',
  dash_call_rules: 'dashboard',
  dash_call_day: 'dashboard',
  dash_call_month: 'dashboard',
  dash_rule_day: 'dashboard',
  dash_tickets: 'dashboard',
  dash_ticket_day: 'dashboard',
  dash_appeals: 'dashboard',
  dash_appeal_day: 'dashboard',
  live_calls: 'cti',
  live_inputs: 'live',
  live_inputs_rejected: 'live',
  live_journal_holder: 'live',
};

/** The file of each module that touches its tables; repository.ts unless named here. */
const REPOSITORY: Record<string, string> = {
  audit: 'src/audit/audit.ts',
  playbook: 'src/playbook/store.ts',
  scorecards: 'src/scorecards/store.ts',
};
const repositoryOf = (module: string) => REPOSITORY[module] ?? `src/${module}/repository.ts`;

/** src/db/ is the store itself (generic helpers, migrations); tests build their own tables. */
const SKIP = /^src\/db\/|\.test\.ts$/;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith('.ts') ? [relative(ROOT, path).split('\\').join('/')] : [];
  });
}

const TABLE_CALL =
  /\b(?:selectFrom|insertInto|updateTable|deleteFrom|innerJoin|leftJoin|rightJoin|fullJoin)\(\s*'([a-z_]+)(?:\s+as\s+\w+)?'|\binsertRows\(\s*[\w.]+\s*,\s*'([a-z_]+)'/g;

interface TableUse {
  file: string;
  line: number;
  table: string;
}

function tableUses(file: string, text: string): TableUse[] {
  return [...text.matchAll(TABLE_CALL)].map((m) => ({
    file,
    line: text.slice(0, m.index).split('\n').length,
    table: (m[1] ?? m[2]) as string,
  }));
}

const uses = sources(SRC)
  .filter((f) => !SKIP.test(f))
  .flatMap((f) => tableUses(f, readFileSync(join(ROOT, f), 'utf8')));

describe('only a module’s repository touches its tables', () => {
  it('knows the owner of every table in src/db/schema.ts', () => {
    const schema = readFileSync(join(SRC, 'db/schema.ts'), 'utf8');
    const body = /export interface DB \{([^}]*)\}/.exec(schema)?.[1] ?? '';
    const tables = [...body.matchAll(/^\s*(\w+):/gm)].map((m) => m[1]);
    expect(tables.length).toBeGreaterThan(0);
    const unowned = tables.filter((t) => t !== undefined && !(t in OWNER));
    expect(
      unowned,
      `Tables without an owner: add them to OWNER in test/architecture.test.ts (table → module).`,
    ).toEqual([]);
  });

  it('finds the queries it checks (the scan is not vacuous)', () => {
    const touched = new Set(uses.map((u) => `${u.file}:${u.table}`));
    expect(touched).toContain('src/tickets/repository.ts:tickets');
    expect(touched).toContain('src/tickets/repository.ts:ticket_events');
    expect(touched).toContain('src/accounts/repository.ts:users');
    expect(touched).toContain('src/audit/audit.ts:audit_log');
    expect(touched).toContain('src/playbook/store.ts:playbook_versions');
  });

  it('no file touches a table but the owning module’s repository', () => {
    const violations = uses.flatMap((u) => {
      const owner = OWNER[u.table];
      if (owner === undefined)
        return [`${u.file}:${u.line} uses '${u.table}', a table not in src/db/schema.ts`];
      const repository = repositoryOf(owner);
      if (u.file === repository) return [];
      return [
        `${u.file}:${u.line} touches '${u.table}', owned by the ${owner} module: move the query into ` +
          `${repository} and call that function (passing the transaction) instead`,
      ];
    });
    expect(violations, violations.join('\n')).toEqual([]);
  });

  it('reports a query on another module’s table with file, line, table and owner', () => {
    const sample = "const a = 1;\nawait db\n  .selectFrom('users')\n  .innerJoin('calls as c', 'c.id', 'x')";
    expect(tableUses('src/x/service.ts', sample)).toEqual([
      { file: 'src/x/service.ts', line: 3, table: 'users' },
      { file: 'src/x/service.ts', line: 4, table: 'calls' },
    ]);
    expect(tableUses('src/x/r.ts', "insertRows(\n  db,\n  'ticket_events',\n  rows)")).toEqual([
      { file: 'src/x/r.ts', line: 1, table: 'ticket_events' },
    ]);
  });
});

// The call event types (CALL_EVENT_TYPES, src/calls/model.ts) are one list: a copy elsewhere
// (the CTI, live assist's engine or journal, a schema) would let a new type reach one and not
// the others.
const EVENT_LIST = /['"]ring['"]\s*,\s*['"]answer['"]\s*,\s*['"]hold['"]\s*,\s*['"]unhold['"]/g;

function eventLists(file: string, text: string): string[] {
  return [...text.matchAll(EVENT_LIST)].map((m) => `${file}:${text.slice(0, m.index).split('\n').length}`);
}

describe('the call event types are written once', () => {
  it('in src/calls/model.ts, and nowhere else in src', () => {
    const found = sources(SRC)
      .filter((f) => !f.endsWith('.test.ts'))
      .flatMap((f) => eventLists(f, readFileSync(join(ROOT, f), 'utf8')));
    const elsewhere = found.filter((f) => !f.startsWith('src/calls/model.ts:'));
    expect(found.length - elsewhere.length).toBe(1);
    expect(
      elsewhere,
      `import CALL_EVENT_TYPES from src/calls/model.ts instead of:\n${elsewhere.join('\n')}`,
    ).toEqual([]);
  });

  it('finds a list written over several lines, or in double quotes', () => {
    expect(
      eventLists('x.ts', "const a = 1;\nconst T = [\n  'ring',\n  'answer',\n  'hold',\n  'unhold',\n]"),
    ).toEqual(['x.ts:3']);
    expect(eventLists('y.ts', '["ring", "answer", "hold", "unhold"]')).toEqual(['y.ts:1']);
  });
});
