import { describe, expect, it } from 'vitest';
import { Catalog } from '../playbook/catalog.ts';
import type { Playbook } from '../playbook/load.ts';
import { guidanceFor } from './guidance.ts';
import { DETECTED_SITUATION_IDS } from './ids.ts';

const catalog = Catalog.load();
const base = (id: string) => catalog.find(id);
const brand = (id: string): Playbook => {
  const pb = catalog.find(id);
  if (!pb) throw new Error(`no brand ${id}`);
  return pb;
};

describe('guidanceFor', () => {
  it('zhonghua: the caller asks for the agent’s name → the agent number, filled from the call', () => {
    const got = guidanceFor(brand('zhonghua'), ['asks-agent-id'], { agentNumber: '1024' }, { base });
    expect(got[0]).toEqual({ scenario: 'identify.agent-name', text: '对不起,我的工号是1024号。' });
  });

  it('zhonghua: thanks → 不客气', () => {
    expect(guidanceFor(brand('zhonghua'), ['thanks'], {}, { base })[0]).toEqual({
      scenario: 'emotion.thanks',
      text: '不客气。',
    });
  });

  it('chaoyue: a complaint from an angry caller puts the scenario naming both first', () => {
    const got = guidanceFor(brand('chaoyue'), ['complaint', 'angry'], { title: '女士' }, { base });
    expect(got[0]).toEqual({
      scenario: 'complaint.angry',
      text: '对不起,女士,因为我们的服务不周给您带来不便,请您谅解,请将详细情况告诉我好吗?',
    });
    expect(got.map((s) => s.scenario)).toContain('complaint.cannot-answer-now');
  });

  it('quanjiale: a product fault complaint, in Traditional script', () => {
    const got = guidanceFor(brand('quanjiale'), ['complaint', 'product-fault'], {}, { base });
    expect(got[0]?.scenario).toBe('complaint.product-quality');
    expect(got[0]?.text).toBe('真對不起,給您添不少麻煩,現在請您詳細講述一下具體情況好嗎?');
    // A fault alone is a repair booking first (in playbook order), with the visit time still to fill.
    const fault = guidanceFor(brand('quanjiale'), ['product-fault'], {}, { base });
    expect(fault.map((s) => s.scenario)).toEqual(['ticket.repair-booking', 'complaint.product-quality']);
    expect(fault[0]?.text).toContain('〔上門時間〕');
  });

  it('falls back to generic when the brand has no scenario for the situation, in the brand’s words', () => {
    const got = guidanceFor(brand('chaoyue'), ['callback-request'], {}, { base });
    expect(got).toEqual([
      { scenario: 'ticket.callback', text: '对不起,请留下您的联系方式,我们查询后将尽快与您联系,好吗?' },
    ]);
    const tech = guidanceFor(brand('zhonghua'), ['tech-question'], {}, { base });
    expect(tech[0]?.scenario).toBe('solve.technical-question');
    // Without a way to find the base, only the brand's own scenarios.
    expect(guidanceFor(brand('chaoyue'), ['callback-request'])).toEqual([]);
  });

  it('the brand’s own scenario answers for a situation it names (no generic line added)', () => {
    const got = guidanceFor(brand('quanjiale'), ['thanks'], {}, { base });
    expect(got.map((s) => s.scenario)).toEqual(['feedback.praise']);
    expect(got[0]?.text).toBe('這是我們應該的,與您的要求還相差很遠,我們將更加努力。');
  });

  it('nothing detected, nothing suggested', () => {
    expect(guidanceFor(brand('generic'), [], {}, { base })).toEqual([]);
  });

  it.each(catalog.brandIds)('%s: a line for every detected situation a seed has a line for', (id) => {
    const none = DETECTED_SITUATION_IDS.filter((s) => guidanceFor(brand(id), [s], {}, { base }).length === 0);
    expect(none).toEqual(['asks-supervisor']);
  });
});
