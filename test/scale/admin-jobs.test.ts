// The admin's view of background jobs over HTTP, on the default (no Redis: jobs run in the
// server process): a batch import of calls runs as a job whose result counts what was stored,
// skipped and refused; the calls are then stored and inspected; only admins see jobs.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditTrail } from '../../src/audit/audit.ts';
import type { MemoryJobRunner } from '../../src/jobs/memory-runner.ts';
import { type Session, signInAs, type TestApp, testApp } from '../support/app.ts';

const BATCH = readFileSync(resolve(import.meta.dirname, '../../examples/batch.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('admin jobs on the in-process runner', () => {
  let t: TestApp;
  let admin: Session;
  beforeEach(async () => {
    t = await testApp('sqlite');
    admin = await signInAs(t, 'admin');
  });
  afterEach(async () => {
    await t.close();
  });

  const req = (method: 'GET' | 'POST', url: string, s: Session, payload?: Record<string, unknown>) =>
    t.app.inject({
      method,
      url,
      headers: { ...s.headers, 'accept-language': 'en' },
      ...(payload ? { payload } : {}),
    });

  it('imports a batch of calls as a job: progress 100, counts in the result, calls stored and inspected', async () => {
    const two = BATCH.slice(0, 2);
    const broken = { ...two[0], id: 'broken-1', direction: 'sideways' };
    const res = await req('POST', '/api/admin/jobs/import-calls', admin, { calls: [...two, broken, two[0]] });
    expect(res.statusCode, res.body).toBe(202);
    const id = res.json().id as string;
    await (t.app.services.jobs as MemoryJobRunner).idle();
    const job = (await req('GET', `/api/admin/jobs/${id}`, admin)).json();
    expect(job).toMatchObject({ name: 'import-calls', status: 'completed', progress: 100, attemptsMade: 1 });
    expect(job.result).toMatchObject({ stored: 2, duplicates: 1, invalid: [{ index: 2 }] });
    expect(job.result.invalid[0].message).toContain('direction');
    const listed = (await req('GET', '/api/admin/jobs?status=completed', admin)).json().items;
    expect(listed.map((j: { id: string }) => j.id)).toContain(id);
    const call = await req('GET', `/api/calls/${two[1]?.id}`, admin);
    expect(call.statusCode).toBe(200);
    expect(typeof call.json().qa.score).toBe('number');
  });

  it('re-inspects stored calls after a scorecard change: changed scores are stored again and audited', async () => {
    const res = await req('POST', '/api/admin/jobs/import-calls', admin, { calls: BATCH });
    await (t.app.services.jobs as MemoryJobRunner).idle();
    expect((await req('GET', `/api/admin/jobs/${res.json().id}`, admin)).json().result.stored).toBe(
      BATCH.length,
    );
    const id = BATCH[0]?.id as string;
    const right = (await req('GET', `/api/calls/${id}`, admin)).json().qa.score as number;
    // As if scored by an older scorecard: another score stored for one call.
    await t.store.db
      .updateTable('calls')
      .set({ qa_score: 1, qa_failed_rules: ',old-rule,' })
      .where('id', '=', id)
      .execute();
    expect((await req('GET', `/api/calls/${id}`, admin)).json().qa.score).toBe(1);
    const job = await req('POST', '/api/admin/jobs/reinspect-calls', admin, { brand: 'zhonghua' });
    expect(job.statusCode, job.body).toBe(202);
    await (t.app.services.jobs as MemoryJobRunner).idle();
    const done = (await req('GET', `/api/admin/jobs/${job.json().id}`, admin)).json();
    expect(done).toMatchObject({ status: 'completed', progress: 100, result: { changed: 1 } });
    expect(done.result.inspected).toBeGreaterThanOrEqual(1);
    expect((await req('GET', `/api/calls/${id}`, admin)).json().qa.score).toBe(right);
    const trail = await auditTrail(t.store.db, 'call', id);
    expect(trail.filter((e) => e.action === 'reinspect').map((e) => e.changes)).toEqual([
      expect.objectContaining({ score: { from: 1, to: right } }),
    ]);
    const unknownBrand = await req('POST', '/api/admin/jobs/reinspect-calls', admin, { brand: 'nobody' });
    expect(unknownBrand.statusCode).toBe(400);
  });

  it('refuses others, an unknown job, and retrying a job that did not fail', async () => {
    const lead = await signInAs(t, 'team-lead');
    expect((await req('GET', '/api/admin/jobs', lead)).statusCode).toBe(403);
    expect(
      (await req('POST', '/api/admin/jobs/import-calls', lead, { calls: [BATCH[0] ?? {}] })).statusCode,
    ).toBe(403);
    const missing = await req('GET', '/api/admin/jobs/999', admin);
    expect(missing.statusCode).toBe(404);
    expect(missing.json().message).toContain("no job '999'");
    const res = await req('POST', '/api/admin/jobs/import-calls', admin, { calls: [BATCH[0] ?? {}] });
    await (t.app.services.jobs as MemoryJobRunner).idle();
    const again = await req('POST', `/api/admin/jobs/${res.json().id}/retry`, admin);
    expect(again.statusCode).toBe(409);
    expect((await req('POST', '/api/admin/jobs/import-calls', admin, { calls: [] })).statusCode).toBe(400);
  });
});
