// A STAND-IN call flow for the service tests: it speaks the CallFlow contract with a few
// predictable events and timers (a \`situation\` and a \`guidance\` per customer turn, an \`alert\`
// per agent turn saying 不知道, ring and hold timers), so the service's numbering, timer heap
// and routing are tested apart from the seeds' procedures (src/live/flow.ts has its own tests).

import {
  type CallFlow,
  type CallFlowFactory,
  FlowError,
  type FlowInput,
  type LiveEvent,
} from '../../src/live/model.ts';
import { createSituationDetector } from '../../src/situations/detect.ts';

/** The stand-in's timer deadlines (ms). */
export const STUB_RING_LIMIT_MS = 15_000;
export const STUB_HOLD_WARNING_MS = 30_000;
export const STUB_HOLD_LIMIT_MS = 60_000;

export interface StubLimits {
  ringMs?: number;
  holdWarningMs?: number;
  holdMs?: number;
}

export function createStubFlowFactory(limits: StubLimits = {}): CallFlowFactory {
  const detector = createSituationDetector();
  const RING = limits.ringMs ?? STUB_RING_LIMIT_MS;
  const WARN = limits.holdWarningMs ?? STUB_HOLD_WARNING_MS;
  const HOLD = limits.holdMs ?? STUB_HOLD_LIMIT_MS;
  return (setup) => {
    let ended = false;
    let hungUp = false;
    let turns = 0;
    let lastAt = 0;
    /** Pending timer deadlines: name → [at, state it reaches]. */
    const timers = new Map<'ring' | 'hold', { at: number; state: 'warning' | 'expired' }>();
    const flow: CallFlow = {
      callId: setup.callId,
      get ended() {
        return ended;
      },
      inspection: null,
      apply(input: FlowInput): LiveEvent[] {
        if (hungUp) throw new FlowError(setup.callId, 'call-ended', `call '${setup.callId}' has hung up`);
        const out: LiveEvent[] = flow.advance(input.kind === 'turn' ? (input.start ?? lastAt) : input.at);
        if (input.kind === 'cti') {
          if (input.at < lastAt)
            throw new FlowError(
              setup.callId,
              'out-of-order',
              `${input.type} at ${input.at} before ${lastAt}`,
            );
          lastAt = input.at;
          switch (input.type) {
            case 'ring':
              timers.set('ring', { at: input.at + RING, state: 'expired' });
              out.push({ at: input.at, kind: 'timer', timer: 'ring', state: 'started' });
              if (setup.atRing?.repeatCaller)
                out.push({
                  at: input.at,
                  kind: 'guidance',
                  turn: null,
                  scenario: 'repeat-caller',
                  text: '来电客户今天已来电，可先询问上次的问题是否解决。',
                });
              break;
            case 'answer':
              if (timers.delete('ring'))
                out.push({ at: input.at, kind: 'timer', timer: 'ring', state: 'stopped' });
              out.push({
                at: input.at,
                kind: 'guidance',
                turn: null,
                scenario: 'opening',
                text: '您好，很高兴为您服务。',
              });
              break;
            case 'hold':
              timers.set('hold', { at: input.at + WARN, state: 'warning' });
              out.push({ at: input.at, kind: 'timer', timer: 'hold', state: 'started' });
              break;
            case 'unhold':
              if (timers.delete('hold'))
                out.push({ at: input.at, kind: 'timer', timer: 'hold', state: 'stopped' });
              out.push({
                at: input.at,
                kind: 'guidance',
                turn: null,
                scenario: 'hold-thanks',
                text: '感谢您的耐心等待。',
              });
              break;
            case 'hangup':
              timers.clear();
              hungUp = true;
              ended = true;
              break;
            default:
              break;
          }
          return out;
        }
        if (input.kind === 'button') {
          lastAt = Math.max(lastAt, input.at);
          out.push({
            at: input.at,
            kind: 'guidance',
            turn: null,
            scenario: input.button,
            text: '请按规范话术处理。',
          });
          return out;
        }
        if (input.text.trim() === '') throw new FlowError(setup.callId, 'invalid-turn', 'a turn needs words');
        const turn = turns++;
        const at = input.end ?? input.start ?? lastAt;
        lastAt = Math.max(lastAt, at);
        if (input.speaker === 'customer') {
          out.push({ at, kind: 'situation', turn, situations: detector.detect(input.text) });
          out.push({
            at,
            kind: 'guidance',
            turn,
            scenario: 'answer',
            text: '请确认客户的问题并给出处理方案。',
          });
        } else if (input.text.includes('不知道')) {
          out.push({
            at,
            kind: 'alert',
            turn,
            rule: 'forbidden-phrase',
            evidence: '不知道',
            suggestion: '我帮您查询一下，请稍等。',
          });
        }
        return out;
      },
      advance(now: number): LiveEvent[] {
        const out: LiveEvent[] = [];
        for (const [name, t] of [...timers]) {
          if (t.at > now) continue;
          out.push({ at: t.at, kind: 'timer', timer: name, state: t.state });
          if (name === 'hold' && t.state === 'warning')
            timers.set('hold', { at: t.at - WARN + HOLD, state: 'expired' });
          else timers.delete(name);
        }
        return out.sort((a, b) => a.at - b.at);
      },
      nextDeadline(): number | null {
        let next: number | null = null;
        for (const t of timers.values()) if (next === null || t.at < next) next = t.at;
        return next;
      },
    };
    return flow;
  };
}
