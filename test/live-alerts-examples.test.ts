// One rule set, one result: every example call of examples/ (and the calls of batch.jsonl) fed
// turn by turn to live assist's rules with the default scorecard. Every alert raised during the
// call is a finding of the same rule on the same turn (same words, same correct line) at
// hang-up, and the alerts catch what a QA inspector would have flagged as the agent said it.
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandInputs, readCallFile } from '../src/calls/import.ts';
import type { Call } from '../src/calls/model.ts';
import { LiveRules } from '../src/live/alerts.ts';
import type { TurnAlert } from '../src/live/model.ts';
import { Settler } from '../src/live/settled.ts';
import { Catalog } from '../src/playbook/catalog.ts';
import { Inspector } from '../src/qa/engine.ts';
import type { Hit } from '../src/qa/evaluation.ts';
import { loadScorecard } from '../src/qa/scorecard.ts';
import { normalize } from '../src/text/normalize.ts';

const EXAMPLES = resolve(import.meta.dirname, '../examples');
const inspector = new Inspector(loadScorecard(), Catalog.load());

const { files } = await expandInputs([EXAMPLES]);
const calls: Call[] = [];
for (const file of files) for await (const r of readCallFile(file)) if (r.ok) calls.push(r.call);

/** The call as live assist sees it after turn k: its turns so far and the events until then. */
function soFar(call: Call, k: number): Call {
  const t = call.turns[k];
  const until = t?.end ?? t?.start;
  return {
    ...call,
    turns: call.turns.slice(0, k + 1),
    events: until === undefined ? call.events : call.events.filter((e) => e.at <= until),
  };
}

/** Every alert of a call fed turn by turn, with the agent turn that raised it. */
function live(rules: LiveRules, call: Call): { at: number; alert: TurnAlert }[] {
  const out: { at: number; alert: TurnAlert }[] = [];
  call.turns.forEach((t, k) => {
    if (t.speaker !== 'agent') return;
    for (const alert of rules.alertsFor(soFar(call, k), k)) out.push({ at: k, alert });
  });
  return out;
}

describe('alerts per agent turn (default scorecard, every example call)', () => {
  it('reads the examples (json, jsonl, txt)', () => {
    expect(calls.length).toBeGreaterThanOrEqual(30);
  });

  it.each(calls.map((c) => [c.id, c] as const))('%s: every alert is a finding at hang-up', (_id, call) => {
    const rules = new LiveRules(inspector);
    const raised = live(rules, call);
    const final = rules.inspect(call);
    expect(final).toEqual(inspector.inspect(call));
    for (const { at, alert } of raised) {
      expect(alert.turn).toBeLessThanOrEqual(at);
      const finding = final.findings.find(
        (f) => f.rule === alert.rule && f.turn === alert.turn && f.evidence === alert.evidence,
      );
      expect(finding, `${alert.rule} on turn ${alert.turn} ("${alert.evidence}")`).toBeDefined();
      if (finding?.suggestion) expect(alert.suggestion).toBe(finding.suggestion);
      expect(alert.suggestion.length).toBeGreaterThan(0);
    }
    // Raised once: the same finding is not alerted again on a later turn.
    const keys = raised.map(({ alert: a }) => `${a.rule}|${a.turn}|${a.evidence}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it.each(calls.map((c) => [c.id, c] as const))(
    '%s: the rules settled on each prefix give what the Inspector gives for it',
    (_id, call) => {
      for (let k = 0; k < call.turns.length; k++) {
        const prefix = soFar(call, k);
        const compiled = inspector.compiledFor(prefix);
        const turns = prefix.turns.map((t) => normalize(t.text));
        const expected = compiled.inspect(prefix, turns).results;
        const hits: Hit[][] = [];
        compiled.scan(turns, hits);
        const settled = new Settler(compiled, compiled.context(prefix, turns, hits), {
          timingsStay: true,
        }).rules();
        for (const [id, r] of expected) expect(settled.get(id)?.result, `${id} after turn ${k}`).toEqual(r);
      }
    },
  );

  it('alerts every per-turn failure on the turn it was said: forbidden words, 喂, 嗯, 对对对, 你', () => {
    const rules = new LiveRules(inspector);
    const perTurn = /^(language\.|opening\.no-wei|listen\.no-en|listen\.no-repeated-feedback)/;
    let checked = 0;
    for (const call of calls) {
      const raised = live(rules, call);
      for (const f of rules.inspect(call).findings) {
        if (!perTurn.test(f.rule) || f.turn === null) continue;
        checked++;
        const hit = raised.find(
          (r) => r.alert.rule === f.rule && r.alert.turn === f.turn && r.alert.evidence === f.evidence,
        );
        expect(hit, `${call.id}: ${f.rule} on turn ${f.turn}`).toBeDefined();
        // Alerted as the agent said it, with the playbook's line.
        expect(hit?.at).toBe(f.turn);
        if (f.suggestion) expect(hit?.alert.suggestion).toBe(f.suggestion);
      }
    }
    expect(checked).toBeGreaterThanOrEqual(8);
  });

  it('never alerts what the rest of the call can change: closing, hang-up, share, speech rate', () => {
    const rules = new LiveRules(inspector);
    const later = /^(closing\.|address\.title-overuse|speech\.rate|silence\.protocol)/;
    for (const call of calls) {
      for (const { alert } of live(rules, call)) expect(alert.rule).not.toMatch(later);
    }
  });

  it('alerts the greeting once the first agent turn is there, and the missing apology after its window', () => {
    const rules = new LiveRules(inspector);
    const all = calls.flatMap((call) => live(rules, call).map((r) => ({ ...r, call })));
    const greeting = all.filter((r) => r.alert.rule === 'opening.greeting');
    expect(greeting.length).toBeGreaterThan(0);
    for (const g of greeting) {
      const firstAgent = g.call.turns.findIndex((t) => t.speaker === 'agent');
      expect(g.at).toBe(firstAgent);
    }
    const apology = all.filter((r) => r.alert.rule === 'emotion.apology-on-complaint');
    expect(apology.length).toBeGreaterThan(0);
    for (const a of apology) expect(a.call.turns[a.alert.turn]?.speaker).toBe('customer');
  });
});
