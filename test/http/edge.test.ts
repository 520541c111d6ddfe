// The HTTP edge, for every route at once: text PostgreSQL cannot store (NUL) or that would be
// changed on the way (lone surrogates) is a 400 naming the field, on both engines; unknown
// query parameters are refused; impossible dates and date-times without a zone are refused;
// messages come in Chinese by default and in English on request.
import { connect } from 'node:net';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { USER_ROLE_IDS, type UserRole } from '../../src/accounts/roles.ts';
import type { RouteEntry } from '../../src/http/app.ts';
import { callJson } from '../calls/fixtures.ts';
import { type Session, signInAs, type TestApp, testApp } from '../support/app.ts';
import { complaintBody } from '../tickets/support.ts';

const ENGINES = ['sqlite', 'postgres'] as const;
const HAN = /[\u4e00-\u9fff]/;

/** Route parameters filled in: real ids where a route looks them up before validating its query. */
function concrete(url: string, value?: string): string {
  const real: Record<string, string> = {
    brand: 'zhonghua',
    scenario: 'opening.greeting',
    phone: '13800138000',
  };
  return url.replace(/:(\w+)/g, (_m, name: string) => value ?? real[name] ?? `x-${name}`);
}

function apiRoutes(t: TestApp): RouteEntry[] {
  return t.app.routeTable.filter((r) => !r.url.startsWith('/api/docs'));
}

/** Who may call the route: admin where allowed, else the first role it names; null for public routes. */
function caller(r: RouteEntry): UserRole | null {
  if (r.access === 'public') return null;
  if (r.access === 'authenticated') return 'admin';
  return r.access.includes('admin') ? 'admin' : (r.access[0] as UserRole);
}

/** Rows of every table a request could change (the audit log and sessions aside). */
async function snapshot(t: TestApp) {
  const out: Record<string, unknown[]> = {};
  for (const table of [
    'users',
    'api_tokens',
    'customers',
    'calls',
    'tickets',
    'ticket_events',
    'notifications',
    'playbook_versions',
    'blacklist',
  ] as const) {
    out[table] = await t.store.db.selectFrom(table).selectAll().execute();
  }
  return out;
}

describe.each(ENGINES)('the HTTP edge on %s', (engine) => {
  let t: TestApp;
  const sessions = new Map<UserRole, Session>();
  const headersFor = (r: RouteEntry) => {
    const role = caller(r);
    return role ? (sessions.get(role) as Session).headers : {};
  };

  beforeAll(async () => {
    t = await testApp(engine);
    for (const role of USER_ROLE_IDS) sessions.set(role, await signInAs(t, role));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('refuses NUL and lone surrogates in every route’s params, query and body with the field path; nothing is stored', async () => {
    const before = await snapshot(t);
    let checked = 0;
    for (const r of apiRoutes(t)) {
      const headers = headersFor(r);
      const where = `${r.method} ${r.url}`;
      const expect400 = async (res: LightMyRequestResponse, path: string) => {
        expect(res.statusCode, `${where} ${path}`).toBe(400);
        expect(res.json().code, where).toBe('validation');
        expect(
          res.json().details.map((d: { path?: string }) => d.path),
          where,
        ).toContain(path);
        checked++;
      };
      // Route parameters.
      const param = /:(\w+)/.exec(r.url)?.[1];
      if (param) {
        const res = await t.app.inject({ method: r.method as 'GET', url: concrete(r.url, 'a%00b'), headers });
        await expect400(res, `params.${param}`);
      }
      // The query string.
      const q = await t.app.inject({ method: r.method as 'GET', url: `${concrete(r.url)}?q=a%00b`, headers });
      await expect400(q, 'querystring.q');
      // The body: a JSON escape in the raw text, NUL and lone high and low surrogates.
      if (r.method !== 'GET') {
        for (const text of ['a\\u0000b', 'a\\ud800b', 'a\\udc00b', '\\ud83d']) {
          const res = await t.app.inject({
            method: r.method as 'POST',
            url: concrete(r.url),
            headers: { ...headers, 'content-type': 'application/json' },
            payload: `{"text":"${text}","nested":{"list":["ok","${text}"]}}`,
          });
          await expect400(res, 'body.text');
          expect(res.json().details.map((d: { path?: string }) => d.path)).toContain('body.nested.list.1');
        }
      }
    }
    expect(checked).toBeGreaterThan(50);
    expect(await snapshot(t)).toEqual(before);
  });

  it('refuses a NUL in the anonymous login (500 on PostgreSQL before) and in a customer’s notes', async () => {
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'admin\u0000', password: 'correct horse 1' },
    });
    expect(login.statusCode).toBe(400);
    expect(login.json().details).toEqual([
      { path: 'body.username', message: '文本中不能含有空字符 (U+0000)' },
    ]);

    const agent = sessions.get('agent') as Session;
    const create = await t.app.inject({
      method: 'POST',
      url: '/api/customers',
      headers: { ...agent.headers, 'accept-language': 'en' },
      payload: { phone: '13900139000', surname: '王', notes: '\ud800 留言' },
    });
    expect(create.statusCode).toBe(400);
    expect(create.json()).toEqual({
      code: 'validation',
      message: 'invalid body: body.notes: text contains a lone surrogate (U+D800); send valid Unicode text',
      details: [
        { path: 'body.notes', message: 'text contains a lone surrogate (U+D800); send valid Unicode text' },
      ],
    });
    const lookup = await t.app.inject({
      method: 'GET',
      url: '/api/customers/13900139000',
      headers: agent.headers,
    });
    expect(lookup.statusCode).toBe(404);
    // A surrogate pair (an emoji) is valid text and is stored as sent.
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/customers',
      headers: agent.headers,
      payload: { phone: '13900139000', surname: '王', notes: '满意 😀' },
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().notes).toBe('满意 😀');
  });

  it('refuses impossible days and date-times without a zone wherever the API takes dates', async () => {
    const admin = (sessions.get('admin') as Session).headers;
    const before = await snapshot(t);
    const bad = ['2026-02-30', '2026-13-01', '2025-02-29', '2026-11-20T09:00:00', '2026-11-20T24:61:00Z'];
    const badInstants = [
      '2026-02-30T09:00:00+08:00',
      '2026-13-01T09:00:00Z',
      '2026-11-20T09:00:00',
      '2026-11-20T24:61:00+08:00',
      '2026-11-20',
    ];
    const get = (url: string) => t.app.inject({ method: 'GET', url, headers: admin });
    const post = (url: string, payload: Record<string, unknown>) =>
      t.app.inject({ method: 'POST', url, headers: admin, payload });
    // Filters that take a day or a date-time.
    for (const [url, field] of [
      ['/api/calls', 'from'],
      ['/api/calls', 'to'],
      ['/api/exports/calls.csv', 'from'],
      ['/api/tickets', 'createdFrom'],
      ['/api/tickets', 'createdTo'],
      ['/api/exports/tickets.csv', 'createdTo'],
    ] as const) {
      for (const value of bad) {
        const res = await get(`${url}?${field}=${encodeURIComponent(value)}`);
        expect(res.statusCode, `${url}?${field}=${value}`).toBe(400);
        expect(res.json().details[0].path).toBe(`querystring.${field}`);
      }
      // Real days (a leap day too) and zoned date-times stay allowed.
      for (const value of ['2026-11-20', '2024-02-29', '2026-11-20T09:00:00+08:00', '2026-11-20T01:00:00Z'])
        expect(
          (await get(`${url}?${field}=${encodeURIComponent(value)}`)).statusCode,
          `${url} ${value}`,
        ).toBe(200);
    }
    // Instants only.
    for (const value of badInstants) {
      const repeat = await get(`/api/customers/13800138000/repeat?at=${encodeURIComponent(value)}`);
      expect(repeat.statusCode, value).toBe(400);
      expect(repeat.json().details[0].path).toBe('querystring.at');

      const listed = await post('/api/blacklist', { phone: '13700137000', reason: '骚扰', expiresAt: value });
      expect(listed.statusCode, value).toBe(400);
      expect(listed.json().details[0].path).toBe('body.expiresAt');

      const callback = await post('/api/tickets', {
        type: 'callback',
        brand: 'zhonghua',
        reason: 'promised',
        customerPhone: '13800138000',
        dueAt: value,
      });
      expect(callback.statusCode, value).toBe(400);
      expect(callback.json().details.map((d: { path: string }) => d.path)).toContain('body.dueAt');

      const ring = await post('/api/cti/events', {
        callId: 'edge-1',
        type: 'ring',
        brand: 'zhonghua',
        caller: '13800138000',
        at: value,
      });
      expect(ring.statusCode, value).toBe(400);
      expect(ring.json().details[0].path).toBe('body.at');

      const call = await post('/api/calls', callJson({ id: 'edge-call', startedAt: value }));
      expect(call.statusCode, value).toBe(400);
      expect(call.json().details[0].path).toBe('body.startedAt');
    }
    // The CTI's compact offset (+0800, as Asterisk ARI writes it) is a zone too, but not on 30 February.
    const ari = await post('/api/cti/events', {
      callId: 'edge-1',
      type: 'ring',
      brand: 'zhonghua',
      caller: '13800138000',
      at: '2026-02-30T09:00:00+0800',
    });
    expect(ari.statusCode).toBe(400);
    expect(await snapshot(t)).toEqual(before);
  });
});

describe('the HTTP edge: query parameters, language', () => {
  let t: TestApp;
  const sessions = new Map<UserRole, Session>();

  beforeAll(async () => {
    t = await testApp('sqlite');
    for (const role of USER_ROLE_IDS) sessions.set(role, await signInAs(t, role));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('every route refuses an unknown query parameter, naming it', async () => {
    let checked = 0;
    for (const r of apiRoutes(t)) {
      const role = caller(r);
      const res = await t.app.inject({
        method: r.method as 'GET',
        url: `${concrete(r.url)}?bogus=1`,
        headers: { ...(role ? (sessions.get(role) as Session).headers : {}), 'accept-language': 'en' },
        ...(r.method === 'GET' ? {} : { payload: {} }),
      });
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(400);
      expect(res.json().code).toBe('validation');
      expect(
        res.json().details.map((d: { path?: string }) => d.path),
        `${r.method} ${r.url}`,
      ).toContain('querystring.bogus');
      checked++;
    }
    expect(checked).toBeGreaterThan(40);
  });

  it('a misspelt filter no longer returns every call: the answer lists the accepted names', async () => {
    const admin = sessions.get('admin') as Session;
    const en = await t.app.inject({
      method: 'GET',
      url: '/api/calls?failedRule=opening.greeting',
      headers: { ...admin.headers, 'accept-language': 'en' },
    });
    expect(en.statusCode).toBe(400);
    const detail = en.json().details[0];
    expect(detail.path).toBe('querystring.failedRule');
    expect(detail.message).toMatch(/^unknown query parameter; accepted: .*\brule\b/);
    const zh = await t.app.inject({
      method: 'GET',
      url: '/api/calls?failedRule=x',
      headers: { ...admin.headers, 'accept-language': 'zh' },
    });
    expect(zh.json().details[0].message).toMatch(/^未知查询参数；可用的有：.*\brule\b/);
    // The right name works.
    const ok = await t.app.inject({
      method: 'GET',
      url: '/api/calls?rule=opening.greeting',
      headers: admin.headers,
    });
    expect(ok.statusCode).toBe(200);
  });

  it('answers in Chinese by default and in English when Accept-Language prefers it', async () => {
    const agent = sessions.get('agent') as Session;
    const lead = sessions.get('team-lead') as Session;
    const ticket = (
      await t.app.inject({
        method: 'POST',
        url: '/api/tickets',
        headers: lead.headers,
        payload: complaintBody(),
      })
    ).json();
    const cases: {
      name: string;
      status: number;
      code: string;
      req: InjectOptions & { headers?: Record<string, string> };
      en: RegExp;
      zh: RegExp;
    }[] = [
      {
        name: '401',
        status: 401,
        code: 'unauthenticated',
        req: { method: 'GET', url: '/api/auth/me' },
        en: /^sign in first/,
        zh: /^请先登录/,
      },
      {
        name: '403',
        status: 403,
        code: 'forbidden',
        req: { method: 'GET', url: '/api/users', headers: agent.headers },
        en: /^this needs one of the roles: .*you are agent$/,
        zh: /^此操作仅限以下角色：.*您的角色是坐席$/,
      },
      {
        name: '404',
        status: 404,
        code: 'not-found',
        req: { method: 'GET', url: '/api/tickets/nope', headers: lead.headers },
        en: /^no ticket 'nope'$/,
        zh: /^没有工单“nope”$/,
      },
      {
        name: '404 route',
        status: 404,
        code: 'not-found',
        req: { method: 'GET', url: '/api/nothing-here' },
        en: /^no route GET \/api\/nothing-here$/,
        zh: /^没有这个接口：GET \/api\/nothing-here$/,
      },
      {
        name: '409',
        status: 409,
        code: 'conflict',
        req: {
          method: 'POST',
          url: `/api/tickets/${ticket.id}/accept`,
          headers: lead.headers,
          payload: { version: ticket.version + 5 },
        },
        en: /^the ticket was changed by someone else/,
        zh: /^工单已被他人修改：现在是版本 1，您的修改基于版本 6；请刷新后重试$/,
      },
      {
        name: '400',
        status: 400,
        code: 'validation',
        req: { method: 'POST', url: '/api/auth/login', payload: { username: '', password: 'x' } },
        en: /^invalid body: body\.username: Too small/,
        zh: /^请求内容有误：body\.username：不能为空$/,
      },
      {
        name: '400 bad JSON',
        status: 400,
        code: 'bad-request',
        req: {
          method: 'POST',
          url: '/api/auth/login',
          payload: '{"username":',
          headers: { 'content-type': 'application/json' },
        },
        en: /^the body is not valid JSON$/,
        zh: /^请求内容不是有效的 JSON$/,
      },
    ];
    for (const c of cases) {
      const { 'accept-language': _session, ...base } = c.req.headers ?? {};
      for (const [language, expected] of [
        [undefined, c.zh],
        ['zh-CN', c.zh],
        ['en', c.en],
        ['en-US,en;q=0.9', c.en],
        ['zh-CN;q=0.5, en;q=0.8', c.en],
        ['zh-CN,zh;q=0.9,en;q=0.8', c.zh],
        ['fr-FR, en;q=0.5', c.en],
        ['en;q=0, zh', c.zh],
      ] as const) {
        const res = await t.app.inject({
          ...c.req,
          headers: { ...base, ...(language ? { 'accept-language': language } : {}) },
        });
        const where = `${c.name} with Accept-Language ${language}`;
        expect(res.statusCode, where).toBe(c.status);
        const body = res.json();
        expect(Object.keys(body).sort(), where).toEqual(['code', 'details', 'message']);
        expect(body.code, where).toBe(c.code);
        expect(body.message, where).toMatch(expected);
        expect(res.headers['content-language'], where).toBe(expected === c.zh ? 'zh-CN' : 'en');
      }
    }
    // Validation details are in the language too, with the same field paths.
    const zh = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: { ...(sessions.get('admin') as Session).headers, 'accept-language': 'zh-CN' },
      payload: { username: 'x', displayName: '', role: 'nobody', password: 'short' },
    });
    expect(zh.statusCode).toBe(400);
    const details = zh.json().details as { path: string; message: string }[];
    expect(details.map((d) => d.path)).toEqual([
      'body.username',
      'body.displayName',
      'body.role',
      'body.password',
    ]);
    expect(details.find((d) => d.path === 'body.displayName')?.message).toBe('不能为空');
    expect(details.find((d) => d.path === 'body.role')?.message).toMatch(/^应为以下之一：agent、/);
    expect(HAN.test(zh.json().message)).toBe(true);
  });
});

describe('the HTTP edge: errors before routing, against a listening server', () => {
  let t: TestApp;
  let port: number;

  beforeAll(async () => {
    t = await testApp('sqlite');
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    port = typeof address === 'object' && address ? address.port : 0;
  });
  afterAll(async () => {
    await t?.close();
  });

  /** Sends raw bytes and reads the whole answer (the server closes the connection after an error). */
  function raw(text: string): Promise<{ status: number; headers: string; body: string }> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      const socket = connect(port, '127.0.0.1', () => socket.write(text));
      socket.on('data', (d) => chunks.push(d));
      socket.on('error', reject);
      socket.on('close', () => {
        const all = Buffer.concat(chunks).toString('utf8');
        const [head = '', body = ''] = all.split('\r\n\r\n');
        resolve({ status: Number(head.split(' ')[1]), headers: head, body });
      });
    });
  }

  const isErrorBody = (text: string, code: string) => {
    const body = JSON.parse(text) as { code: string; message: string; details: unknown[] };
    expect(Object.keys(body).sort()).toEqual(['code', 'details', 'message']);
    expect(body.code).toBe(code);
    expect(body.details).toEqual([]);
    return body.message;
  };

  it('a malformed URL and a path segment over the limit get the error body', async () => {
    const bad = await fetch(`http://127.0.0.1:${port}/api/%`);
    expect(bad.status).toBe(400);
    expect(isErrorBody(await bad.text(), 'bad-request')).toMatch(/^网址无效/);

    const badEn = await fetch(`http://127.0.0.1:${port}/api/tickets/%E0%A4%A`, {
      headers: { 'accept-language': 'en' },
    });
    expect(badEn.status).toBe(400);
    expect(isErrorBody(await badEn.text(), 'bad-request')).toMatch(/^invalid URL/);

    const long = await fetch(`http://127.0.0.1:${port}/api/tickets/${'a'.repeat(300)}`);
    expect(long.status).toBe(414);
    expect(isErrorBody(await long.text(), 'uri-too-long')).toMatch(/^网址过长/);
  });

  it('requests Node’s parser refuses get the error body on the socket, in the language asked for', async () => {
    const nul = await raw('GET /api/health HTTP/1.1\r\nHost: x\r\nX-Note: a\x00b\r\n\r\n');
    expect(nul.status).toBe(400);
    expect(isErrorBody(nul.body, 'bad-request')).toMatch(/^请求格式有误/);

    const nulEn = await raw(
      'GET /api/health HTTP/1.1\r\nHost: x\r\nAccept-Language: en\r\nX-Note: a\x00b\r\n\r\n',
    );
    expect(nulEn.status).toBe(400);
    expect(nulEn.headers).toMatch(/content-language: en/i);
    expect(isErrorBody(nulEn.body, 'bad-request')).toMatch(/^malformed HTTP request/);

    const badName = await raw('GET /api/health HTTP/1.1\r\nHost: x\r\nBad Header: 1\r\n\r\n');
    expect(badName.status).toBe(400);
    isErrorBody(badName.body, 'bad-request');

    const garbage = await raw('\x00\x01garbage\r\n\r\n');
    expect(garbage.status).toBe(400);
    isErrorBody(garbage.body, 'bad-request');

    const huge = await raw(`GET /api/health?${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(huge.status).toBe(431);
    expect(isErrorBody(huge.body, 'headers-too-large')).toMatch(/16 KB/);

    // The server is still up.
    expect((await fetch(`http://127.0.0.1:${port}/api/health`)).status).toBe(200);
  });
});
