// The engine's notes in English (note-text.ts): every note the engine writes over the example
// and dev calls renders with no Chinese left but the words it quotes, every Chinese literal of
// the engine's note code is a template the renderer knows, and each template family reads as
// it should.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkFiles, devCall, devFiles, readDevCases } from '../../scripts/qa-dev.ts';
import { chineseLiterals } from '../../test/support/chinese-literals.ts';
import { expandInputs, readCallFile } from '../calls/import.ts';
import type { Call } from '../calls/model.ts';
import { Catalog } from '../playbook/catalog.ts';
import { Inspector } from './engine.ts';
import { ENGINE_NOTE_SOURCES, evidenceInEnglish, noteInEnglish } from './note-text.ts';
import { loadScorecard } from './scorecard.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const HAN = /\p{Script=Han}/u;
/** What is left to read once the quoted words (the customer's, a scorecard's phrases) are out. */
const unquoted = (en: string) => en.replace(/“[^”]*”/gu, '“…”');

const ENGINE_FILES = ['operators.ts', 'timing-operators.ts', 'compiled-scorecard.ts', 'evaluation.ts'];

describe('the engine source', () => {
  const found = ENGINE_FILES.flatMap((f) =>
    chineseLiterals(readFileSync(resolve(import.meta.dirname, f), 'utf8')).map((text) => ({ file: f, text })),
  );

  it('finds the note literals it is to check', () => {
    expect(found.map((l) => l.text)).toContain('{}起静默{}, 上限{}');
    expect(found.map((l) => l.text)).toContain('已转接{}');
    expect(found.map((l) => l.text)).toContain('至{}');
    expect(found.length).toBeGreaterThan(50);
  });

  it('writes no Chinese note literal the English renderer does not know', () => {
    const known = new Set(ENGINE_NOTE_SOURCES);
    expect(found.filter((l) => !known.has(l.text))).toEqual([]);
  });

  it('still writes every literal the renderer lists (none stale)', () => {
    const texts = new Set(found.map((l) => l.text));
    expect(ENGINE_NOTE_SOURCES.filter((s) => !texts.has(s))).toEqual([]);
  });
});

/**
 * Every distinct note of the findings the engine gives over examples/ and training/qa-dev (never
 * evaluation/): a whole-call finding's evidence is its note; a turn's is the turn's words (cut
 * at 80 characters, engine.ts) and the note in parentheses after them.
 */
async function engineNotes(): Promise<{ notes: Set<string>; evidence: Set<string> }> {
  const inspector = new Inspector(loadScorecard(), Catalog.load());
  const calls: Call[] = [];
  const { files } = await expandInputs([resolve(ROOT, 'examples')]);
  for (const file of files) for await (const r of readCallFile(file)) if (r.ok) calls.push(r.call);
  for (const area of ['complaint', 'replies', 'calls'])
    for (const k of readDevCases(area, [...devFiles(area), ...checkFiles(area)])) calls.push(devCall(k));
  const notes = new Set<string>();
  const evidence = new Set<string>();
  for (const call of calls) {
    for (const f of inspector.inspect(call).findings) {
      if (f.turn === null) {
        if (f.evidence) notes.add(f.evidence);
        continue;
      }
      let words = call.turns[f.turn]?.text.slice(f.start ?? 0, f.end ?? undefined) ?? '';
      if (words.length > 80) words = `${words.slice(0, 80)}…`;
      if (f.evidence === words) continue;
      expect(f.evidence.startsWith(`${words} (`) && f.evidence.endsWith(')'), f.evidence).toBe(true);
      notes.add(f.evidence.slice(words.length + 2, -1));
      evidence.add(f.evidence);
    }
  }
  return { notes, evidence };
}

describe('notes the engine writes over the example and dev calls', async () => {
  const found = await engineNotes();
  const notes = [...found.notes].sort();

  it('are many and varied', () => {
    expect(notes.length).toBeGreaterThan(20);
  });

  it.each(notes)('%s', (note) => {
    const en = noteInEnglish(note);
    expect(en, note).toBeDefined();
    expect(unquoted(en as string), `${note} → ${en}`).not.toMatch(HAN);
  });

  it("renders each turn finding's note and keeps its words", () => {
    for (const e of found.evidence) {
      const en = evidenceInEnglish(e);
      const at = en.indexOf(' (');
      expect(at, e).toBeGreaterThanOrEqual(0);
      expect(e.startsWith(en.slice(0, at)), e).toBe(true);
      // The note itself came out in English (an unchanged string would pass the lines above).
      expect(unquoted(en.slice(at)), `${e} → ${en}`).not.toMatch(HAN);
    }
  });
});

describe('each note template family in English', () => {
  const cases: [string, string][] = [
    // phrases and regex (the phrases quoted as the scorecard has them)
    ['未说: 您好 / 你好 / …', 'not said: “您好 / 你好 / …”'],
    ['出现1次, 应至少2次: 请问', 'said 1 time, at least 2 expected: “请问”'],
    ['未出现应有的表述', 'the expected wording was not said'],
    // situation
    ['客户话语未显示: 投诉/不满', "the customer's words show none of: complaint"],
    [
      '客户话语未显示: 投诉/不满/客户生气/辱骂/人身攻击',
      "the customer's words show none of: complaint / angry caller / abusive caller",
    ],
    ['客户话语显示"客户致谢"', "the customer's words show: caller thanks the agent"],
    // trigger (the customer's words quoted)
    [
      '第3句客户话语显示"投诉/不满", 坐席第4句未说: 抱歉',
      "turn 3: the customer's words show: complaint; the agent's turn 4: not said: “抱歉”",
    ],
    [
      '第3句客户说"太慢了", 坐席第4、6句未按标准回应',
      "turn 3: the customer said “太慢了”; the agent's turns 4, 6: did not reply as the standard asks",
    ],
    [
      '第2句客户发言, 坐席第3句起未出现应有的表述',
      "turn 2: the customer spoke; the agent's turns from 3 on: the expected wording was not said",
    ],
    [
      '第5句客户话语显示"客户致谢", 其后坐席未再发言即挂机',
      "turn 5: the customer's words show: caller thanks the agent; the agent said nothing after it, hanging up at once",
    ],
    // count, share, repetition
    ['"您"出现0次, 应至少1次', '“您” said 0 times, at least 1 expected'],
    ['坐席发言12次, 应至多10次', 'the agent spoke 12 times, at most 10 expected'],
    ['10句中6句使用(60%), 上限30%', 'used in 6 of 10 turns (60%), at most 30% expected'],
    ['10句中1句使用(10%), 应至少50%', 'used in 1 of 10 turns (10%), at least 50% expected'],
    ['复述客户原话', "repeats the customer's words"],
    // agentNumber
    ['报的工号1024不是本通话坐席的工号1025', "announced agent number 1024, but this call's agent is 1025"],
    ['未报工号(本通话坐席1025)', "agent number not announced (this call's agent: 1025)"],
    ['未报工号', 'agent number not announced'],
    ['工号由语音菜单播报', 'the agent number is announced by the voice menu'],
    ['本品牌开头语不报工号', "this brand's greeting announces no agent number"],
    // hangupCause, callEnd, lastSpeaker, direction, channel
    ['挂机原因: dropped', 'hang-up cause: dropped'],
    ['挂机原因: 未记录', 'hang-up cause: not recorded'],
    ['已转接至complaints', 'transferred to complaints'],
    ['已转接', 'transferred'],
    ['转接失败(2001),仍由本坐席服务', 'transfer to 2001 failed: the caller stayed with this agent'],
    ['转接失败,仍由本坐席服务', 'transfer failed: the caller stayed with this agent'],
    ['未转接', 'not transferred'],
    ['最后一句为坐席所说', "the last turn was the agent's"],
    ['方向为outbound', 'direction: outbound'],
    ['渠道为chat', 'channel: chat'],
    // silence and pauses
    ['12:03起静默15秒, 上限10秒', 'silent for 15 s from 12:03, at most 10 s'],
    ['0:40起仅停0.5秒, 应稍停2秒', 'paused only 0.5 s from 0:40, a pause of 2 s expected'],
    ['仅尝试1次, 应2次', 'only 1 attempt, 2 expected'],
    // holds: the telephone system's and those read from the text
    ['0:30-1:30保持60秒, 超过上限45秒', 'hold 0:30–1:30 (60 s), over the limit of 45 s'],
    ['0:30保持前未征得同意', 'no consent asked before the hold at 0:30'],
    [
      '0:30-1:30保持60秒后挂机, 坐席未返回',
      'hold 0:30–1:30 (60 s), then the caller hung up: the agent never came back',
    ],
    ['0:30-1:30保持60秒后未按标准表述', 'after hold 0:30–1:30 (60 s): not worded as the standard asks'],
    [
      '等待中挂机: 第4句请客户等待, 1:00-2:10等待70秒后挂机(按文本判断)',
      'the caller hung up on hold: the wait the agent asked for in turn 4, waiting 1:00–2:10 (70 s), then the caller hung up (read from the text)',
    ],
    [
      '第4句后, 第6句返回(按文本判断的等待)后未按标准表述',
      'after the wait from turn 4, back in turn 6 (a wait read from the text): not worded as the standard asks',
    ],
    [
      '第4句请客户等待, 1:00-1:40等待40秒(按文本判断)前未征得同意',
      'no consent asked before the wait the agent asked for in turn 4, waiting 1:00–1:40 (40 s) (read from the text)',
    ],
    ['挂机时客户未在等待', 'the caller was not on hold when the line ended'],
    // answer, interruption, speech rate, hang-up
    ['振铃12秒后接起, 上限10秒', 'answered after ringing 12 s, at most 10 s'],
    ['在对方说完前1.2秒开始说话', 'started speaking 1.2 s before the other side finished'],
    ['语速320字/分钟, 上限280', 'speech rate 320 characters a minute, at most 280'],
    ['语速120字/分钟, 下限150', 'speech rate 120 characters a minute, at least 150'],
    ['语速200字/分钟', 'speech rate 200 characters a minute'],
    ['本句350字/分钟', 'this turn: 350 characters a minute'],
    ['坐席先挂机(3:05)', 'the agent hung up first (3:05)'],
  ];

  it.each(cases)('%s', (zh, en) => {
    expect(noteInEnglish(zh)).toBe(en);
  });

  it('gives a note it does not know as stored (a custom scorecard’s own words)', () => {
    expect(noteInEnglish('请核实客户身份')).toBeUndefined();
    expect(evidenceInEnglish('请核实客户身份')).toBe('请核实客户身份');
    // A situation label the detector does not give is no engine note.
    expect(noteInEnglish('客户话语未显示: 天气')).toBeUndefined();
  });

  it('keeps the agent’s words of a finding and renders its note', () => {
    expect(evidenceInEnglish('您好(请讲) 报的是1024 (报的工号1024不是本通话坐席的工号1025)')).toBe(
      "您好(请讲) 报的是1024 (announced agent number 1024, but this call's agent is 1025)",
    );
    expect(evidenceInEnglish('好的 (您) 稍等')).toBe('好的 (您) 稍等');
    expect(evidenceInEnglish('12:03起静默15秒, 上限10秒')).toBe('silent for 15 s from 12:03, at most 10 s');
    // Words that begin like a note stay as said; the note after them is the one rendered.
    expect(evidenceInEnglish('已转接至投诉组 (未说: 您好)')).toMatch(/^已转接至投诉组 \((?!未说)/);
  });
});
