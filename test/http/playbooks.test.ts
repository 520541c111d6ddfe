// Playbooks over HTTP: rendering, search, and new versions put in force by an admin.
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditTrail } from '../../src/audit/audit.ts';
import { seedPlaybooks } from '../../src/playbook/store.ts';
import { signInAs, type TestApp, testApp } from '../support/app.ts';
import { ENGINES } from '../support/store.ts';

describe.each(ENGINES)('playbooks API on %s', (engine) => {
  let t: TestApp;
  beforeEach(async () => {
    // A catalog of its own: this test changes playbooks.
    t = await testApp(engine, {}, { ownCatalog: true });
    await seedPlaybooks(t.store.db, t.app.services.catalog, t.clock);
  });
  afterEach(async () => {
    await t.close();
  });

  it('renders a scenario with call variables, in Traditional for quanjiale', async () => {
    const s = await signInAs(t, 'agent');
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/playbooks/quanjiale/scenarios/opening.greeting?agentNumber=018`,
      headers: s.headers,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().lines[0].text).toContain('全家樂電器服務中心018為您服務');
    const bad = await t.app.inject({
      method: 'GET',
      url: '/api/playbooks/zhonghua/scenarios/opening.greeting?agentNo=1',
      headers: s.headers,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details[0].path).toBe('querystring.agentNo');
  });

  it('searches by pinyin initials', async () => {
    const s = await signInAs(t, 'agent');
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/playbooks/search?q=ts&limit=5',
      headers: s.headers,
    });
    expect(res.json().items.every((h: { stage: string }) => h.stage === 'complaint')).toBe(true);
  });

  it('an admin puts a new version in force; it is audited and a broken file changes nothing', async () => {
    const admin = await signInAs(t, 'admin');
    const original = readFileSync(new URL('../../playbooks/zhonghua.yaml', import.meta.url), 'utf8');
    const next = original
      .replace(/^version: \d+/m, 'version: 2')
      .replace('title: 无声电话', 'title: 无声电话(新版)');
    t.clock.advance(60_000);
    const put = await t.app.inject({
      method: 'PUT',
      url: '/api/playbooks/zhonghua',
      headers: admin.headers,
      payload: { content: next },
    });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ brand: 'zhonghua', version: 2 });
    const sc = await t.app.inject({
      method: 'GET',
      url: '/api/playbooks/zhonghua/scenarios/exception.silent-line',
      headers: admin.headers,
    });
    expect(sc.json().title).toBe('无声电话(新版)');
    const versions = await t.app.inject({
      method: 'GET',
      url: '/api/playbooks/zhonghua/versions',
      headers: admin.headers,
    });
    expect(versions.json().items.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    const trail = await auditTrail(t.store.db, 'playbook', 'zhonghua');
    expect(trail.map((a) => a.action)).toEqual(['seed', 'update']);

    const broken = next
      .replace(/^version: 2/m, 'version: 3')
      .replace('stage: exception', 'stage: exceptional');
    const bad = await t.app.inject({
      method: 'PUT',
      url: '/api/playbooks/zhonghua',
      headers: admin.headers,
      payload: { content: broken },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details[0].path).toMatch(/^body\.content:\d+:\d+ scenarios\[\d+\]\.stage$/);
    const stale = await t.app.inject({
      method: 'PUT',
      url: '/api/playbooks/zhonghua',
      headers: admin.headers,
      payload: { content: next },
    });
    expect(stale.statusCode).toBe(409);
    const still = await t.app.inject({
      method: 'GET',
      url: '/api/playbooks/zhonghua/versions',
      headers: admin.headers,
    });
    expect(still.json().items).toHaveLength(2);
  });
  describe('content that used to load and then fail every request of the brand', () => {
    /** The stored versions of zhonghua's playbook: a refused PUT adds none. */
    const zhonghuaVersions = async () =>
      (
        await t.store.db
          .selectFrom('playbook_versions')
          .select('version')
          .where('brand', '=', 'zhonghua')
          .execute()
      ).map((v) => v.version);

    const original = () => readFileSync(new URL('../../playbooks/zhonghua.yaml', import.meta.url), 'utf8');
    const v2 = (change: (text: string) => string) =>
      change(original().replace(/^version: \d+/m, 'version: 2'));
    const put = async (content: string) => {
      const admin = await signInAs(t, 'admin');
      return t.app.inject({
        method: 'PUT',
        url: '/api/playbooks/zhonghua',
        headers: admin.headers,
        payload: { content },
      });
    };
    const complaint = async (priority: 'urgent' | 'standard') => {
      const agent = await signInAs(t, 'agent');
      return t.app.inject({
        method: 'POST',
        url: '/api/tickets',
        headers: agent.headers,
        payload: {
          type: 'complaint',
          brand: 'zhonghua',
          subtype: 'product-quality',
          priority,
          subject: '理赔进度太慢',
          customerPhone: '13800138000',
        },
      });
    };

    it('an unknown time zone is a 400 at its field, and tickets keep working', async () => {
      const res = await put(v2((x) => x.replace('timezone: Asia/Shanghai', 'timezone: Asia/Beijing')));
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({
        code: 'validation',
        details: [
          {
            path: 'body.content:22:29 settings.workingHours.timezone',
            message: expect.stringContaining('"Asia/Shanghai"'),
          },
        ],
      });
      expect((await complaint('urgent')).statusCode).toBe(201);
      expect(await zhonghuaVersions()).toEqual([1]);
    });

    it('an unknown extends, a section not in the seed, a forbidden phrase in a line: 400 with each field', async () => {
      const res = await put(
        v2((x) =>
          x
            .replace('extends: generic', 'extends: genric')
            .replace('section: "一.(一)"', 'section: "一.(十)"')
            .replace('您好,请问有什么可以帮您?', '您好,这个我不晓得。'),
        ),
      );
      expect(res.statusCode).toBe(400);
      const details = res.json().details as { path: string; message: string }[];
      expect(details.map((d) => d.path)).toEqual(
        expect.arrayContaining([
          'body.content:4:10 extends',
          expect.stringMatching(/^body\.content:34:\d+ scenarios\[0\]\.sources\[0\]\.section$/),
        ]),
      );
      // With the base known, the line is checked against the phrases zhonghua inherits.
      const line = await put(v2((x) => x.replace('您好,请问有什么可以帮您?', '您好,这个我不晓得。')));
      expect(line.statusCode).toBe(400);
      expect(line.json().details).toEqual([
        {
          path: 'body.content:42:15 scenarios[1].lines[0].text',
          message: expect.stringMatching(/'不晓得'.*inherited from 'generic'/),
        },
      ]);
    });

    it('keywords written [问好,您好, 回应] are a 400 naming the line and the fix, not two keywords saved as one list', async () => {
      const res = await put(
        v2((x) => x.replace('keywords: [问好, 您好, 回应]', 'keywords: [问好,您好, 回应]')),
      );
      expect(res.statusCode).toBe(400);
      expect(res.json().details).toEqual([
        {
          path: 'body.content:40:16 scenarios[1].keywords[0]',
          message: expect.stringMatching(
            /^问好,您好 reads as 2 items \("问好", "您好"\).*quote it: "问好,您好"/,
          ),
        },
      ]);
      expect(await zhonghuaVersions()).toEqual([1]);
    });

    it('a new base that forbids what a brand extending it says is a 400 naming that brand; nothing changes', async () => {
      const generic = readFileSync(new URL('../../playbooks/generic.yaml', import.meta.url), 'utf8')
        .replace(/^version: \d+/m, 'version: 3')
        .replace('phrases: [不清楚, 不知道,', 'phrases: [有什么可以帮您, 不清楚, 不知道,');
      const admin = await signInAs(t, 'admin');
      const res = await t.app.inject({
        method: 'PUT',
        url: '/api/playbooks/generic',
        headers: admin.headers,
        payload: { content: generic },
      });
      expect(res.statusCode).toBe(400);
      const details = res.json().details as { path: string; message: string }[];
      expect(details.length).toBeGreaterThan(0);
      for (const d of details) expect(d.path).toBe('body.content');
      expect(details.map((d) => d.message)).toEqual(
        expect.arrayContaining([
          expect.stringMatching(
            /zhonghua\.yaml scenarios\[\d+\]\.lines\[0\]\.text: .*'有什么可以帮您'.*brand 'zhonghua'/,
          ),
        ]),
      );
      expect(t.app.services.catalog.find('generic')?.version).toBe(2);
    });

    it('a stored version that no longer passes is skipped at start for the newest one that does', async () => {
      const at = t.clock.now().toISOString();
      const good = v2((x) => x.replace('open: "08:00", close: "20:00"', 'open: "00:00", close: "24:00"'));
      const bad = good
        .replace(/^version: 2/m, 'version: 3')
        .replace('timezone: Asia/Shanghai', 'timezone: Asia/Beijing');
      await t.store.db
        .insertInto('playbook_versions')
        .values([
          { brand: 'zhonghua', version: 2, content: good, created_at: at, created_by: null },
          { brand: 'zhonghua', version: 3, content: bad, created_at: at, created_by: null },
        ])
        .execute();
      const skipped: string[] = [];
      const loaded = await t.app.services.playbooks.loadStored((brand, version) => {
        skipped.push(`${brand}@${version}`);
      });
      expect(skipped).toEqual(['zhonghua@3']);
      expect(loaded).toEqual(['zhonghua@2']);
      expect(t.app.services.catalog.find('zhonghua')?.settings.workingHours).toMatchObject({
        timezone: 'Asia/Shanghai',
        close: '24:00',
      });
      expect((await complaint('urgent')).statusCode).toBe(201);
    });

    it('a version stored with the former situation names is put in force with the detector’s ids', async () => {
      const at = t.clock.now().toISOString();
      const old = v2((x) =>
        x.replaceAll('asks-agent-id', 'asks-agent-name').replaceAll('asks-for-person', 'asks-for-colleague'),
      );
      expect(old).toContain('asks-agent-name');
      await t.store.db
        .insertInto('playbook_versions')
        .values({ brand: 'zhonghua', version: 2, content: old, created_at: at, created_by: null })
        .execute();
      expect(await t.app.services.playbooks.loadStored()).toEqual(['zhonghua@2']);
      const pb = t.app.services.catalog.find('zhonghua');
      expect(pb?.version).toBe(2);
      expect(pb?.scenarios.find((sc) => sc.id === 'identify.agent-name')?.situations).toEqual([
        'asks-agent-id',
      ]);
      expect(pb?.scenarios.find((sc) => sc.id === 'exception.busy-colleague')?.situations).toEqual([
        'asks-for-person',
      ]);
    });

    it('round-the-clock hours (close "24:00") are accepted and a complaint at 23:00 is due at 01:00', async () => {
      const res = await put(
        v2((x) => x.replace('open: "08:00", close: "20:00"', 'open: "00:00", close: "24:00"')),
      );
      expect(res.statusCode).toBe(200);
      t.clock.set(new Date('2026-11-20T15:00:00.000Z')); // Friday 23:00 in Shanghai
      const opened = await complaint('urgent');
      expect(opened.statusCode).toBe(201);
      expect(opened.json().deadlines.map((d: { kind: string; dueAt: string }) => [d.kind, d.dueAt])).toEqual([
        ['first-response', '2026-11-20T15:30:00.000Z'], // 23:30, not Saturday 08:30
        ['reply', '2026-11-20T17:00:00.000Z'], // Saturday 01:00: 2 working hours over midnight
      ]);
      const standard = await complaint('standard');
      expect(standard.json().deadlines[1]).toMatchObject({
        kind: 'reply',
        dueAt: '2026-11-21T15:00:00.000Z',
      });
    });
  });
});
