import { describe, expect, it } from 'vitest';
import { itemText, readDevSet } from '../../test/support/qa-dev.ts';
import { Catalog } from '../playbook/catalog.ts';
import { normalizeText } from '../text/normalize.ts';
import { corpus } from '../text/testdata.ts';
import { CompiledScorecard } from './compiled-scorecard.ts';
import { LiteralGate } from './literal-gate.ts';
import { loadScorecard } from './scorecard.ts';

/** The gate's answer for each pattern on each text, the texts read as the turns of one call. */
function gateAnswers(sources: readonly string[], texts: readonly string[]): (boolean | null)[][] {
  const gate = new LiteralGate();
  const ids = sources.map((s) => gate.register(s, 'any'));
  const state = gate.state(texts.length);
  const speaker = (t: number) => (t % 2 === 0 ? 'agent' : 'customer');
  return texts.map((text, t) =>
    ids.map((id) => (id === null ? null : gate.test(id, state, t, text, speaker(t)))),
  );
}

describe('LiteralGate answers as the whole expression', () => {
  const cases: [string, string, boolean][] = [
    ['ab|bc', 'xbcx', true],
    ['ab|bcd', 'abcd', true],
    ['abx|bcd', 'abcd', true],
    ['abx|bcx', 'abcd', false],
    // A literal of one alternative inside another's (the automaton reports both).
    ['所以没|所以才没人管', '所以才没人管', true],
    ['所以才没人管|才没', '所以才没人管', true],
    ['所以没|所以才没人管', '所以才有人管', false],
    // A plain literal alternative is answered by the hit alone.
    ['没辙|无能为力', '我也无能为力', true],
    ['没辙|无能为力', '无能', false],
    // An alternative with no literal runs on every text.
    ['[0-9]{3}|应该吧', '电话123', true],
    ['[0-9]{3}|应该吧', '电话12', false],
    ['[^,。]{0,30}所以才|下次记得', '因为忙所以才', true],
    // Lookarounds: the literal occurs, the alternative still decides.
    ['(?<!不)应该是|下次记得', '不应该是', false],
    ['(?<!不)应该是|下次记得', '这应该是', true],
    ['(?<=您)自己|[^,]{0,3}去', '您自己', true],
    ['随便(?![\\p{sc=Han}])|没辙', '随便,', true],
    ['(?<![\\p{sc=Han}])随便(?![\\p{sc=Han}])|没辙', '随便吧', false],
    // Surrogates: a lone one is never a literal; an emoji pair is.
    ['😏+|x', '😏😏', true],
    ['\\uD83D\\uDE0F+|x', '😏', true],
    ['[😀😏]|y', '好😏', true],
    // Escapes that are not literals of their own.
    ['\\x41bc|[^,]{0,3}z', 'Abc', true],
    ['\\u{4e0d}行|没辙', '不行', true],
    ['\\p{Script=Han}{2}好|[^x]y', '你们好', true],
    ['^好|[^,]{0,3}吧$', '吧好', false],
    ['^好|[^,]{0,3}吧$', '好的', true],
    // Every literal set an alternative's matches hold (its terms): with one of them absent the
    // alternative cannot match and is not run; with each present it still decides.
    ['不(?<=我不)太?懂|没辙', '我不太懂', true],
    ['不(?<=我不)太?懂|没辙', '我不太清楚,您懂吗', false],
    ['不(?<=我不)太?懂|没辙', '您不懂', false],
    ['(?:您|你)(?:怎么|为啥)不看|没辙', '你怎么不看', true],
    ['(?:您|你)(?:怎么|为啥)不看|没辙', '怎么不看', false],
    ['(?:您|你)(?:怎么|为啥)不看|没辙', '您为啥不看', true],
    // Back references and named groups: their alternative runs as part of the whole.
    ['(对|好的?)(?:[,、 ]?\\1){2,}|没办法', '对对对', true],
    ['(对|好的?)(?:[,、 ]?\\1){2,}|没办法', '对,好,对', false],
    ['没辙|爱([\\p{sc=Han}])不\\1', '爱理不理', true],
    ['没辙|爱([\\p{sc=Han}])不\\1', '爱理不睬', false],
    ['(a)|爱(b)不\\2', '爱b不b', true],
    ['(?<x>对)\\k<x>|没辙', '对对', true],
    ['(?<x>对)\\k<x>|没辙', '对好', false],
    ['[^,]{0,3}(好)\\1|没辙', 'x好好', true],
    // A list of expressions, joined as (?:a)|(?:b): a group that is a whole alternative stands
    // as its own alternatives; one followed or quantified stays one.
    ['(?:ab|^x[^,]{0,3}y)|(?:没辙)', 'xzy', true],
    ['(?:ab|^x[^,]{0,3}y)|(?:没辙)', 'axzy', false],
    ['(?:(?:ab|cd)|ef)|gh', 'cd', true],
    ['(?:ab)x|(?:cd)', 'abx', true],
    ['(?:ab)x|(?:cd)', 'ab', false],
    ['(?:a|b)(?:c|d)|z', 'bd', true],
    ['(?:a|b)(?:c|d)|z', 'b', false],
    ['(?:ab|cd)+|z', 'cdab', true],
    ['(?:[)|]x|y)|z', '|x', true],
    ['(?:\\)x|y)|z', ')x', true],
    ['(?:\\)x|y)|z', 'x', false],
  ];
  it.each(cases)('/%s/ on %s → %s', (source, text, want) => {
    expect(new RegExp(source, 'u').test(text)).toBe(want);
    expect(gateAnswers([source], [text])[0]?.[0]).toBe(want);
  });

  it('leaves patterns registered after the first scan to the caller', () => {
    const gate = new LiteralGate();
    const a = gate.register('没辙|无能为力', 'agent');
    expect(gate.register('没辙|无能为力', 'agent')).toBe(a);
    gate.state(1);
    expect(gate.register('应该吧', 'agent')).toBeNull();
    expect(gate.register('没辙|无能为力', 'agent')).toBe(a);
    // Known, but not for the customer's turns, which are scanned without its literals.
    expect(gate.register('没辙|无能为力', 'customer')).toBeNull();
  });

  it('leaves patterns registered after `seal` to the caller', () => {
    const gate = new LiteralGate();
    const a = gate.register('没辙|无能为力', 'agent') as number;
    expect(gate.sealed).toBe(false);
    gate.seal();
    expect(gate.sealed).toBe(true);
    expect(gate.register('应该吧', 'agent')).toBeNull();
    expect(gate.register('没辙|无能为力', 'agent')).toBe(a);
    const state = gate.state(1);
    expect(gate.test(a, state, 0, '我也无能为力', 'agent')).toBe(true);
  });

  // Built inside the first call, the automata's allocations made V8 pretenure that call's
  // objects' allocation sites: every later call's hits went to the old generation (RSS +30–60%).
  it('is sealed by the compiled scorecard before any call, and serves every brand', () => {
    const scorecard = loadScorecard();
    const catalog = Catalog.load();
    const gates = catalog.brandIds.map((brand) => {
      const pb = catalog.find(brand);
      if (pb === undefined) throw new Error(brand);
      const base = pb.extends ? catalog.find(pb.extends) : undefined;
      return (new CompiledScorecard(scorecard, pb, base) as unknown as { gate: LiteralGate }).gate;
    });
    expect(gates.length).toBeGreaterThan(1);
    for (const gate of gates) {
      expect(gate).toBe(gates[0]);
      expect(gate.sealed).toBe(true);
    }
  });

  it("scans each speaker's turns for the literals of the patterns of that role", () => {
    const gate = new LiteralGate();
    const agent = gate.register('没辙|无能为力', 'agent') as number;
    const customer = gate.register('投诉|举报', 'customer') as number;
    const both = gate.register('投诉|没辙', 'agent');
    expect(gate.register('投诉|没辙', 'customer')).toBe(both);
    const texts = ['我也没辙', '我要投诉', '没辙,投诉'];
    const state = gate.state(texts.length);
    expect(gate.test(agent, state, 0, texts[0] as string, 'agent')).toBe(true);
    expect(gate.test(customer, state, 1, texts[1] as string, 'customer')).toBe(true);
    expect(gate.test(both as number, state, 1, texts[1] as string, 'customer')).toBe(true);
    // A turn of another role than the pattern's still gets the whole expression's answer.
    expect(gate.test(customer, state, 2, texts[2] as string, 'agent')).toBe(true);
    expect(gate.test(agent, state, 2, texts[2] as string, 'agent')).toBe(true);
  });

  it('gives a released state back cleared: the next call sees none of the last call anchors', () => {
    const gate = new LiteralGate();
    const p = gate.register('没辙|无能为力|(?<!不)应该是', 'agent') as number;
    const first = gate.state(3);
    expect(['我也没辙', '应该是吧', '无能为力'].map((t, i) => gate.test(p, first, i, t, 'agent'))).toEqual([
      true,
      true,
      true,
    ]);
    gate.release(first);
    const second = gate.state(2);
    expect(second).toBe(first);
    expect(['好的', '不应该是'].map((t, i) => gate.test(p, second, i, t, 'agent'))).toEqual([false, false]);
    // A call longer than the spare gets a state of its own.
    gate.release(second);
    expect(gate.state(1000)).not.toBe(second);
  });

  it('`next` finds the same turns as `test`, over each role of a call, passing over the others', () => {
    const sources = ['没辙|无能为力|(?<!不)应该是', '投诉|举报', '[0-9]{3}|应该吧', '(对)\\1|没办法'];
    const roles = ['agent', 'customer', 'any'] as const;
    const gate = new LiteralGate();
    const ids = sources.flatMap((s) => roles.map((r) => [s, gate.register(s, r) as number] as const));
    gate.seal();
    const texts = [
      '您好',
      '我要投诉',
      '这个我也没辙',
      '电话123',
      '不应该是',
      '应该是吧',
      '对对',
      '举报',
      '好的',
    ];
    const speakers = texts.map((_, t) => (t % 2 === 0 ? 'agent' : 'customer') as 'agent' | 'customer');
    const turns = texts.map((text) => ({ text }));
    for (const role of roles) {
      const scope = texts.map((_, t) => t).filter((t) => role === 'any' || speakers[t] === role);
      for (const [source, p] of ids) {
        const want = scope.filter((t) =>
          gate.test(p, gate.state(texts.length), t, texts[t] as string, speakers[t] as 'agent'),
        );
        const state = gate.state(texts.length);
        const got: number[] = [];
        for (let i = gate.next(p, state, scope, 0, turns, speakers); i < scope.length; ) {
          got.push(scope[i] as number);
          i = gate.next(p, state, scope, i + 1, turns, speakers);
        }
        expect(got).toEqual(want);
        expect(got).toEqual(scope.filter((t) => new RegExp(source, 'u').test(texts[t] ?? '')));
      }
    }
  });

  it('throws where the whole expression would', () => {
    expect(() => new LiteralGate().register('(a|b', 'agent')).toThrow();
  });

  it('equals the whole expression on random patterns of lookarounds, classes, escapes and groups', () => {
    let seed = 29;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const pick = <T>(a: readonly T[]) => a[Math.floor(rnd() * a.length)] as T;
    const atoms = [
      '对',
      '好',
      '对好',
      '好的',
      'a',
      'A',
      '[^,]',
      '[对好]',
      '[\\]|]',
      '\\|',
      '.',
      '\\S',
      '\\x41',
      '\\u{5BF9}',
      '\\u5bf9',
      '\\p{sc=Han}',
      '\\P{L}',
      '😏',
      '[😏x]',
      '\\d',
      '\\cJ',
      '[a-c]',
      '\\]',
      '\\w',
      '，',
    ];
    const assertions = ['(?<!对)', '(?<=好)', '(?=对)', '(?!好)', '^', '$', '\\b', '(?<!对|好)'];
    const quantifiers = ['', '', '', '?', '*', '+', '{0,3}', '{2}', '??'];
    const expr = (depth: number): string =>
      Array.from({ length: 1 + Math.floor(rnd() * 4) }, () => {
        let s = '';
        for (let j = 1 + Math.floor(rnd() * 3); j > 0; j--) {
          const r = rnd();
          if (r < 0.15) s += pick(assertions);
          else if (r < 0.3 && depth < 2) s += `(?:${expr(depth + 1)})${pick(quantifiers)}`;
          else if (r < 0.35 && depth < 2) s += `(${expr(depth + 1)})${pick(quantifiers)}`;
          else if (r < 0.37) s += '\\1';
          else if (r < 0.39 && depth < 2) s += `(?<n${j}${depth}>${expr(depth + 1)})`;
          else s += pick(atoms) + pick(quantifiers);
        }
        return s;
      }).join('|');
    const chars = ['对', '好', '的', 'a', 'A', ',', '，', ']', '|', '😏', '1', ' ', '\n', '\uD83D', 'x'];
    let compared = 0;
    let gated = 0;
    for (let batch = 0; batch < 60; batch++) {
      const sources: string[] = [];
      while (sources.length < 40) {
        const source = expr(0);
        try {
          new RegExp(source, 'u');
        } catch {
          continue;
        }
        sources.push(source);
      }
      const texts = Array.from({ length: 30 }, () =>
        Array.from({ length: Math.floor(rnd() * 9) }, () => pick(chars)).join(''),
      );
      const answers = gateAnswers(sources, texts);
      texts.forEach((text, t) => {
        sources.forEach((source, p) => {
          const got = answers[t]?.[p];
          if (got === null) return;
          const want = new RegExp(source, 'u').test(text);
          if (got !== want) expect.fail(`/${source}/ on ${JSON.stringify(text)}: gate ${got}`);
          compared++;
          if (want) gated++;
        });
      });
    }
    expect(compared).toBeGreaterThan(40_000);
    expect(gated).toBeGreaterThan(5_000);
  });

  it('on every regex of the default scorecard: every corpus turn and every development line', () => {
    const regexes = new Set<string>();
    const collect = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(collect);
      else if (node && typeof node === 'object') {
        const re = (node as { regex?: { none?: string; any?: string } }).regex;
        if (re) regexes.add((re.none ?? re.any) as string);
        // A situation's guard, read from the customer turns' scan.
        const guard = (node as { situation?: { unless?: string } }).situation?.unless;
        if (guard !== undefined) regexes.add(guard);
        Object.values(node).forEach(collect);
      }
    };
    for (const r of loadScorecard().rules) {
      collect(r.when);
      collect(r.expect);
    }
    const sources = [...regexes];
    expect(sources.length).toBeGreaterThanOrEqual(30);
    const texts = [
      ...corpus().flatMap((d) => d.turns.map((t) => normalizeText(t.text))),
      ...readDevSet().map((item) => normalizeText(itemText(item))),
    ];
    const answers = gateAnswers(sources, texts);
    const wholes = sources.map((s) => new RegExp(s, 'u'));
    let agree = 0;
    let matched = 0;
    let ungated = 0;
    texts.forEach((text, t) => {
      sources.forEach((source, p) => {
        const got = answers[t]?.[p];
        if (got === null) {
          ungated++;
          return;
        }
        const want = wholes[p]?.test(text);
        if (got !== want) expect.fail(`/${source.slice(0, 40)}…/ on ${text.slice(0, 30)}: gate ${got}`);
        agree++;
        if (want) matched++;
      });
    });
    expect(agree).toBeGreaterThan(50_000);
    expect(matched).toBeGreaterThan(1_000);
    expect(ungated).toBe(0);
  });
});
