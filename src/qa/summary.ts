// Batch totals per agent and per rule. Memory grows with the number of agents and rules,
// never with the number of calls, so a year of calls streams through. A call on which no rule
// applied (no words yet, an unanswered call) has nothing to score: its 100 would flatter the
// agent, so it counts in `calls` but not in the means.
import { type CallResult, isScored } from './result.ts';

export interface AgentSummary {
  agent: string;
  name?: string;
  calls: number;
  /** Over the calls on which some rule applied; null when there was none. */
  meanScore: number | null;
  fatalCalls: number;
  failures: number;
}

export interface RuleSummary {
  rule: string;
  pass: number;
  fail: number;
  na: number;
  /** fail / (pass + fail); null when the rule never applied. */
  failRate: number | null;
}

export interface BatchSummary {
  calls: number;
  /** Calls on which no rule applied: not in the means. */
  unscoredCalls: number;
  meanScore: number | null;
  fatalCalls: number;
  badInputs: number;
  agents: AgentSummary[];
  rules: RuleSummary[];
}

export class BatchTotals {
  private calls = 0;
  private scored = 0;
  private scoreSum = 0;
  private fatal = 0;
  private badInputs = 0;
  private readonly agents = new Map<
    string,
    { name?: string; calls: number; scored: number; scoreSum: number; fatal: number; failures: number }
  >();
  private readonly rules = new Map<string, { pass: number; fail: number; na: number }>();

  add(r: CallResult): void {
    this.calls++;
    const scored = isScored(r);
    if (scored) {
      this.scored++;
      this.scoreSum += r.score;
    }
    if (r.fatal) this.fatal++;
    const key = r.agent?.id ?? r.agent?.name ?? '(未知坐席)';
    let a = this.agents.get(key);
    if (!a) {
      a = { calls: 0, scored: 0, scoreSum: 0, fatal: 0, failures: 0 };
      if (r.agent?.name) a.name = r.agent.name;
      this.agents.set(key, a);
    }
    a.calls++;
    if (scored) {
      a.scored++;
      a.scoreSum += r.score;
    }
    if (r.fatal) a.fatal++;
    for (const rule of r.rules) {
      let s = this.rules.get(rule.id);
      if (!s) {
        s = { pass: 0, fail: 0, na: 0 };
        this.rules.set(rule.id, s);
      }
      if (rule.outcome === 'pass') s.pass++;
      else if (rule.outcome === 'fail') {
        s.fail++;
        a.failures++;
      } else s.na++;
    }
  }

  addBadInput(): void {
    this.badInputs++;
  }

  get badInputCount(): number {
    return this.badInputs;
  }

  summary(): BatchSummary {
    const round = (x: number) => Math.round(x * 10) / 10;
    return {
      calls: this.calls,
      unscoredCalls: this.calls - this.scored,
      meanScore: this.scored ? round(this.scoreSum / this.scored) : null,
      fatalCalls: this.fatal,
      badInputs: this.badInputs,
      agents: [...this.agents.entries()]
        .map(([agent, a]) => ({
          agent,
          ...(a.name ? { name: a.name } : {}),
          calls: a.calls,
          meanScore: a.scored ? round(a.scoreSum / a.scored) : null,
          fatalCalls: a.fatal,
          failures: a.failures,
        }))
        // Lowest mean first; agents with nothing scored last.
        .sort(
          (x, y) =>
            (x.meanScore ?? Number.POSITIVE_INFINITY) - (y.meanScore ?? Number.POSITIVE_INFINITY) ||
            x.agent.localeCompare(y.agent),
        ),
      rules: [...this.rules.entries()].map(([rule, s]) => ({
        rule,
        ...s,
        failRate: s.pass + s.fail ? Math.round((s.fail / (s.pass + s.fail)) * 1000) / 1000 : null,
      })),
    };
  }
}
