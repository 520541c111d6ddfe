// The operators on the call's timing and events: silences, holds, answer speed, interruptions,
// speech rate and who hung up first. A call without the timings or events one needs is not
// applicable to it, never a silent pass.
import type { CallEvent } from '../calls/model.ts';
import {
  anchorTurn,
  type Evaluator,
  type Evidence,
  fail,
  NA,
  pass,
  setting,
  turnAt,
  windowAfter,
  windowBefore,
} from './evaluation.ts';
import type {
  AnswerOp,
  HangupOp,
  HoldsOp,
  InterruptionOp,
  SilenceOp,
  SpeechRateOp,
} from './scorecard-schema.ts';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1).replace(/\.0$/, '')}秒`;
const clock = (ms: number) => {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

/** 1 for the BMP code units that are spoken characters: letters and digits, Han included. */
const SPOKEN = new Uint8Array(0x10000);
for (let c = 0; c < 0x10000; c++) {
  if (c < 0xd800 || c > 0xdfff) SPOKEN[c] = /[\p{L}\p{N}]/u.test(String.fromCharCode(c)) ? 1 : 0;
}

/** Counts characters that are spoken (punctuation and spaces are not); astral Han counts once. */
function spokenLength(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      n++;
      i++;
    } else n += SPOKEN[c] ?? 0;
  }
  return n;
}

/** Holds paired with their unholds; a hold never released ends at hang-up or the last event. */
export function holdSpans(events: readonly CallEvent[]): { start: number; end: number }[] {
  const spans: { start: number; end: number }[] = [];
  let open: number | null = null;
  for (const e of events) {
    if (e.type === 'hold' && open === null) open = e.at;
    else if ((e.type === 'unhold' || e.type === 'hangup') && open !== null) {
      spans.push({ start: open, end: e.at });
      open = null;
    }
  }
  const last = events[events.length - 1];
  if (open !== null && last) spans.push({ start: open, end: last.at });
  return spans;
}

export function silence(op: SilenceOp): Evaluator {
  const max = setting(op.maxMs);
  return (ctx) => {
    if (!ctx.timed || ctx.turns.length < 2) return NA;
    const turns = ctx.call.turns;
    const found: Evidence[] = [];
    for (let i = 1; i < turns.length; i++) {
      const prev = turns[i - 1];
      const cur = turns[i];
      if (!prev || !cur || (op.after !== 'any' && prev.speaker !== op.after)) continue;
      const gap = (cur.start ?? 0) - (prev.end ?? 0);
      if (gap > max(ctx))
        found.push({
          turn: i,
          note: `${clock(prev.end ?? 0)}起静默${seconds(gap)}, 上限${seconds(max(ctx))}`,
        });
    }
    return found.length ? fail(found) : pass();
  };
}

export function holds(op: HoldsOp, before: Evaluator | undefined, after: Evaluator | undefined): Evaluator {
  const minMs = op.minMs === undefined ? () => 0 : setting(op.minMs);
  const maxMs = op.maxMs === undefined ? undefined : setting(op.maxMs);
  return (ctx) => {
    const spans = holdSpans(ctx.call.events).filter((s) => s.end - s.start >= minMs(ctx));
    if (spans.length === 0) return NA;
    if ((before || after) && !ctx.timed) return NA;
    const failures: Evidence[] = [];
    let applicable = false;
    for (const span of spans) {
      const what = `${clock(span.start)}-${clock(span.end)}保持${seconds(span.end - span.start)}`;
      if (maxMs && span.end - span.start > maxMs(ctx)) {
        applicable = true;
        failures.push({ turn: null, note: `${what}, 超过上限${seconds(maxMs(ctx))}` });
        continue;
      }
      if (before) {
        const window = windowBefore(ctx, turnAt(ctx, span.start), op.within);
        const r = before(ctx, window);
        if (r.outcome !== 'n/a') applicable = true;
        if (r.outcome === 'fail') {
          // The agent's last words before the hold are where the consent was missing.
          const last = [...window].reverse().find((t) => ctx.speakers[t] === 'agent');
          failures.push({ turn: last ?? null, note: `${what}前未征得同意` });
        }
      }
      if (after) {
        const at = turnAt(ctx, span.end);
        const r = after(ctx, windowAfter(ctx, at - 1, op.within));
        if (r.outcome !== 'n/a') applicable = true;
        if (r.outcome === 'fail') failures.push(...anchorTurn(r, `${what}后未按标准表述`));
      }
      if (!before && !after && !maxMs) applicable = true;
    }
    if (!applicable) return NA;
    return failures.length ? fail(failures) : pass();
  };
}

export function answer(op: AnswerOp): Evaluator {
  const max = setting(op.maxMs);
  return (ctx) => {
    const ring = ctx.call.events.find((e) => e.type === 'ring');
    const answer = ctx.call.events.find((e) => e.type === 'answer');
    if (!ring || !answer) return NA;
    const took = answer.at - ring.at;
    const note = `振铃${seconds(took)}后接起, 上限${seconds(max(ctx))}`;
    return took > max(ctx) ? fail([{ turn: null, note }]) : pass([{ turn: null, note }]);
  };
}

export function interruption(op: InterruptionOp): Evaluator {
  return (ctx) => {
    if (!ctx.timed || ctx.byRole[op.by].length === 0) return NA;
    const turns = ctx.call.turns;
    const found: Evidence[] = [];
    for (let i = 1; i < turns.length; i++) {
      const cur = turns[i];
      if (!cur || cur.speaker !== op.by) continue;
      // The other side's most recent turn that started before this one.
      let j = i - 1;
      while (j >= 0 && turns[j]?.speaker === op.by) j--;
      const other = turns[j];
      if (!other) continue;
      const overlap = (other.end ?? 0) - (cur.start ?? 0);
      if (overlap >= op.minOverlapMs && spokenLength(ctx.turns[i]?.text ?? '') >= op.minChars) {
        found.push({ turn: i, note: `在对方说完前${seconds(overlap)}开始说话` });
      }
    }
    return found.length ? fail(found) : pass();
  };
}

export function speechRate(op: SpeechRateOp): Evaluator {
  return (ctx) => {
    let chars = 0;
    let ms = 0;
    const perTurn: { turn: number; cpm: number }[] = [];
    for (const i of ctx.byRole[op.role]) {
      const t = ctx.call.turns[i];
      if (t?.start === undefined || t.end === undefined || t.end <= t.start) continue;
      const n = spokenLength(ctx.turns[i]?.text ?? '');
      if (n < op.minChars) continue;
      chars += n;
      ms += t.end - t.start;
      perTurn.push({ turn: i, cpm: (n * 60000) / (t.end - t.start) });
    }
    if (ms === 0) return NA;
    const cpm = (chars * 60000) / ms;
    const rate = `语速${Math.round(cpm)}字/分钟`;
    if (op.maxCpm !== undefined && cpm > op.maxCpm) {
      const fast = perTurn.filter((p) => p.cpm > (op.maxCpm ?? 0));
      return fail([
        { turn: null, note: `${rate}, 上限${op.maxCpm}` },
        ...fast.map((p) => ({ turn: p.turn, note: `本句${Math.round(p.cpm)}字/分钟` })),
      ]);
    }
    if (op.minCpm !== undefined && cpm < op.minCpm)
      return fail([{ turn: null, note: `${rate}, 下限${op.minCpm}` }]);
    return pass([{ turn: null, note: rate }]);
  };
}

export function hangup(op: HangupOp): Evaluator {
  return (ctx) => {
    const h = ctx.call.events.find((e) => e.type === 'hangup' && e.by !== undefined);
    if (!h?.by) return NA;
    const who = h.by === 'agent' ? '坐席' : '客户';
    return h.by === op.first ? pass() : fail([{ turn: null, note: `${who}先挂机(${clock(h.at)})` }]);
  };
}
