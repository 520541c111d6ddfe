// `huashu qa` as a user runs it on the example calls: the real bin, a real process, real exit codes.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScorecard } from '../src/qa/scorecard.ts';
import { BIN, huashu, ROOT } from './support/huashu-bin.ts';

const RULE_IDS = loadScorecard().rules.map((r) => r.id);

const tmp = () => mkdtempSync(join(tmpdir(), 'huashu-qa-'));

/** A minimal RFC 4180 reader: quoted fields may hold commas, quotes ("") and newlines. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

interface JsonResult {
  id: string;
  brand: string;
  agent: { id?: string; name?: string } | null;
  score: number;
  fatal: boolean;
  rules: { id: string; outcome: string; points: number }[];
  findings: {
    rule: string;
    turn: number | null;
    start: number | null;
    end: number | null;
    evidence: string;
    seed: string;
    suggestion: string | null;
  }[];
}

describe('huashu qa --json', () => {
  it('prints one parseable JSON line per call with the documented fields', () => {
    const r = huashu(
      'qa',
      'examples/zh-model-renewal.json',
      'examples/batch.jsonl',
      'examples/qjl-forbidden-provoking.json',
      '--json',
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(6); // 1 + 4 calls of the .jsonl + 1
    const results = lines.map((l) => JSON.parse(l) as JsonResult);
    expect(results.map((x) => x.id).sort()).toEqual(
      [
        'batch-bill-question',
        'batch-cannot-handle',
        'batch-praise',
        'batch-wrong-number',
        'qjl-forbidden-provoking',
        'zh-model-renewal',
      ].sort(),
    );
    for (const x of results) {
      expect(Object.keys(x).sort()).toEqual(['agent', 'brand', 'fatal', 'findings', 'id', 'rules', 'score']);
      expect(x.rules.map((y) => y.id)).toEqual(RULE_IDS);
      for (const rule of x.rules) {
        expect(['pass', 'fail', 'n/a']).toContain(rule.outcome);
        expect(rule.points < 0).toBe(rule.outcome === 'fail');
      }
      expect(x.score).toBe(100 + x.rules.reduce((s, y) => s + y.points, 0));
      for (const f of x.findings) {
        expect(Object.keys(f).sort()).toEqual([
          'end',
          'evidence',
          'rule',
          'seed',
          'start',
          'suggestion',
          'turn',
        ]);
        expect(RULE_IDS).toContain(f.rule);
        expect(f.seed).toMatch(/^\d{3} /);
      }
    }
    const model = results.find((x) => x.id === 'zh-model-renewal');
    expect(model).toMatchObject({ brand: 'zhonghua', score: 100, fatal: false, findings: [] });
    expect(model?.agent).toEqual({ id: '1024', name: '李娜' });
    const bad = results.find((x) => x.id === 'qjl-forbidden-provoking');
    expect(bad?.brand).toBe('quanjiale');
    expect(bad?.findings).toContainEqual(
      expect.objectContaining({
        rule: 'language.forbidden.provoking',
        turn: 4,
        evidence: '你去投訴好了',
        seed: '002 服务态度.(三).2',
      }),
    );
  });

  it('reads .txt and .vtt transcripts: the id is the file name, the brand comes from the header', () => {
    const r = huashu('qa', 'examples/gen-ni-vs-nin.txt', 'examples/zh-noisy-line.vtt', '--json');
    expect(r.code).toBe(0);
    const results = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as JsonResult);
    expect(results.map((x) => [x.id, x.brand])).toEqual([
      ['gen-ni-vs-nin', 'generic'],
      ['zh-noisy-line', 'zhonghua'],
    ]);
    expect(results[1]?.agent).toEqual({ id: '5150', name: '白露' });
  });
});

describe('huashu qa (human output)', () => {
  it('shows the score line, each finding with its evidence marked, the suggestion and the seed', () => {
    const r = huashu('qa', 'examples/qjl-forbidden-provoking.json');
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('\x1b[');
    expect(r.stdout).toMatch(
      /^qjl-forbidden-provoking {2}quanjiale {2}吳志明\(031\) {2}得分 34 {2}6 项不合格, 9 项不适用$/m,
    );
    expect(r.stdout).toContain(
      '✗ language.forbidden.provoking 服务忌语: 容易激怒客户的语言 (-10, 1次)  第5句: ',
    );
    expect(r.stdout).toContain('師傅都是按順序跑的，【你去投訴好了】。');
    // The agent's reply after the complaint is the evidence, the customer's turn in the note.
    expect(r.stdout).toMatch(
      /emotion\.apology-on-complaint .+ {2}第3句: 【師傅今天單子多，晚一點很正常，下午會過去的。】 \(第2句客户话语显示"(客户生气|投诉\/不满)", 坐席第3、5句未说: 对不起 \/ /,
    );
    expect(r.stdout).toContain('整通: 坐席先挂机');
    expect(r.stdout).toMatch(/建议: .+ {2}依据 seed 002 服务态度\.\(三\)\.2/);
    expect(r.stdout).toContain('汇总: 1 通, 平均分 34, 一票否决 0 通');
  });

  it('the printed deductions add up to the score: a rule shows its points once, its other findings 同上', () => {
    // cy-speech-fast: speech.rate (flat) has a whole-call and per-turn findings; gen-ni-vs-nin:
    // language.nin (per occurrence) has three; zh-forbidden-vague: several rules at once.
    const files = readdirSync(join(ROOT, 'examples'))
      .filter((f) => /\.(json|txt|vtt)$/.test(f))
      .map((f) => `examples/${f}`);
    const r = huashu('qa', ...files);
    expect(r.code).toBe(0);
    const calls = new Map<string, { score: number; lines: string[] }>();
    let current: string[] = [];
    for (const line of r.stdout.split('\n')) {
      const head = /^(\S+) {2}.* {2}得分 (\d+(?:\.\d+)?) {2}/.exec(line);
      if (head?.[1] && head[2]) {
        current = [];
        calls.set(head[1], { score: Number(head[2]), lines: current });
      } else if (line.startsWith('  ✗ ')) current.push(line);
    }
    expect(calls.size).toBeGreaterThanOrEqual(20);
    for (const [id, c] of calls) {
      const printed = c.lines.map((l) => {
        const m = / \((?:-(\d+(?:\.\d+)?)(?:, \d+次)?|同上)\) {2}/.exec(l);
        expect(m, `${id}: ${l}`).not.toBeNull();
        return Number(m?.[1] ?? 0);
      });
      expect(
        printed.reduce((a, b) => a + b, 0),
        id,
      ).toBe(100 - c.score);
    }
    const rate = calls.get('cy-speech-fast')?.lines.filter((l) => l.includes('✗ speech.rate ')) ?? [];
    expect(rate.length).toBeGreaterThan(1);
    expect(rate[0]).toContain('语速适中 (-2)  整通: ');
    for (const l of rate.slice(1)) expect(l).toContain('语速适中 (同上)  第');
    const nin = calls.get('gen-ni-vs-nin')?.lines ?? [];
    expect(nin).toHaveLength(3);
    expect(nin[0]).toContain('(-6, 3次)');
    expect(nin.slice(1).every((l) => l.includes('(同上)'))).toBe(true);
  });

  it('marks the evidence unambiguously when the turn itself says 【…】', () => {
    const dir = tmp();
    const file = join(dir, 'brackets.txt');
    // The agent quotes a menu item in 【】 and says a forbidden phrase inside brackets too.
    writeFileSync(
      file,
      [
        '# brand: zhonghua',
        '坐席：您好！中华保险1024号为您服务。',
        '客户：我想查一下保单。',
        '坐席：请在APP点【我的保单】，这个【我也不知道】在哪。',
        '客户：好的。',
      ].join('\n'),
    );
    const r = huashu('qa', file);
    expect(r.code).toBe(0);
    // 【】 are the text's own: the evidence is marked with 〖〗 instead.
    expect(r.stdout).toContain('第3句: 请在APP点【我的保单】，这个【〖我也不知道〗】在哪。');
    expect(r.stdout).toContain('第3句: …APP点【我的保单】，这个【我也〖不知道〗】在哪。');
    // A whole turn as evidence: the note after it, the turn's brackets untouched.
    expect(r.stdout).toContain('第3句: 〖请在APP点【我的保单】，这个【我也不知道】在哪。〗 (未说: ');
  });

  it('a model call prints its score and no finding', () => {
    const r = huashu('qa', 'examples/cy-model-consult.json');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^cy-model-consult {2}chaoyue {2}周航\(20517\) {2}得分 100 {2}0 项不合格/m);
    expect(r.stdout).not.toContain('✗');
  });
});

describe('huashu qa: a call with no score', () => {
  it('an unanswered call (every rule n/a) prints no score and is not averaged; --json keeps its number', () => {
    const dir = tmp();
    const missed = join(dir, 'missed.json');
    writeFileSync(
      missed,
      JSON.stringify({
        id: 'missed',
        direction: 'inbound',
        brand: 'zhonghua',
        agent: { id: '4402', name: '陈晨' },
        events: [
          { type: 'ring', at: 0 },
          { type: 'hangup', at: 30000, by: 'customer' },
        ],
        turns: [],
      }),
    );
    const out = join(dir, 'qa.csv');
    const r = huashu('qa', missed, 'examples/gen-wei-opening.txt', '--csv', out);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^missed {2}zhonghua {2}陈晨\(4402\) {2}得分 —（无可评规则） {2}0 项不合格/m);
    expect(r.stdout).not.toMatch(/^missed .*得分 100/m);
    expect(r.stdout).toContain('汇总: 2 通, 平均分 92, 一票否决 0 通, 1 通无适用项(不计入平均分)');
    // The CSV leaves the score empty, so a spreadsheet's average leaves the call out.
    const rows = parseCsv(readFileSync(out, 'utf8').slice(1));
    expect(rows.find((row) => row[0] === 'missed')?.[4]).toBe('');
    // The JSON contract is unchanged (score a number, as replay and the stored result give it);
    // every rule n/a is what says the call has no score.
    const json = JSON.parse(huashu('qa', missed, '--json').stdout) as JsonResult;
    expect(json.score).toBe(100);
    expect(json.rules.every((x) => x.outcome === 'n/a')).toBe(true);
  });
});

describe('huashu qa --csv', () => {
  it('writes a UTF-8 BOM, a header row and one row per call', () => {
    const out = join(tmp(), 'qa.csv');
    const r = huashu('qa', 'examples/batch.jsonl', 'examples/gen-wei-opening.txt', '--csv', out, '--json');
    expect(r.code).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    const [header, ...rows] = parseCsv(text.slice(1));
    expect(header).toEqual([
      'id',
      'brand',
      'agentId',
      'agentName',
      'score',
      'fatal',
      'failedRules',
      'findings',
      ...RULE_IDS,
    ]);
    expect(rows).toHaveLength(5);
    for (const row of rows) expect(row).toHaveLength(header?.length ?? 0);
    const wei = rows.find((row) => row[0] === 'gen-wei-opening');
    expect(wei?.slice(0, 7)).toEqual([
      'gen-wei-opening',
      'generic',
      '3307',
      '钱多多',
      '92',
      'no',
      'opening.greeting opening.no-wei language.nin',
    ]);
    const col = (rule: string) => (header ?? []).indexOf(rule);
    expect(wei?.[col('opening.no-wei')]).toBe('fail');
    expect(wei?.[col('speech.rate')]).toBe('n/a');
    expect(wei?.[col('closing.farewell')]).toBe('pass');
    // the JSON lines and the CSV rows agree
    const scores = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as JsonResult)
      .map((x) => [x.id, String(x.score)]);
    expect(rows.map((row) => [row[0], row[4]])).toEqual(scores);
  });
});

describe('huashu qa errors', () => {
  it('reports a malformed file by name and problem, inspects the others, and exits 1', () => {
    const r = huashu('qa', 'examples', '--json');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'examples/invalid/bad-speaker.json turns[2].speaker: found "主管"; expected one of: agent, customer',
    );
    expect(r.stderr).toContain('1 input could not be inspected');
    const ids = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => (JSON.parse(l) as JsonResult).id);
    expect(ids).toContain('zh-model-renewal');
    expect(ids).toContain('batch-cannot-handle');
    expect(ids).toContain('gen-wei-opening');
    expect(ids).toContain('zh-noisy-line');
    expect(ids).not.toContain('invalid-bad-speaker');
    expect(ids.length).toBeGreaterThanOrEqual(20);
  });

  it('a malformed file given with a good one: the good one is still inspected', () => {
    const r = huashu('qa', 'examples/invalid/bad-speaker.json', 'examples/zh-model-renewal.json');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error examples\/invalid\/bad-speaker\.json turns\[2\]\.speaker: /);
    expect(r.stdout).toMatch(/^zh-model-renewal {2}zhonghua .* 得分 100/m);
    expect(r.stdout).toContain('1 个输入有误');
  });

  // GET /api/calls/{id} gives each turn's `source` (a customer turn typed in the live console):
  // that call re-checked as a file, and one with a source of neither kind refused by field.
  it('a stored call with turns[].source is inspected; an unknown source is refused naming the field', () => {
    const dir = tmp();
    const turns = [
      {
        speaker: 'agent',
        text: '您好,很高兴为您服务!请问有什么可以帮您?',
        start: 500,
        end: 3000,
        source: 'asr',
      },
      { speaker: 'customer', text: '我想查一下订单。', start: 3500, end: 5000, source: 'console' },
      { speaker: 'agent', text: '好的,已经为您查到了。请问您还有其他问题吗?', start: 5500, end: 8000 },
    ];
    const good = join(dir, 'typed.json');
    writeFileSync(good, JSON.stringify({ id: 'typed', brand: 'generic', turns }));
    const ok = huashu('qa', good, '--json');
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect((JSON.parse(ok.stdout) as JsonResult).id).toBe('typed');
    const bad = join(dir, 'typo.json');
    writeFileSync(
      bad,
      JSON.stringify({ id: 'typo', turns: [turns[0], { ...turns[1], source: 'keyboard' }] }),
    );
    const r = huashu('qa', bad);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('typo.json turns[1].source: found "keyboard"; expected one of: asr, console');
  });

  it('an unknown --brand exits 1 and lists the brands', () => {
    const r = huashu('qa', 'examples/gen-ni-vs-nin.txt', '--brand', 'acme');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("no brand 'acme'; known brands: ");
    for (const b of ['chaoyue', 'generic', 'quanjiale', 'zhonghua']) expect(r.stderr).toContain(b);
    expect(r.stdout).toBe('');
  });

  it('--brand takes a brand’s name in Traditional script or an alias, like its id', () => {
    const file = join(tmp(), 'no-brand.txt');
    writeFileSync(
      file,
      '[00:01] 坐席：您好，全家乐电器服务中心，018为您服务。\n[00:04] 客户：我家空调不制冷了。\n',
    );
    for (const [brand, id] of [
      ['全家樂', 'quanjiale'],
      ['中華保險', 'zhonghua'],
      ['中华保险95585', 'zhonghua'],
    ]) {
      const r = huashu('qa', file, '--brand', brand as string);
      expect(r.stderr, brand).not.toContain('no brand');
      expect(r.stdout, brand).toMatch(new RegExp(`^no-brand {2}${id} `, 'm'));
    }
  });

  it('a broken --scorecard exits 1 naming file:line and the problem', () => {
    const file = join(tmp(), 'broken.yaml');
    writeFileSync(
      file,
      [
        'version: 1',
        'name: 坏评分表',
        'rules:',
        '  - id: opening.greeting',
        '    title: 开头语',
        '    points: 5',
        '    sources: [{ seed: "002", section: "一.(一)" }]',
        '    expect:',
        '      phrasez: { any: [您好] }',
        '',
      ].join('\n'),
    );
    const r = huashu('qa', 'examples/zh-model-renewal.json', '--scorecard', file);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${file}:9:`);
    expect(r.stderr).toContain("unknown field 'phrasez'");
    expect(r.stdout).toBe('');
  });

  it('a missing --scorecard file exits 1 and says so', () => {
    const r = huashu('qa', 'examples/zh-model-renewal.json', '--scorecard', 'scorecards/nope.yaml');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('scorecards/nope.yaml');
    expect(r.stderr).toContain('no such file');
  });

  it('an unknown option exits 2', () => {
    const r = huashu('qa', 'examples/zh-model-renewal.json', '--jsn');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '--jsn'");
    expect(r.stdout).toBe('');
  });
});

describe('huashu qa into a reader that stops early', () => {
  it('stops quietly when the pipe closes (huashu qa … | head): exit 0, no stack trace', async () => {
    // Many calls, so that output is still being written when the reader has gone.
    const files = Array.from({ length: 40 }, () => 'examples/batch.jsonl');
    const child = spawn(process.execPath, [BIN, 'qa', ...files], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    let first = '';
    child.stdout.setEncoding('utf8').once('data', (d: string) => {
      first = d;
      child.stdout.destroy(); // what head does after its first line
    });
    const code = await new Promise<number | null>((done) => child.on('close', (c) => done(c)));
    expect(first).toContain('得分');
    expect(stderr).not.toContain('EPIPE');
    expect(code).toBe(0);
  }, 60_000);
});
