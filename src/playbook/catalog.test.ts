import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DETECTED_SITUATION_IDS, type DetectedSituation } from '../situations/ids.ts';
import { Catalog, checkedCatalogData } from './catalog.ts';
import { SHIPPED_PLAYBOOK_DIR } from './load.ts';
import { SEED_SECTIONS } from './seed-sections.ts';
import { FORBIDDEN_GROUP_IDS, SITUATION_IDS } from './vocabulary.ts';

const catalog = Catalog.load();

describe('the shipped playbooks', () => {
  it('are the four brands of the seeds', () => {
    expect([...catalog.brandIds].sort()).toEqual(['chaoyue', 'generic', 'quanjiale', 'zhonghua']);
    expect(catalog.find('zhonghua')?.brand.hotline).toBe('95585');
    expect(catalog.find('quanjiale')?.brand.script).toBe('traditional');
    // A brand named by name or alias in either script (中華保險 is 中华保险).
    for (const [name, id] of [
      ['中华保险', 'zhonghua'],
      ['中華保險', 'zhonghua'],
      ['中華保險95585', 'zhonghua'],
      ['全家乐', 'quanjiale'],
      ['全家樂', 'quanjiale'],
      ['全家樂電器', 'quanjiale'],
      [' 超越 ', 'chaoyue'],
      ['ZhongHua', 'zhonghua'],
    ] as const)
      expect(catalog.find(name)?.brand.id, name).toBe(id);
    expect(catalog.find('華夏保險')).toBeUndefined();
  });

  it('carry the house settings where the seeds differ', () => {
    expect(catalog.find('chaoyue')?.settings.silentLine.pauseSeconds).toBe(5);
    expect(catalog.find('zhonghua')?.settings.silentLine.pauseSeconds).toBe(2);
    for (const pb of catalog.playbooks) {
      expect(pb.settings.ringsToAnswer, pb.brand.id).toBe(3);
      expect(pb.settings.holdLimitSeconds, pb.brand.id).toBe(60);
      expect(pb.settings.complaintReplyHours, pb.brand.id).toEqual({ urgent: 2, standard: 24 });
    }
  });

  // One case per numbered situation of seeds 000, 002 and 004: a scenario that disappears
  // or loses its source fails its own case.
  it.each(
    SEED_SECTIONS.map(
      (s) => [`${s.brand} seed ${s.seed} ${s.section} ${s.situation} (${s.what})`, s] as const,
    ),
  )('%s has a scenario', (_name, s) => {
    const pb = catalog.find(s.brand);
    const found = pb?.scenarios.filter(
      (sc) =>
        sc.situations.includes(s.situation) &&
        sc.sources.some((src) => src.seed === s.seed && src.section === s.section),
    );
    expect(
      found?.length,
      `no ${s.brand} scenario for ${s.situation} citing seed ${s.seed} ${s.section}`,
    ).toBeGreaterThan(0);
  });

  // What the detector finds in a caller's words must name a script line at every brand (its own
  // scenario, or its base's, which guidance falls back to), wherever a seed has a line for it.
  const NO_SEED_LINE: Partial<Record<DetectedSituation, string>> = {
    'asks-supervisor':
      'no seed has a line for it: 000 B.七.7 and 002 二.(六)/(七) only say to pass the call or the record up the chain',
  };

  it('name every detected situation in the playbook vocabulary', () => {
    expect(SITUATION_IDS).toEqual(expect.arrayContaining([...DETECTED_SITUATION_IDS]));
  });

  it.each(catalog.brandIds)('select a scenario at %s (or its base) for every detected situation', (brand) => {
    const pb = catalog.find(brand);
    const base = pb?.extends ? catalog.find(pb.extends) : undefined;
    const selects = (id: DetectedSituation) =>
      [pb, base].some((p) => p?.scenarios.some((sc) => sc.situations.includes(id)));
    const missing = DETECTED_SITUATION_IDS.filter((id) => !(id in NO_SEED_LINE) && !selects(id));
    expect(missing, `no scenario at ${brand} or its base selected by these`).toEqual([]);
    for (const id of Object.keys(NO_SEED_LINE) as DetectedSituation[])
      expect(selects(id), `${id} now has a scenario: remove it from NO_SEED_LINE`).toBe(false);
  });

  it('have the forbidden phrases of seed 002 in all five groups, inherited by every brand', () => {
    for (const pb of catalog.playbooks) {
      const groups = new Set(pb.forbidden.map((f) => f.group));
      expect([...groups].sort(), pb.brand.id).toEqual([...FORBIDDEN_GROUP_IDS].sort());
      const phrases = pb.forbidden.flatMap((f) => f.phrases);
      for (const p of ['不知道', '你去投诉好了', '我是新员工']) expect(phrases, pb.brand.id).toContain(p);
    }
  });

  it('have the habitual → professional rewrites of seed 003', () => {
    const rewrites = catalog.find('generic')?.rewrites ?? [];
    expect(rewrites.length).toBeGreaterThanOrEqual(8);
    expect(rewrites.every((r) => r.sources.some((s) => s.seed === '003'))).toBe(true);
    expect(rewrites.some((r) => r.habitual.includes('我没办法'))).toBe(true);
    expect(catalog.find('zhonghua')?.rewrites.length).toBe(rewrites.length);
  });
});

describe('extends', () => {
  const base = (id: string, extra = '') => `version: 1
${extra}brand:
  id: ${id}
  name: ${id}
  agentNumber: { pattern: "^\\\\d+$", example: "1" }
settings:
  ringsToAnswer: 3
  silentLine: { pauseSeconds: 2, attempts: 3 }
  holdLimitSeconds: 60
  complaintReplyHours: { urgent: 2, standard: 24 }
  workingHours: { days: [mon], open: "08:00", close: "20:00" }
scenarios:
  - id: opening.greeting
    title: 开头语
    stage: opening
    situations: [call-answered]
    lines: [{ text: 您好 }]
    sources: [{ seed: "000", section: "A.一" }]
forbidden:
  - group: vague
    phrases: [${id === 'base' ? '不知道, 大概' : '大概, 说不准'}]
    sources: [{ seed: "002", section: "服务态度.(三).1" }]
`;

  it('merges the base lists without duplicates', () => {
    const dir = mkdtempSync(join(tmpdir(), 'huashu-cat-'));
    writeFileSync(join(dir, 'base.yaml'), base('base'));
    writeFileSync(join(dir, 'child.yaml'), base('child', 'extends: base\n'));
    const child = Catalog.load(dir).find('child');
    expect(child?.forbidden.flatMap((f) => f.phrases).sort()).toEqual(['不知道', '大概', '说不准'].sort());
  });

  it('rejects a missing base and a cycle', () => {
    const dir = mkdtempSync(join(tmpdir(), 'huashu-cat-'));
    writeFileSync(join(dir, 'child.yaml'), base('child', 'extends: nobody\n'));
    expect(() => Catalog.load(dir)).toThrow(/no playbook with brand id 'nobody' to extend/);
    writeFileSync(join(dir, 'child.yaml'), base('child', 'extends: other\n'));
    writeFileSync(join(dir, 'other.yaml'), base('other', 'extends: child\n'));
    expect(() => Catalog.load(dir)).toThrow(/cycle/);
  });
});

// The build stores the checked shipped playbooks (dist/playbook/checked-catalog.json) so that a
// start need not check them again; a file changed since must be checked again, not trusted.
describe('the checked catalog of the build', () => {
  function folderWithBuild() {
    const dir = mkdtempSync(join(tmpdir(), 'huashu-checked-'));
    cpSync(SHIPPED_PLAYBOOK_DIR, dir, { recursive: true });
    const data = checkedCatalogData(dir);
    if (!data) throw new Error('the shipped playbooks should be plain JSON');
    const file = join(dir, 'checked-catalog.json');
    // Marked, to tell whether a load took the stored playbooks or checked the files.
    for (const pb of data.playbooks) if (pb.brand.id === 'generic') pb.brand.name = '已存的检查结果';
    writeFileSync(file, JSON.stringify(data));
    return { dir, file };
  }

  it('is used while the files are those it was made from', () => {
    const { dir, file } = folderWithBuild();
    const loaded = Catalog.load(dir, file);
    expect(loaded.find('generic')?.brand.name).toBe('已存的检查结果');
    expect(loaded.find('zhonghua')?.file).toBe(join(dir, 'zhonghua.yaml'));
    expect(loaded.find('zhonghua')?.forbidden).toEqual(catalog.find('zhonghua')?.forbidden);
  });

  it('is not used once a file changed: the change is checked, and a bad one refused', () => {
    const { dir, file } = folderWithBuild();
    const path = join(dir, 'generic.yaml');
    const text = readFileSync(path, 'utf8');
    writeFileSync(path, `${text}\n# edited\n`);
    expect(Catalog.load(dir, file).find('generic')?.brand.name).toBe(catalog.find('generic')?.brand.name);
    // generic now forbids 您好, which the brands extending it say in their greetings.
    writeFileSync(path, text.replace('phrases: [不清楚,', 'phrases: [您好, 不清楚,'));
    expect(() => Catalog.load(dir, file)).toThrow(/forbidden phrase of this brand \('您好'/);
  });
});
