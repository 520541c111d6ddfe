// Queries compiled once. Kysely builds a query as a tree of frozen nodes and compiles it to
// SQL on every call: for the few statements every request runs (the session lookup, the
// inserts of a ticket create) that is a fifth of the request's time, and a good part of its
// garbage. Here the first call of a query compiles it with markers in place of the values,
// which shows where each value goes; later calls only put the values in. On SQLite the same
// text also finds the statement already prepared (sqlite-driver.ts).
//
// The rule for a prepared query: its SQL may depend on which parameters it is given, never
// on their values (no `if (p.x === null)` in the builder), and each value must be a plain
// string, number or null that the query uses as it is, as a value. A builder that changes
// a value (its case, its spaces) or puts one in the SQL text is seen and then simply runs
// through Kysely every time; other transformations may not be seen: do not write them.
import {
  type Compilable,
  CompiledQuery,
  type Insertable,
  type InsertQueryBuilder,
  type InsertResult,
  type Kysely,
  type OperationNodeSource,
  type QueryResult,
  type Transaction,
} from 'kysely';
import type { DB } from './schema.ts';

type Db = Kysely<DB> | Transaction<DB>;
type Scalar = string | number | null;

/** Where a compiled statement's parameters come from: a named value, or a constant of the query. */
type Slot = { key: string } | { constant: unknown };

interface Plan {
  sql: string;
  slots: Slot[];
}

// Mixed case and spaces, so that the common things done to a value (case, trim) show.
const MARK = ' \u0000Huashu-Param\u0000 ';

/**
 * Compiles `build(markers)` and reads off where each value goes; null when the query does not
 * keep to the rule (a marker is missing, changed, or in the SQL text).
 */
function planOf(build: (values: Record<string, string>) => Compilable, keys: readonly string[]): Plan | null {
  const markers: Record<string, string> = {};
  const keyOf = new Map<string, string>();
  for (const key of keys) {
    const marker = `${MARK}${key}${MARK}`;
    markers[key] = marker;
    keyOf.set(marker, key);
  }
  let compiled: CompiledQuery;
  try {
    compiled = build(markers).compile();
  } catch {
    return null;
  }
  if (compiled.sql.includes(MARK)) return null;
  const slots: Slot[] = [];
  const used = new Set<string>();
  for (const p of compiled.parameters) {
    const key = typeof p === 'string' ? keyOf.get(p) : undefined;
    if (key !== undefined) {
      slots.push({ key });
      used.add(key);
    } else if (typeof p === 'string' && p.includes(MARK)) return null;
    else slots.push({ constant: p });
  }
  // Every value must be a parameter: otherwise the builder did something else with it.
  if (used.size !== keys.length) return null;
  return { sql: compiled.sql, slots };
}

/** Plans per dialect (the adapter of the database they run on), then per shape. */
const plansByDialect = new WeakMap<object, Map<string, Plan | null>>();

function plansFor(db: Db): Map<string, Plan | null> {
  const adapter = db.getExecutor().adapter;
  let plans = plansByDialect.get(adapter);
  if (!plans) {
    plans = new Map();
    plansByDialect.set(adapter, plans);
  }
  return plans;
}

function execute<O>(db: Db, sql: string, parameters: unknown[]): Promise<QueryResult<O>> {
  return db.executeQuery(CompiledQuery.raw(sql, parameters) as CompiledQuery<O>);
}

let queries = 0;

/**
 * A query compiled once per dialect: `const q = prepared((db, p: {id: string}) =>
 * db.selectFrom('t').selectAll().where('id', '=', p.id))`, then `(await q(db, {id})).rows`.
 */
export function prepared<P extends Record<string, Scalar>, O>(
  build: (db: Db, p: P) => Compilable<O>,
): (db: Db, p: P) => Promise<QueryResult<O>> {
  const id = `q${++queries}`;
  return (db, p) => {
    const plans = plansFor(db);
    const keys = Object.keys(p);
    const shape = `${id}:${keys.join(',')}`;
    let plan = plans.get(shape);
    if (plan === undefined) {
      plan = planOf((markers) => build(db, markers as unknown as P), keys);
      plans.set(shape, plan);
    }
    if (plan) {
      const parameters: unknown[] = [];
      for (const slot of plan.slots) {
        const v = 'key' in slot ? p[slot.key] : slot.constant;
        if (v === undefined) return db.executeQuery(build(db, p)); // not the parameters it was planned with
        parameters.push(v);
      }
      return execute<O>(db, plan.sql, parameters);
    }
    return db.executeQuery(build(db, p));
  };
}

/** A write that runs by itself, or goes into a statement with others (batch.ts). */
export interface PreparedWrite {
  /** The query as Kysely builds it. */
  query(): Compilable & OperationNodeSource;
  execute(): Promise<unknown>;
}

/**
 * `db.insertInto(table).values(rows)`, compiled once per table, columns and number of rows.
 * The rows must have the same columns, in the same order, none of them undefined.
 */
export function insertRows<T extends keyof DB & string>(
  db: Db,
  table: T,
  rows: readonly Insertable<DB[T]>[],
): PreparedWrite {
  const query = () =>
    db.insertInto(table).values(rows as Insertable<DB[T]>[]) as unknown as InsertQueryBuilder<
      DB,
      T,
      InsertResult
    >;
  return {
    query,
    execute: () => {
      const first = rows[0] as Record<string, unknown> | undefined;
      if (!first) return query().execute();
      const columns = Object.keys(first);
      for (const row of rows) if (Object.keys(row).length !== columns.length) return query().execute();
      const plans = plansFor(db);
      const shape = `insert:${table}:${rows.length}:${columns.join(',')}`;
      let plan = plans.get(shape);
      if (plan === undefined) {
        const keys = rows.flatMap((_, i) => columns.map((c) => `${i}:${c}`));
        plan = planOf(
          (markers) =>
            db
              .insertInto(table)
              .values(
                rows.map((_, i) =>
                  Object.fromEntries(columns.map((c) => [c, markers[`${i}:${c}`]])),
                ) as never,
              ),
          keys,
        );
        plans.set(shape, plan);
        if (plan) cells.set(plan, cellsOf(plan));
      }
      const at = plan && cells.get(plan);
      if (!plan || !at) return query().execute();
      const parameters: unknown[] = [];
      for (const cell of at) {
        const v = cell.constant ? cell.value : (rows[cell.row] as Record<string, unknown>)[cell.column];
        if (v === undefined) return query().execute();
        parameters.push(v);
      }
      return execute(db, plan.sql, parameters);
    },
  };
}

type Cell = { constant: false; row: number; column: string } | { constant: true; value: unknown };

/** An insert plan's parameters as row and column (its keys are `row:column`). */
const cells = new WeakMap<Plan, Cell[]>();

function cellsOf(plan: Plan): Cell[] {
  return plan.slots.map((s) => {
    if (!('key' in s)) return { constant: true, value: s.constant };
    const colon = s.key.indexOf(':');
    return { constant: false, row: Number(s.key.slice(0, colon)), column: s.key.slice(colon + 1) };
  });
}
