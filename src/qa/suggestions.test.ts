// The suggestion self-check: for every brand and every rule of the default scorecard, a call
// that misses the rule gives a finding whose suggestion, said by the agent in the same place,
// makes the rule pass — the correct line passes its own rule. Real playbooks, real scorecard.
import { describe, expect, it } from 'vitest';
import type { Call, CallEvent, Channel, Direction, Turn } from '../calls/model.ts';
import { Catalog } from '../playbook/catalog.ts';
import { loadPlaybookDir } from '../playbook/load.ts';
import { traditional } from '../playbook/render.ts';
import { Inspector } from './engine.ts';
import { loadScorecard } from './scorecard.ts';

const catalog = Catalog.load();
const scorecard = loadScorecard();
const inspector = new Inspector(scorecard, catalog);
const BRANDS = ['generic', 'chaoyue', 'zhonghua', 'quanjiale'];
/** The same playbooks each in the other script: every line is checked in both. */
const flipped = new Inspector(
  scorecard,
  new Catalog(
    loadPlaybookDir().map((pb) => ({
      ...pb,
      brand: {
        ...pb.brand,
        script: pb.brand.script === 'traditional' ? ('simplified' as const) : ('traditional' as const),
      },
    })),
  ),
);
const SCRIPTS = { own: inspector, flipped } as const;

/** Where a call template puts the line under test. */
const LINE = Symbol('line');
type Step = { a: string | typeof LINE } | { c: string } | { hold: number } | { pause: number };
const a = (text: string | typeof LINE = LINE): Step => ({ a: text });
const c = (text: string): Step => ({ c: text });
const hold = (ms: number): Step => ({ hold: ms });
/** A longer quiet after the turn before (a silent line's pause, 5 s at most). */
const pause = (ms: number): Step => ({ pause: ms });

/**
 * A timed call with ring, answer and the customer hanging up first; each turn 3 s, 1 s apart;
 * `answerAfter` ms of ringing; a hold step puts the line on hold that long between turns.
 */
function build(
  steps: Step[],
  line: string,
  brand: string,
  direction: Direction,
  answerAfter = 4000,
  channel?: Channel,
): Call {
  const events: CallEvent[] = [
    { type: 'ring', at: 0 },
    { type: 'answer', at: answerAfter },
  ];
  const turns: Turn[] = [];
  let t = answerAfter + 500;
  for (const s of steps) {
    if ('hold' in s) {
      events.push({ type: 'hold', at: t }, { type: 'unhold', at: t + s.hold });
      t += s.hold + 500;
      continue;
    }
    if ('pause' in s) {
      t += s.pause;
      continue;
    }
    const text = 'a' in s ? (s.a === LINE ? line : s.a) : s.c;
    turns.push({ speaker: 'a' in s ? 'agent' : 'customer', text, start: t, end: t + 3000 });
    t += 4000;
  }
  events.push({ type: 'hangup', at: t, by: 'customer' });
  return {
    id: `${brand}-check`,
    brand,
    direction,
    agent: { id: '1024', name: '李娜' },
    customer: { surname: '王', title: '女士' },
    events,
    turns,
    ...(channel ? { channel } : {}),
  };
}

/** Each rule whose remedy is something the agent says: the call, and what a miss says instead. */
const LINE_RULES: Record<
  string,
  { steps: Step[]; miss: string; answerAfter?: number; outbound?: true; outboundOnly?: true }
> = {
  'opening.greeting': {
    steps: [a(), c('我想问一下保单的事。'), a('好的。')],
    miss: '好的,请讲。',
    outbound: true,
  },
  'opening.no-wei': {
    steps: [a(), c('我想问一下保单的事。'), a('好的。')],
    miss: '喂,您好。',
    outbound: true,
  },
  'opening.wait-apology': {
    steps: [a(), c('我想问一下保单的事。'), a('好的。')],
    miss: '好的,请讲。',
    answerAfter: 20_000,
  },
  'listen.no-en': { steps: [a('您好。'), c('我的宽带又断了。'), a(), c('好的。')], miss: '嗯,您说。' },
  'listen.no-repeated-feedback': {
    steps: [a('您好。'), c('我的宽带又断了。'), a(), c('好的。')],
    miss: '对对对,是这样。',
  },
  'hold.consent': {
    steps: [a('您好。'), c('帮我查一下上个月的账单。'), a(), hold(30_000), a('查到了。'), c('好的。')],
    miss: '好的,我看一下。',
  },
  'hold.limit': {
    steps: [a('您好。'), c('帮我查一下上个月的账单。'), a('请您稍等。'), hold(70_000), a(), c('好的。')],
    miss: '好的,我看一下。',
  },
  'hold.thanks-after': {
    steps: [a('您好。'), c('帮我查一下上个月的账单。'), a('请您稍等。'), hold(30_000), a(), c('好的。')],
    miss: '查到了,是这样的。',
  },
  'language.forbidden.vague': {
    steps: [a('您好。'), c('这个能退吗?'), a(), c('好的。')],
    miss: '这个我不清楚。',
  },
  'language.forbidden.provoking': {
    steps: [a('您好。'), c('这个能退吗?'), a(), c('好的。')],
    miss: '我刚才已说过了。',
  },
  'language.forbidden.rhetorical': {
    steps: [a('您好。'), c('这个能退吗?'), a(), c('好的。')],
    miss: '你说呢?',
  },
  'language.forbidden.excuse': {
    steps: [a('您好。'), c('这个能退吗?'), a(), c('好的。')],
    miss: '我是新员工。',
  },
  'language.forbidden.hedge': {
    steps: [a('您好。'), c('这个能退吗?'), a(), c('好的。')],
    miss: '应该是可以退的。',
  },
  'language.forbidden.blame': {
    steps: [a('您好。'), c('这个能退吗?'), a(), c('好的。')],
    miss: '这是您自己没看清楚。',
  },
  'language.forbidden.lecture': {
    steps: [a('您好。'), c('这个能退吗?'), a(), c('好的。')],
    miss: '您应该先看说明书。',
  },
  'language.filler': {
    steps: [a('您好。'), c('这个能退吗?'), a(), c('好的。')],
    miss: '这个嗯可以退。',
  },
  'emotion.apology-reply': {
    steps: [a('您好。'), c('不好意思,我刚才说错了。'), a(), c('好的。')],
    miss: '那您再说一遍。',
  },
  'emotion.long-wait-apology': {
    steps: [a('您好。'), c('我排队等了二十分钟才有人接。'), a(), c('好的。')],
    miss: '您要办什么业务?',
  },
  'language.nin': { steps: [a('您好。'), c('这个能退吗?'), a(), c('好的。')], miss: '你好,能退。' },
  'emotion.apology-on-complaint': {
    steps: [a('您好。'), c('你们这是什么服务,太差了,我要投诉!'), a(), c('你们看着办吧。'), a('好的。')],
    miss: '好的,我看一下。',
  },
  'complaint.contact-and-deadline': {
    steps: [a('您好。'), c('你们这是什么服务,太差了,我要投诉!'), a(), c('你们看着办吧。'), a('好的。')],
    miss: '好的,我看一下。',
  },
  'emotion.thanks-reply': {
    steps: [a('您好。'), c('我想问一下保单的事。'), a('已经帮您查好了。'), c('太好了,谢谢。'), a()],
    miss: '好的。',
  },
  'closing.more-questions': {
    steps: [a('您好。'), c('我问个事。'), a('已经帮您办好了。'), c('好的。'), a(), c('没有了。'), a('再见!')],
    miss: '好的。',
  },
  'closing.farewell': {
    steps: [a('您好。'), c('我问个事。'), a('已经帮您办好了。'), c('好的。'), a()],
    miss: '好的。',
  },
  'outbound.not-the-customer': {
    steps: [a('您好!我是客服专员小李,请问是王女士吗?'), c('不是,我是她女儿,她出去了。'), a()],
    miss: '好的,再见。',
    outboundOnly: true,
  },
  'silence.protocol': {
    steps: [a('您好。'), pause(4000), a('您好,请讲。'), pause(4000), a('您好,请讲。'), pause(4000), a()],
    miss: '好的。',
  },
};

/** Rules whose remedy is not a line (timing, how often): the scorecard's text says what to do. */
const NOT_A_LINE = [
  'opening.answer-speed',
  'listen.no-interrupt',
  'address.title-overuse',
  'closing.customer-first',
  'speech.rate',
];

describe('the correct line of every finding passes its own rule (every brand)', () => {
  it('covers every rule of the default scorecard', () => {
    expect([...Object.keys(LINE_RULES), ...NOT_A_LINE].sort()).toEqual(
      scorecard.rules.map((r) => r.id).sort(),
    );
  });

  const cases = (['own', 'flipped'] as const).flatMap((script) =>
    BRANDS.flatMap((brand) =>
      Object.entries(LINE_RULES).flatMap(([rule, t]) =>
        (t.outboundOnly
          ? (['outbound'] as const)
          : t.outbound
            ? (['inbound', 'outbound'] as const)
            : (['inbound'] as const)
        ).map((direction) => [brand, rule, direction, script] as const),
      ),
    ),
  );

  it.each(cases)('%s %s (%s, %s script)', (brand, rule, direction, script) => {
    const inspector = SCRIPTS[script];
    const t = LINE_RULES[rule] as (typeof LINE_RULES)[string];
    // The miss: the rule fails there, with a finding and its suggestion.
    const missed = build(t.steps, t.miss, brand, direction, t.answerAfter);
    const result = inspector.inspect(missed);
    expect(result.rules.find((r) => r.id === rule)?.outcome, 'the miss fails').toBe('fail');
    const finding = result.findings.find((f) => f.rule === rule);
    const line = finding?.suggestion ?? '';
    expect(line.length, 'a suggestion').toBeGreaterThan(0);
    // Every variable is filled: no placeholder (〔服务热线〕, 〔部门〕…) read out with a hole in it.
    expect(line).not.toMatch(/〔[^〕]*〕/);
    // The agent says exactly that line in the same place: the rule passes.
    const said = build(t.steps, line, brand, direction, t.answerAfter);
    const after = inspector.inspect(said);
    expect(after.rules.find((r) => r.id === rule)?.outcome, `"${line}" passes ${rule}`).toBe('pass');
    // And the line says nothing the standards forbid.
    const at = said.turns.findIndex((x) => x.text === line);
    const faults = after.findings.filter(
      (f) => f.turn === at && (f.rule.startsWith('language.') || f.rule.startsWith('listen.')),
    );
    expect(faults.map((f) => `${f.rule}: ${f.evidence}`)).toEqual([]);
  });

  // A chat or email thread is given its channel's line (感谢您的来信), else a neutral one: never
  // thanks for calling or a line about the telephone. Every rule that applies on the channel.
  const channelCases = (['email', 'chat'] as const).flatMap((channel) =>
    BRANDS.flatMap((brand) =>
      Object.keys(LINE_RULES)
        .filter((rule) => scorecard.rules.find((r) => r.id === rule)?.channels?.includes(channel) ?? true)
        .map((rule) => [brand, rule, channel] as const),
    ),
  );
  it.each(channelCases)('%s %s on %s: a line for the channel', (brand, rule, channel) => {
    const t = LINE_RULES[rule] as (typeof LINE_RULES)[string];
    const missed = inspector.inspect(build(t.steps, t.miss, brand, 'inbound', t.answerAfter, channel));
    const line = missed.findings.find((f) => f.rule === rule)?.suggestion ?? '';
    expect(line.length, 'a suggestion').toBeGreaterThan(0);
    expect(line).not.toMatch(/来电|來電|致電|致电|拨打|撥打|再拨|再撥|挂机|掛機|电话机|電話機|听不|聽不/u);
    const after = inspector.inspect(build(t.steps, line, brand, 'inbound', t.answerAfter, channel));
    expect(after.rules.find((r) => r.id === rule)?.outcome, `"${line}" passes ${rule}`).toBe('pass');
  });

  it('the farewell thanks for the call, the letter or the chat as the channel is', () => {
    const t = LINE_RULES['closing.farewell'] as (typeof LINE_RULES)[string];
    const farewell = (brand: string, channel?: Channel) =>
      inspector
        .inspect(build(t.steps, t.miss, brand, 'inbound', t.answerAfter, channel))
        .findings.find((f) => f.rule === 'closing.farewell')?.suggestion;
    expect(farewell('zhonghua')).toBe('感谢来电,再见!');
    expect(farewell('zhonghua', 'phone')).toBe('感谢来电,再见!');
    expect(farewell('zhonghua', 'email')).toBe('感谢您的来信,如果后续还有任何问题,请随时联系我们。');
    expect(farewell('zhonghua', 'chat')).toBe('感谢您的咨询,祝您生活愉快!');
    expect(farewell('quanjiale', 'email')).toBe('感謝您的來信,如果後續還有任何問題,請隨時聯繫我們。');
  });

  it.each(BRANDS.flatMap((b) => NOT_A_LINE.map((r) => [b, r] as const)))(
    '%s %s: not a line, says what to do',
    (brand, rule) => {
      const r = scorecard.rules.find((x) => x.id === rule);
      const call = build([a('您好。'), c('你好。'), a('好的。')], '', brand, 'inbound');
      const text = inspector
        .compiledFor(call)
        .suggestions.suggestion(r as (typeof scorecard.rules)[number], call, undefined);
      const own = r?.suggest ?? '';
      expect(own.length).toBeGreaterThan(0);
      expect(text).toBe(catalog.find(brand)?.brand.script === 'traditional' ? traditional(own) : own);
    },
  );

  it('a brand’s own line comes first; generic only where the brand has none that passes', () => {
    const complaint = LINE_RULES['complaint.contact-and-deadline'] as (typeof LINE_RULES)[string];
    const line = (brand: string, rule: string) =>
      inspector
        .inspect(build(complaint.steps, complaint.miss, brand, 'inbound'))
        .findings.find((f) => f.rule === rule)?.suggestion;
    // 中华保险's own line (seed 002 二.(三)).
    expect(line('zhonghua', 'emotion.apology-on-complaint')).toBe(
      '对不起,我为我们的工作给您带来的麻烦深表歉意。',
    );
    // Its 无法当场答复 line (二.(八)) promises 尽快, no time limit (seed 000 B.七.5 names the hours):
    // generic's line, which does.
    expect(line('zhonghua', 'complaint.contact-and-deadline')).toBe(
      '很抱歉,谢谢您反映的问题,请您留下联系方式,我们会在2小时/24小时之内与您联系,告诉您明确的答复。',
    );
    // 全家乐's own complaint line names no reply time: generic's, in Traditional, with its hours.
    expect(line('quanjiale', 'complaint.contact-and-deadline')).toContain('24小時之內');
    expect(line('quanjiale', 'emotion.apology-on-complaint')).toBe(
      '真對不起,給您添不少麻煩,現在請您詳細講述一下具體情況好嗎?',
    );
  });

  it('an outbound call is given the outbound opening, not the inbound greeting', () => {
    const t = LINE_RULES['opening.greeting'] as (typeof LINE_RULES)[string];
    const find = (direction: Direction) =>
      inspector
        .inspect(build(t.steps, t.miss, 'chaoyue', direction))
        .findings.find((f) => f.rule === 'opening.greeting')?.suggestion;
    expect(find('inbound')).toBe('您好,超越平台,很高兴为您服务!');
    expect(find('outbound')).toBe('您好!我是超越平台前台人员,请问王女士在吗?');
  });

  it('never null: a rule with neither scenario nor advice gives its title', () => {
    const r = { ...(scorecard.rules[0] as (typeof scorecard.rules)[number]), id: 't.no-line' };
    delete r.suggest;
    delete r.scenario;
    const call = build([a('您好。')], '', 'generic', 'inbound');
    expect(inspector.compiledFor(call).suggestions.suggestion(r, call, undefined)).toBe(r.title);
  });
});
