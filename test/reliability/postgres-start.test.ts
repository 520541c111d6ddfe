// A PostgreSQL that cannot be used at start (issue 7): a database that does not exist, or no
// server at the address, is a one-line error naming DATABASE_URL with the password masked,
// and a non-zero exit; no stack trace.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { freePort, runHuashu } from '../support/server-process.ts';
import { PG_URL } from '../support/store.ts';

function expectOneLineRefusal(r: { code: number | null; stdout: string; stderr: string }) {
  expect(r.code).toBe(1);
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^Huashu did not start: .*DATABASE_URL=postgres:\/\/root:\*\*\*\*@/);
  expect(r.stderr).not.toContain('s3cret');
  expect(r.stdout).not.toMatch(/password|running/);
}

describe('huashu serve with a DATABASE_URL it cannot use', () => {
  it('a database that does not exist', () => {
    const url = new URL(PG_URL);
    url.username = 'root';
    url.password = 's3cret';
    const name = `huashu_missing_${randomBytes(4).toString('hex')}`;
    url.pathname = `/${name}`;
    const r = runHuashu(['serve'], { DATABASE_URL: url.toString(), PORT: '0' });
    expectOneLineRefusal(r);
    expect(r.stderr).toContain(`database "${name}" does not exist`);
  });

  it('no PostgreSQL at the address', async () => {
    const port = await freePort();
    const r = runHuashu(['serve'], {
      DATABASE_URL: `postgres://root:s3cret@127.0.0.1:${port}/huashu`,
      PORT: '0',
    });
    expectOneLineRefusal(r);
    expect(r.stderr).toContain(`127.0.0.1:${port}`);
  });
});
