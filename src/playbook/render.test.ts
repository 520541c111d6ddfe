import { describe, expect, it } from 'vitest';
import { Catalog } from './catalog.ts';
import { loadPlaybookDir } from './load.ts';
import { brandVariables, formatWorkingHours, renderText, traditional, variableName } from './render.ts';

describe('renderText', () => {
  it('fills variables and keeps a visible placeholder for a missing one', () => {
    const r = renderText('您好!{company},{agentNumber}号为您服务。', { company: '中华保险' });
    expect(r.text).toBe('您好!中华保险,〔工号〕号为您服务。');
    expect(r.missing).toEqual(['agentNumber']);
    expect(r.segments.find((s) => s.missing)?.variable).toBe('agentNumber');
  });

  it('treats an empty value as missing', () => {
    expect(renderText('{surname}{title}', { surname: '', title: '先生' }).text).toBe('〔姓氏〕先生');
  });

  it('a lone title addresses the caller by surname once both are known; unknown, it stays as written', () => {
    const known = { surname: '王', title: '先生' };
    expect(renderText('对不起,{title},现在暂时没有查询到。', known).text).toBe(
      '对不起,王先生,现在暂时没有查询到。',
    );
    expect(renderText('没关系,{surname}{title},您不必介意!', known).text).toBe('没关系,王先生,您不必介意!');
    expect(renderText('请问是{customerName}{title}吗?', { ...known, customerName: '王明' }).text).toBe(
      '请问是王明先生吗?',
    );
    expect(renderText('对不起,{title},请稍等。', { title: '女士' }).text).toBe('对不起,女士,请稍等。');
    const unknown = renderText('对不起,{title},请稍等。', { surname: '王' });
    expect(unknown.text).toBe('对不起,〔先生/女士〕,请稍等。');
    expect(unknown.missing).toEqual(['title']);
  });

  it('renders Traditional script, variables included', () => {
    const r = renderText(
      '您好,{company}{agentNumber}为您服务',
      { company: '全家乐电器服务中心', agentNumber: '018' },
      'traditional',
    );
    expect(r.text).toBe('您好,全家樂電器服務中心018為您服務');
  });

  it('renders 别 (don’t) as 別 in Traditional, never 彆, in every text of every playbook', () => {
    expect(renderText('您别着急,别气坏了,别担心', {}, 'traditional').text).toBe('您別著急,別氣壞了,別擔心');
    expect(traditional('闹别扭')).toBe('鬧彆扭');
    const texts: string[] = [];
    const walk = (v: unknown): void => {
      if (typeof v === 'string') texts.push(v);
      else if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') Object.values(v).forEach(walk);
    };
    loadPlaybookDir().forEach(walk);
    expect(texts.length).toBeGreaterThan(500);
    const wrong = texts
      .filter((t) => !/别扭|别拗/u.test(t))
      .map((t) => [t, renderText(t.replace(/\{[A-Za-z]+\}/g, ''), {}, 'traditional').text])
      .filter(([, t]) => t?.includes('彆'));
    expect(wrong).toEqual([]);
  });

  it('accepts agentId as an alias of agentNumber and rejects unknown names', () => {
    expect(variableName('agentId')).toBe('agentNumber');
    expect(() => variableName('agnetNumber')).toThrow(/unknown variable 'agnetNumber'/);
  });
});

describe('brand variables', () => {
  it('come from the playbook', () => {
    const pb = Catalog.load().find('zhonghua');
    if (!pb) throw new Error('zhonghua missing');
    expect(brandVariables(pb)).toMatchObject({
      company: '中华保险',
      hotline: '95585',
      replyDeadline: '2小时/24小时',
    });
  });

  it('format working hours as a person says them', () => {
    const h = { timezone: 'Asia/Shanghai', open: '08:30', close: '17:30' };
    expect(formatWorkingHours({ ...h, days: ['mon', 'tue', 'wed', 'thu', 'fri'] })).toBe(
      '周一至周五08:30-17:30',
    );
    expect(formatWorkingHours({ ...h, days: ['sun', 'sat', 'fri', 'thu', 'wed', 'tue', 'mon'] })).toBe(
      '每天08:30-17:30',
    );
    expect(formatWorkingHours({ ...h, days: ['mon', 'wed'] })).toBe('周一、周三08:30-17:30');
  });
});
