// Whose turns a rule's evidence can be on (src/qa/evidence-speakers.ts), which the review refuses
// a missed finding against: never narrower than what the engine does. Every finding of the
// example calls and the development sets lands on a turn of a speaker it names; a rule about
// the whole call has no turn at all.
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { devCall, readDevCases } from '../scripts/qa-dev.ts';
import { expandInputs, readCallFile } from '../src/calls/import.ts';
import type { Call } from '../src/calls/model.ts';
import { Catalog } from '../src/playbook/catalog.ts';
import { Inspector } from '../src/qa/engine.ts';
import { evidenceSpeakers } from '../src/qa/evidence-speakers.ts';
import { loadScorecard, parseScorecard } from '../src/qa/scorecard.ts';

const scorecard = loadScorecard();
const speakersOf = new Map(scorecard.rules.map((r) => [r.id, evidenceSpeakers(r)]));

async function calls(): Promise<Call[]> {
  const out: Call[] = [];
  const { files } = await expandInputs([resolve(import.meta.dirname, '../examples')]);
  for (const file of files) for await (const r of readCallFile(file)) if (r.ok) out.push(r.call);
  for (const area of ['complaint', 'replies']) out.push(...readDevCases(area).map(devCall));
  return out;
}

describe('evidenceSpeakers', () => {
  it('names the speaker of every finding the engine gives', async () => {
    const inspector = new Inspector(scorecard, Catalog.load());
    const all = await calls();
    expect(all.length).toBeGreaterThan(100);
    const wrong: string[] = [];
    let findings = 0;
    for (const call of all)
      for (const f of inspector.inspect(call).findings) {
        findings++;
        if (f.turn === null) continue;
        const speaker = call.turns[f.turn]?.speaker;
        if (!speaker || !speakersOf.get(f.rule)?.includes(speaker))
          wrong.push(`${call.id} ${f.rule} turn ${f.turn} (${speaker})`);
      }
    expect(findings).toBeGreaterThan(100);
    expect(wrong).toEqual([]);
  });

  it('puts what the agent says on the agent, the whole call on no turn', () => {
    expect(speakersOf.get('language.nin')).toEqual(['agent']);
    expect(speakersOf.get('closing.farewell')).toEqual(['agent']);
    // A trigger fails on the agent's reply, not on the customer's words that set it off.
    expect(speakersOf.get('emotion.apology-on-complaint')).toEqual(['agent']);
    expect(speakersOf.get('opening.answer-speed')).toEqual([]);
    expect(speakersOf.get('closing.customer-first')).toEqual([]);
  });

  it('follows the roles a scorecard gives its checks', () => {
    const sc = parseScorecard(
      [
        'version: 1',
        'name: t',
        'total: 10',
        'rules:',
        '  - id: t.customer-interrupts',
        '    title: t',
        '    points: 1',
        '    sources: [{ seed: "000", section: "A.一" }]',
        '    expect: { interruption: { by: customer } }',
        '  - id: t.last',
        '    title: t',
        '    points: 1',
        '    sources: [{ seed: "000", section: "A.一" }]',
        '    expect: { not: { phrases: { any: [再见], role: any } } }',
      ].join('\n'),
      't.yaml',
    );
    expect(sc.rules.map(evidenceSpeakers)).toEqual([['customer'], ['agent', 'customer']]);
  });
});
