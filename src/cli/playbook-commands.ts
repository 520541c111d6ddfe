import { type Command, InvalidArgumentError } from 'commander';
import { Catalog } from '../playbook/catalog.ts';
import { formatIssue, PlaybookError } from '../playbook/errors.ts';
import { loadPlaybookFile, type Playbook, type Scenario } from '../playbook/load.ts';
import {
  brandVariables,
  formatWorkingHours,
  type RenderedText,
  renderText,
  UnknownVariableError,
  type Variables,
  variableName,
} from '../playbook/render.ts';
import { PlaybookSearch } from '../playbook/search.ts';
import { ROLES, SITUATIONS, STAGE_IDS, STAGES, TICKET_TYPES } from '../playbook/vocabulary.ts';
import { CliExit, EXIT_INVALID_INPUT } from './exit.ts';
import { type Io, type Palette, palette } from './io.ts';

function printJson(io: Io, value: unknown): void {
  io.out(`${JSON.stringify(value, null, 2)}\n`);
}

/** The shipped playbooks, or a clear error naming the broken file. */
function loadCatalog(dir?: string): Catalog {
  try {
    return Catalog.load(dir);
  } catch (err) {
    if (err instanceof PlaybookError) throw new CliExit(EXIT_INVALID_INPUT, err.message);
    throw err;
  }
}

function findBrand(catalog: Catalog, brand: string): Playbook {
  const pb = catalog.find(brand);
  if (!pb)
    throw new CliExit(
      EXIT_INVALID_INPUT,
      `error: no brand '${brand}'; known brands: ${catalog.brandIds.join(', ')}`,
    );
  return pb;
}

function collectVar(value: string, previous: Variables): Variables {
  const eq = value.indexOf('=');
  if (eq <= 0)
    throw new InvalidArgumentError(`expected key=value, e.g. --var agentNumber=1024 (got '${value}')`);
  try {
    return { ...previous, [variableName(value.slice(0, eq).trim())]: value.slice(eq + 1) };
  } catch (err) {
    if (err instanceof UnknownVariableError) throw new InvalidArgumentError(err.message);
    throw err;
  }
}

function paint(r: RenderedText, p: Palette): string {
  return r.segments
    .map((s) => (s.missing ? p.yellow(s.text) : s.variable ? p.cyan(s.text) : s.text))
    .join('');
}

function renderScenario(pb: Playbook, sc: Scenario, vars: Variables) {
  const all = { ...brandVariables(pb), ...vars };
  const script = pb.brand.script;
  return {
    id: sc.id,
    title: script === 'traditional' ? renderText(sc.title, {}, script).text : sc.title,
    stage: sc.stage,
    situations: sc.situations,
    lines: sc.lines.map((l) => ({
      rendered: renderText(l.text, all, script),
      when: l.when,
      template: l.text,
    })),
    steps: sc.steps.map((s) => ({ ...s, rendered: renderText(s.text, all, script) })),
    sources: sc.sources,
  };
}

function printScenario(io: Io, p: Palette, r: ReturnType<typeof renderScenario>): void {
  io.out(
    `${p.bold(r.title)} ${p.dim(`${r.id} · ${STAGES[r.stage].zh} · ${r.situations.map((s) => SITUATIONS[s].zh).join('、')}`)}\n`,
  );
  for (const line of r.lines) {
    const when = line.when ? p.dim(`(${line.when}) `) : '';
    io.out(`  ${p.green('»')} ${when}${paint(line.rendered, p)}\n`);
  }
  for (const step of r.steps) {
    const tags = [
      step.ticket ? `工单:${TICKET_TYPES[step.ticket].zh}` : '',
      step.escalateTo ? `升级:${ROLES[step.escalateTo].zh}` : '',
      step.blacklist ? '加入黑名单' : '',
      step.next ? `→ ${step.next}` : '',
    ].filter(Boolean);
    io.out(
      `    ${p.magenta('•')} ${paint(step.rendered, p)}${tags.length ? ` ${p.dim(`[${tags.join(' ')}]`)}` : ''}\n`,
    );
  }
  io.out(`    ${p.dim(`来源: ${r.sources.map((s) => `seed ${s.seed} ${s.section}`).join('; ')}`)}\n`);
}

function scenarioJson(r: ReturnType<typeof renderScenario>) {
  return {
    id: r.id,
    title: r.title,
    stage: r.stage,
    situations: r.situations,
    lines: r.lines.map((l) => ({
      text: l.rendered.text,
      template: l.template,
      when: l.when,
      missing: l.rendered.missing,
    })),
    steps: r.steps.map(({ rendered, ...s }) => ({ ...s, text: rendered.text, missing: rendered.missing })),
    sources: r.sources,
  };
}

function brandJson(pb: Playbook) {
  return {
    brand: pb.brand,
    version: pb.version,
    extends: pb.extends,
    settings: pb.settings,
    scenarioCount: pb.scenarios.length,
    forbiddenPhraseCount: pb.forbidden.reduce((n, f) => n + f.phrases.length, 0),
    rewriteCount: pb.rewrites.length,
    file: pb.file,
  };
}

export function registerPlaybookCommands(program: Command, io: Io): void {
  const playbook = program
    .command('playbook')
    .description('browse, search, render and check playbooks (话术库)');
  // Commander's own default for a group with no subcommand is to print help and exit 1.
  playbook.action(() => {
    playbook.outputHelp({ error: true });
    throw new CliExit(2);
  });

  playbook
    .command('list')
    .description('brands and their scenario counts')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) => {
      const catalog = loadCatalog();
      if (opts.json) return printJson(io, catalog.playbooks.map(brandJson));
      const p = palette(io);
      for (const pb of catalog.playbooks) {
        const b = brandJson(pb);
        const hotline = pb.brand.hotline ? ` ${pb.brand.hotline}` : '';
        io.out(
          `${p.bold(pb.brand.id.padEnd(10))} ${pb.brand.name}${hotline}  ${b.scenarioCount} scenarios, ${b.forbiddenPhraseCount} forbidden phrases, ${b.rewriteCount} rewrites ${p.dim(`(v${pb.version}, ${pb.brand.script === 'traditional' ? '繁体' : '简体'})`)}\n`,
        );
      }
    });

  playbook
    .command('show')
    .description('render a brand’s scenarios (or one scenario) with the variables filled')
    .argument('<brand>', 'brand id, name or alias, e.g. zhonghua')
    .argument('[scenario]', 'scenario id, e.g. exception.silent-line')
    .option(
      '--var <key=value>',
      'fill a variable (repeatable), e.g. --var agentNumber=1024 --var surname=王',
      collectVar,
      {},
    )
    .option('--json', 'print JSON')
    .action((brand: string, scenarioId: string | undefined, opts: { var: Variables; json?: boolean }) => {
      const catalog = loadCatalog();
      const pb = findBrand(catalog, brand);
      let scenarios = pb.scenarios;
      if (scenarioId !== undefined) {
        const sc = pb.scenarios.find((s) => s.id === scenarioId);
        if (!sc) {
          const near = pb.scenarios.filter(
            (s) => s.id.includes(scenarioId) || scenarioId.includes(s.id.split('.')[1] ?? '\0'),
          );
          const hint = near.length
            ? `did you mean: ${near.map((s) => s.id).join(', ')}?`
            : `see 'huashu playbook show ${pb.brand.id}' for its scenarios`;
          throw new CliExit(
            EXIT_INVALID_INPUT,
            `error: brand '${pb.brand.id}' has no scenario '${scenarioId}'; ${hint}`,
          );
        }
        scenarios = [sc];
      }
      const rendered = scenarios.map((sc) => renderScenario(pb, sc, opts.var));
      if (opts.json) {
        return printJson(io, {
          ...brandJson(pb),
          variables: { ...brandVariables(pb), ...opts.var },
          scenarios: rendered.map(scenarioJson),
        });
      }
      const p = palette(io);
      const s = pb.settings;
      io.out(
        `${p.bold(pb.brand.name)}${pb.brand.hotline ? ` ${pb.brand.hotline}` : ''} ${p.dim(`(${pb.brand.id}, v${pb.version})`)}\n` +
          p.dim(
            `${s.ringsToAnswer}声内接起 · 无声电话 ${s.silentLine.pauseSeconds}秒×${s.silentLine.attempts}次 · 等待上限 ${s.holdLimitSeconds}秒 · 投诉答复 ${s.complaintReplyHours.urgent}/${s.complaintReplyHours.standard}小时 · ${formatWorkingHours(s.workingHours)}\n\n`,
          ),
      );
      for (const stage of STAGE_IDS) {
        const inStage = rendered.filter((r) => r.stage === stage);
        if (inStage.length === 0) continue;
        if (scenarioId === undefined) io.out(`${p.bold(p.cyan(`【${STAGES[stage].zh}】`))}\n`);
        for (const r of inStage) printScenario(io, p, r);
        io.out('\n');
      }
    });

  playbook
    .command('search')
    .description('find scenarios by Chinese text, full pinyin (tousu) or pinyin initials (ts)')
    .argument('<query...>', 'words to look for; all must match')
    .option('--brand <brand>', 'only this brand')
    .option('--limit <n>', 'at most this many results', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1)
        throw new InvalidArgumentError(`expected a whole number ≥ 1 (got '${v}')`);
      return n;
    })
    .option('--json', 'print JSON')
    .action((query: string[], opts: { brand?: string; limit?: number; json?: boolean }) => {
      const catalog = loadCatalog();
      const brand = opts.brand === undefined ? undefined : findBrand(catalog, opts.brand).brand.id;
      const hits = new PlaybookSearch(catalog).search(query.join(' '), { brand, limit: opts.limit });
      if (opts.json) return printJson(io, hits);
      const p = palette(io);
      if (hits.length === 0) {
        io.out(`no scenario matches '${query.join(' ')}'${brand ? ` in ${brand}` : ''}\n`);
        return;
      }
      for (const h of hits) {
        const pb = findBrand(catalog, h.brand);
        const title =
          pb.brand.script === 'traditional' ? renderText(h.title, {}, 'traditional').text : h.title;
        io.out(
          `${p.bold(h.brand.padEnd(10))} ${h.scenarioId.padEnd(34)} ${title} ${p.dim(`${h.score} (${h.matched.join(', ')})`)}\n`,
        );
      }
    });

  playbook
    .command('lint')
    .description('validate playbook files; exit code 0 when all are valid, 1 otherwise')
    .argument('<files...>', 'playbook YAML files')
    .option('--json', 'print the result as JSON')
    .action((files: string[], opts: { json?: boolean }) => {
      const p = palette(io);
      const results = files.map((file) => {
        try {
          const pb = loadPlaybookFile(file);
          return { file, valid: true, brand: pb.brand.id, scenarios: pb.scenarios.length, issues: [] };
        } catch (err) {
          if (!(err instanceof PlaybookError)) throw err;
          return { file, valid: false, issues: err.issues };
        }
      });
      if (opts.json) printJson(io, results);
      else {
        for (const r of results) {
          if (r.valid) io.out(`${p.green('ok')}  ${r.file} (${r.brand}, ${r.scenarios} scenarios)\n`);
          else {
            for (const issue of r.issues) io.err(`${p.red('error')} ${formatIssue(issue)}\n`);
          }
        }
      }
      if (results.some((r) => !r.valid)) throw new CliExit(EXIT_INVALID_INPUT);
    });
}
