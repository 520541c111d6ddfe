// `huashu detect`: what the situation detector finds in customer utterances, one per line of
// standard input, with the brand's script lines for it (the guidance live assist shows).
// Streams: each line is answered as soon as it is read, so it can be typed interactively.
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { Command } from 'commander';
import { Catalog } from '../playbook/catalog.ts';
import { PlaybookError } from '../playbook/errors.ts';
import { createSituationDetector } from '../situations/detect.ts';
import { guidanceFor, type Suggestion } from '../situations/guidance.ts';
import { DETECTED_SITUATIONS, type DetectedSituation } from '../situations/ids.ts';
import { CliExit, EXIT_INVALID_INPUT } from './exit.ts';
import { type Io, type Palette, palette } from './io.ts';

interface DetectOptions {
  brand: string;
  json?: boolean;
}

function printReadable(
  io: Io,
  p: Palette,
  text: string,
  situations: readonly DetectedSituation[],
  suggestions: readonly Suggestion[],
): void {
  io.out(`${p.bold(text)}\n`);
  const shown = situations.map((id) => `${DETECTED_SITUATIONS[id].zh} ${p.dim(id)}`).join('、');
  io.out(`  情境: ${shown || p.dim('无')}\n`);
  for (const s of suggestions) io.out(`  ${p.green('话术')}: ${s.text}  ${p.dim(s.scenario)}\n`);
}

export function registerDetectCommand(program: Command, io: Io, input: Readable = process.stdin): void {
  program
    .command('detect')
    .description(
      'detect the situations of customer utterances (one per line on stdin) and suggest the brand’s script lines',
    )
    .option('--brand <brand>', 'brand id, name or alias whose script lines to suggest', 'generic')
    .option('--json', 'print one JSON object per line (JSON Lines)')
    .addHelpText('after', '\nExample:\n  echo "我要投诉你们" | huashu detect --brand zhonghua --json\n')
    .action(async (opts: DetectOptions) => {
      let catalog: Catalog;
      try {
        catalog = Catalog.load();
      } catch (err) {
        if (err instanceof PlaybookError) throw new CliExit(EXIT_INVALID_INPUT, `error: ${err.message}`);
        throw err;
      }
      const playbook = catalog.find(opts.brand);
      if (!playbook)
        throw new CliExit(
          EXIT_INVALID_INPUT,
          `error: unknown brand '${opts.brand}' (--brand); known brands: ${catalog.brandIds.join(', ')}`,
        );
      const detector = createSituationDetector();
      const base = (id: string) => catalog.find(id);
      const p = palette(io);
      for await (const raw of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
        const text = raw.trim();
        if (text === '') continue;
        const situations = detector.detect(text);
        const suggestions = guidanceFor(playbook, situations, {}, { base });
        if (opts.json) io.out(`${JSON.stringify({ text, situations, suggestions })}\n`);
        else printReadable(io, p, text, situations, suggestions);
      }
    });
}
