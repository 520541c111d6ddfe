// Content that used to load and then fail later (500 on every ring or ticket of the brand,
// or a script line that inspection scores as a violation): each is a load error now, with
// the field path and the line of the file.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalizeText } from '../text/normalize.ts';
import { seed } from '../text/testdata.ts';
import { Catalog } from './catalog.ts';
import { PlaybookError, type PlaybookIssue } from './errors.ts';
import { loadPlaybookFile, type PlaybookContext, parsePlaybook } from './load.ts';
import { isSeedSection, SEED_SECTION_IDS, SEED_SECTIONS } from './seed-sections.ts';

const pb = (
  opts: {
    id?: string;
    extendsId?: string;
    hours?: string;
    reply?: string;
    lines?: string[];
    title?: string;
    section?: string;
    forbidden?: string[];
  } = {},
) => `version: 1
${opts.extendsId ? `extends: ${opts.extendsId}\n` : ''}brand:
  id: ${opts.id ?? 'acme'}
  name: 阿克米
  agentNumber: { pattern: "^\\\\d{4}$", example: "1024" }
settings:
  ringsToAnswer: 3
  silentLine: { pauseSeconds: 2, attempts: 3 }
  holdLimitSeconds: 60
  complaintReplyHours: ${opts.reply ?? '{ urgent: 2, standard: 24 }'}
  workingHours: ${opts.hours ?? '{ timezone: Asia/Shanghai, days: [mon, tue, wed, thu, fri], open: "08:30", close: "17:30" }'}
scenarios:
  - id: opening.greeting
    title: ${opts.title ?? '开头语'}
    stage: opening
    situations: [call-answered]
    lines:
${(opts.lines ?? ['您好!{company},{agentNumber}号为您服务。']).map((l) => `      - text: ${l}`).join('\n')}
    sources: [{ seed: "002", section: "${opts.section ?? '一.(一)'}" }]
forbidden:
  - group: vague
    phrases: [${(opts.forbidden ?? ['说不准']).join(', ')}]
    sources: [{ seed: "002", section: "服务态度.(三).1" }]
`;

function issuesOf(text: string, context?: PlaybookContext): PlaybookIssue[] {
  try {
    parsePlaybook(text, 'x.yaml', context);
  } catch (err) {
    if (err instanceof PlaybookError) return [...err.issues];
    throw err;
  }
  return [];
}

describe('time zone', () => {
  it('rejects a zone the runtime does not know, at its field and line, naming a valid one', () => {
    const issues = issuesOf(
      pb({ hours: '{ timezone: Asia/Beijing, days: [mon], open: "08:00", close: "20:00" }' }),
    );
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ file: 'x.yaml', line: 11, path: 'settings.workingHours.timezone' });
    expect(issues[0]?.column).toBeGreaterThan(3);
    expect(issues[0]?.message).toContain('"Asia/Beijing"');
    expect(issues[0]?.message).toContain('Asia/Shanghai');
  });

  it('accepts canonical names and the aliases the runtime accepts', () => {
    expect(Intl.supportedValuesOf('timeZone')).toContain('Asia/Shanghai');
    for (const zone of [
      'Asia/Shanghai',
      'Asia/Chongqing',
      'Asia/Hong_Kong',
      'Asia/Calcutta',
      'UTC',
      'Etc/GMT-8',
    ])
      expect(
        issuesOf(pb({ hours: `{ timezone: ${zone}, days: [mon], open: "08:00", close: "20:00" }` })),
      ).toEqual([]);
  });
});

describe('working hours', () => {
  it('accepts round the clock, 00:00–24:00', () => {
    const text = pb({
      hours: '{ days: [mon, tue, wed, thu, fri, sat, sun], open: "00:00", close: "24:00" }',
    });
    expect(parsePlaybook(text, 'x.yaml').settings.workingHours.close).toBe('24:00');
  });

  it('rejects 24:00 as an opening time, a weekday listed twice, and opening after closing', () => {
    const at = (hours: string) => issuesOf(pb({ hours })).map((i) => `${i.path}: ${i.message}`);
    expect(at('{ days: [mon], open: "24:00", close: "24:00" }')).toEqual([
      expect.stringMatching(/^settings\.workingHours\.open: expected a time of day as HH:MM/),
    ]);
    // The ticket calendar refuses a repeated weekday: it used to load and then fail every ticket.
    expect(at('{ days: [mon, tue, mon], open: "08:00", close: "20:00" }')).toEqual([
      'settings.workingHours.days[2]: "mon" is listed twice',
    ]);
    expect(at('{ days: [mon], open: "20:00", close: "08:00" }')).toEqual([
      expect.stringMatching(
        /^settings\.workingHours\.close: closing time 08:00 must be after opening time 20:00/,
      ),
    ]);
  });

  it('rejects a reply deadline the working hours cannot reach', () => {
    // One minute a week: the calendar would search for ten years and fail every complaint.
    const issues = issuesOf(
      pb({
        hours: '{ days: [mon], open: "08:00", close: "08:01" }',
        reply: '{ urgent: 2, standard: 24 }',
      }),
    );
    expect(issues.map((i) => i.path)).toEqual(['settings.complaintReplyHours.standard']);
    expect(issues[0]?.line).toBe(10);
  });
});

describe('seed sections', () => {
  it('rejects a section its seed does not have, with the field and line', () => {
    const issues = issuesOf(pb({ section: '一.(十)' }));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ line: 19, path: 'scenarios[0].sources[0].section' });
    expect(issues[0]?.message).toMatch(/^seed 002 has no section '一\.\(十\)'; expected one of: 一\.\(一\)/);
  });

  it('accepts a section and its parent heading', () => {
    expect(issuesOf(pb({ section: '服务态度.(三).2' }))).toEqual([]);
    expect(issuesOf(pb({ section: '服务态度.(三)' }))).toEqual([]);
  });
});

describe('script lines and variables', () => {
  it('rejects an unknown variable in a title (rendered like a line)', () => {
    const issues = issuesOf(pb({ title: '开头语{brandName}' }));
    expect(issues[0]).toMatchObject({ line: 14, path: 'scenarios[0].title' });
    expect(issues[0]?.message).toContain('unknown variable {brandName}');
  });

  it("rejects a line that says one of the brand's own forbidden phrases, with line and phrase", () => {
    const issues = issuesOf(pb({ lines: ['您好。', '这个我也说不准,您再问问吧。'], forbidden: ['说不准'] }));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({
      file: 'x.yaml',
      line: 19,
      column: 15,
      path: 'scenarios[0].lines[1].text',
    });
    expect(issues[0]?.message).toContain("'说不准'");
  });

  it('matches normalized text: Traditional, full-width, and 你 said as 您', () => {
    expect(issuesOf(pb({ lines: ['這個我也說不準。'], forbidden: ['说不准'] }))[0]?.message).toContain(
      "says '說不準'",
    );
    expect(issuesOf(pb({ lines: ['您不明白吗?'], forbidden: ['你不明白吗'] }))).toHaveLength(1);
  });

  it('does not flag a harmless word that contains a forbidden phrase, nor a phrase split by a variable', () => {
    // 不知道您是否… is a polite question that quality inspection excludes too.
    expect(issuesOf(pb({ lines: ['不知道您是否方便留一个电话?'], forbidden: ['不知道'] }))).toEqual([]);
    expect(
      issuesOf(pb({ lines: ['请问{surname}{title}不知道的是哪一项?'], forbidden: ['不知道'] })),
    ).toHaveLength(1);
    expect(issuesOf(pb({ lines: ['说不{problem}准'], forbidden: ['说不准'] }))).toEqual([]);
  });

  it('rejects a forbidden phrase that has no text once normalized', () => {
    const issues = issuesOf(pb({ forbidden: ['说不准', '"\\u200B"'] }));
    expect(issues.map((i) => i.path)).toEqual(['forbidden[0].phrases[1]']);
  });
});

describe('extends', () => {
  const base = parsePlaybook(pb({ id: 'base', forbidden: ['不知道', '我又不是'] }), 'base.yaml');

  it('rejects an unknown base with the field and line', () => {
    const issues = issuesOf(pb({ extendsId: 'nobody' }), { bases: [base] });
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ line: 2, column: 10, path: 'extends' });
    expect(issues[0]?.message).toBe("no playbook with brand id 'nobody' to extend; expected one of: base");
  });

  it('rejects a line that says a phrase inherited from the base', () => {
    const issues = issuesOf(pb({ extendsId: 'base', lines: ['我又不是客服。'] }), { bases: [base] });
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ line: 19, path: 'scenarios[0].lines[0].text' });
    expect(issues[0]?.message).toContain("inherited from 'base'");
  });

  it('lint: a file alone is checked against its folder, then the shipped playbooks', () => {
    const dir = mkdtempSync(join(tmpdir(), 'huashu-lint-'));
    writeFileSync(join(dir, 'child.yaml'), pb({ id: 'child', extendsId: 'nobody' }));
    expect(() => loadPlaybookFile(join(dir, 'child.yaml'))).toThrow(/child\.yaml:2:10 extends: no playbook/);
    // generic is shipped; it forbids 不晓得.
    writeFileSync(
      join(dir, 'child.yaml'),
      pb({ id: 'child', extendsId: 'generic', lines: ['这我不晓得。'] }),
    );
    expect(() => loadPlaybookFile(join(dir, 'child.yaml'))).toThrow(/lines\[0\]\.text: .*'不晓得'.*generic/);
    writeFileSync(join(dir, 'base.yaml'), pb({ id: 'base', forbidden: ['不知道'] }));
    writeFileSync(join(dir, 'child.yaml'), pb({ id: 'child', extendsId: 'base', lines: ['这我不晓得。'] }));
    expect(loadPlaybookFile(join(dir, 'child.yaml')).extends).toBe('base');
  });

  it('the catalog refuses a new base that forbids what a brand extending it says', () => {
    const child = parsePlaybook(
      pb({ id: 'child', extendsId: 'base', lines: ['我来查一下。'] }),
      'child.yaml',
    );
    const catalog = new Catalog([base, child]);
    const stricter = parsePlaybook(pb({ id: 'base', forbidden: ['不知道', '查一下'] }), 'base2.yaml');
    expect(() => catalog.replace(stricter)).toThrow(/lines\[0\]\.text: .*'查一下'.*brand 'child'/);
  });
});

describe('settings the schema already bounds (kept as load errors)', () => {
  it('a hold limit of 0 or below, no rings, an empty greeting: each at its field', () => {
    const at = (from: string, to: string) => issuesOf(pb().replace(from, to)).map((i) => i.path);
    expect(at('holdLimitSeconds: 60', 'holdLimitSeconds: 0')).toEqual(['settings.holdLimitSeconds']);
    expect(at('holdLimitSeconds: 60', 'holdLimitSeconds: -5')).toEqual(['settings.holdLimitSeconds']);
    expect(at('ringsToAnswer: 3', 'ringsToAnswer: 0')).toEqual(['settings.ringsToAnswer']);
    expect(at('ringsToAnswer: 3', 'ringsToAnswer: 3\n  ringPeriodSeconds: 0')).toEqual([
      'settings.ringPeriodSeconds',
    ]);
    expect(at('- text: 您好!{company},{agentNumber}号为您服务。', '- text: "  "')).toEqual([
      'scenarios[0].lines[0].text',
    ]);
    expect(
      at(
        'complaintReplyHours: { urgent: 2, standard: 24 }',
        'complaintReplyHours: { urgent: 0, standard: .inf }',
      ),
    ).toEqual(['settings.complaintReplyHours.urgent', 'settings.complaintReplyHours.standard']);
  });
});

describe('the index of seed sections', () => {
  it('covers every section the coverage list names', () => {
    for (const s of SEED_SECTIONS)
      expect(isSeedSection(s.seed, s.section), `${s.seed} ${s.section}`).toBe(true);
  });

  it("matches the seeds' text: seed 003's headings occur in it, seed 004 has as many paragraphs", () => {
    const deck = normalizeText(seed('003'));
    for (const heading of SEED_SECTION_IDS['003']) expect(deck, heading).toContain(normalizeText(heading));
    const paragraphs = seed('004')
      .split('\n')
      .filter((l) => l.trim() !== '');
    expect(SEED_SECTION_IDS['004']).toHaveLength(paragraphs.length);
    // Seed 000 numbers the items of each heading: B.七 has seven.
    expect(seed('000')).toMatch(/7\.用户来电发泄怒气/);
  });
});
