// Playbook versions in the store: every shipped playbook is recorded as a version on start-up
// when its content version is new, so the store holds the history of what agents were shown.
import { readFileSync } from 'node:fs';
import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/audit.ts';
import type { DB } from '../db/schema.ts';
import type { Clock } from '../shared/clock.ts';
import type { Catalog } from './catalog.ts';

export async function seedPlaybooks(db: Kysely<DB>, catalog: Catalog, clock: Clock): Promise<string[]> {
  const added: string[] = [];
  for (const pb of catalog.playbooks) {
    const existing = await db
      .selectFrom('playbook_versions')
      .select('version')
      .where('brand', '=', pb.brand.id)
      .where('version', '=', pb.version)
      .executeTakeFirst();
    if (existing) continue;
    const at = clock.now().toISOString();
    await db.transaction().execute(async (trx) => {
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
    });
    added.push(`${pb.brand.id}@${pb.version}`);
  }
  return added;
}
