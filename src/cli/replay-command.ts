// `huashu replay`: recorded calls run through the live engine on a simulated clock — what live
// assist would have shown the agent (timers, stages, situations, guidance, alerts) and the
// inspection at hang-up, which is exactly what `huashu qa` gives for the call.
import type { Command } from 'commander';
import { type CallInputError, expandInputs, formatCallInputError, readCallFile } from '../calls/import.ts';
import { LiveRules } from '../live/alerts.ts';
import { createFlowFactory } from '../live/flow.ts';
import { FlowError, type LiveEvent } from '../live/model.ts';
import { type Replayed, replayCall, replaySetup } from '../live/replay.ts';
import { PlaybookError } from '../playbook/errors.ts';
import { InspectionError, Inspector } from '../qa/engine.ts';
import { ScorecardError } from '../qa/scorecard.ts';
import { CliExit, EXIT_INVALID_INPUT } from './exit.ts';
import { type Io, type Palette, palette } from './io.ts';
import { loadRules, parseScorecardOption, SCORECARD_OPTION_HELP } from './scorecard-option.ts';

interface ReplayOptions {
  scorecard?: string;
  brand?: string;
  json?: boolean;
}

const clock = (ms: number) => {
  const s = ms / 1000;
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${(s % 60).toFixed(1).padStart(4, '0')}`;
};

function describe(e: LiveEvent, p: Palette): string {
  switch (e.kind) {
    case 'timer':
      return `${p.dim('计时')}  ${e.timer} ${e.state}`;
    case 'stage':
      return `${p.dim('阶段')}  ${e.stage} ${e.state === 'done' ? p.green('done') : e.state === 'missed' ? p.red('missed') : p.dim('n/a')}`;
    case 'situation':
      return `${p.dim('情境')}  第${e.turn + 1}句 ${e.situations.join(', ')}`;
    case 'guidance':
      return `${p.dim('提示')}  ${e.scenario}${e.turn === null ? '' : ` (第${e.turn + 1}句)`}: ${p.green(e.text)}`;
    case 'alert':
      return `${p.dim('提醒')}  第${e.turn + 1}句 ${p.red(e.rule)} ${e.evidence} → ${e.suggestion}`;
  }
}

function printTimeline(io: Io, p: Palette, r: Replayed): void {
  const i = r.inspection;
  const agent = i.agent ? `${i.agent.name ?? ''}${i.agent.id ? `(${i.agent.id})` : ''}` : '';
  io.out(`${p.bold(r.id)}  ${i.brand}  ${agent}\n`);
  for (const e of r.events) io.out(`  ${clock(e.at)}  ${describe(e, p)}\n`);
  const failed = i.rules.filter((x) => x.outcome === 'fail').map((x) => x.id);
  io.out(
    `  ${p.bold('质检')} 得分 ${i.fatal ? p.red(`${i.score} 一票否决`) : i.score}${failed.length ? `  不合格: ${failed.join(', ')}` : ''}\n\n`,
  );
}

export function registerReplayCommand(program: Command, io: Io): void {
  program
    .command('replay')
    .description(
      'run recorded calls through the live engine on a simulated clock (回放): events, then the inspection',
    )
    .argument('<inputs...>', 'call files, directories or globs (JSON, JSON Lines, text, WebVTT)')
    .option('--scorecard <file|store[:version]>', SCORECARD_OPTION_HELP)
    .option('--brand <brand>', 'brand for calls that name none (default: generic)')
    .option('--json', 'print one JSON object per call: {"id", "events", "inspection"} (JSON Lines)')
    .action(async (inputs: string[], opts: ReplayOptions) => {
      const p = palette(io);
      let factory: ReturnType<typeof createFlowFactory>;
      const defaultBrand = opts.brand ?? 'generic';
      try {
        const { scorecard, catalog } = await loadRules(parseScorecardOption(opts.scorecard));
        // The same Inspector as `huashu qa`, so the inspection at hang-up is the same.
        const inspector = new Inspector(scorecard, catalog, opts.brand ? { defaultBrand: opts.brand } : {});
        inspector.prepare();
        factory = createFlowFactory({
          catalog,
          detector: inspector.detector,
          // Fed by the turns' starts (replay.ts): the words before a hold are there at the hold.
          rules: new LiveRules(inspector, { turnsArrive: 'start' }),
          phraseSets: scorecard.phraseSets,
          recordRing: false,
        });
      } catch (err) {
        if (err instanceof ScorecardError || err instanceof PlaybookError || err instanceof InspectionError)
          throw new CliExit(EXIT_INVALID_INPUT, `error: ${err.message}`);
        throw err;
      }
      let bad = 0;
      const reportBad = (e: CallInputError, more: readonly CallInputError[] = []) => {
        bad++;
        for (const x of [e, ...more]) io.err(`${p.red('error')} ${formatCallInputError(x)}\n`);
      };
      const { files, errors } = await expandInputs(inputs);
      for (const e of errors) reportBad(e);
      for (const file of files) {
        for await (const item of readCallFile(file)) {
          if (!item.ok) {
            reportBad(item.error, item.more);
            continue;
          }
          let replayed: Replayed;
          try {
            replayed = replayCall(factory(replaySetup(item.call, defaultBrand)), item.call);
          } catch (err) {
            if (!(err instanceof FlowError || err instanceof InspectionError)) throw err;
            // The message names the call and the problem; the other calls go on.
            reportBad({
              file,
              ...(item.line !== undefined ? { line: item.line } : {}),
              message: err.message,
            });
            continue;
          }
          if (opts.json) io.out(`${JSON.stringify(replayed)}\n`);
          else printTimeline(io, p, replayed);
        }
      }
      if (bad > 0) {
        io.err(`${bad} input${bad === 1 ? '' : 's'} could not be replayed (see the errors above)\n`);
        throw new CliExit(EXIT_INVALID_INPUT);
      }
    });
}
