// Review and appeal notifications (no ticket) carry their call's brand, on both engines: a
// brand-limited QA lead is told of its brand's appeals only — the list, its counts, one read —
// and its "mark all read" leaves another brand's unread for the accounts that see it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { postCall } from '../calls/fixtures.ts';
import { type Session, signInAs, type TestApp, testApp } from '../support/app.ts';
import { ENGINES } from '../support/store.ts';

const PLAN = {
  allFatal: true,
  allComplaints: true,
  mode: 'count',
  amount: 1,
  seed: 7,
  dueDays: 3,
  appealWindowDays: 5,
  assign: 'round-robin',
};

interface Note {
  id: string;
  message: string;
  ticketId: string | null;
  readAt: string | null;
}

describe.each(ENGINES)('review notifications limited to the reader’s brand on %s', (engine) => {
  let t: TestApp;
  let admin: Session;
  let director: Session; // every brand: runs the plans
  let inspector: Session; // every brand: reviews
  let agent: Session; // 工号 1024, every brand: appeals
  let cyLead: Session; // QA lead of chaoyue only

  const call = (s: Session, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
    t.app.inject(
      payload === undefined
        ? { method, url, headers: s.headers }
        : { method, url, headers: s.headers, payload },
    );

  /** A reviewed call of the brand's whose confirmed finding agent 1024 appeals. */
  const appealAt = async (brand: string) => {
    const posted = await postCall(t, director.headers, {
      id: `call-${brand}`,
      brand,
      agent: '1024',
      startedAt: '2026-11-17T10:00:00+08:00',
    });
    expect(posted.statusCode, posted.body).toBe(201);
    expect((await call(director, 'PUT', `/api/review/plans/${brand}`, PLAN)).statusCode).toBe(200);
    const run = await call(director, 'POST', `/api/review/plans/${brand}/run`, { week: '2026-11-16' });
    expect(run.statusCode, run.body).toBe(201);
    const review = run.json().assigned[0] as { id: string; findings: { index: number; ref: string }[] };
    expect(review.findings.length).toBeGreaterThan(0);
    const done = await call(inspector, 'POST', `/api/reviews/${review.id}/complete`, {
      verdicts: review.findings.map((f) => ({ finding: f.index, verdict: 'correct' })),
    });
    expect(done.statusCode, done.body).toBe(200);
    const appeal = await call(agent, 'POST', `/api/reviews/${review.id}/appeals`, {
      finding: review.findings[0]?.ref,
      reason: '录音里说的是“稍等”',
    });
    expect(appeal.statusCode, appeal.body).toBe(201);
  };

  const notes = async (s: Session, query = '') => {
    const res = await call(s, 'GET', `/api/notifications${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { items: Note[]; total: number; unread: number };
  };
  const appeals = (items: Note[]) =>
    items.filter((n) => n.message.includes('提出申诉')).map((n) => n.message.match(/call-\w+/)?.[0]);

  beforeEach(async () => {
    t = await testApp(engine);
    admin = await signInAs(t, 'admin');
    director = await signInAs(t, 'room-director', 'director');
    inspector = await signInAs(t, 'qa-inspector', 'insp');
    agent = await signInAs(t, 'agent');
    const made = await call(admin, 'POST', '/api/users', {
      username: 'cy-lead',
      displayName: 'cy-lead',
      role: 'qa-lead',
      brand: 'chaoyue',
      password: 'correct horse 1',
    });
    expect(made.statusCode, made.body).toBe(201);
    cyLead = await signInAs(t, 'qa-lead', 'cy-lead');
    // No QA lead sees zhonghua: its appeal is told to the role; chaoyue's to cy-lead.
    await appealAt('zhonghua');
    await appealAt('chaoyue');
  });
  afterEach(async () => {
    await t.close();
  });

  it('lists and counts only its brand’s appeals; reading another brand’s is 404', async () => {
    const mine = await notes(cyLead);
    expect(appeals(mine.items)).toEqual(['call-chaoyue']);
    expect(mine.total).toBe(mine.items.length);
    expect(mine.unread).toBe(mine.items.length);
    expect(JSON.stringify(mine)).not.toContain('call-zhonghua');
    // An unlimited QA lead is told of both (the role's zhonghua one included).
    const lead = await signInAs(t, 'qa-lead', 'lead');
    const all = await notes(lead);
    expect(appeals(all.items)).toContain('call-zhonghua');
    const other = all.items.find((n) => n.message.includes('call-zhonghua')) as Note;
    const read = await call(cyLead, 'POST', `/api/notifications/${other.id}/read`, {});
    expect(read.statusCode, read.body).toBe(404);
    expect(read.json().message).toBe(`no notification '${other.id}' for you`);
  });

  it('marks only its brand’s read with “mark all read”', async () => {
    const before = await notes(cyLead, '?unread=true');
    expect(before.unread).toBeGreaterThan(0);
    expect((await call(cyLead, 'POST', '/api/notifications/read-all', {})).statusCode).toBe(200);
    expect((await notes(cyLead, '?unread=true')).unread).toBe(0);
    // The zhonghua appeal, addressed to the QA leads' role, is still unread for one who sees it.
    const lead = await signInAs(t, 'qa-lead', 'lead');
    const unread = await notes(lead, '?unread=true');
    expect(appeals(unread.items)).toEqual(['call-zhonghua']);
  });
});
