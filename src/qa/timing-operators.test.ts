// The silent line (silence.protocol): the brand's attempts, each followed by the brand's pause,
// then the final line, which is no attempt (seed 000 B.一.5: 确认3次, 稍停5秒; 002 一.(三): 稍停2秒,
// 招呼语 and two repeats).
import { describe, expect, it } from 'vitest';
import type { Turn } from '../calls/model.ts';
import { Catalog } from '../playbook/catalog.ts';
import { Inspector } from './engine.ts';
import { loadScorecard, parseScorecard, ScorecardError } from './scorecard.ts';

const inspector = new Inspector(loadScorecard(), Catalog.load());
const a = (text: string, start?: number, end?: number): Turn => ({ speaker: 'agent', text, start, end });

/** Agent turns of 3 s, `pause` ms apart. */
function line(brand: string, texts: string[], pause?: number) {
  const turns = texts.map((t, i) =>
    pause === undefined ? a(t) : a(t, i * (3000 + pause), i * (3000 + pause) + 3000),
  );
  const r = inspector.inspect({ id: 'x', direction: 'inbound', brand, events: [], turns });
  return {
    outcome: r.rules.find((x) => x.id === 'silence.protocol')?.outcome,
    evidence: r.findings.filter((f) => f.rule === 'silence.protocol').map((f) => f.evidence),
  };
}

const CY = ['您好!请问有什么可以帮助您?', '您好,您的电话已接通,请讲。', '您好,您的电话已接通,请讲。'];
const CY_BYE = '对不起,听不到您的声音,请您稍后再拨,再见!';
const ZH = ['您好!中华保险1024号为您服务', '您好!中华保险1024号为您服务', '您好!中华保险1024号为您服务'];
const ZH_BYE = '对不起,您的电话没有声音,请您换一部电话再打来,再见';

describe('silence.protocol: the brand’s attempts and pause', () => {
  it('chaoyue: three attempts 5 s apart, then the final line, passes; 1 s apart fails on each rushed turn', () => {
    expect(line('chaoyue', [...CY, CY_BYE], 5000).outcome).toBe('pass');
    const rushed = line('chaoyue', [...CY, CY_BYE], 1000);
    expect(rushed.outcome).toBe('fail');
    expect(rushed.evidence).toHaveLength(3);
    expect(rushed.evidence[0]).toContain('仅停1秒, 应稍停5秒');
  });

  it('zhonghua’s pause is 2 s: what chaoyue calls rushed is its protocol', () => {
    expect(line('zhonghua', [...ZH, ZH_BYE], 2000).outcome).toBe('pass');
    expect(line('chaoyue', [...CY, CY_BYE], 2000).outcome).toBe('fail');
    expect(line('zhonghua', [...ZH, ZH_BYE], 1000).outcome).toBe('fail');
  });

  it('the final line is no attempt: two attempts and the farewell fail, timed or not', () => {
    const two = line('chaoyue', [CY[0] as string, CY[1] as string, CY_BYE], 5000);
    expect(two.outcome).toBe('fail');
    expect(two.evidence).toEqual(['仅尝试2次, 应3次']);
    expect(line('zhonghua', [ZH[0] as string, ZH[1] as string, ZH_BYE]).outcome).toBe('fail');
  });

  it('without timings the pauses are unknown: the right count and words are n/a, never a pass', () => {
    expect(line('zhonghua', [...ZH, ZH_BYE]).outcome).toBe('n/a');
  });

  it('a scorecard with atLeast but no minMs on a silence is refused at load', () => {
    const text = `version: 1\nname: t\nrules:\n  - id: t.r\n    title: T\n    points: 1\n    sources: [{ seed: "000", section: "x" }]\n    expect: { silence: { after: agent, atLeast: 3, maxMs: 1000 } }\n`;
    expect(() => parseScorecard(text, 't.yaml')).toThrow(ScorecardError);
    expect(() => parseScorecard(text, 't.yaml')).toThrow(/atLeast needs minMs/);
  });
});
