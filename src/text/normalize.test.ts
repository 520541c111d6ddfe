import { describe, expect, it } from 'vitest';
import { normalize, normalizeText } from './normalize.ts';

/** The original text under `normalize(s).originalSpan(start, end)`. */
function back(s: string, start: number, end: number): string {
  const span = normalize(s).originalSpan(start, end);
  return s.slice(span.start, span.end);
}

describe('Traditional → Simplified', () => {
  it('converts the greeting of seed 004', () => {
    expect(normalizeText('您好,全家樂電器服務中心***為您服務')).toBe('您好,全家乐电器服务中心***为您服务');
  });

  it.each([
    ['全家樂', '全家乐'],
    ['電話', '电话'],
    ['聽', '听'],
    ['為您服務', '为您服务'],
    // Characters only: 軟體 stays the Taiwan word (软体), it does not become 软件.
    ['軟體', '软体'],
    ['請您稍等', '请您稍等'],
    ['對不起,讓您久等了', '对不起,让您久等了'],
    ['頭髮乾淨', '头发干净'],
    // Hong Kong forms.
    ['衞生', '卫生'],
    ['電綫', '电线'],
    ['説話', '说话'],
    // Taiwan forms: 著 is 着 in Traditional text, but not in 顯著 (显著).
    ['您別著急,請慢慢講', '您别着急,请慢慢讲'],
    ['效果很顯著,請放心', '效果很显著,请放心'],
    ['裡面', '里面'],
  ])('%s → %s', (trad, simp) => {
    expect(normalizeText(trad)).toBe(simp);
  });

  it('leaves Simplified text alone, including 么 and 著', () => {
    for (const s of [
      '什么',
      '怎么办',
      '要么',
      '墙打坏了',
      '效果显著',
      '著名的品牌',
      '台湾',
      '户口',
      '才',
      '吃饭了吗',
    ]) {
      expect(normalizeText(s)).toBe(s);
    }
  });

  it('converts a stray Traditional character in Simplified text (seed 003)', () => {
    expect(normalizeText('习惯用语:你的名字叫什麽?')).toBe('习惯用语:你的名字叫什么?');
  });

  it('keeps offsets when a conversion changes the UTF-16 length', () => {
    // 㗲 (U+35F2) becomes the astral 𠵾 (two code units).
    const n = normalize('說㗲話');
    expect(n.text).toBe('说\u{20d7e}话');
    expect(n.text.length).toBe(4);
    expect(n.originalSpan(1, 3)).toEqual({ start: 1, end: 2 });
    expect(n.originalSpan(3, 4)).toEqual({ start: 2, end: 3 });
    expect(n.toOriginal(2)).toBe(1);
  });

  it('converts CJK compatibility ideographs', () => {
    expect(normalizeText('\uf900')).toBe('岂');
  });
});

describe('width and punctuation', () => {
  it('turns full-width digits and letters into ASCII', () => {
    expect(normalizeText('中华保险９５５８５')).toBe('中华保险95585');
    expect(normalizeText('ＶＩＰ会员')).toBe('VIP会员');
  });

  it.each([
    ['您好，请问', '您好,请问'],
    ['注意；然后：好！对吗？', '注意;然后:好!对吗?'],
    ['（一）', '(一)'],
    ['“您好”', '"您好"'],
    ['「您好」『谢谢』', '"您好""谢谢"'],
    ['＂您好＂', '"您好"'],
    ['‘好’', "'好'"],
    ['【注意】〔一〕', '[注意][一]'],
    ['稍等～', '稍等~'],
    ['好——的', '好—的'],
    ['好―的', '好—的'],
    // 。 and 、 are distinct marks and stay.
    ['您好。请、谢谢', '您好。请、谢谢'],
  ])('%s → %s', (input, out) => {
    expect(normalizeText(input)).toBe(out);
  });

  it.each([
    '请问您咨询的是……问题吗',
    '请问您咨询的是…问题吗',
    '请问您咨询的是...问题吗',
    '请问您咨询的是......问题吗',
    '请问您咨询的是。。。问题吗',
    '请问您咨询的是… …问题吗',
    // Seed 000 writes an ellipsis as two „ (mojibake of ……).
    '请问您咨询的是„„问题吗',
  ])('one ellipsis: %s', (input) => {
    expect(normalizeText(input)).toBe('请问您咨询的是…问题吗');
  });

  it('keeps two dots and decimal points', () => {
    expect(normalizeText('1.5元..好')).toBe('1.5元..好');
  });
});

describe('whitespace and invisible characters', () => {
  it('drops whitespace between CJK characters', () => {
    expect(normalizeText('请 问  您\t贵姓')).toBe('请问您贵姓');
    expect(normalizeText('您好\u3000请讲')).toBe('您好请讲');
  });

  it('drops whitespace between CJK and punctuation', () => {
    expect(normalizeText('您好 , 请问 ? ')).toBe('您好,请问?');
  });

  it('collapses other runs to one space and trims', () => {
    expect(normalizeText('  call   center  agent  ')).toBe('call center agent');
    expect(normalizeText('call center \n agent')).toBe('call center\nagent');
    expect(normalizeText('工号 1024 为您服务')).toBe('工号 1024 为您服务');
    expect(normalizeText('VIP  客户')).toBe('VIP 客户');
  });

  it('drops zero-width characters, even inside words', () => {
    expect(normalizeText('\ufeff不\u200b知\u200c道\u200d\u2060')).toBe('不知道');
  });

  it('yields an empty text for blank input', () => {
    const n = normalize(' \u200b\u3000\n');
    expect(n.text).toBe('');
    expect(n.toOriginal(0)).toBe(0);
    expect(n.originalSpan(0, 0)).toEqual({ start: 0, end: 0 });
  });
});

describe('pinyin artifacts', () => {
  it('strips a toned reading after a character', () => {
    expect(normalizeText('企業(yè)與用戶')).toBe('企业与用户');
    expect(normalizeText('電話(huà)')).toBe('电话');
    expect(normalizeText('環(huán)節(jié)')).toBe('环节');
    expect(normalizeText('業（yè）')).toBe('业');
    expect(normalizeText('電話(diàn huà)號碼')).toBe('电话号码');
  });

  it('keeps real parenthesised text', () => {
    for (const s of [
      '(如果客户不接话,这时候再问)',
      '(VIP)',
      '(book118)',
      '(me)',
      '(de)',
      '(café)',
      '(word版,含答案)',
      '(电话支持时间:9:00-18:30)',
    ]) {
      expect(normalizeText(s)).toBe(s);
    }
    expect(normalizeText('咨詢(投訴)')).toBe('咨询(投诉)');
  });

  it('marks a character lost to mojibake with U+FFFD', () => {
    // Seed 004: `?tīng)` is what is left of 聽(tīng); `I(yè)` of 業(yè).
    expect(normalizeText('原因?tīng)不清')).toBe('原因\ufffd不清');
    expect(normalizeText('或?qū)I(yè)化')).toBe('或\ufffd\ufffd化');
    expect(normalizeText('好嗎?”')).toBe('好吗?"');
  });

  it('drops HTML tag remnants', () => {
    expect(normalizeText('我們?cè)?/span>**時(shí)間內(nèi)')).toBe('我们\ufffd**时间内');
    expect(normalizeText('<span style="color:red">重要</span>')).toBe('重要');
    expect(normalizeText('a<b and c>d')).toBe('a<b and c>d');
  });
});

describe('offsets', () => {
  it('maps a match back to the Traditional original', () => {
    const s = '請您留下電話(huà)號碼,好嗎?';
    const n = normalize(s);
    expect(n.text).toBe('请您留下电话号码,好吗?');
    const i = n.text.indexOf('电话号码');
    expect(back(s, i, i + 4)).toBe('電話(huà)號碼');
    expect(back(s, i, i + 2)).toBe('電話');
    expect(back(s, i + 2, i + 4)).toBe('號碼');
    expect(n.toOriginal(n.text.length)).toBe(s.length);
  });

  it('covers whitespace and punctuation that were folded', () => {
    const s = '  您好 ，  请问……有什么  可以帮您 ';
    const n = normalize(s);
    expect(n.text).toBe('您好,请问…有什么可以帮您');
    expect(back(s, 0, n.text.length)).toBe('您好 ，  请问……有什么  可以帮您');
    const e = n.text.indexOf('…');
    expect(back(s, e, e + 1)).toBe('……');
  });

  it('never splits a surrogate pair', () => {
    const s = 'a 𠮷野家';
    const n = normalize(s);
    expect(n.text).toBe('a 𠮷野家');
    expect(n.originalSpan(2, 3)).toEqual({ start: 2, end: 4 });
    expect(n.originalSpan(3, 4)).toEqual({ start: 2, end: 4 });
    expect(n.toOriginal(3)).toBe(2);
  });

  it('rejects spans outside the text', () => {
    const n = normalize('您好');
    expect(() => n.originalSpan(1, 3)).toThrow(RangeError);
    expect(() => n.originalSpan(2, 1)).toThrow(RangeError);
    expect(() => n.toOriginal(-1)).toThrow(RangeError);
  });

  it('keeps a line break between messages as a space, so no phrase spans two messages', () => {
    const n = normalize('我也不 \n 知道怎么回事');
    expect(n.text).toBe('我也不\n知道怎么回事');
    expect(normalize('您好 中华保险').text).toBe('您好中华保险');
    expect(n.originalSpan(3, 4)).toEqual({ start: 3, end: 6 });
    expect(n.originalSpan(4, 6)).toEqual({ start: 6, end: 8 });
  });
});
