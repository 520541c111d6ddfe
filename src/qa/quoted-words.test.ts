// Words in quotation marks (quoted-words.ts): which spans are someone else's words.
import { describe, expect, it } from 'vitest';
import { normalize } from '../text/normalize.ts';
import { insideQuoted, quotedSpans, withoutQuoted } from './quoted-words.ts';

const quoted = (text: string) => {
  const n = normalize(text).text;
  const spans = quotedSpans(n) ?? [];
  const out: string[] = [];
  for (let k = 0; k < spans.length; k += 2) out.push(n.slice(spans[k], spans[k + 1]));
  return out;
};

describe('quotedSpans', () => {
  it('finds the words in each kind of mark, after normalizing', () => {
    expect(quoted('他说“你到底懂不懂”,还说‘别烦我’')).toEqual(['你到底懂不懂', '别烦我']);
    expect(quoted("对您说了'你到底懂不懂,别耽误我时间'。")).toEqual(['你到底懂不懂,别耽误我时间']);
    expect(quoted('師傅說「我是新來的」,又說『不知道』')).toEqual(['我是新来的', '不知道']);
    expect(quoted('点"不知道密码?"就行')).toEqual(['不知道密码?']);
  });

  it('reads no quotation in a line without marks, an unpaired mark, Latin words or an apostrophe', () => {
    expect(quotedSpans('这个我不知道')).toBeNull();
    expect(quoted('他说"不知道,然后就走了')).toEqual([]);
    expect(quoted('点"OK"按钮')).toEqual([]);
    expect(quoted("don't 说不知道, it's 没办法")).toEqual([]);
  });

  it('reads no quotation across a line break or past 80 characters', () => {
    expect(quoted('他说"不知道\n我说"好的')).toEqual([]);
    expect(quoted(`"${'很'.repeat(81)}"`)).toEqual([]);
    expect(quoted(`"${'很'.repeat(80)}"`)).toHaveLength(1);
  });
});

describe('insideQuoted and withoutQuoted', () => {
  const text = '条款写的是"不在赔付范围",这个没有为什么';
  const spans = quotedSpans(text) as number[];

  it('a span inside the marks is quoted; one reaching outside is not', () => {
    const at = text.indexOf('不在赔付范围');
    expect(insideQuoted(spans, at, at + 6)).toBe(true);
    expect(insideQuoted(spans, at - 1, at + 6)).toBe(false);
    const own = text.indexOf('没有为什么');
    expect(insideQuoted(spans, own, own + 5)).toBe(false);
  });

  it('the line without the quoted words keeps the agent’s own', () => {
    expect(withoutQuoted(text, spans)).toBe('条款写的是"",这个没有为什么');
  });
});
