// Playbook versions in the store. The shipped files seed version 1 (or whatever they say);
// an admin can put a new version in force over the API. Every version is kept, with who
// stored it and an audit entry, so the store holds the history of what agents were shown.
import { readFileSync } from 'node:fs';
import { type Kysely, PostgresAdapter, sql } from 'kysely';
import { type Actor, AuditWriter, recordAudit } from '../audit/audit.ts';
import type { DB } from '../db/schema.ts';
import { event } from '../events/map.ts';
import { appendEvents } from '../events/repository.ts';
import type { Clock, IdGenerator } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import type { Catalog } from './catalog.ts';
import { PlaybookError } from './errors.ts';
import { type Playbook, parsePlaybook } from './load.ts';

/**
 * Records each shipped playbook version the store does not have yet. One transaction; on
 * PostgreSQL under an advisory lock (keyed by the schema), so that processes starting at the
 * same moment on an empty database seed one after the other: the second finds the versions
 * stored and adds nothing, instead of failing on the primary key (brand, version).
 */
export async function seedPlaybooks(db: Kysely<DB>, catalog: Catalog, clock: Clock): Promise<string[]> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  return await db.transaction().execute(async (trx) => {
    if (postgres)
      await sql`select pg_advisory_xact_lock(hashtextextended(current_schema() || '.playbook seed', 0))`.execute(
        trx,
      );
    const added: string[] = [];
    const at = clock.now().toISOString();
    for (const pb of catalog.playbooks) {
      const existing = await trx
        .selectFrom('playbook_versions')
        .select('version')
        .where('brand', '=', pb.brand.id)
        .where('version', '=', pb.version)
        .executeTakeFirst();
      if (existing) continue;
      await trx
        .insertInto('playbook_versions')
        .values({
          brand: pb.brand.id,
          version: pb.version,
          content: readFileSync(pb.file, 'utf8'),
          created_at: at,
          created_by: null,
        })
        .execute();
      await recordAudit(trx, {
        id: `playbook-${pb.brand.id}-${pb.version}`,
        at,
        actor: { userId: null, ip: null },
        entityType: 'playbook',
        entityId: pb.brand.id,
        action: 'seed',
        changes: { version: pb.version, scenarios: pb.scenarios.length },
      });
      added.push(`${pb.brand.id}@${pb.version}`);
    }
    return added;
  });
}

export interface PlaybookVersion {
  brand: string;
  version: number;
  createdAt: string;
  createdBy: string | null;
}

export class PlaybookService {
  private readonly audit: AuditWriter;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly catalog: Catalog,
    private readonly clock: Clock,
    ids: IdGenerator,
  ) {
    this.audit = new AuditWriter(ids, clock);
  }

  /**
   * Puts the newest stored version of each brand in force (they may be newer than the files).
   * A stored version that no longer passes the checks (stored before a check existed) is
   * skipped for the newest one that does, so an upgrade never stops the server from starting
   * with a brand that answers 500; `onInvalid` hears of each skipped version.
   */
  async loadStored(
    onInvalid: (brand: string, version: number, err: PlaybookError) => void = (brand, version, err) => {
      process.stderr.write(`playbook ${brand}@${version} is not put in force: ${err.message}\n`);
    },
  ): Promise<string[]> {
    const rows = await this.db
      .selectFrom('playbook_versions')
      .select(['brand', 'version', 'content'])
      .orderBy('brand')
      .orderBy('version', 'desc')
      .execute();
    const loaded: string[] = [];
    const done = new Set<string>();
    for (const row of rows) {
      if (done.has(row.brand)) continue;
      const current = this.catalog.find(row.brand);
      if (current && current.version >= row.version) {
        done.add(row.brand);
        continue;
      }
      const file = `store:${row.brand}@${row.version}`;
      try {
        // replace() checks the whole catalog before changing anything.
        this.catalog.replace({ ...parsePlaybook(row.content, file, { bases: this.catalog.files }), file });
      } catch (err) {
        if (!(err instanceof PlaybookError)) throw err;
        onInvalid(row.brand, row.version, err);
        continue; // try the brand's next older version
      }
      done.add(row.brand);
      loaded.push(`${row.brand}@${row.version}`);
    }
    return loaded;
  }

  async versions(brand: string): Promise<PlaybookVersion[]> {
    const rows = await this.db
      .selectFrom('playbook_versions')
      .select(['brand', 'version', 'created_at', 'created_by'])
      .where('brand', '=', brand)
      .orderBy('version', 'desc')
      .execute();
    return rows.map((r) => ({
      brand: r.brand,
      version: r.version,
      createdAt: r.created_at,
      createdBy: r.created_by,
    }));
  }

  async content(brand: string, version: number): Promise<string> {
    const row = await this.db
      .selectFrom('playbook_versions')
      .select('content')
      .where('brand', '=', brand)
      .where('version', '=', version)
      .executeTakeFirst();
    if (!row)
      throw new AppError('not-found', {
        zh: `品牌“${brand}”没有第 ${version} 版话术库`,
        en: `brand '${brand}' has no playbook version ${version}`,
      });
    return row.content;
  }

  /** Validates a playbook file and puts it in force as the brand's next version. */
  async update(brand: string, content: string, actor: Actor): Promise<PlaybookVersion> {
    let pb: Playbook;
    try {
      // Checked against the playbooks in force: its `extends` and the phrases it inherits.
      pb = parsePlaybook(content, `${brand}.yaml`, { bases: this.catalog.files });
    } catch (err) {
      if (!(err instanceof PlaybookError)) throw err;
      throw new AppError(
        'validation',
        {
          zh: `话术库文件有 ${err.issues.length} 处问题，未做任何更改`,
          en: `the playbook has ${err.issues.length} problem(s); nothing was changed`,
        },
        err.issues.map((i) => ({
          path: `body.content${i.line ? `:${i.line}:${i.column}` : ''}${i.path ? ` ${i.path}` : ''}`,
          message: i.message,
          ...(i.zh ? { zh: i.zh } : {}),
        })),
      );
    }
    if (pb.brand.id !== brand) {
      throw new AppError(
        'validation',
        {
          zh: `该文件属于品牌“${pb.brand.id}”，不是“${brand}”`,
          en: `the file is for brand '${pb.brand.id}', not '${brand}'`,
        },
        [{ path: 'body.content brand.id', message: `expected '${brand}'`, zh: `应为“${brand}”` }],
      );
    }
    const previous = this.catalog.find(brand);
    // The file as written, to put back if storing fails (the resolved one carries its base's lists).
    const previousFile = this.catalog.files.find((f) => f.brand.id === brand);
    const latest = (await this.versions(brand))[0]?.version ?? 0;
    if (pb.version <= latest) {
      throw new AppError(
        'conflict',
        {
          zh: `版本 ${pb.version} 不比已存的版本 ${latest} 新；请把 version 改为 ${latest + 1}`,
          en: `version ${pb.version} is not newer than the stored version ${latest}; raise 'version' to ${latest + 1}`,
        },
        [{ path: 'body.content version', message: `must be greater than ${latest}`, zh: `须大于 ${latest}` }],
      );
    }
    // Check that it resolves with the other playbooks before storing anything.
    const probe = { ...pb, file: `store:${brand}@${pb.version}` };
    try {
      this.catalog.replace(probe); // checks the whole catalog before changing anything
    } catch (err) {
      if (err instanceof PlaybookError) {
        throw new AppError(
          'validation',
          { zh: `话术库无法与其他品牌的话术库一起使用，未做任何更改：${err.message}`, en: err.message },
          err.issues.map((i) =>
            // A problem in another brand's playbook (one that extends this one) names that file.
            i.file === probe.file
              ? { path: `body.content ${i.path}`, message: i.message }
              : { path: 'body.content', message: `${i.file} ${i.path}: ${i.message}` },
          ),
        );
      }
      throw err;
    }
    const at = this.clock.now().toISOString();
    try {
      await this.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('playbook_versions')
          .values({ brand, version: pb.version, content, created_at: at, created_by: actor.userId })
          .execute();
        const before = new Set(previous?.scenarios.map((s) => s.id) ?? []);
        const after = new Set(pb.scenarios.map((s) => s.id));
        await this.audit.record(
          trx,
          {
            actor,
            entityType: 'playbook',
            entityId: brand,
            action: 'update',
            changes: {
              version: { from: previous?.version ?? null, to: pb.version },
              scenariosAdded: [...after].filter((id) => !before.has(id)),
              scenariosRemoved: [...before].filter((id) => !after.has(id)),
            },
          },
          at,
        );
        // Every process puts the new version in force when it hears of this (loadStored).
        await appendEvents(trx, [
          event('playbook.changed', { type: 'playbook', id: brand }, at, {
            brand,
            version: pb.version,
            by: actor.userId,
          }),
        ]);
      });
    } catch (err) {
      if (previousFile) this.catalog.replace(previousFile);
      throw err;
    }
    return { brand, version: pb.version, createdAt: at, createdBy: actor.userId };
  }
}
