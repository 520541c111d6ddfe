// An admin limited to a brand manages that brand's accounts only, on both engines: it creates
// accounts of its brand (its brand when none is given), never another brand's nor one of every
// brand (that would give more than it has); another brand's account is unknown to its changes and
// password resets (404, as an unknown id). An admin without a brand is unchanged.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Session, signInAs, type TestApp, testApp } from '../support/app.ts';
import { ENGINES } from '../support/store.ts';

describe.each(ENGINES)('a brand-limited admin on %s', (engine) => {
  let t: TestApp;
  let admin: Session;
  let cy: Record<string, string>;
  beforeEach(async () => {
    t = await testApp(engine);
    admin = await signInAs(t, 'admin');
    cy = (await signInAs(t, 'admin', 'cy.admin', 'chaoyue')).headers;
  });
  afterEach(async () => {
    await t.close();
  });

  const send = (headers: Record<string, string>, method: 'POST' | 'PATCH', url: string, payload: object) =>
    t.app.inject({ method, url, headers, payload: payload as Record<string, unknown> });
  const account = (username: string, role: string, brand?: string | null) => ({
    username,
    displayName: username,
    role,
    password: 'correct horse 1',
    ...(brand !== undefined ? { brand } : {}),
  });

  it('creates and changes only its brand’s accounts', async () => {
    // Its brand when none is given.
    const own = await send(cy, 'POST', '/api/users', account('cy.agent', 'agent'));
    expect(own.statusCode, own.body).toBe(201);
    expect(own.json().brand).toBe('chaoyue');
    // Another brand's, or every brand's: refused naming its brand; nothing made.
    for (const brand of ['zhonghua', null]) {
      const r = await send(cy, 'POST', '/api/users', account(`x${String(brand)}`, 'agent', brand));
      expect(r.statusCode, r.body).toBe(403);
      expect(r.json().message).toContain('chaoyue');
    }
    // Its own account cannot be moved to another brand either.
    const id = own.json().id as string;
    expect((await send(cy, 'PATCH', `/api/users/${id}`, { brand: 'zhonghua' })).statusCode).toBe(403);
    expect((await send(cy, 'PATCH', `/api/users/${id}`, { displayName: '李娜' })).statusCode).toBe(200);
    // Another brand's account is unknown to it: changes and password resets answer 404.
    const zh = await send(admin.headers, 'POST', '/api/users', account('zh.agent', 'agent', 'zhonghua'));
    const zhId = zh.json().id as string;
    const patch = await send(cy, 'PATCH', `/api/users/${zhId}`, { displayName: 'x' });
    expect(patch.statusCode).toBe(404);
    const unknown = await send(cy, 'PATCH', '/api/users/no-such-user', { displayName: 'x' });
    expect(patch.json().message).toBe(unknown.json().message.replace('no-such-user', zhId));
    const reset = await send(cy, 'POST', `/api/users/${zhId}/password`, { password: 'another horse 2' });
    expect(reset.statusCode).toBe(404);
    // The admin without a brand still does all of it.
    expect((await send(admin.headers, 'PATCH', `/api/users/${zhId}`, { brand: null })).statusCode).toBe(200);
  });
});
