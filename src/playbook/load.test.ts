import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PlaybookError, type PlaybookIssue } from './errors.ts';
import { loadPlaybookDir, loadPlaybookFile, parsePlaybook } from './load.ts';

const VALID = `version: 3
brand:
  id: acme
  name: 阿克米
  hotline: "4008001234"
  agentNumber: { pattern: "^\\\\d{4}$", example: "1024" }
settings:
  ringsToAnswer: 3
  silentLine: { pauseSeconds: 2, attempts: 3 }
  holdLimitSeconds: 60
  complaintReplyHours: { urgent: 2, standard: 24 }
  workingHours: { days: [mon, tue, wed, thu, fri], open: "08:30", close: "17:30" }
scenarios:
  - id: opening.greeting
    title: 开头语
    stage: opening
    situations: [call-answered]
    lines:
      - text: 您好!{company},{agentNumber}号为您服务。
    sources: [{ seed: "002", section: "一.(一)" }]
  - id: exception.silent-line
    title: 无声电话
    stage: exception
    situations: [silent-line]
    lines:
      - text: 对不起,您的电话没有声音,请您换一部电话再打来,再见!
    steps:
      - text: 重复招呼语
        next: opening.greeting
    sources: [{ seed: "002", section: "一.(三)" }]
`;

function issuesOf(text: string): PlaybookIssue[] {
  try {
    parsePlaybook(text, 'x.yaml');
  } catch (err) {
    if (err instanceof PlaybookError) return [...err.issues];
    throw err;
  }
  throw new Error('expected the playbook to be rejected');
}

describe('parsePlaybook', () => {
  it('loads a valid file with defaults filled', () => {
    const pb = parsePlaybook(VALID, 'x.yaml');
    expect(pb.brand.id).toBe('acme');
    expect(pb.brand.script).toBe('simplified');
    expect(pb.settings.ringPeriodSeconds).toBe(5);
    expect(pb.settings.workingHours.timezone).toBe('Asia/Shanghai');
    expect(pb.scenarios.map((s) => s.id)).toEqual(['opening.greeting', 'exception.silent-line']);
  });

  it('says who announces the 工号: the agent by default, or the IVR menu, or nobody; nothing else', () => {
    expect(parsePlaybook(VALID, 'x.yaml').brand.agentNumber.announcedBy).toBe('agent');
    const menu = VALID.replace('example: "1024" }', 'example: "1024", announcedBy: menu }');
    expect(parsePlaybook(menu, 'x.yaml').brand.agentNumber.announcedBy).toBe('menu');
    const [issue] = issuesOf(VALID.replace('example: "1024" }', 'example: "1024", announcedBy: ivr }'));
    expect(issue).toMatchObject({ line: 6, path: 'brand.agentNumber.announcedBy' });
    expect(issue?.message).toContain('got "ivr"; expected one of: agent, menu, none');
  });

  it('reads the former situation names as the detector’s ids (versions stored before the rename)', () => {
    const old = VALID.replace(
      'situations: [silent-line]',
      'situations: [silent-line, asks-agent-name, dissatisfied, complaint]',
    );
    const pb = parsePlaybook(old, 'x.yaml');
    expect(pb.scenarios[1]?.situations).toEqual(['silent-line', 'asks-agent-id', 'complaint']);
  });

  it('reports a YAML syntax error with its line', () => {
    const [issue] = issuesOf(VALID.replace('    title: 无声电话', '    title: [无声电话'));
    expect(issue?.message).toMatch(/^YAML syntax/);
    expect([22, 23]).toContain(issue?.line);
  });

  it('refuses a phrase with an ASCII comma in a [ ] list (YAML would read two), and loads it quoted or spaced', () => {
    const keywords = (list: string) =>
      VALID.replace('situations: [call-answered]', `situations: [call-answered]\n    keywords: ${list}`);
    const issues = issuesOf(keywords('[问好, 您好,请问]'));
    expect(issues).toEqual([
      expect.objectContaining({ file: 'x.yaml', line: 18, column: 20, path: 'scenarios[0].keywords[1]' }),
    ]);
    expect(issues[0]?.message).toContain('您好,请问 reads as 2 items ("您好", "请问")');
    expect(issues[0]?.message).toContain('quote it: "您好,请问"');
    expect(parsePlaybook(keywords('[问好, "您好,请问"]'), 'x.yaml').scenarios[0]?.keywords).toEqual([
      '问好',
      '您好,请问',
    ]);
    expect(parsePlaybook(keywords('[问好, 您好, 请问]'), 'x.yaml').scenarios[0]?.keywords).toEqual([
      '问好',
      '您好',
      '请问',
    ]);
  });

  it('names the file, line, field and the expected values for a bad enum', () => {
    const issues = issuesOf(VALID.replace('situations: [silent-line]', 'situations: [silent-lines]'));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ file: 'x.yaml', line: 24, path: 'scenarios[1].situations[0]' });
    expect(issues[0]?.message).toContain('got "silent-lines"');
    expect(issues[0]?.message).toContain('silent-line,');
  });

  it('rejects a misspelt field instead of ignoring it', () => {
    const issues = issuesOf(VALID.replace('    steps:', '    stepz:'));
    expect(issues[0]).toMatchObject({ line: 27, path: 'scenarios[1]' });
    expect(issues[0]?.message).toContain("unknown field 'stepz'");
  });

  it('reports a missing required field', () => {
    const issues = issuesOf(VALID.replace('  ringsToAnswer: 3\n', ''));
    expect(issues[0]?.path).toBe('settings.ringsToAnswer');
    expect(issues[0]?.message).toContain('required field is missing');
  });

  it('rejects an unknown variable with the list of known ones', () => {
    const issues = issuesOf(VALID.replace('{agentNumber}号', '{agentNo}号'));
    expect(issues[0]).toMatchObject({ line: 19, path: 'scenarios[0].lines[0].text' });
    expect(issues[0]?.message).toContain('unknown variable {agentNo}');
    expect(issues[0]?.message).toContain('{agentNumber}');
  });

  it('rejects duplicate ids, ids that do not name their stage, and dangling references', () => {
    const text = VALID.replace('id: exception.silent-line', 'id: opening.greeting').replace(
      'next: opening.greeting',
      'next: opening.nowhere',
    );
    const messages = issuesOf(text).map((i) => `${i.path}: ${i.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^scenarios\[1\]\.id: duplicate scenario id 'opening.greeting'/),
        expect.stringMatching(
          /^scenarios\[1\]\.id: scenario id 'opening.greeting' must start with its stage 'exception.'/,
        ),
        expect.stringMatching(/^scenarios\[1\]\.steps\[0\]\.next: no scenario 'opening.nowhere'/),
      ]),
    );
  });

  it('checks settings against each other and the agent-number example against its pattern', () => {
    const text = VALID.replace('open: "08:30", close: "17:30"', 'open: "18:30", close: "17:30"')
      .replace('urgent: 2, standard: 24', 'urgent: 48, standard: 24')
      .replace('example: "1024"', 'example: "10"');
    const paths = issuesOf(text).map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'settings.workingHours.close',
        'settings.complaintReplyHours.urgent',
        'brand.agentNumber.example',
      ]),
    );
  });

  it('rejects an empty file and a file that is not a mapping', () => {
    expect(issuesOf('')[0]?.message).toContain('empty');
    expect(issuesOf('- a\n- b\n')[0]?.message).toMatch(/expected object/);
  });

  it('rejects duplicate YAML keys', () => {
    expect(issuesOf(VALID.replace('version: 3\n', 'version: 3\nversion: 4\n'))[0]?.message).toMatch(
      /YAML syntax/,
    );
  });
});

describe('loading files', () => {
  it('reports a missing file clearly', () => {
    expect(() => loadPlaybookFile('/nonexistent/pb.yaml')).toThrow(/cannot read the file: no such file/);
  });

  it('loads a folder only when every file is valid, and rejects a duplicate brand id', () => {
    const dir = mkdtempSync(join(tmpdir(), 'huashu-pb-'));
    writeFileSync(join(dir, 'a.yaml'), VALID);
    expect(loadPlaybookDir(dir).map((p) => p.brand.id)).toEqual(['acme']);
    writeFileSync(join(dir, 'b.yaml'), VALID);
    expect(() => loadPlaybookDir(dir)).toThrow(/brand id 'acme' is already used by a.yaml/);
    writeFileSync(
      join(dir, 'b.yaml'),
      VALID.replace('id: acme', 'id: other').replace('version: 3', 'version: zero'),
    );
    expect(() => loadPlaybookDir(dir)).toThrow(PlaybookError);
  });
});
