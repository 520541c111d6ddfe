// The agent's words as meant (spoken-reading.ts): what the reading holds and how its offsets map
// back to the turn as written.
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../shared/random.ts';
import { normalizeText } from '../text/normalize.ts';
import { corpus } from '../text/testdata.ts';
import { LiteralGate } from './literal-gate.ts';
import { MAYBE_SPOKEN_SOURCE, MAYBE_SPOKEN_WORDS, maybeSpoken, spokenReading } from './spoken-reading.ts';

/** The written words a span of the reading stands for. */
function written(text: string, previous: string | null, word: string): string {
  const r = spokenReading(text, previous);
  if (r === null) throw new Error('no reading');
  const at = r.text.indexOf(word);
  expect(at, r.text).toBeGreaterThanOrEqual(0);
  const joined = previous === null || r.tail === 0 ? text : previous.slice(-r.tail) + text;
  return joined.slice(r.map[at], r.map[at + word.length]);
}

describe('spokenReading', () => {
  it('is null for a turn that reads as written', () => {
    expect(spokenReading('您好,请问有什么可以帮您?', null)).toBeNull();
    expect(spokenReading('谢谢您,我们刚刚看看', null)).toBeNull();
    expect(spokenReading('请您清除缓存,这些措施以经济为主', null)).toBeNull();
    // The previous turn ended its sentence.
    expect(spokenReading('没看清楚', '是您自己。')).toBeNull();
  });

  it('drops a filler with its separators, and a word said twice, mapping back to what was written', () => {
    expect(spokenReading('我心里没,呃,没底', null)?.text).toBe('我心里没底');
    expect(written('我心里没,呃,没底', null, '心里没底')).toBe('心里没,呃,没底');
    expect(spokenReading('我我我刚才说过了', null)?.text).toBe('我刚才说过了');
    expect(written('我我我刚才说过了', null, '我刚才')).toBe('我刚才');
  });

  it('reads a filler between two clauses as one separator, so the clauses stay apart', () => {
    expect(spokenReading('这是我们应该做的,嗯,那您先忙吧', null)?.text).toBe('这是我们应该做的,那您先忙吧');
    expect(written('这是我们应该做的,嗯,那您先忙吧', null, '的,那')).toBe('的,嗯,那');
    expect(spokenReading('差不多了,嗯,那先这样吧', null)?.text).toBe('差不多了,那先这样吧');
    expect(spokenReading('应该的 呃…您看还有别的问题吧', null)?.text).toBe('应该的,您看还有别的问题吧');
    // Without a separator it goes; a word restarted after it is read once.
    expect(spokenReading('这个嗯我看一下', null)?.text).toBe('这个我看一下');
    expect(spokenReading('是您自己,呃,没看清楚', null)?.text).toBe('是您自己,没看清楚');
  });

  it('reads a homophone as the word, same length', () => {
    expect(spokenReading('我也不知到', null)?.text).toBe('我也不知道');
    expect(spokenReading('因该是明天', null)?.text).toBe('应该是明天');
    expect(spokenReading('我以经跟您说过', null)?.text).toBe('我已经跟您说过');
    expect(spokenReading('我也不太清除', null)?.text).toBe('我也不太清楚');
    expect(spokenReading('是您填措了', null)?.text).toBe('是您填错了');
    expect(written('我也不知到', null, '不知道')).toBe('不知到');
  });

  it("puts the previous turn's unfinished sentence before the turn", () => {
    const r = spokenReading('太确定', '这个我也不');
    expect(r?.text).toBe('这个我也不太确定');
    expect(r?.tail).toBe(5);
    // Only the last clause's end of a long turn, at most 12 characters.
    const long = spokenReading('没看清楚', '您的订单已经发货了。这次确实是您自己');
    expect(long?.text).toBe('这次确实是您自己没看清楚');
  });

  it('does not join a turn after a sentence-final particle, nor one that starts its own sentence', () => {
    for (const end of ['吧', '吗', '呢', '啊', '哈', '呀', '啦'])
      expect(spokenReading('您先试一下', `这个应该没问题${end}`), end).toBeNull();
    expect(spokenReading('那您先忙吧', '这是我们应该做的')).toBeNull();
    expect(spokenReading('好的,您稍等', '我帮您查一下')).toBeNull();
    // A cut sentence still joins.
    expect(spokenReading('太确定', '这个我也不')?.tail).toBe(5);
  });
});

describe('maybeSpoken', () => {
  it('answers as its expression on every corpus turn and on random texts of the characters it reads', () => {
    const re = new RegExp(MAYBE_SPOKEN_SOURCE, 'u');
    const texts = corpus().flatMap((d) => d.turns.map((t) => normalizeText(t.text)));
    const r = seededRandom(7);
    const alphabet = [...'嗯呃措知到因该以经好象清除出我您你不没是就也都还又在这那已,的😏'];
    for (let i = 0; i < 20_000; i++) {
      let t = '';
      for (let k = Math.floor(r() * 8); k > 0; k--) t += alphabet[Math.floor(r() * alphabet.length)];
      texts.push(t);
    }
    // …and so does the literal gate on its words, the answer inspection reads.
    const gate = new LiteralGate();
    const words = gate.register(MAYBE_SPOKEN_WORDS, 'agent') as number;
    gate.seal();
    const state = gate.state(texts.length);
    let spoken = 0;
    texts.forEach((t, i) => {
      const want = re.test(t);
      if (maybeSpoken(t) !== want) expect.fail(`${t}: expected ${want}`);
      if (gate.test(words, state, i, t, 'agent') !== want) expect.fail(`${t}: the gate, expected ${want}`);
      if (want) spoken++;
    });
    expect(texts.length).toBeGreaterThan(21_000);
    expect(spoken).toBeGreaterThan(2_000);
    expect(spoken).toBeLessThan(texts.length - 2_000);
  });
});
