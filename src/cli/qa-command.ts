// `huashu qa`: inspect call files against a scorecard, streaming: one call in memory at a
// time, results written as they come, totals kept per agent and per rule.
import { closeSync, openSync, writeSync } from 'node:fs';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { stringify } from 'csv-stringify/sync';
import { type CallInputError, expandInputs, formatCallInputError, readCallFile } from '../calls/import.ts';
import { PlaybookError } from '../playbook/errors.ts';
import { InspectionError, Inspector } from '../qa/engine.ts';
import { type CallResult, callResultJson, type Finding, isScored } from '../qa/result.ts';
import { type Scorecard, ScorecardError } from '../qa/scorecard.ts';
import { type BatchSummary, BatchTotals } from '../qa/summary.ts';
import { CliExit, EXIT_INVALID_INPUT } from './exit.ts';
import { batchedIo, type Io, type Palette, palette } from './io.ts';
import { loadRules, parseScorecardOption, SCORECARD_OPTION_HELP } from './scorecard-option.ts';

interface QaOptions {
  scorecard?: string;
  brand?: string;
  json?: boolean;
  csv?: string;
}

const CONTEXT = 16;
const MAX_EVIDENCE_CHARS = 80;

/**
 * Brackets that mark the evidence in plain output, in order of preference: the first pair
 * that the shown text does not contain, so a turn that itself says 【…】 stays unambiguous.
 */
const MARKS: readonly (readonly [string, string])[] = [
  ['【', '】'],
  ['〖', '〗'],
  ['⟦', '⟧'],
  ['〘', '〙'],
];

/**
 * Marks `match` between `left` and `right` with a bracket pair the text does not use; when it
 * uses them all, with 【】 and the text's own 【, 】 and \ escaped by a backslash.
 */
export function markEvidence(left: string, match: string, right: string): string {
  const shown = left + match + right;
  const pair = MARKS.find(([open, close]) => !shown.includes(open) && !shown.includes(close));
  if (pair) return `${left}${pair[0]}${match}${pair[1]}${right}`;
  const esc = (t: string) => t.replace(/[\\【】]/g, (c) => `\\${c}`);
  return `${esc(left)}【${esc(match)}】${esc(right)}`;
}

/** The turn's text around a finding, with the evidence marked. */
function highlight(text: string, f: Finding, p: Palette, color: boolean): string {
  if (f.start === null || f.end === null) return f.evidence;
  const before = text.slice(Math.max(0, f.start - CONTEXT), f.start);
  const match = text.slice(f.start, f.end);
  const after = text.slice(f.end, f.end + CONTEXT);
  const left = (f.start > CONTEXT ? `…${before}` : before).replace(/\n/g, ' ');
  const right = (f.end + CONTEXT < text.length ? `${after}…` : after).replace(/\n/g, ' ');
  const words = match.replace(/\n/g, ' ');
  const marked = color ? `${left}${p.bold(p.red(words))}${right}` : markEvidence(left, words, right);
  // The engine appends the note to the words: "<words> (<note>)"; read it back by length, not
  // by pattern, so that words ending in parentheses are not taken for a note.
  const shown = match.length > MAX_EVIDENCE_CHARS ? `${match.slice(0, MAX_EVIDENCE_CHARS)}…` : match;
  const note =
    f.evidence.length > shown.length + 3 && f.evidence.startsWith(`${shown} (`) && f.evidence.endsWith(')')
      ? f.evidence.slice(shown.length + 2, -1)
      : undefined;
  return marked + (note ? p.dim(` (${note})`) : '');
}

function printCall(io: Io, p: Palette, r: CallResult, sc: Scorecard, turnTexts: readonly string[]): void {
  const agent = r.agent ? `${r.agent.name ?? ''}${r.agent.id ? `(${r.agent.id})` : ''}` : '';
  // No rule applied (an unanswered call, no words yet): there is nothing to score, not a 100.
  const scoreText = !isScored(r)
    ? p.dim('—（无可评规则）')
    : r.fatal
      ? p.red(`${r.score} 一票否决`)
      : r.score >= 90
        ? p.green(String(r.score))
        : r.score >= 70
          ? p.yellow(String(r.score))
          : p.red(String(r.score));
  const failed = r.rules.filter((x) => x.outcome === 'fail').length;
  const na = r.rules.filter((x) => x.outcome === 'n/a').length;
  io.out(
    `${p.bold(r.id)}  ${r.brand}  ${agent}  得分 ${scoreText}  ${p.dim(`${failed} 项不合格, ${na} 项不适用`)}\n`,
  );
  const titles = new Map(sc.rules.map((x) => [x.id, x]));
  const results = new Map(r.rules.map((x) => [x.id, x]));
  // A rule deducts once per call (a `deduct` rule its capped total over all occurrences): its
  // points show on its first finding and the others say 同上, so the shown numbers add up.
  const shown = new Set<string>();
  for (const f of r.findings) {
    const rule = titles.get(f.rule);
    const got = results.get(f.rule);
    const lost = shown.has(f.rule)
      ? '同上'
      : `-${-(got?.points ?? 0)}${rule?.deduct && got?.occurrences ? `, ${got.occurrences}次` : ''}`;
    shown.add(f.rule);
    const where = f.turn === null ? '整通' : `第${f.turn + 1}句`;
    const text = f.turn === null ? f.evidence : highlight(turnTexts[f.turn] ?? '', f, p, io.color);
    io.out(`  ${p.red('✗')} ${f.rule} ${rule?.title ?? ''} ${p.dim(`(${lost})`)}  ${where}: ${text}\n`);
    if (f.suggestion) io.out(`      ${p.green('建议')}: ${f.suggestion}  ${p.dim(`依据 seed ${f.seed}`)}\n`);
    else io.out(`      ${p.dim(`依据 seed ${f.seed}`)}\n`);
  }
}

function printSummary(io: Io, p: Palette, s: BatchSummary, sc: Scorecard, version: number | null): void {
  if (version !== null) io.out(`\n${p.bold('评分表')}: 存储中的 ${sc.name} 第 ${version} 版\n`);
  io.out(
    `\n${p.bold('汇总')}: ${s.calls} 通, 平均分 ${s.meanScore ?? '-'}, 一票否决 ${s.fatalCalls} 通${s.unscoredCalls ? `, ${s.unscoredCalls} 通无适用项(不计入平均分)` : ''}${s.badInputs ? `, ${p.red(`${s.badInputs} 个输入有误`)}` : ''}\n`,
  );
  if (s.agents.length) {
    io.out(`\n${p.bold('按坐席')}\n`);
    for (const a of s.agents) {
      io.out(
        `  ${(a.name ? `${a.name}(${a.agent})` : a.agent).padEnd(14)} ${String(a.calls).padStart(5)} 通  平均 ${String(a.meanScore ?? '-').padStart(5)}  不合格 ${a.failures} 项  一票否决 ${a.fatalCalls}\n`,
      );
    }
  }
  io.out(`\n${p.bold('按规则')}\n`);
  const titles = new Map(sc.rules.map((x) => [x.id, x.title]));
  for (const r of s.rules) {
    const rate = r.failRate === null ? '   -  ' : `${(r.failRate * 100).toFixed(1).padStart(5)}%`;
    io.out(
      `  ${r.rule.padEnd(32)} 不合格 ${String(r.fail).padStart(5)}  合格 ${String(r.pass).padStart(5)}  不适用 ${String(r.na).padStart(5)}  ${rate}  ${p.dim(titles.get(r.rule) ?? '')}\n`,
    );
  }
}

class CsvWriter {
  private readonly fd: number;
  constructor(
    path: string,
    private readonly ruleIds: string[],
  ) {
    try {
      this.fd = openSync(path, 'w');
    } catch (err) {
      throw new CliExit(EXIT_INVALID_INPUT, `error: cannot write ${path}: ${(err as Error).message}`);
    }
    // A BOM so that Excel opens the UTF-8 Chinese text correctly.
    writeSync(
      this.fd,
      `\uFEFF${stringify([['id', 'brand', 'agentId', 'agentName', 'score', 'fatal', 'failedRules', 'findings', ...ruleIds]])}`,
    );
  }

  write(r: CallResult): void {
    const outcome = new Map(r.rules.map((x) => [x.id, x.outcome]));
    const failed = r.rules.filter((x) => x.outcome === 'fail').map((x) => x.id);
    writeSync(
      this.fd,
      stringify([
        [
          r.id,
          r.brand,
          r.agent?.id ?? '',
          r.agent?.name ?? '',
          // Empty for a call with no score, so a spreadsheet's average leaves it out.
          isScored(r) ? r.score : '',
          r.fatal ? 'yes' : 'no',
          failed.join(' '),
          r.findings.length,
          ...this.ruleIds.map((id) => outcome.get(id) ?? ''),
        ],
      ]),
    );
  }

  close(): void {
    closeSync(this.fd);
  }
}

export function registerQaCommand(program: Command, direct: Io): void {
  program
    .command('qa')
    .description('inspect call files (JSON, JSON Lines, text, WebVTT) against a scorecard (质检)')
    .argument('<inputs...>', 'call files, directories or globs')
    .option('--scorecard <file|store[:version]>', SCORECARD_OPTION_HELP)
    .option('--brand <brand>', 'brand for calls that name none (default: generic)')
    .option('--json', 'print one JSON object per call (JSON Lines)')
    .option('--csv <file>', 'also write one CSV row per call to this file')
    .action(async (inputs: string[], opts: QaOptions) => {
      const io = batchedIo(direct);
      const p = palette(io);
      let inspector: Inspector;
      let version: number | null;
      try {
        const rules = await loadRules(parseScorecardOption(opts.scorecard));
        version = rules.version;
        inspector = new Inspector(
          rules.scorecard,
          rules.catalog,
          opts.brand ? { defaultBrand: opts.brand } : {},
        );
        inspector.prepare();
      } catch (err) {
        if (err instanceof ScorecardError || err instanceof PlaybookError || err instanceof InspectionError) {
          throw new CliExit(EXIT_INVALID_INPUT, `error: ${err.message}`);
        }
        throw err;
      }
      const sc = inspector.scorecard;
      const totals = new BatchTotals();
      const reportBad = (e: CallInputError, more: readonly CallInputError[] = []) => {
        totals.addBadInput();
        for (const x of [e, ...more]) io.err(`${p.red('error')} ${formatCallInputError(x)}\n`);
      };
      const { files, errors } = await expandInputs(inputs);
      for (const e of errors) reportBad(e);
      const csv = opts.csv
        ? new CsvWriter(
            opts.csv,
            sc.rules.map((r) => r.id),
          )
        : undefined;
      const bar =
        io.isErrTTY && files.length > 1
          ? new cliProgress.SingleBar(
              {
                format: '质检 {bar} {value}/{total} 个文件 | {calls} 通 | {rate} 通/秒',
                stream: process.stderr,
                clearOnComplete: true,
                hideCursor: true,
              },
              cliProgress.Presets.shades_classic,
            )
          : undefined;
      const started = Date.now();
      bar?.start(files.length, 0, { calls: 0, rate: 0 });
      let done = 0;
      try {
        for (const file of files) {
          for await (const item of readCallFile(file)) {
            if (!item.ok) {
              reportBad(item.error, item.more);
              continue;
            }
            let result: CallResult;
            try {
              result = inspector.inspect(item.call);
            } catch (err) {
              if (!(err instanceof InspectionError)) throw err;
              reportBad({
                file,
                ...(item.line !== undefined ? { line: item.line } : {}),
                path: 'brand',
                message: err.message,
              });
              continue;
            }
            totals.add(result);
            csv?.write(result);
            // JSON.stringify(result), its recurring parts escaped once (result.ts).
            if (opts.json) io.out(`${callResultJson(result)}\n`);
            else
              printCall(
                io,
                p,
                result,
                sc,
                item.call.turns.map((t) => t.text),
              );
            done++;
            // A slow reader of a pipe: read no more calls until it has taken what is written.
            const room = io.outRoom?.();
            if (room !== undefined) await room;
            if (bar && done % 200 === 0)
              bar.update({
                calls: done,
                rate: Math.round((done * 1000) / Math.max(1, Date.now() - started)),
              });
          }
          bar?.increment(1, {
            calls: done,
            rate: Math.round((done * 1000) / Math.max(1, Date.now() - started)),
          });
        }
      } finally {
        io.flush();
        bar?.stop();
        csv?.close();
      }
      if (!opts.json) printSummary(io, p, totals.summary(), sc, version);
      io.flush();
      if (totals.badInputCount > 0) {
        io.err(
          `${totals.badInputCount} input${totals.badInputCount === 1 ? '' : 's'} could not be inspected (see the errors above)\n`,
        );
        throw new CliExit(EXIT_INVALID_INPUT);
      }
    });
}
