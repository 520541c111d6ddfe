// The scorecards screen in Chromium: an admin edits the YAML, the check shows a finding at
// line:col (a click puts the cursor there), the fixed file is saved as the draft and published;
// a re-inspection of every stored call runs with its progress shown as n of m, and a call's
// detail names the scorecard version that judged it.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedScorecards } from '../../src/scorecards/store.ts';
import { createUser, missingForBrowserTests, openBrowser, startServer, type WebServer } from './harness.ts';
import { CallsPage } from './pages/calls-page.ts';
import { LoginPage } from './pages/login-page.ts';
import { ScorecardsPage } from './pages/scorecards-page.ts';

const missing = missingForBrowserTests();

describe.skipIf(missing !== undefined)('scorecards in Chromium', () => {
  let server: WebServer;
  beforeAll(async () => {
    server = await startServer({ ownCatalog: true });
    // What a server's start does: the shipped scorecard becomes the published version 1.
    await seedScorecards(server.t.store.db, server.t.clock);
    await server.t.app.services.scorecards.loadPublished();
    await createUser(server, 'admin', 'boss');
    const batch = readFileSync(resolve(import.meta.dirname, '../../examples/batch.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    await server.t.app.services.jobs.enqueue('import-calls', {
      calls: batch,
      actor: { userId: null, ip: null },
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('edit → lint error at line:col → fix → save the draft → publish → re-inspect with progress → a call names its version', async () => {
    const b = await openBrowser();
    await (await new LoginPage(b.page, server.base).open()).signIn('boss');
    await b.page.getByTestId('home-page').waitFor();
    const sc = await new ScorecardsPage(b.page, server.base).open();
    expect(await sc.published()).toBe('生效：第 1 版');
    const yaml = await sc.yaml();
    // Version 2 adds a rule of the house's own, with no translation in the screens' dictionary.
    const custom = [
      '  - id: house.thanks-for-waiting',
      '    title: 感谢耐心等待',
      '    points: 1',
      '    sources: [{ seed: "003", section: "表达技巧" }]',
      '    expect: { phrases: { any: [非常感谢您的耐心等待] } }',
      '',
    ].join('\n');
    const next = yaml.replace(/^version: 1$/m, 'version: 2').replace(/^rules:\n/m, `rules:\n${custom}`);
    const broken = next.replace(/^total: 100$/m, 'total: lots');
    await sc.setYaml(broken);
    await sc.lint();
    const findings = await sc.lintFindings();
    expect(findings[0]).toMatch(/^default\.yaml:\d+:\d+ total/);
    const [, line, col] = /:(\d+):(\d+)/.exec(findings[0] as string) ?? [];
    expect(await sc.jumpTo(0)).toEqual({ line: Number(line), col: Number(col) });
    expect(broken.split('\n')[Number(line) - 1]).toContain('total: lots');
    // Saving it is refused alike: nothing stored.
    await sc.saveDraft();
    expect((await sc.lintFindings())[0]).toMatch(/^default\.yaml:\d+:\d+ total/);
    expect(await sc.draft()).toBeNull();

    await sc.setYaml(next);
    await sc.lint();
    await sc.lintOk();
    await sc.saveDraft();
    await expect.poll(() => sc.draft()).toBe('草稿：第 2 版');
    await sc.publish();
    await expect.poll(() => sc.published()).toBe('生效：第 2 版');
    expect(await sc.draft()).toBeNull();

    await sc.startReinspection();
    await expect.poll(async () => (await sc.latestRun()).status, { timeout: 20_000 }).toBe('completed');
    expect((await sc.latestRun()).text).toMatch(/([1-9]\d*) \/ \1 通/);

    // Each call names the version that judged it: every one re-inspected with version 2.
    const calls = await new CallsPage(b.page, server.base).open();
    const [first] = await calls.callIds();
    const detail = await calls.openCall(first ?? '');
    expect(await detail.scorecardVersion()).toBe('评分表第 2 版');
    // The house rule is named by its title, not its id (it has no entry in the dictionary).
    expect(await detail.findingRules()).toContain('house.thanks-for-waiting');
    await expect.poll(() => detail.findingTitles()).toContain('感谢耐心等待');
    expect(await detail.findingTitles()).not.toContain('house.thanks-for-waiting');
  });
});
