// Turns written in a test and the default scorecard's outcome of one rule on them: the round tests'
// (src/qa/round-s*.test.ts) shared way to state a call in a few lines.
import type { Call, Turn } from '../../src/calls/model.ts';
import { Catalog } from '../../src/playbook/catalog.ts';
import { Inspector } from '../../src/qa/engine.ts';
import type { Outcome } from '../../src/qa/result.ts';
import { loadScorecard } from '../../src/qa/scorecard.ts';

let inspector: Inspector | undefined;

export const a = (text: string): Turn => ({ speaker: 'agent', text });
export const c = (text: string): Turn => ({ speaker: 'customer', text });

/** The rule's outcome on an inbound `generic` call of these turns (`extra` sets the channel, direction…). */
export function outcome(turns: Turn[], rule: string, extra: Partial<Call> = {}): Outcome | undefined {
  inspector ??= new Inspector(loadScorecard(), Catalog.load());
  return inspector
    .inspect({ id: 'x', direction: 'inbound', brand: 'generic', events: [], turns, ...extra })
    .rules.find((r) => r.id === rule)?.outcome;
}

/**
 * A call served in one answer: the caller asks `question`, the agent says `reply`, then asks the
 * closing question and says goodbye — `rule`'s outcome on it.
 */
export function answered(question: string, reply: string, rule: string, extra: Partial<Call> = {}) {
  return outcome(
    [
      a('您好,客服中心,工号6620,请问有什么可以帮您?'),
      c(question),
      a(reply),
      c('好的。'),
      a('请问还有其他可以帮您的吗?'),
      c('没有了。'),
      a('感谢您的来电,再见!'),
    ],
    rule,
    extra,
  );
}

/**
 * The caller says `first`; the agent answers without an apology, serves and closes: the apology
 * rule's outcome (n/a when `first` is no complaint of ours), or another rule's.
 */
export function unapologetic(first: string, rule = 'emotion.apology-on-complaint') {
  return outcome(
    [
      a('您好,客服中心,工号4021,请问有什么可以帮您?'),
      c(first),
      a('好的,我马上为您安排,请问您的地址是?'),
      c('锦绣苑3栋1单元。'),
      a('已经为您登记了。请问还有其他可以帮您的吗?'),
      c('没有了。'),
      a('感谢您的来电,再见!'),
    ],
    rule,
  );
}
