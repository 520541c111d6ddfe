// The refusals added lately answer in Chinese by default and keep their English text for
// `accept-language: en` (SQLite: the language is chosen at the edge, the same on both engines).
// A static check keeps it so: no `new AppError(` in src/ with an English-only literal message.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ctiBridge } from '../cti/bridge.ts';
import { type Session, signInAs, type TestApp, testApp } from '../support/app.ts';

const CHINESE = /[\u4e00-\u9fff]/;

/** The headers of a session in the default language (signInAs asks for English). */
const inChinese = (s: Session): Record<string, string> => {
  const { 'accept-language': _en, ...rest } = s.headers;
  return rest;
};

describe('newly translated refusals on sqlite', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp('sqlite');
  });
  afterEach(async () => {
    await t.close();
  });

  /** Sends the request in Chinese (no Accept-Language) and in English; both answers. */
  async function both(
    method: 'POST' | 'GET' | 'PUT',
    url: string,
    headers: Record<string, string>,
    payload?: Record<string, unknown>,
    extra: { remoteAddress?: string } = {},
  ) {
    const zh = await t.app.inject({ method, url, headers, payload, ...extra });
    const en = await t.app.inject({
      method,
      url,
      headers: { ...headers, 'accept-language': 'en' },
      payload,
      ...extra,
    });
    expect(zh.statusCode, zh.body).toBe(en.statusCode);
    expect(zh.headers['content-language']).toBe('zh-CN');
    return { status: zh.statusCode, zh: zh.json(), en: en.json(), retryAfter: zh.headers['retry-after'] };
  }

  it('a ring posted from an agent’s session', async () => {
    await ctiBridge(t);
    const lina = await signInAs(t, 'agent');
    const r = await both('POST', '/api/cti/events', inChinese(lina), {
      callId: 'c-1',
      type: 'ring',
      at: '2026-11-20T01:00:00.000Z',
      brand: 'zhonghua',
      caller: '13900139000',
      agent: { number: '1024' },
    });
    expect(r.status).toBe(403);
    expect(r.zh.message).toMatch(CHINESE);
    expect(r.zh.message).toContain('振铃');
    expect(r.en.message).toBe(
      "a call starts at the telephone system: a ring (call 'c-1') is posted only with the integration's API token (scope cti, owned by an admin), not from an agent's console",
    );
  });

  it('a token with the scope cti for a non-admin, and a token read by another user', async () => {
    const lina = await signInAs(t, 'agent');
    const cti = await both('POST', '/api/tokens', inChinese(lina), { name: 'mine', scopes: ['cti'] });
    expect(cti.status).toBe(403);
    expect(cti.zh.message).toMatch(CHINESE);
    expect(cti.en.message).toBe(
      "only an admin's token may have the scope cti (the telephone system's integration speaks for every agent); 'agent' is agent",
    );
    const others = await both('GET', '/api/tokens?userId=someone-else', inChinese(lina));
    expect(others.status).toBe(403);
    expect(others.zh.message).toBe('只有管理员可以查看他人的 API 令牌');
    expect(others.en.message).toBe("only an admin may list another user's tokens");
  });

  it('a too-weak password on POST /api/users', async () => {
    const admin = await signInAs(t, 'admin');
    const r = await both('POST', '/api/users', inChinese(admin), {
      username: 'zhou',
      displayName: '周',
      role: 'agent',
      password: 'Password-123',
    });
    expect(r.status).toBe(400);
    // Each language reads its own text only.
    expect(r.zh.message).toMatch(/^密码太弱（是常见密码）。密码至少 10 个字符/);
    expect(r.zh.message).not.toMatch(/[A-Za-z]{3,}/);
    expect(r.zh.details).toEqual([
      { path: 'body.password', message: expect.stringMatching(/^是常见密码。密码至少/) },
    ]);
    expect(r.en.message).toMatch(
      /^password too weak \(a common password\): a password needs at least 10 characters/,
    );
    expect(r.en.message).not.toMatch(/[\u4e00-\u9fff]/);
    expect(r.en.details[0].message).toMatch(/a common password\. a password needs/);
  });

  it('a login throttled with 429', async () => {
    await t.app.services.accounts.createUser(
      {
        username: 'li.na',
        displayName: '李娜',
        role: 'agent',
        agentNumber: '1024',
        password: 'correct horse 1',
      },
      { userId: 'system:test', ip: null },
    );
    const ip = { remoteAddress: '203.0.113.7' };
    for (let i = 0; i < 5; i++) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'li.na', password: `guess number ${i}` },
        ...ip,
      });
      expect(res.statusCode).toBe(401);
    }
    const r = await both(
      'POST',
      '/api/auth/login',
      {},
      { username: 'li.na', password: 'correct horse 1' },
      ip,
    );
    expect(r.status).toBe(429);
    const s = Number(r.retryAfter);
    expect(r.zh.message).toBe(`登录失败次数过多，请 ${s} 秒后再试`);
    expect(r.zh.details).toEqual([{ message: `${s} 秒后重试` }]);
    expect(r.en.message).toBe(`too many failed sign-ins; try again in ${s} s`);
    expect(r.en.details).toEqual([{ message: `retry after ${s} s` }]);
  });

  it('an agent opening a ticket assigned to the QA inspector', async () => {
    const lina = await signInAs(t, 'agent');
    await signInAs(t, 'qa-inspector');
    const qa = (await t.app.services.accounts.listUsers()).find((u) => u.username === 'qa-inspector');
    const r = await both('POST', '/api/tickets', inChinese(lina), {
      type: 'complaint',
      brand: 'zhonghua',
      subtype: 'product-quality',
      priority: 'urgent',
      subject: '理赔进度太慢',
      description: '客户反映理赔两周未处理',
      customerPhone: '138-0013-8000',
      assignee: qa?.id,
    });
    expect(r.status).toBe(403);
    expect(r.zh.message).toMatch(CHINESE);
    expect(r.zh.details).toEqual([{ path: 'body.assignee', message: '不是您' }]);
    expect(r.en.message).toBe(
      `an agent opens a ticket for themselves or for nobody (assignee '${qa?.id}' is not you); a supervisor assigns it to someone else`,
    );
    expect(r.en.details).toEqual([{ path: 'body.assignee', message: 'not you' }]);
  });

  it('a phone number that is none, in a ticket and in a calls search', async () => {
    const lina = await signInAs(t, 'agent');
    const r = await both('POST', '/api/tickets', inChinese(lina), {
      type: 'repair',
      brand: 'zhonghua',
      subject: '空调不制冷',
      customerPhone: '138-abcd-8000',
    });
    expect(r.status).toBe(400);
    expect(r.zh.details).toContainEqual({
      path: 'body.customerPhone',
      message: expect.stringMatching(/^收到 "138-abcd-8000"，其中有字母或符号；应为大陆手机号/),
    });
    expect(r.en.details).toContainEqual({
      path: 'body.customerPhone',
      message: expect.stringMatching(/^found "138-abcd-8000", which has letters or signs; expected/),
    });
    const search = await both('GET', '/api/calls?phone=%E8%A3%BD%E5%86%B7', inChinese(lina));
    expect(search.status).toBe(400);
    expect(search.zh.details[0].message).toMatch(
      /^收到 "製冷"，其中有字母或符号；.*或填写号码的后 4–10 位（尾号）$/,
    );
    expect(search.en.details[0].message).toMatch(/or give the last 4–10 digits \(尾号\)$/);
  });

  it('a playbook and a scorecard with a value of the wrong type or out of bounds: what, and how to fix it', async () => {
    const admin = await signInAs(t, 'admin');
    const root = join(import.meta.dirname, '../..');
    // The admin walk's edits: the ring limit in full-width digits, a hotline number as an alias.
    const playbook = readFileSync(join(root, 'playbooks/chaoyue.yaml'), 'utf8')
      .replace(/^version: 1$/m, 'version: 2')
      .replace(/ringsToAnswer: 3\b/, 'ringsToAnswer: ３')
      .replace(/aliases: \[/, 'aliases: [10086, ');
    expect(playbook).toContain('ringsToAnswer: ３');
    const stored = await t.app.services.playbooks.versions('chaoyue');
    const pb = await both('PUT', '/api/playbooks/chaoyue', inChinese(admin), { content: playbook });
    expect(pb.status).toBe(400);
    const messages = (body: { details: { path: string; message: string }[] }) =>
      Object.fromEntries(body.details.map((d) => [d.path.replace(/^body\.content:\d+:\d+ /, ''), d.message]));
    expect(messages(pb.zh)).toEqual({
      'brand.aliases[0]': '应为文字，实际是数字：请加引号写成文字："10086"',
      'settings.ringsToAnswer': '应为数字，实际是文字：请写不带引号的半角数字：3',
    });
    expect(messages(pb.en)).toEqual({
      'brand.aliases[0]': 'expected string, got number: put it in quotes: "10086"',
      'settings.ringsToAnswer':
        'expected number, got string: write the number without quotes in half-width digits: 3',
    });
    expect(await t.app.services.playbooks.versions('chaoyue')).toEqual(stored); // nothing stored

    const scorecard = readFileSync(join(root, 'scorecards/default.yaml'), 'utf8').replace(
      /(title: 三声内接起\n\s+points:) 5/,
      '$1 -5',
    );
    expect(scorecard).toContain('points: -5');
    const sc = await both('POST', '/api/scorecards/default/lint', inChinese(admin), { content: scorecard });
    expect(sc.status).toBe(200);
    expect(sc.zh.issues).toEqual([
      expect.objectContaining({ path: 'rules[0].points', message: '不能小于 0' }),
    ]);
    expect(sc.en.issues).toEqual([
      expect.objectContaining({ path: 'rules[0].points', message: 'Too small: expected number to be >=0' }),
    ]);
  });
});

describe('every AppError in src/ is bilingual', () => {
  const root = join(import.meta.dirname, '../../src');
  const sources = (readdirSync(root, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => ({ file: f, text: readFileSync(join(root, f), 'utf8') }));

  it('reads the sources', () => {
    expect(sources.length).toBeGreaterThan(50);
    expect(sources.some((s) => s.text.includes('new AppError('))).toBe(true);
  });

  it('no `new AppError(code, "English only")`: the message is {zh, en} (or a variable holding one)', () => {
    // The second argument starts with a quote or a backtick: a plain string, English only.
    const plain = /new (?:AppError|TooManyRequestsError)\(\s*(?:'[^']*'|"[^"]*"|`[^`]*`)\s*,\s*['"`]/g;
    const firstArgPlain = /new TooManyRequestsError\(\s*['"`]/g;
    const found: string[] = [];
    for (const { file, text } of sources) {
      for (const re of [plain, firstArgPlain])
        for (const m of text.matchAll(re)) {
          const line = text.slice(0, m.index).split('\n').length;
          found.push(`src/${file}:${line}: ${m[0].replace(/\s+/g, ' ')}`);
        }
    }
    expect(found).toEqual([]);
  });
});
