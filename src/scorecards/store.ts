// Scorecard versions in the store, like playbooks: the shipped files seed their version as
// published; an admin saves a draft (checked: every problem with line and column), then
// publishes it, and the inspector uses the newest published version from then on. Every
// version is kept with who stored and who published it, and each step is audited.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Kysely, PostgresAdapter, type Selectable, sql } from 'kysely';
import { type Actor, AuditWriter, recordAudit } from '../audit/audit.ts';
import type { DB, ReinspectionsTable } from '../db/schema.ts';
import { event } from '../events/map.ts';
import { appendEvents } from '../events/repository.ts';
import type { Catalog } from '../playbook/catalog.ts';
import { InspectionError, Inspector } from '../qa/engine.ts';
import { parseScorecard, type Scorecard, ScorecardError } from '../qa/scorecard.ts';
import type { Clock, IdGenerator } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import type { FileIssue } from '../yaml/validated-yaml.ts';

export const SCORECARD_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../scorecards');

/** The scorecard the server inspects with (scorecards/default.yaml). */
export const DEFAULT_SCORECARD_ID = 'default';

export type ScorecardStatus = 'draft' | 'published';

export interface ScorecardVersion {
  scorecard: string;
  version: number;
  name: string;
  status: ScorecardStatus;
  createdAt: string;
  createdBy: string | null;
  publishedAt: string | null;
  publishedBy: string | null;
}

/** A problem of a scorecard's YAML, where the editor shows it. */
export interface LintIssue {
  /** 1-based; 0 when the problem has no single place. */
  line: number;
  column: number;
  /** Field path such as `rules[3].points`; empty for the document. */
  path: string;
  message: string;
  /** The message in Chinese, when it has one. */
  zh?: string;
}

/** The shipped scorecard files: id (file name without .yaml) and text. */
export function shippedScorecards(dir: string = SCORECARD_DIR): { id: string; file: string; text: string }[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => ({ id: basename(f, '.yaml'), file: join(dir, f), text: readFileSync(join(dir, f), 'utf8') }));
}

/**
 * Records each shipped scorecard version the store does not have yet, as published. One
 * transaction; on PostgreSQL under an advisory lock, so that processes starting together on an
 * empty database seed one after the other.
 */
export async function seedScorecards(db: Kysely<DB>, clock: Clock, dir?: string): Promise<string[]> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const files = shippedScorecards(dir);
  return await db.transaction().execute(async (trx) => {
    if (postgres)
      await sql`select pg_advisory_xact_lock(hashtextextended(current_schema() || '.scorecard seed', 0))`.execute(
        trx,
      );
    const added: string[] = [];
    const at = clock.now().toISOString();
    for (const f of files) {
      const sc = parseScorecard(f.text, f.file);
      const existing = await trx
        .selectFrom('scorecard_versions')
        .select('version')
        .where('scorecard', '=', f.id)
        .where('version', '=', sc.version)
        .executeTakeFirst();
      if (existing) continue;
      await trx
        .insertInto('scorecard_versions')
        .values({
          scorecard: f.id,
          version: sc.version,
          content: f.text,
          status: 'published',
          created_at: at,
          created_by: null,
          published_at: at,
          published_by: null,
        })
        .execute();
      await recordAudit(trx, {
        id: `scorecard-${f.id}-${sc.version}`,
        at,
        actor: { userId: null, ip: null },
        entityType: 'scorecard',
        entityId: f.id,
        action: 'seed',
        changes: { version: sc.version, rules: sc.rules.length },
      });
      added.push(`${f.id}@${sc.version}`);
    }
    return added;
  });
}

const notFound = (id: string, version?: number) =>
  new AppError(
    'not-found',
    version === undefined
      ? { zh: `没有评分表“${id}”`, en: `no scorecard '${id}'` }
      : { zh: `评分表“${id}”没有第 ${version} 版`, en: `scorecard '${id}' has no version ${version}` },
  );

/** Where the inspector in force is handed over when a version is published or loaded. */
export type UseScorecard = (inspector: Inspector, version: number) => void;

/** Inspectors of published versions kept compiled (the one in force and the few before it). */
const KEPT_INSPECTORS = 4;

export class ScorecardService {
  private readonly audit: AuditWriter;
  /** The version in force in this process (null: the shipped file, not from the store). */
  private inForce: number | null = null;
  /** Compiled published versions, oldest first (a call that rang before a publish is judged by its own). */
  private readonly compiled = new Map<number, Inspector>();

  constructor(
    private readonly db: Kysely<DB>,
    private readonly catalog: Catalog,
    private readonly clock: Clock,
    ids: IdGenerator,
    private readonly use: UseScorecard,
    private readonly detector?: Inspector['detector'],
  ) {
    this.audit = new AuditWriter(ids, clock);
  }

  /** The published version the inspector uses in this process (null before loadPublished). */
  get versionInForce(): number | null {
    return this.inForce;
  }

  /** Checks a scorecard's YAML: every problem with line and column; [] when it can be published. */
  lint(content: string, file = 'scorecard.yaml'): LintIssue[] {
    const issues = (fileIssues: readonly FileIssue[]) =>
      fileIssues.map((i) => ({
        line: i.line,
        column: i.column,
        path: i.path,
        message: i.message,
        ...(i.zh ? { zh: i.zh } : {}),
      }));
    try {
      this.inspector(parseScorecard(content, file));
      return [];
    } catch (err) {
      if (err instanceof ScorecardError) return issues(err.issues);
      if (err instanceof InspectionError) return [{ line: 0, column: 0, path: '', message: err.message }];
      throw err;
    }
  }

  /** An inspector of the scorecard, compiled for every brand now (a bad reference throws here). */
  private inspector(sc: Scorecard): Inspector {
    const inspector = new Inspector(sc, this.catalog, this.detector ? { detector: this.detector } : {});
    inspector.warmUp();
    return inspector;
  }

  private keep(version: number, inspector: Inspector): void {
    this.compiled.delete(version);
    this.compiled.set(version, inspector);
    for (const old of this.compiled.keys()) {
      if (this.compiled.size <= KEPT_INSPECTORS) break;
      if (old !== this.inForce) this.compiled.delete(old);
    }
  }

  /**
   * The inspector of a published version of the default scorecard: the one a call that rang
   * while it was in force is judged by at hang-up, in whichever process the hang-up arrives.
   */
  async inspectorOf(version: number): Promise<Inspector> {
    const kept = this.compiled.get(version);
    if (kept) return kept;
    const { scorecard } = await this.published(version);
    const inspector = this.inspector(scorecard);
    this.keep(version, inspector);
    return inspector;
  }

  /**
   * A published version of the default scorecard as stored (`huashu qa --scorecard store:N`),
   * or without `version` the one the server puts in force: the newest published that passes
   * the checks. Errors name what the store holds.
   */
  async published(
    version?: number,
    onInvalid?: (version: number, err: Error) => void,
  ): Promise<{ version: number; scorecard: Scorecard }> {
    const id = DEFAULT_SCORECARD_ID;
    const rows = await this.db
      .selectFrom('scorecard_versions')
      .select(['version', 'content', 'status'])
      .where('scorecard', '=', id)
      .orderBy('version', 'desc')
      .execute();
    const published = rows.filter((r) => r.status === 'published').map((r) => Number(r.version));
    const listed = published.length > 0 ? published.join(', ') : '—';
    if (version !== undefined) {
      const row = rows.find((r) => Number(r.version) === version);
      if (!row)
        throw new AppError('not-found', {
          zh: `评分表“${id}”没有第 ${version} 版；已发布的版本：${listed}`,
          en: `scorecard '${id}' has no version ${version}; published versions: ${listed}`,
        });
      if (row.status !== 'published')
        throw new AppError('conflict', {
          zh: `评分表“${id}”第 ${version} 版是草稿，尚未发布；已发布的版本：${listed}`,
          en: `scorecard '${id}' version ${version} is a draft, not published; published versions: ${listed}`,
        });
      return { version, scorecard: parseScorecard(row.content, `store:${id}@${version}`) };
    }
    for (const row of rows) {
      if (row.status !== 'published') continue;
      const v = Number(row.version);
      try {
        const scorecard = parseScorecard(row.content, `store:${id}@${v}`);
        this.inspector(scorecard);
        return { version: v, scorecard };
      } catch (err) {
        if (!(err instanceof ScorecardError || err instanceof InspectionError)) throw err;
        onInvalid?.(v, err);
      }
    }
    throw new AppError('not-found', {
      zh: `存储中没有已发布的评分表“${id}”（启动一次 huashu serve 会登记随附的评分表）`,
      en: `the store has no published version of scorecard '${id}' (a start of huashu serve records the shipped one)`,
    });
  }

  /**
   * Puts the newest published version of the default scorecard in force. A stored version that
   * no longer passes the checks is skipped for the next older one.
   */
  async loadPublished(
    onInvalid: (version: number, err: Error) => void = (version, err) => {
      process.stderr.write(
        `scorecard ${DEFAULT_SCORECARD_ID}@${version} is not put in force: ${err.message}\n`,
      );
    },
  ): Promise<number | null> {
    const rows = await this.db
      .selectFrom('scorecard_versions')
      .select(['version', 'content'])
      .where('scorecard', '=', DEFAULT_SCORECARD_ID)
      .where('status', '=', 'published')
      .orderBy('version', 'desc')
      .execute();
    for (const row of rows) {
      const version = Number(row.version);
      if (this.inForce !== null && this.inForce >= version) return this.inForce;
      try {
        const inspector =
          this.compiled.get(version) ??
          this.inspector(parseScorecard(row.content, `store:${DEFAULT_SCORECARD_ID}@${version}`));
        this.use(inspector, version);
        this.inForce = version;
        this.keep(version, inspector);
        return version;
      } catch (err) {
        if (!(err instanceof ScorecardError || err instanceof InspectionError)) throw err;
        onInvalid(version, err);
      }
    }
    return this.inForce;
  }

  async list(): Promise<{ id: string; name: string; published: number | null; draft: number | null }[]> {
    const rows = await this.db
      .selectFrom('scorecard_versions')
      .select(['scorecard', 'version', 'status', 'content'])
      .orderBy('scorecard')
      .orderBy('version', 'desc')
      .execute();
    const out = new Map<
      string,
      { id: string; name: string; published: number | null; draft: number | null }
    >();
    for (const r of rows) {
      let e = out.get(r.scorecard);
      if (!e) {
        e = { id: r.scorecard, name: nameOf(r.content, r.scorecard), published: null, draft: null };
        out.set(r.scorecard, e);
      }
      if (r.status === 'published' && e.published === null) e.published = Number(r.version);
      if (r.status === 'draft' && e.draft === null) e.draft = Number(r.version);
    }
    return [...out.values()];
  }

  async versions(id: string): Promise<ScorecardVersion[]> {
    const rows = await this.db
      .selectFrom('scorecard_versions')
      .selectAll()
      .where('scorecard', '=', id)
      .orderBy('version', 'desc')
      .execute();
    if (rows.length === 0) throw notFound(id);
    return rows.map((r) => ({
      scorecard: r.scorecard,
      version: Number(r.version),
      name: nameOf(r.content, r.scorecard),
      status: r.status as ScorecardStatus,
      createdAt: r.created_at,
      createdBy: r.created_by,
      publishedAt: r.published_at,
      publishedBy: r.published_by,
    }));
  }

  async content(id: string, version: number): Promise<{ version: ScorecardVersion; content: string }> {
    const row = await this.db
      .selectFrom('scorecard_versions')
      .select('content')
      .where('scorecard', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    if (!row) throw notFound(id, version);
    const v = (await this.versions(id)).find((x) => x.version === version);
    if (!v) throw notFound(id, version);
    return { version: v, content: row.content };
  }

  /**
   * Stores the YAML as the scorecard's draft (replacing an earlier draft). It must pass every
   * check, and its `version` must be newer than every published one; nothing is in force yet.
   */
  async saveDraft(id: string, content: string, actor: Actor): Promise<ScorecardVersion> {
    const existing = await this.versions(id);
    const issues = this.lint(content, `${id}.yaml`);
    if (issues.length > 0)
      throw new AppError(
        'validation',
        {
          zh: `评分表有 ${issues.length} 处问题，未做任何更改`,
          en: `the scorecard has ${issues.length} problem(s); nothing was changed`,
        },
        issues.map((i) => ({
          path: `body.content${i.line ? `:${i.line}:${i.column}` : ''}${i.path ? ` ${i.path}` : ''}`,
          message: i.message,
          ...(i.zh ? { zh: i.zh } : {}),
        })),
      );
    const sc = parseScorecard(content, `${id}.yaml`);
    const latest = existing.find((v) => v.status === 'published')?.version ?? 0;
    if (sc.version <= latest)
      throw new AppError(
        'conflict',
        {
          zh: `版本 ${sc.version} 不比已发布的版本 ${latest} 新；请把 version 改为 ${latest + 1}`,
          en: `version ${sc.version} is not newer than the published version ${latest}; raise 'version' to ${latest + 1}`,
        },
        [{ path: 'body.content version', message: `must be greater than ${latest}`, zh: `须大于 ${latest}` }],
      );
    const at = this.clock.now().toISOString();
    await this.db.transaction().execute(async (trx) => {
      // One draft at a time: saving replaces it (whatever version it had).
      await trx
        .deleteFrom('scorecard_versions')
        .where('scorecard', '=', id)
        .where('status', '=', 'draft')
        .execute();
      await trx
        .insertInto('scorecard_versions')
        .values({
          scorecard: id,
          version: sc.version,
          content,
          status: 'draft',
          created_at: at,
          created_by: actor.userId,
          published_at: null,
          published_by: null,
        })
        .execute();
      await this.audit.record(
        trx,
        {
          actor,
          entityType: 'scorecard',
          entityId: id,
          action: 'draft',
          changes: { version: sc.version, rules: sc.rules.length },
        },
        at,
      );
    });
    return {
      scorecard: id,
      version: sc.version,
      name: sc.name,
      status: 'draft',
      createdAt: at,
      createdBy: actor.userId,
      publishedAt: null,
      publishedBy: null,
    };
  }

  /** Publishes a draft: from now on the inspector uses it (default scorecard). */
  async publish(id: string, version: number, actor: Actor): Promise<ScorecardVersion> {
    const { version: v, content } = await this.content(id, version);
    if (v.status !== 'draft')
      throw new AppError('conflict', {
        zh: `评分表“${id}”第 ${version} 版已发布`,
        en: `scorecard '${id}' version ${version} is published already`,
      });
    // Checked again: a playbook may have changed since the draft was saved.
    const issues = this.lint(content, `${id}.yaml`);
    if (issues.length > 0)
      throw new AppError(
        'validation',
        {
          zh: `草稿有 ${issues.length} 处问题，未发布`,
          en: `the draft has ${issues.length} problem(s); not published`,
        },
        issues.map((i) => ({
          path: `content${i.line ? `:${i.line}:${i.column}` : ''} ${i.path}`,
          message: i.message,
          ...(i.zh ? { zh: i.zh } : {}),
        })),
      );
    const at = this.clock.now().toISOString();
    const previous = await this.db
      .selectFrom('scorecard_versions')
      .select('version')
      .where('scorecard', '=', id)
      .where('status', '=', 'published')
      .orderBy('version', 'desc')
      .executeTakeFirst();
    await this.db.transaction().execute(async (trx) => {
      const r = await trx
        .updateTable('scorecard_versions')
        .set({ status: 'published', published_at: at, published_by: actor.userId })
        .where('scorecard', '=', id)
        .where('version', '=', version)
        .where('status', '=', 'draft')
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1)
        throw new AppError('conflict', {
          zh: `评分表“${id}”第 ${version} 版刚刚已由他人发布或替换`,
          en: `scorecard '${id}' version ${version} was published or replaced meanwhile`,
        });
      await this.audit.record(
        trx,
        {
          actor,
          entityType: 'scorecard',
          entityId: id,
          action: 'publish',
          changes: { version: { from: previous ? Number(previous.version) : null, to: version } },
        },
        at,
      );
      // Every process puts the new version in force when it hears of this (loadPublished).
      await appendEvents(trx, [
        event('scorecard.changed', { type: 'scorecard', id }, at, {
          scorecard: id,
          version,
          by: actor.userId,
        }),
      ]);
    });
    if (id === DEFAULT_SCORECARD_ID) await this.loadPublished();
    return { ...v, status: 'published', publishedAt: at, publishedBy: actor.userId };
  }
}

function nameOf(content: string, fallback: string): string {
  const m = /^name:\s*(.+)$/m.exec(content);
  return m?.[1]?.trim() || fallback;
}

// ---- Re-inspection of a chosen period (brand, from, to) with the published scorecard, as a
// background job whose progress (n of m calls, errors) is kept here so that the API and the
// back office show it whichever runner runs the job. Idempotent: a run asked for while the same
// one is waiting or running is that run; a call that has a result of the scorecard version
// already is skipped, so re-running adds nothing and earlier versions' results stay.
export type ReinspectionStatus = 'waiting' | 'running' | 'completed' | 'failed';
export const REINSPECTION_STATUSES: readonly ReinspectionStatus[] = [
  'waiting',
  'running',
  'completed',
  'failed',
];

/** Most per-call errors a run keeps (the count goes on). */
export const MAX_KEPT_ERRORS = 50;

export interface Reinspection {
  id: string;
  scorecardVersion: number;
  brand: string | null;
  from: string | null;
  to: string | null;
  status: ReinspectionStatus;
  /** Calls in the period when the run started. */
  total: number;
  /** Calls looked at so far (inspected or skipped). */
  done: number;
  /** Calls with a result of this scorecard version already (left as they are). */
  skipped: number;
  /** Calls whose score or findings changed. */
  changed: number;
  errors: { callId: string; message: string }[];
  jobId: string | null;
  createdAt: string;
  createdBy: string | null;
  finishedAt: string | null;
}

export interface ReinspectionProgress {
  status: ReinspectionStatus;
  total: number;
  done: number;
  skipped: number;
  changed: number;
  errors: { callId: string; message: string }[];
}

function toView(r: Selectable<ReinspectionsTable>): Reinspection {
  return {
    id: r.id,
    scorecardVersion: Number(r.scorecard_version),
    brand: r.brand,
    from: r.from_at,
    to: r.to_at,
    status: r.status as ReinspectionStatus,
    total: Number(r.total),
    done: Number(r.done),
    skipped: Number(r.skipped),
    changed: Number(r.changed),
    errors: JSON.parse(r.errors) as Reinspection['errors'],
    jobId: r.job_id,
    createdAt: r.created_at,
    createdBy: r.created_by,
    finishedAt: r.finished_at,
  };
}

/** What the job is started with (the runner's job data). */
export interface ReinspectPeriodData {
  runId: string;
  brand?: string;
  from?: string;
  to?: string;
  actor: Actor;
}

export class ReinspectionStore {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  /**
   * The run of this period with this scorecard version: the one waiting or running if there is
   * one (`existing: true`), else a new one, waiting for its job.
   */
  async open(
    period: { brand?: string; from?: string; to?: string },
    scorecardVersion: number,
    actor: Actor,
  ): Promise<{ run: Reinspection; existing: boolean }> {
    const brand = period.brand ?? null;
    const from = period.from ? new Date(period.from).toISOString() : null;
    const to = period.to ? new Date(period.to).toISOString() : null;
    let q = this.db
      .selectFrom('reinspections')
      .selectAll()
      .where('scorecard_version', '=', scorecardVersion)
      .where('status', 'in', ['waiting', 'running']);
    q = brand === null ? q.where('brand', 'is', null) : q.where('brand', '=', brand);
    q = from === null ? q.where('from_at', 'is', null) : q.where('from_at', '=', from);
    q = to === null ? q.where('to_at', 'is', null) : q.where('to_at', '=', to);
    const running = await q.executeTakeFirst();
    if (running) return { run: toView(running), existing: true };
    const id = this.ids();
    const row = {
      id,
      scorecard_version: scorecardVersion,
      brand,
      from_at: from,
      to_at: to,
      status: 'waiting',
      total: 0,
      done: 0,
      skipped: 0,
      changed: 0,
      errors: '[]',
      job_id: null,
      created_at: this.clock.now().toISOString(),
      created_by: actor.userId,
      finished_at: null,
    };
    await this.db.insertInto('reinspections').values(row).execute();
    return { run: toView(row), existing: false };
  }

  async attachJob(id: string, jobId: string): Promise<void> {
    await this.db.updateTable('reinspections').set({ job_id: jobId }).where('id', '=', id).execute();
  }

  async report(id: string, p: ReinspectionProgress): Promise<void> {
    const finished = p.status === 'completed' || p.status === 'failed';
    await this.db
      .updateTable('reinspections')
      .set({
        status: p.status,
        total: p.total,
        done: p.done,
        skipped: p.skipped,
        changed: p.changed,
        errors: JSON.stringify(p.errors.slice(0, MAX_KEPT_ERRORS)),
        finished_at: finished ? this.clock.now().toISOString() : null,
      })
      .where('id', '=', id)
      .execute();
  }

  /**
   * One run. A reader limited to a brand (`brand`) sees the runs of that brand only: another
   * brand's, or one over every brand (its counts and errors name other brands' calls), is not
   * found, as an unknown id.
   */
  async get(id: string, brand: string | null = null): Promise<Reinspection> {
    let q = this.db.selectFrom('reinspections').selectAll().where('id', '=', id);
    if (brand !== null) q = q.where('brand', '=', brand);
    const row = await q.executeTakeFirst();
    if (!row)
      throw new AppError('not-found', { zh: `没有重新质检任务“${id}”`, en: `no re-inspection '${id}'` });
    return toView(row);
  }

  /** Newest first; of the brand only for a reader limited to one (as `get`). */
  async list(limit: number, brand: string | null = null): Promise<Reinspection[]> {
    let q = this.db.selectFrom('reinspections').selectAll();
    if (brand !== null) q = q.where('brand', '=', brand);
    const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
    return rows.map(toView);
  }
}
