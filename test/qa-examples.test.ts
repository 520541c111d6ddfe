// Golden tests: every example call of examples/ inspected with the default scorecard and the
// shipped playbooks, against what examples/expected.yaml says a QA inspector expects.
import { readFileSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { type CallInputError, expandInputs, readCallFile } from '../src/calls/import.ts';
import type { Call } from '../src/calls/model.ts';
import { Catalog } from '../src/playbook/catalog.ts';
import { Inspector } from '../src/qa/engine.ts';
import type { CallResult, Finding, Outcome } from '../src/qa/result.ts';
import { loadScorecard } from '../src/qa/scorecard.ts';

const EXAMPLES = resolve(import.meta.dirname, '../examples');

const outcome = z.enum(['pass', 'fail', 'n/a']);
const ruleList = z.array(z.string()).default([]);
const expectedSchema = z.strictObject({
  calls: z.record(
    z.string(),
    z.strictObject({
      file: z.string(),
      score: z.number().optional(),
      fail: ruleList,
      pass: ruleList,
      na: ruleList,
      knownIssues: z
        .array(
          z.strictObject({ rule: z.string(), expected: outcome, actual: outcome, why: z.string().min(1) }),
        )
        .default([]),
    }),
  ),
});
type Expectation = z.output<typeof expectedSchema>['calls'][string];

const expected = expectedSchema.parse(parse(readFileSync(resolve(EXAMPLES, 'expected.yaml'), 'utf8'))).calls;

const scorecard = loadScorecard();
const ruleIds = scorecard.rules.map((r) => r.id);
const inspector = new Inspector(scorecard, Catalog.load());

/** Path relative to examples/, with forward slashes. */
const rel = (file: string) => relative(EXAMPLES, file).split(sep).join('/');

interface Example {
  file: string;
  call: Call;
}

async function loadExamples() {
  const { files, errors } = await expandInputs([EXAMPLES]);
  const calls: Example[] = [];
  const rejected: { file: string; errors: CallInputError[] }[] = [];
  for (const file of files) {
    for await (const r of readCallFile(file)) {
      if (r.ok) calls.push({ file: rel(file), call: r.call });
      else rejected.push({ file: rel(file), errors: [r.error, ...(r.more ?? [])] });
    }
  }
  return { files: files.map(rel), errors, calls, rejected };
}

const examples = await loadExamples();
const byId = new Map(examples.calls.map((e) => [e.call.id, e]));
const results = new Map<string, CallResult>(
  examples.calls.map((e) => [e.call.id, inspector.inspect(e.call)]),
);

function result(id: string): CallResult {
  const r = results.get(id);
  if (!r) throw new Error(`no example call '${id}'`);
  return r;
}

function outcomes(r: CallResult): Map<string, Outcome> {
  return new Map(r.rules.map((x) => [x.id, x.outcome]));
}

function turnText(id: string, turn: number): string {
  return byId.get(id)?.call.turns[turn]?.text ?? '';
}

function findings(id: string, rule: string): Finding[] {
  return result(id).findings.filter((f) => f.rule === rule);
}

/** The rules a call's expectation names, each once. */
function listed(x: Expectation): string[] {
  return [...x.fail, ...x.pass, ...x.na, ...x.knownIssues.map((k) => k.rule)];
}

describe('examples/expected.yaml', () => {
  it('names only rules of the default scorecard, each at most once per call', () => {
    for (const [id, x] of Object.entries(expected)) {
      const names = listed(x);
      expect(
        names.filter((n) => !ruleIds.includes(n)),
        `${id}: unknown rule ids`,
      ).toEqual([]);
      expect(
        names.filter((n, i) => names.indexOf(n) !== i),
        `${id}: a rule listed twice`,
      ).toEqual([]);
      for (const k of x.knownIssues) expect(k.actual, `${id} ${k.rule}`).not.toBe(k.expected);
    }
  });

  it('has an entry for every example call and a call for every entry, in the file it names', () => {
    expect([...byId.keys()].sort()).toEqual(Object.keys(expected).sort());
    expect(examples.calls.length, 'call ids are unique').toBe(byId.size);
    for (const [id, x] of Object.entries(expected)) expect(byId.get(id)?.file, id).toBe(x.file);
  });

  it('shows every rule failing in some example and passing in another', () => {
    const failing = new Set(Object.values(expected).flatMap((x) => x.fail));
    const passing = new Set(Object.values(expected).flatMap((x) => x.pass));
    expect(ruleIds.filter((r) => !failing.has(r))).toEqual([]);
    expect(ruleIds.filter((r) => !passing.has(r))).toEqual([]);
    expect(ruleIds.length).toBe(31);
  });

  it('has a model call scoring 100 for zhonghua, chaoyue and quanjiale with every rule accounted for', () => {
    for (const brand of ['zhonghua', 'chaoyue', 'quanjiale']) {
      const models = Object.entries(expected).filter(
        ([id, x]) =>
          byId.get(id)?.call.brand === brand &&
          x.score === 100 &&
          x.knownIssues.length === 0 &&
          [...x.pass, ...x.na].sort().join() === [...ruleIds].sort().join(),
      );
      expect(models.length, brand).toBeGreaterThan(0);
      for (const [id] of models) expect(result(id).score, id).toBe(100);
    }
  });
});

describe('the example files', () => {
  it('cover every input format: .json, .jsonl with several calls, two .txt, a .vtt', () => {
    const ext = (e: string) => examples.files.filter((f) => !f.startsWith('invalid/') && f.endsWith(e));
    expect(ext('.json').length).toBeGreaterThanOrEqual(15);
    expect(ext('.txt').length).toBeGreaterThanOrEqual(2);
    expect(ext('.vtt').length).toBeGreaterThanOrEqual(1);
    const jsonl = ext('.jsonl');
    expect(jsonl.length).toBeGreaterThanOrEqual(1);
    for (const f of jsonl) expect(examples.calls.filter((c) => c.file === f).length).toBeGreaterThan(1);
    expect(examples.calls.length).toBeGreaterThanOrEqual(20);
  });

  it('all import except the malformed one under invalid/, which is rejected with its problem', () => {
    expect(examples.errors).toEqual([]);
    expect(examples.calls.filter((c) => c.file.startsWith('invalid/'))).toEqual([]);
    expect(examples.rejected.map((r) => r.file)).toEqual(['invalid/bad-speaker.json']);
    const [problem] = examples.rejected[0]?.errors ?? [];
    expect(problem?.path).toBe('turns[2].speaker');
    expect(problem?.message).toContain('"主管"');
    expect(problem?.message).toContain('agent, customer');
  });

  it('are dialogues of 6 to 40 turns, with timings on every turn of every .json call', () => {
    for (const { file, call } of examples.calls) {
      expect(call.turns.length, call.id).toBeGreaterThanOrEqual(6);
      expect(call.turns.length, call.id).toBeLessThanOrEqual(40);
      if (file.endsWith('.json'))
        expect(
          call.turns.every((t) => t.start !== undefined && t.end !== undefined),
          call.id,
        ).toBe(true);
    }
  });
});

describe.each(Object.keys(expected))('%s', (id) => {
  const x = expected[id] as Expectation;

  it('fails exactly the expected rules; the listed ones pass or are not applicable', () => {
    const got = outcomes(result(id));
    const want = new Map<string, Outcome>([
      ...x.fail.map((r) => [r, 'fail'] as const),
      ...x.pass.map((r) => [r, 'pass'] as const),
      ...x.na.map((r) => [r, 'n/a'] as const),
    ]);
    const pinned = new Set(x.knownIssues.map((k) => k.rule));
    expect(
      Object.fromEntries([...want.keys()].map((r) => [r, got.get(r)])),
      'outcomes of the rules expected.yaml lists',
    ).toEqual(Object.fromEntries(want));
    const unexpectedFailures = [...got].filter(([r, o]) => o === 'fail' && !want.has(r) && !pinned.has(r));
    expect(Object.fromEntries(unexpectedFailures), 'rules that fail but are not in the fail list').toEqual(
      {},
    );
    if (x.score !== undefined) expect(result(id).score, 'score').toBe(x.score);
  });

  if (x.knownIssues.length > 0) {
    it('still shows its known issues (if one is fixed, update examples/expected.yaml)', () => {
      const got = outcomes(result(id));
      for (const k of x.knownIssues) {
        expect(
          got.get(k.rule),
          `${k.rule}: engine gives '${got.get(k.rule)}', the inspector expects '${k.expected}' (${k.why}). ` +
            'If the engine now agrees with the inspector, move the rule out of knownIssues.',
        ).toBe(k.actual);
      }
    });
  }
});

describe('findings point at the words in the original turn text', () => {
  it('every finding with a turn slices its turn to the evidence; whole-call findings have no turn', () => {
    for (const [id, r] of results) {
      for (const f of r.findings) {
        if (f.turn === null) {
          expect([f.start, f.end], `${id} ${f.rule}`).toEqual([null, null]);
          expect(f.evidence.length, `${id} ${f.rule}`).toBeGreaterThan(0);
          continue;
        }
        const slice = turnText(id, f.turn).slice(f.start ?? 0, f.end ?? 0);
        expect(slice.length, `${id} ${f.rule}`).toBeGreaterThan(0);
        expect(f.evidence.startsWith(slice.slice(0, 80)), `${id} ${f.rule}: ${f.evidence}`).toBe(true);
      }
    }
  });

  it('a Traditional forbidden phrase is matched and shown in Traditional', () => {
    const [f] = findings('qjl-forbidden-provoking', 'language.forbidden.provoking');
    expect(f?.turn).toBe(4);
    expect(f?.evidence).toBe('你去投訴好了');
    expect(turnText('qjl-forbidden-provoking', 4).slice(f?.start ?? 0, f?.end ?? 0)).toBe('你去投訴好了');
    const nin = findings('qjl-forbidden-provoking', 'language.nin');
    expect(nin.map((n) => [n.turn, n.evidence])).toEqual([[4, '你']]);
    // The agent's reply after each complaint is what failed: that turn, whole, as said; the
    // note names the customer's turn and what the agent's turns did not say.
    const angry = findings('qjl-forbidden-provoking', 'emotion.apology-on-complaint');
    expect(angry.map((n) => n.turn)).toEqual([2, 4, 6]);
    for (const n of angry) {
      const text = turnText('qjl-forbidden-provoking', n.turn ?? 0);
      expect([n.start, n.end]).toEqual([0, text.length]);
      expect(n.evidence.startsWith(`${text} (`)).toBe(true);
    }
    expect(angry[2]?.evidence).toBe(
      '還有其他事嗎？沒有我先掛了。 (第6句客户话语显示"投诉/不满", 坐席第7句未说: 对不起 / 抱歉 / 不好意思 / …)',
    );
  });

  it('each vague phrase is its own finding, in turn order', () => {
    const vague = findings('zh-forbidden-vague', 'language.forbidden.vague');
    expect(vague.map((f) => [f.turn, f.evidence])).toEqual([
      [2, '不清楚'],
      [4, '不知道'],
      [4, '大概'],
    ]);
    for (const f of vague) expect(f.suggestion).toContain('联系方式');
  });

  it('嗯/恩 feedback in a .txt transcript is marked word by word', () => {
    const en = findings('gen-feedback-en', 'listen.no-en');
    expect(en.map((f) => [f.turn, f.evidence, f.start])).toEqual([
      [2, '嗯', 0],
      [4, '嗯', 0],
      [4, '嗯', 2],
      [6, '恩', 0],
    ]);
  });

  it('a title in most of the agent turns is marked in each', () => {
    const t = findings('cy-title-overuse', 'address.title-overuse');
    expect(t.map((f) => f.evidence)).toEqual(['女士', '女士', '女士', '女士', '女士']);
  });
});

describe('what the examples show', () => {
  it('harmless words containing forbidden phrases do not fire', () => {
    const text = byId
      .get('zh-harmless-words')
      ?.call.turns.filter((t) => t.speaker === 'agent')
      .map((t) => t.text)
      .join('');
    for (const w of ['可能性', '不可能', '不知道您', '不清楚']) expect(text).toContain(w);
    expect(result('zh-harmless-words').findings).toEqual([]);
    const noisy = byId.get('zh-noisy-line')?.call.turns.map((t) => t.text) ?? [];
    expect(noisy.some((t) => t.includes('听不清楚'))).toBe(true);
    expect(result('zh-noisy-line').findings).toEqual([]);
  });

  it('an agent turn starting ≥0.8 s before the customer ends is an interruption; a short 是的 is not', () => {
    const call = byId.get('zh-interruption')?.call;
    const f = findings('zh-interruption', 'listen.no-interrupt');
    expect(f.map((x) => x.turn)).toEqual([3]);
    expect(f[0]?.evidence).toMatch(/在对方说完前\d+(\.\d)?秒开始说话/);
    const shortTurn = call?.turns[2];
    const customer = call?.turns[1];
    expect(shortTurn?.text).toBe('是的。');
    expect((customer?.end ?? 0) - (shortTurn?.start ?? 0)).toBeGreaterThanOrEqual(800);
  });

  it('a hold says how long it lasted and what was missing', () => {
    expect(findings('qjl-hold-long-no-callback', 'hold.limit')[0]?.evidence).toContain('保持95秒');
    expect(findings('zh-hold-no-consent', 'hold.consent')[0]?.evidence).toContain('前未征得同意');
    expect(findings('gen-hold-no-thanks', 'hold.thanks-after')[0]?.evidence).toContain('后未按标准表述');
  });

  it('whole-call findings describe what was measured', () => {
    expect(findings('cy-late-answer-no-apology', 'opening.answer-speed')[0]?.evidence).toBe(
      '振铃26秒后接起, 上限15秒',
    );
    expect(findings('zh-agent-hangs-up', 'closing.customer-first')[0]?.evidence).toContain('坐席先挂机');
    expect(findings('cy-speech-fast', 'speech.rate')[0]?.evidence).toMatch(/^语速\d+字\/分钟, 上限300$/);
    expect(findings('zh-silent-line-bad', 'silence.protocol')[0]?.evidence).toContain('(未说: 听不到 / ');
  });

  it('a late answer: the apology in the greeting keeps the wait-apology rule passing', () => {
    const ok = outcomes(result('zh-late-answer-apology'));
    const bad = outcomes(result('cy-late-answer-no-apology'));
    expect([ok.get('opening.answer-speed'), ok.get('opening.wait-apology')]).toEqual(['fail', 'pass']);
    expect([bad.get('opening.answer-speed'), bad.get('opening.wait-apology')]).toEqual(['fail', 'fail']);
  });

  it('a 喂 opening loses the greeting, the no-喂 and the 您 points', () => {
    const r = result('gen-wei-opening');
    const lost = r.rules.filter((x) => x.outcome === 'fail').reduce((s, x) => s - x.points, 0);
    expect(r.score).toBe(100 - lost);
    expect(findings('gen-wei-opening', 'opening.no-wei')[0]?.evidence).toBe('喂');
  });
});
