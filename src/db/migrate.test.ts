import type { MigrationResultSet, Migrator } from 'kysely';
import { describe, expect, it } from 'vitest';
import { MigrationError, runMigrator } from './migrate.ts';

// A step answering from a script: the migrator itself is never reached.
function scripted(...answers: MigrationResultSet[]): {
  step: () => Promise<MigrationResultSet>;
  calls: () => number;
} {
  let n = 0;
  return {
    step: async () => answers[Math.min(n++, answers.length - 1)] as MigrationResultSet,
    calls: () => n,
  };
}
const migrator = {} as Migrator;
const raced = Object.assign(new Error('column "created_at" of relation "tickets" does not exist'), {
  code: '42703',
});

describe('runMigrator', () => {
  it('tries again when listing the tables raced another process, nothing applied yet', async () => {
    const s = scripted(
      { error: raced },
      { results: [{ migrationName: '2026120430_customer_surname_key', direction: 'Up', status: 'Success' }] },
    );
    expect(await runMigrator(migrator, s.step)).toEqual(['2026120430_customer_surname_key']);
    expect(s.calls()).toBe(2);
  });

  it('gives up after four tries, saying the migrations could not start', async () => {
    const s = scripted({ error: raced });
    await expect(runMigrator(migrator, s.step)).rejects.toThrow(
      /^migrations could not start: column "created_at" of relation "tickets" does not exist$/,
    );
    expect(s.calls()).toBe(4);
  });

  it('never tries a failed migration again, and names it', async () => {
    const s = scripted({
      error: raced,
      results: [{ migrationName: '2026120430_customer_surname_key', direction: 'Up', status: 'Error' }],
    });
    const error = await runMigrator(migrator, s.step).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as Error).message).toMatch(/^migration 2026120430_customer_surname_key failed: /);
    expect(s.calls()).toBe(1);
  });

  it('does not try again on other errors', async () => {
    const s = scripted({
      error: Object.assign(new Error('password authentication failed'), { code: '28P01' }),
    });
    await expect(runMigrator(migrator, s.step)).rejects.toThrow(/could not start: password/);
    expect(s.calls()).toBe(1);
  });
});
