// The grievance classifier (src/qa/grievance-classifier.ts): the shipped model is what
// `npm run train:grievance` makes of the development calls and the written caller lines; a broken
// model file is refused at load with what is wrong; a scorecard reads it with the situation
// condition's `grievance: [channels]` — a complaint in words the detector does not hear counts on
// those channels only, on the first turn an inbound caller says something in, its evidence the
// whole turn — and a bad channel list is refused at load.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { trainGrievanceModel } from '../scripts/train-grievance.ts';
import type { Call, Turn } from '../src/calls/model.ts';
import { Catalog } from '../src/playbook/catalog.ts';
import { Inspector } from '../src/qa/engine.ts';
import {
  GrievanceModelError,
  grievanceClassifier,
  loadGrievanceClassifier,
  type StoredGrievanceModel,
} from '../src/qa/grievance-classifier.ts';
import { noteInEnglish } from '../src/qa/note-text.ts';
import { parseScorecard, ScorecardError } from '../src/qa/scorecard.ts';
import { createSituationDetector } from '../src/situations/detect.ts';

const shippedText = readFileSync(new URL('../src/qa/grievance-model.json', import.meta.url), 'utf8');
const shipped = JSON.parse(shippedText) as StoredGrievanceModel;

// Complaints without 投诉 in words of none of the training lines.
const PASSED_AROUND = '你们客服让我去营业厅,营业厅又让我打电话,来回折腾三天了';
// A grievance the detector does not hear (我那个快递到底还送不送了,买了一个礼拜了 was one until session 32's
// detector learnt complaints from whole development calls, 我的快递怎么还没到,都一个礼拜了 until session 35's).
const STILL_WAITING = '我的包裹都十天了还在路上';

describe('the shipped model', () => {
  it('is what npm run train:grievance makes of the development calls and the written lines, byte for byte', () => {
    expect(`${JSON.stringify(trainGrievanceModel())}\n`).toBe(shippedText);
  }, 60_000);

  it('reads a complaint said without 投诉, and leaves a calm request, a question and a short answer', () => {
    const g = grievanceClassifier();
    expect(g.reads(PASSED_AROUND)).toBe(true);
    expect(g.reads(STILL_WAITING)).toBe(true);
    expect(g.reads('我家水管漏水了,想报个修')).toBe(false);
    expect(g.reads('我想问一下会员怎么续费')).toBe(false);
    expect(g.reads('对')).toBe(false);
    // Traditional script reads as Simplified.
    expect(g.reads('你們客服讓我去營業廳,營業廳又讓我打電話,來回折騰三天了')).toBe(true);
  });
});

describe('a broken model file is refused at load, saying what is wrong', () => {
  const broken = (change: (m: StoredGrievanceModel) => void) => {
    const m = structuredClone(shipped);
    change(m);
    return () => loadGrievanceClassifier(m);
  };

  it('names the field and how to fix it', () => {
    expect(broken((m) => Object.assign(m, { format: 'huashu-grievance/0' }))).toThrow(
      /grievance model: format huashu-grievance\/0, expected huashu-grievance\/1/,
    );
    expect(broken((m) => Object.assign(m, { buckets: 1024 }))).toThrow(/retrain \(npm run train:grievance\)/);
    expect(broken((m) => Object.assign(m, { threshold: 1.5 }))).toThrow(
      /threshold 1.5 is not between 0 and 1/,
    );
    expect(broken((m) => m.weight.pop())).toThrow(GrievanceModelError);
    expect(broken((m) => m.index.reverse())).toThrow(/out of order or range/);
    expect(broken((m) => Object.assign(m.weight, { 0: 40000 }))).toThrow(/not a 16-bit integer/);
  });
});

describe('in a scorecard: situation with grievance', () => {
  const catalog = Catalog.load();
  const rule = (situation: string) =>
    new Inspector(
      parseScorecard(
        `version: 1\nname: t\nrules:\n  - id: t.r\n    title: T\n    points: 1\n    sources: [{ seed: "000", section: "x" }]\n    expect: { situation: ${situation} }\n`,
        't.yaml',
      ),
      catalog,
    );
  const a = (text: string): Turn => ({ speaker: 'agent', text });
  const c = (text: string): Turn => ({ speaker: 'customer', text });
  const call = (channel: Call['channel'], said: string): Call => ({
    id: 'x',
    direction: 'inbound',
    brand: 'generic',
    channel,
    events: [],
    turns: [a('您好,很高兴为您服务'), c(said), a('请您提供一下订单号')],
  });

  it('counts a complaint the detector does not hear on the channels named, the whole turn as evidence', () => {
    // The detector alone does not hear it: without the classifier the rule fails.
    expect(createSituationDetector().detect(STILL_WAITING)).not.toContain('complaint');
    expect(rule('{ any: [complaint] }').inspect(call('phone', STILL_WAITING)).rules[0]?.outcome).toBe('fail');
    const withIt = rule('{ any: [complaint], grievance: [phone] }');
    const r = withIt.inspect(call('phone', STILL_WAITING));
    expect(r.rules[0]?.outcome).toBe('pass');
    // A chat thread is the detector's own ground: the classifier is not asked there.
    expect(withIt.inspect(call('chat', STILL_WAITING)).rules[0]?.outcome).toBe('fail');
    // A call without a channel is a phone call.
    expect(withIt.inspect(call(undefined, STILL_WAITING)).rules[0]?.outcome).toBe('pass');
    // A calm request stays without a complaint.
    expect(withIt.inspect(call('phone', '我想问一下会员怎么续费')).rules[0]?.outcome).toBe('fail');
    // Only how a caller opens an inbound call is read: not a called customer's answer…
    expect(withIt.inspect({ ...call('phone', STILL_WAITING), direction: 'outbound' }).rules[0]?.outcome).toBe(
      'fail',
    );
    // …nor a later turn, after the caller's first turn that says something.
    const later: Call = {
      ...call('phone', '我想问一下我的快递'),
      turns: [a('您好,很高兴为您服务'), c('我想问一下我的快递'), a('请您提供一下订单号'), c(STILL_WAITING)],
    };
    expect(withIt.inspect(later).rules[0]?.outcome).toBe('fail');
  });

  it('says in its note that the whole turn was judged, in Chinese and English', () => {
    const r = new Inspector(
      parseScorecard(
        'version: 1\nname: t\nrules:\n  - id: t.r\n    title: T\n    points: 1\n    sources: [{ seed: "000", section: "x" }]\n    expect: { trigger: { when: { situation: { any: [complaint], grievance: [phone] } }, then: { phrases: { any: [抱歉] } }, within: 1 } }\n',
        't.yaml',
      ),
      catalog,
    ).inspect(call('phone', STILL_WAITING));
    expect(r.rules[0]?.outcome).toBe('fail');
    const note = r.findings.map((f) => f.evidence).join(' | ');
    expect(note).toContain('客户话语显示"投诉/不满"(整句判定)');
    expect(noteInEnglish('客户话语显示"投诉/不满"(整句判定)')).toBe(
      "the customer's words show: complaint (judged on the whole line)",
    );
  });

  it('refuses a bad channel list at load, naming the field and the choices', () => {
    expect(() => rule('{ any: [complaint], grievance: [] }')).toThrow(ScorecardError);
    expect(() => rule('{ any: [complaint], grievance: [] }')).toThrow(
      /situation\.grievance: name at least one channel \(phone, chat, email\), or leave grievance out/,
    );
    expect(() => rule('{ any: [complaint], grievance: [fax] }')).toThrow(
      /grievance\[0\].*phone, chat, email/,
    );
    expect(() => rule('{ any: [complaint], grievance: yes }')).toThrow(/situation\.grievance/);
  });
});
