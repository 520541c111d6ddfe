// WebVTT transcripts: cues whose text carries a voice tag naming the speaker
// (`<v 坐席>您好`); the cue timings give each turn's start and end.
import { type CallInputError, failure, type ImportResult } from './errors.ts';
import { HeaderFields, headerKey } from './header.ts';
import { checkField, fieldSchemas } from './json.ts';
import { ACCEPTED_LABELS, speakerOf } from './labels.ts';
import type { Call, Speaker, Turn } from './model.ts';
import { idFromFile } from './text.ts';

const TIMESTAMP = /^(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})$/;
const TIMING_LINE = /^(\S+)[ \t]+-->[ \t]+(\S+)(?:[ \t]+.*)?$/;
const VOICE_TAG = /<v(?:\.[^\s>]*)?(?:[ \t]+([^>]*))?>/g;
const TIMESTAMP_FORM = '[hh:]mm:ss.ttt, e.g. 00:01:02.500';

/** A WebVTT timestamp in milliseconds, or undefined when it is not one. */
export function parseVttTimestamp(stamp: string): number | undefined {
  const m = TIMESTAMP.exec(stamp);
  if (!m) return undefined;
  const hours = m[1] === undefined ? 0 : Number(m[1]);
  return ((hours * 60 + Number(m[2])) * 60 + Number(m[3])) * 1000 + Number(m[4]);
}

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  lrm: '\u200e',
  rlm: '\u200f',
};

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-zA-Z]+);/g, (whole, name: string) => {
    if (name.startsWith('#')) {
      const code =
        name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name] ?? whole;
  });
}

/** Whether a block's first line starts a NOTE, STYLE or REGION block rather than a cue. */
function isNonCueBlock(first: string): boolean {
  return /^(?:NOTE|STYLE|REGION)(?:[ \t]|$)/.test(first);
}

/** Parses a WebVTT transcript; `file` names the call (its name without extension is the id). */
export function parseCallVtt(input: string, file: string): ImportResult {
  const text = input.startsWith('\uFEFF') ? input.slice(1) : input;
  const errors: CallInputError[] = [];
  const err = (line: number | undefined, message: string) => errors.push({ file, line, message });
  const lines = text.split(/\r\n|\r|\n/);

  if (!/^WEBVTT(?:[ \t].*)?$/.test(lines[0] ?? '')) {
    err(
      1,
      `found ${JSON.stringify((lines[0] ?? '').slice(0, 40))}; expected the file to start with the line WEBVTT`,
    );
    return failure(errors);
  }

  // The header block runs to the first blank line; `key: value` lines there may describe the call.
  const header = new HeaderFields(file, errors);
  let i = 1;
  for (; i < lines.length && (lines[i] ?? '').trim() !== ''; i++) {
    const h = /^([A-Za-z]+)[ \t]*[:：](.*)$/.exec(lines[i] ?? '');
    const key = h ? headerKey(h[1] ?? '') : undefined;
    if (h && key) header.set(key, h[2] ?? '', i + 1);
  }

  const call: Call = { id: idFromFile(file), direction: 'inbound', events: [], turns: [] };
  let cueNumber = 0;
  let lastStart: { at: number; line: number } | undefined;

  while (i < lines.length) {
    if ((lines[i] ?? '').trim() === '') {
      i++;
      continue;
    }
    const blockStart = i;
    const block: string[] = [];
    for (; i < lines.length && (lines[i] ?? '').trim() !== ''; i++) block.push(lines[i] ?? '');
    if (isNonCueBlock(block[0] ?? '')) continue;

    cueNumber++;
    const hasId = !(block[0] ?? '').includes('-->');
    const timingIndex = hasId ? 1 : 0;
    const timingLine = block[timingIndex];
    const lineNo = blockStart + timingIndex + 1;
    const name = hasId ? `cue ${cueNumber} "${block[0]?.trim()}"` : `cue ${cueNumber}`;
    if (timingLine === undefined || !timingLine.includes('-->')) {
      err(blockStart + 1, `${name} has no timing line; expected a line like "00:00:01.000 --> 00:00:04.000"`);
      continue;
    }
    const t = TIMING_LINE.exec(timingLine.trim());
    const start = t ? parseVttTimestamp(t[1] ?? '') : undefined;
    const end = t ? parseVttTimestamp(t[2] ?? '') : undefined;
    if (start === undefined || end === undefined) {
      err(
        lineNo,
        `${name}: found the timing "${timingLine.trim()}"; expected "start --> end" with times as ${TIMESTAMP_FORM}`,
      );
      continue;
    }
    const where = `${name} (${t?.[1]} --> ${t?.[2]})`;
    if (end < start) err(lineNo, `${where}: the end is before the start; expected end ≥ start`);
    if (lastStart && start < lastStart.at) {
      err(lineNo, `${where} starts before the cue on line ${lastStart.line}; expected cues in time order`);
    }
    lastStart = { at: start, line: lineNo };

    const payload = block.slice(timingIndex + 1).join('\n');
    const speakers = new Set<Speaker>();
    for (const v of payload.matchAll(VOICE_TAG)) {
      const annotation = (v[1] ?? '').trim();
      const speaker = speakerOf(annotation) ?? speakerOf(annotation.split(/\s+/)[0] ?? '');
      if (speaker) speakers.add(speaker);
      else err(lineNo, `${where}: found the voice "${annotation}"; expected one of (${ACCEPTED_LABELS})`);
    }
    const words = decodeEntities(payload.replace(/<[^>]*>/g, ''))
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '')
      .join('\n');
    const [speaker, other] = [...speakers];
    if (other) {
      err(lineNo, `${where} has both an agent and a customer voice; expected one speaker per cue`);
    } else if (!speaker) {
      if (!/<v[\s.>]/.test(payload)) {
        err(lineNo, `${where} has no voice tag; expected the text to start with <v 坐席> or <v 客户>`);
      }
    } else if (words === '') {
      err(lineNo, `${where} has no words; expected text after the voice tag`);
    } else {
      const turn: Turn = { speaker, text: words, start, end };
      call.turns.push(turn);
    }
  }

  const id = checkField(fieldSchemas.id, call.id);
  if (!id.ok) err(undefined, `the file name gives the call id: ${id.message}`);
  if (call.turns.length === 0 && errors.length === 0) {
    err(undefined, 'found no cues; expected cues like "00:00:01.000 --> 00:00:04.000" then "<v 坐席>您好"');
  }
  if (errors.length > 0) return failure(errors);
  const { direction = 'inbound', ...described } = header.call;
  return { ok: true, call: { id: call.id, ...described, direction, events: [], turns: call.turns }, file };
}
