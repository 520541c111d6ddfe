// STAND-IN until the alert checker lands (another helper writes the real one with this export):
// an agent turn's alerts are the findings that quality inspection of the call so far makes on
// that turn for the rules that forbid words (`phrases: {none}` / `regex: {none}` as the whole
// expectation), which nothing said later can undo. The hang-up inspection is the Inspector's.
import type { Call } from '../calls/model.ts';
import type { Inspector } from '../qa/engine.ts';
import type { CallResult } from '../qa/result.ts';
import type { Rule } from '../qa/scorecard-schema.ts';
import type { TurnAlert, TurnRules } from './model.ts';

export class LiveRules implements TurnRules {
  private readonly forbidding: ReadonlyMap<string, Rule>;

  constructor(private readonly inspector: Inspector) {
    const rules = inspector.scorecard.rules.filter((r) => {
      if (r.when) return false;
      const e = r.expect as Record<string, unknown>;
      const op = (e.phrases ?? e.regex) as { none?: unknown } | undefined;
      return Object.keys(e).length === 1 && op?.none !== undefined;
    });
    this.forbidding = new Map(rules.map((r) => [r.id, r]));
  }

  alertsFor(call: Call, turn: number): TurnAlert[] {
    if (call.turns[turn]?.speaker !== 'agent') return [];
    const prefix: Call = { ...call, turns: call.turns.slice(0, turn + 1) };
    return this.inspector
      .inspect(prefix)
      .findings.filter((f) => f.turn === turn && this.forbidding.has(f.rule))
      .map((f) => {
        const rule = this.forbidding.get(f.rule);
        return {
          turn,
          rule: f.rule,
          evidence: f.evidence,
          suggestion: f.suggestion ?? rule?.suggest ?? rule?.title ?? f.rule,
        };
      });
  }

  inspect(call: Call): CallResult {
    return this.inspector.inspect(call);
  }
}
