// The review core: a reproducible draw, fair assignment, the reviewed score, and the agreement
// figures a calibration session shows (checked against textbook values).
import { describe, expect, it } from 'vitest';
import {
  assignInspectors,
  calibrationAgreement,
  cohensKappa,
  defaultPlan,
  fleissKappa,
  machinePrecision,
  percentAgreement,
  reviewScore,
  sample,
  weekOf,
} from './domain.ts';

const calls = Array.from({ length: 40 }, (_, i) => ({
  id: `c-${String(i).padStart(2, '0')}`,
  agentId: i % 2 === 0 ? '1024' : '2048',
  fatal: i === 3,
  complaint: i === 4,
}));

describe('sampling', () => {
  it('takes every fatal and complaint call, then N% per agent, the same calls on every run', () => {
    const plan = { ...defaultPlan('zhonghua'), amount: 10 };
    const a = sample(plan, '2026-11-16', calls);
    expect(a.filter((p) => p.reason === 'fatal').map((p) => p.callId)).toEqual(['c-03']);
    expect(a.filter((p) => p.reason === 'complaint').map((p) => p.callId)).toEqual(['c-04']);
    const random = a.filter((p) => p.reason === 'random');
    expect(random).toHaveLength(4); // ceil(19 × 10%) per agent
    expect(sample(plan, '2026-11-16', [...calls].reverse())).toEqual(a);
    // Another seed or week draws differently.
    const other = sample({ ...plan, seed: 99 }, '2026-11-16', calls).filter((p) => p.reason === 'random');
    expect(other.map((p) => p.callId)).not.toEqual(random.map((p) => p.callId));
  });

  it('takes N calls per agent in count mode, no more than the agent made', () => {
    const picked = sample(
      { ...defaultPlan('x'), mode: 'count', amount: 30, allFatal: false, allComplaints: false },
      'w',
      calls,
    );
    expect(picked).toHaveLength(40);
    expect(
      sample({ ...defaultPlan('x'), mode: 'count', amount: 2 }, 'w', calls).filter(
        (p) => p.reason === 'random',
      ),
    ).toHaveLength(4);
  });

  it('assigns to the least-loaded inspector, or in turn', () => {
    const least = assignInspectors(['a', 'b', 'c'], ['u1', 'u2'], 'least-loaded', new Map([['u1', 2]]));
    expect([...least.values()]).toEqual(['u2', 'u2', 'u1']);
    const rr = assignInspectors(['a', 'b', 'c'], ['u1', 'u2'], 'round-robin', new Map());
    expect([...rr.values()]).toEqual(['u1', 'u2', 'u1']);
    expect(assignInspectors(['a'], [], 'round-robin', new Map()).size).toBe(0);
  });

  it('names a week by its Monday', () => {
    expect(weekOf(new Date('2026-11-20T01:00:00Z'))).toBe('2026-11-16');
    expect(weekOf(new Date('2026-11-16T00:00:00Z'))).toBe('2026-11-16');
    expect(weekOf(new Date('2026-11-22T23:59:00Z'))).toBe('2026-11-16');
  });
});

describe('a review’s score', () => {
  const terms = {
    total: 100,
    rules: [
      { id: 'a.one', title: 'A', points: 10, fatal: false },
      { id: 'b.per', title: 'B', points: 6, fatal: false, deduct: { perOccurrence: 2, cap: 6 } },
      { id: 'c.fatal', title: 'C', points: 0, fatal: true },
    ],
  };
  const findings = [
    { index: 0, rule: 'a.one', turn: 1, evidence: 'x' },
    { index: 1, rule: 'b.per', turn: 2, evidence: 'y' },
    { index: 2, rule: 'b.per', turn: 4, evidence: 'z' },
  ];
  it('deducts what the inspector confirmed and added, not what they marked wrong', () => {
    const all = reviewScore(terms, findings, new Map(), []);
    expect(all.score).toBe(86);
    const corrected = reviewScore(
      terms,
      findings,
      new Map([
        [0, 'wrong'],
        [1, 'correct'],
        [2, 'wrong'],
      ]),
      [{ rule: 'b.per', turn: 6, note: '' }],
    );
    expect(corrected.score).toBe(96);
    expect(corrected.rules.find((r) => r.rule === 'a.one')).toEqual({
      rule: 'a.one',
      machine: 'fail',
      human: 'pass',
      deducted: 0,
    });
    const fatal = reviewScore(terms, findings, new Map(), [{ rule: 'c.fatal', turn: null, note: 'hung up' }]);
    expect(fatal).toMatchObject({ score: 0, fatal: true });
  });
});

describe('agreement', () => {
  it('Cohen’s kappa: the textbook 50-item example gives 0.4', () => {
    const a = [...Array(20).fill('y'), ...Array(5).fill('y'), ...Array(10).fill('n'), ...Array(15).fill('n')];
    const b = [...Array(20).fill('y'), ...Array(5).fill('n'), ...Array(10).fill('y'), ...Array(15).fill('n')];
    expect(cohensKappa(a, b)).toBeCloseTo(0.4, 10);
    expect(cohensKappa(['p', 'p'], ['p', 'p'])).toBeNull();
  });

  it('Fleiss’ kappa: the textbook example (10 items, 14 raters, 5 categories) gives 0.210', () => {
    const table = [
      [0, 0, 0, 0, 14],
      [0, 2, 6, 4, 2],
      [0, 0, 3, 5, 6],
      [0, 3, 9, 2, 0],
      [2, 2, 8, 1, 1],
      [7, 7, 0, 0, 0],
      [3, 2, 6, 3, 0],
      [2, 5, 3, 2, 2],
      [6, 5, 2, 1, 0],
      [0, 2, 2, 3, 7],
    ];
    const items = table.map((row) => row.flatMap((n, k) => Array(n).fill(String(k))));
    expect(fleissKappa(items)).toBeCloseTo(0.21, 3);
  });

  it('per rule: percent agreement, kappa, and the machine against the inspectors', () => {
    const m = (o: Record<string, 'fail' | 'pass'>) => new Map(Object.entries(o));
    const rows = calibrationAgreement(
      ['r.x', 'r.y'],
      [
        { machine: m({ 'r.x': 'fail' }), humans: [m({ 'r.x': 'fail' }), m({ 'r.x': 'fail' })] },
        { machine: m({ 'r.x': 'fail' }), humans: [m({}), m({ 'r.x': 'fail' })] },
        { machine: m({}), humans: [m({}), m({})] },
      ],
    );
    expect(rows[0]).toMatchObject({ rule: 'r.x', calls: 3, failedBySomeone: 2, percentAgreement: 2 / 3 });
    expect(rows[0]?.kappa).toBeCloseTo(0.4, 10);
    expect(rows[0]?.machineAgreement).toBeCloseTo(5 / 6, 10);
    expect(rows[1]).toMatchObject({ percentAgreement: 1, kappa: null, machineAgreement: 1 });
    expect(percentAgreement([])).toBeNull();
  });

  it('the machine’s precision counts a calibrated call once, not once per inspector', () => {
    const findings = [
      { index: 0, rule: 'r.x', turn: 0, evidence: '' },
      { index: 1, rule: 'r.x', turn: 1, evidence: '' },
    ];
    const copy = (wrong: number[], missed: string[] = []) => ({
      callId: 'c-1',
      calibration: true,
      reviewedAt: new Date('2026-11-20T00:00:00Z'),
      findings,
      verdicts: new Map(wrong.map((i) => [i, 'wrong' as const])),
      missed: missed.map((rule) => ({ rule, turn: null, note: '' })),
    });
    // Three inspectors: two strike finding 1 out, one strikes finding 0; two add a miss of r.y.
    const three = [copy([1], ['r.y']), copy([1], ['r.y']), copy([0])];
    expect(machinePrecision(three)).toEqual([
      { rule: 'r.x', week: '2026-11-16', confirmed: 1, wrong: 1, missed: 0, precision: 0.5 },
      { rule: 'r.y', week: '2026-11-16', confirmed: 0, wrong: 0, missed: 0.67, precision: null },
    ]);
    // Two inspectors split on finding 0: half a confirmation, half a strike-out.
    expect(machinePrecision([copy([0]), copy([])])).toEqual([
      { rule: 'r.x', week: '2026-11-16', confirmed: 1.5, wrong: 0.5, missed: 0, precision: 0.75 },
    ]);
    // The call's sampled review is the one of record: the calibration copies add nothing.
    const sampled = { ...copy([]), calibration: false };
    expect(machinePrecision([...three, sampled])).toEqual([
      { rule: 'r.x', week: '2026-11-16', confirmed: 2, wrong: 0, missed: 0, precision: 1 },
    ]);
  });

  it('a gold call reused in two calibration sessions counts once in each session’s week', () => {
    const finding = [{ index: 0, rule: 'r.x', turn: 0, evidence: '' }];
    const copy = (sessionId: string, at: string, wrong: boolean) => ({
      callId: 'gold-1',
      calibration: true,
      sessionId,
      reviewedAt: new Date(at),
      findings: finding,
      verdicts: new Map(wrong ? [[0, 'wrong' as const]] : []),
      missed: [],
    });
    // November: both inspectors strike the finding out; December: both confirm it.
    const rows = machinePrecision([
      copy('nov', '2026-11-18T02:00:00Z', true),
      copy('nov', '2026-11-18T03:00:00Z', true),
      copy('dec', '2026-12-02T02:00:00Z', false),
      copy('dec', '2026-12-02T03:00:00Z', false),
    ]);
    expect(rows).toEqual([
      { rule: 'r.x', week: '2026-11-16', confirmed: 0, wrong: 1, missed: 0, precision: 0 },
      { rule: 'r.x', week: '2026-11-30', confirmed: 1, wrong: 0, missed: 0, precision: 1 },
    ]);
  });

  it('the machine’s precision comes from the exact sums, not the rounded counts', () => {
    const finding = [{ index: 0, rule: 'r.x', turn: 0, evidence: '' }];
    const copy = (wrong: boolean) => ({
      callId: 'c-3',
      calibration: true,
      sessionId: 's',
      reviewedAt: new Date('2026-11-20T00:00:00Z'),
      findings: finding,
      verdicts: new Map(wrong ? [[0, 'wrong' as const]] : []),
      missed: [],
    });
    // Three inspectors, one strikes the finding out: ⅔ confirmed, shown 0.67; precision exactly ⅔.
    const [row] = machinePrecision([copy(false), copy(false), copy(true)]);
    expect(row).toMatchObject({ confirmed: 0.67, wrong: 0.33 });
    expect(row?.precision).toBeCloseTo(2 / 3, 12);
  });

  it('the machine’s precision per rule and week from reviews', () => {
    const rows = machinePrecision([
      {
        reviewedAt: new Date('2026-11-20T00:00:00Z'),
        findings: [
          { index: 0, rule: 'r.x', turn: 0, evidence: '' },
          { index: 1, rule: 'r.x', turn: 1, evidence: '' },
        ],
        verdicts: new Map([[1, 'wrong']]),
        missed: [{ rule: 'r.y', turn: 2, note: '' }],
      },
    ]);
    expect(rows).toEqual([
      { rule: 'r.x', week: '2026-11-16', confirmed: 1, wrong: 1, missed: 0, precision: 0.5 },
      { rule: 'r.y', week: '2026-11-16', confirmed: 0, wrong: 0, missed: 1, precision: null },
    ]);
  });
});
