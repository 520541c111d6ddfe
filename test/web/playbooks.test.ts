// The playbook browser in Chromium: pinyin and initials search, a scenario's rendered lines;
// only an admin edits, and a broken file is refused with its file:line:col findings.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedPlaybooks } from '../../src/playbook/store.ts';
import { createUser, missingForBrowserTests, startServer, type WebServer } from './harness.ts';
import { signedInBrowser } from './pages/login-page.ts';
import { PlaybooksPage } from './pages/playbooks-page.ts';

const missing = missingForBrowserTests();

describe.skipIf(missing !== undefined)('playbooks in Chromium', () => {
  let server: WebServer;
  beforeAll(async () => {
    server = await startServer({ ownCatalog: true });
    // What a server's start does: the shipped files become the stored version 1.
    await seedPlaybooks(server.t.store.db, server.t.app.services.catalog, server.t.clock);
    await createUser(server, 'admin', 'boss');
    await createUser(server, 'team-lead', 'lead');
  });
  afterAll(async () => {
    await server?.close();
  });

  const signIn = (username: string) => signedInBrowser(server.base, username);

  it('finds the same scenario by initials, full pinyin and 汉字, and shows its lines rendered', async () => {
    const b = await signIn('lead');
    const pb = await new PlaybooksPage(b.page, server.base).open('zhonghua');
    await pb.search('ts');
    const byInitials = await pb.hits();
    expect(byInitials.length).toBeGreaterThan(0);
    await pb.search('tousu');
    await expect.poll(() => pb.hits()).toContain(byInitials[0]);
    await pb.search('投诉');
    await expect.poll(() => pb.hits()).toContain(byInitials[0]);
    const lines = await pb.openScenario(byInitials[0] as string);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('')).toMatch(/\p{Script=Han}/u);
    // Not an admin: the editor is out of reach, and says why.
    expect(await pb.editReason()).toBe('您的角色（组长/协调员）无权执行此操作');
  });

  it('lets an admin publish a new version; a broken one is refused at file:line:col', async () => {
    const b = await signIn('boss');
    const pb = await new PlaybooksPage(b.page, server.base).open('zhonghua');
    expect(await pb.version()).toBe('第 1 版');
    const yaml = await pb.openEditor();
    expect(yaml).toMatch(/^version: 1/m);
    const next = yaml.replace(/^version: \d+/m, 'version: 2');
    await pb.setYaml(next.replace('extends: generic', 'extends: genric'));
    await pb.publish();
    const findings = await pb.lintFindings();
    expect(findings[0]).toMatch(/^zhonghua\.yaml:\d+:\d+ extends/);
    const [, line, col] = /:(\d+):(\d+)/.exec(findings[0] as string) ?? [];
    expect(await pb.jumpTo(0)).toEqual({ line: Number(line), col: Number(col) });
    expect(next.split('\n')[Number(line) - 1]).toContain('extends');

    await pb.setYaml(next.replace('title: 无声电话', 'title: 无声电话（新版）'));
    await pb.publish();
    await expect.poll(() => pb.version()).toBe('第 2 版');
    await pb.search('无声电话');
    const hit = (await pb.hits())[0] as string;
    await b.page.locator(`[data-testid=playbook-hit][data-scenario="${hit}"]`).click();
    await expect
      .poll(async () => b.page.getByTestId('scenario').locator('.ant-card-head-title').textContent())
      .toBe('无声电话（新版）');
  });
});
