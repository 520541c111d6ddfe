import { describe, expect, it } from 'vitest';
import { Catalog } from './catalog.ts';
import { PlaybookSearch } from './search.ts';

const catalog = Catalog.load();
const search = new PlaybookSearch(catalog);
const brandsWithComplaints = catalog.playbooks
  .filter((pb) => pb.scenarios.some((s) => s.stage === 'complaint'))
  .map((pb) => pb.brand.id)
  .sort();

describe('playbook search', () => {
  it.each(['投诉', '投訴', 'tousu', 'ts', 'TS'])(
    '"%s" ranks complaint scenarios of every brand first',
    (q) => {
      const hits = search.search(q);
      const complaintCount = catalog.playbooks
        .flatMap((pb) => pb.scenarios)
        .filter((s) => s.stage === 'complaint').length;
      const top = hits.slice(0, complaintCount);
      expect(top.length).toBe(complaintCount);
      expect(top.every((h) => h.stage === 'complaint')).toBe(true);
      expect([...new Set(top.map((h) => h.brand))].sort()).toEqual(brandsWithComplaints);
      expect(brandsWithComplaints).toEqual(expect.arrayContaining(['chaoyue', 'quanjiale', 'zhonghua']));
    },
  );

  it('matches pinyin only from a syllable boundary', () => {
    // "ousu" is inside tou-su but starts mid-syllable.
    expect(search.search('ousu')).toEqual([]);
  });

  it('finds the silent-line scenario by text, pinyin and initials', () => {
    for (const q of ['无声电话', 'wusheng', 'wsdh']) {
      const top = search.search(q, { brand: 'zhonghua' })[0];
      expect(top?.scenarioId, q).toBe('exception.silent-line');
    }
  });

  it('requires every term and filters by brand', () => {
    const hits = search.search('投诉 态度', { brand: 'zhonghua' });
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((h) => h.brand === 'zhonghua')).toBe(true);
    expect(hits[0]?.scenarioId).toBe('complaint.attitude');
    expect(search.search('投诉 不存在的词')).toEqual([]);
  });

  it('finds what a new playbook version says once it is in force', () => {
    const own = Catalog.load();
    const ownSearch = new PlaybookSearch(own);
    expect(ownSearch.search('蓝鲸')).toEqual([]);
    const pb = own.files.find((p) => p.brand.id === 'zhonghua');
    const first = pb?.scenarios[0];
    if (!pb || !first) throw new Error('zhonghua has no scenario');
    own.replace({
      ...pb,
      version: pb.version + 1,
      scenarios: [{ ...first, title: `${first.title}蓝鲸` }, ...pb.scenarios.slice(1)],
    });
    expect(ownSearch.search('蓝鲸').map((h) => [h.brand, h.scenarioId])).toEqual([['zhonghua', first.id]]);
  });

  it('returns nothing for an empty query', () => {
    expect(search.search('   ')).toEqual([]);
  });
});
