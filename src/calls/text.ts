// Plain-text transcripts: one turn per labelled line (`[00:05] 坐席: 您好`), continuation
// lines joined to the turn before, optional `# key: value` headers before the first turn.
import { basename, extname } from 'node:path';
import { type CallInputError, failure, type ImportResult } from './errors.ts';
import { HEADER_KEYS, HeaderFields, headerKey } from './header.ts';
import { checkField, fieldSchemas } from './json.ts';
import { ACCEPTED_LABELS, looksLikeOtherSpeaker, speakerOf } from './labels.ts';
import type { Call, Turn } from './model.ts';

const STAMP_BODY = String.raw`\d+:\d+(?::\d+)?(?:[.,]\d+)?`;
/** Optional stamp (bracketed, or bare and followed by a space), a label word, an optional
 *  bracketed stamp, then a colon (ASCII or full-width) and the words. */
const LABEL_LINE = new RegExp(
  String.raw`^(?:\[([^\]]*)\]\s*|(${STAMP_BODY})\s+)?([^\s:：\[\]]{1,12}(?: \d{1,3})?)\s*(?:\[([^\]]*)\]\s*)?[:：](.*)$`,
);
const LEADING_STAMP = new RegExp(String.raw`^(?:\[\s*${STAMP_BODY}\s*\]|${STAMP_BODY}(?:\s|$))`);
const HEADER_LINE = /^#\s*([A-Za-z]+)\s*[:：](.*)$/;

const STAMP_FORMS = '[mm:ss] or [hh:mm:ss] (seconds may have a fraction: [00:05.250])';

/** A transcript time stamp in milliseconds, or undefined when it is not one. */
export function parseStamp(stamp: string): number | undefined {
  const m = /^(?:(\d+):)?(\d+):(\d{2})(?:[.,](\d{1,3}))?$/.exec(stamp.trim());
  if (!m) return undefined;
  const hours = m[1] === undefined ? 0 : Number(m[1]);
  const minutes = Number(m[2]);
  const seconds = Number(m[3]);
  if (seconds >= 60 || (m[1] !== undefined && minutes >= 60)) return undefined;
  const millis = m[4] === undefined ? 0 : Number(m[4].padEnd(3, '0'));
  return ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis;
}

/** The call id a transcript file stands for: its name without the extension. */
export function idFromFile(file: string): string {
  const name = basename(file);
  return name.slice(0, name.length - extname(name).length);
}

interface OpenTurn {
  turn: Turn;
  parts: string[];
  line: number;
}

/** Parses a plain-text transcript; `file` names the call (its name without extension is the id). */
export function parseCallTxt(input: string, file: string): ImportResult {
  const text = input.startsWith('\uFEFF') ? input.slice(1) : input;
  const errors: CallInputError[] = [];
  const err = (line: number | undefined, message: string) => errors.push({ file, line, message });
  const header = new HeaderFields(file, errors);
  const turns: OpenTurn[] = [];
  let lastStamp: { at: number; line: number } | undefined;

  const lines = text.split(/\r\n|\r|\n/);
  lines.forEach((raw, index) => {
    const lineNo = index + 1;
    const line = raw.trimEnd();
    if (line.trim() === '') return;
    const current = turns[turns.length - 1];

    if (!current && line.startsWith('#')) {
      const h = HEADER_LINE.exec(line);
      if (!h) return; // a comment
      const key = headerKey(h[1] ?? '');
      if (key) header.set(key, h[2] ?? '', lineNo);
      else err(lineNo, `unknown header "${h[1]}"; expected one of: ${HEADER_KEYS.join(', ')}`);
      return;
    }

    const indented = /^\s/.test(line);
    const m = indented ? null : LABEL_LINE.exec(line);
    if (m) {
      const label = m[3] ?? '';
      const speaker = speakerOf(label);
      const before = m[1] ?? m[2];
      const after = m[4];
      const stampText = before ?? after;
      const stamp = stampText === undefined ? undefined : parseStamp(stampText);
      if (speaker) {
        if (before !== undefined && after !== undefined) {
          err(lineNo, `found two time stamps around the label "${label}"; expected one, before or after it`);
          return;
        }
        if (stampText !== undefined && stamp === undefined) {
          err(lineNo, `found the time stamp [${stampText.trim()}]; expected ${STAMP_FORMS}`);
          return;
        }
        const turn: Turn = { speaker, text: '' };
        if (stamp !== undefined) {
          if (lastStamp && stamp < lastStamp.at) {
            err(
              lineNo,
              `found the time stamp [${stampText?.trim()}], earlier than the one on line ${lastStamp.line}; expected turns in the order spoken`,
            );
          }
          lastStamp = { at: stamp, line: lineNo };
          turn.start = stamp;
        }
        const words = (m[5] ?? '').trim();
        turns.push({ turn, parts: words ? [words] : [], line: lineNo });
        return;
      }
      if (stamp !== undefined || !current || looksLikeOtherSpeaker(label)) {
        err(lineNo, `found the unknown speaker label "${label}"; expected one of (${ACCEPTED_LABELS})`);
        return;
      }
      // `地址：北京…` inside a turn: a continuation line that happens to contain a colon.
    } else if (!indented && LEADING_STAMP.test(line)) {
      err(lineNo, `found a time stamp without a speaker label; expected a line like "[00:05] 坐席: 您好"`);
      return;
    }

    if (!current) {
      err(
        lineNo,
        `found text before the first speaker label; expected a line like "坐席: 您好" (labels: ${ACCEPTED_LABELS}) or a "# key: value" header`,
      );
      return;
    }
    current.parts.push(line.trim());
  });

  const call: Call = { id: idFromFile(file), direction: 'inbound', events: [], turns: [] };
  const id = checkField(fieldSchemas.id, call.id);
  if (!id.ok) err(undefined, `the file name gives the call id: ${id.message}`);
  for (const open of turns) {
    open.turn.text = open.parts.join('\n');
    if (open.turn.text === '') {
      err(open.line, 'found a turn with no words; expected text after the label or on the lines below it');
    }
    call.turns.push(open.turn);
  }
  if (turns.length === 0 && errors.length === 0) {
    err(undefined, `found no turns; expected lines like "坐席: 您好" (labels: ${ACCEPTED_LABELS})`);
  }
  if (errors.length > 0) return failure(errors);
  const { direction = 'inbound', ...described } = header.call;
  return { ok: true, call: { id: call.id, ...described, direction, events: [], turns: call.turns }, file };
}
