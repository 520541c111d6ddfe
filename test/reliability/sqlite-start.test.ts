// A SQLite file that cannot be used stops the start with one clear message (what happened,
// which file, how to restore it) and a non-zero exit: no stack trace, never "healthy"
// (issue 7). The real `huashu serve` process on a real file.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { attemptStart } from '../support/server-process.ts';

const dirs: string[] = [];
const immutable: string[] = [];
afterAll(() => {
  for (const f of immutable) execFileSync('chattr', ['-i', f]);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A real Huashu database with a few hundred pages of data, closed (its log checkpointed). */
async function realDatabase(parent = tmpdir()): Promise<{ dir: string; file: string }> {
  mkdirSync(parent, { recursive: true });
  const dir = mkdtempSync(join(parent, 'huashu-sqlite-start-'));
  dirs.push(dir);
  const file = join(dir, 'huashu.sqlite');
  const store = openStore({ sqliteFile: file });
  await migrateToLatest(store.db);
  await store.db.transaction().execute(async (trx) => {
    for (let i = 0; i < 2000; i++) {
      await trx
        .insertInto('audit_log')
        .values({
          id: `a${String(i).padStart(6, '0')}`,
          at: '2026-11-20T01:00:00.000Z',
          actor_id: 'test',
          actor_ip: null,
          entity_type: 'ticket',
          entity_id: `t${i}`,
          action: 'create',
          changes: JSON.stringify({ note: '投诉'.repeat(100), i }),
        })
        .execute();
    }
  });
  await store.close();
  return { dir, file };
}

function expectCleanRefusal(
  r: { healthy: boolean; code: number | null; stdout: string; stderr: string },
  file: string,
) {
  expect(r.healthy, `the server started on the bad file:\n${r.stdout}${r.stderr}`).toBe(false);
  expect(r.code).not.toBe(0);
  expect(r.code).not.toBeNull();
  expect(r.stderr).toContain(file);
  expect(r.stderr).toMatch(/^Huashu did not start: /);
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  expect(r.stdout).not.toMatch(/password|running/);
}

describe('huashu serve on a SQLite file it cannot use', () => {
  it('a damaged file (pages overwritten in the middle): says so, how to restore, exits non-zero', async () => {
    const { dir, file } = await realDatabase();
    const size = statSync(file).size;
    const pageSize = 4096;
    const pages = size / pageSize;
    expect(pages).toBeGreaterThan(100);
    const fd = openSync(file, 'r+');
    for (let p = Math.floor(pages * 0.4); p < Math.floor(pages * 0.6); p += 3)
      writeSync(fd, randomBytes(pageSize), 0, pageSize, p * pageSize);
    closeSync(fd);
    const r = await attemptStart({ HUASHU_DATA_DIR: dir });
    expectCleanRefusal(r, file);
    expect(r.stderr).toMatch(/is damaged/);
    expect(r.stderr).toMatch(/backup/);
    expect(r.stderr).toContain(`sqlite3 ${file} ".recover"`);
  });

  it('a file of random bytes: the same clear message', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'huashu-sqlite-start-'));
    dirs.push(dir);
    const file = join(dir, 'huashu.sqlite');
    writeFileSync(file, randomBytes(64 * 1024));
    const r = await attemptStart({ HUASHU_DATA_DIR: dir });
    expectCleanRefusal(r, file);
    expect(r.stderr).toMatch(/is damaged/);
    expect(r.stderr).toContain('.recover');
  });

  it('a read-only file: says it cannot be written and how to fix it', async () => {
    let { dir, file } = await realDatabase();
    // Root writes to a file whatever its mode; the immutable flag stops root too. tmpfs has no
    // such flag: then a folder on the project's file system.
    if (process.getuid?.() === 0) {
      try {
        execFileSync('chattr', ['+i', file], { stdio: 'pipe' });
      } catch {
        ({ dir, file } = await realDatabase(resolve(import.meta.dirname, '../../node_modules/.cache')));
        execFileSync('chattr', ['+i', file], { stdio: 'pipe' });
      }
      immutable.push(file);
    } else {
      chmodSync(file, 0o444);
    }
    const r = await attemptStart({ HUASHU_DATA_DIR: dir });
    expectCleanRefusal(r, file);
    expect(r.stderr).toMatch(/cannot be written/);
    expect(r.stderr).toMatch(/writable/);
  });
});
