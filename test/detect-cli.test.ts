// `huashu detect` as a user runs it: the real bin, a real process, utterances on stdin.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const BIN = resolve(ROOT, 'bin/huashu.js');

function huashu(input: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, 'detect', ...args], {
    cwd: ROOT,
    input,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface Line {
  text: string;
  situations: string[];
  suggestions: { scenario: string; text: string }[];
}

const jsonLines = (stdout: string): Line[] =>
  stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Line);

describe('huashu detect', () => {
  it('--json: one object per non-empty line, with situations and the brand’s script lines', () => {
    const r = huashu('我要投诉你们\n\n   \n谢谢你\r\n今天天气不错\n', '--brand', 'zhonghua', '--json');
    expect(r.code, r.stderr).toBe(0);
    const lines = jsonLines(r.stdout);
    expect(lines.map((l) => [l.text, l.situations])).toEqual([
      ['我要投诉你们', ['complaint']],
      ['谢谢你', ['thanks']],
      ['今天天气不错', []],
    ]);
    expect(lines[0]?.suggestions[0]).toEqual({
      scenario: 'complaint.attitude',
      text: '对不起,给您添麻烦了,您是否能将详细情况告诉我?',
    });
    expect(lines[1]?.suggestions).toEqual([{ scenario: 'emotion.thanks', text: '不客气。' }]);
    expect(lines[2]?.suggestions).toEqual([]);
  });

  it('suggests in the brand’s script, and from generic where the brand has no line', () => {
    const [thanks] = jsonLines(huashu('多谢了\n', '--brand', 'quanjiale', '--json').stdout);
    expect(thanks?.suggestions[0]?.text).toBe('這是我們應該的,與您的要求還相差很遠,我們將更加努力。');
    // No --brand: the generic playbook.
    const [bye] = jsonLines(huashu('好的,再见\n', '--json').stdout);
    expect(bye?.situations).toEqual(['goodbye']);
    expect(bye?.suggestions[0]?.scenario).toBe('closing.farewell');
  });

  it('prints a readable form by default', () => {
    const r = huashu('我要投诉你们\n', '--brand', '中华保险');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('我要投诉你们\n  情境: 投诉/不满 complaint\n');
    expect(r.stdout).toContain('话术: 对不起,给您添麻烦了,您是否能将详细情况告诉我?  complaint.attitude');
  });

  it('a caller objecting to our sales calls gets the complaint line, a harasser 请您挂机', () => {
    const lines = jsonLines(
      huashu(
        '别再给我打推销电话了\n我要拉黑你们\n再打就报警\n美女你声音好甜\n',
        '--brand',
        'chaoyue',
        '--json',
      ).stdout,
    );
    for (const l of lines.slice(0, 3)) {
      expect(l.situations, l.text).toContain('complaint');
      expect(l.situations, l.text).not.toContain('harassment');
      expect(l.suggestions[0]?.scenario, l.text).toMatch(/^complaint\./);
      expect(l.suggestions.map((x) => x.text).join(), l.text).not.toContain('请您挂机');
    }
    expect(lines[3]?.situations).toContain('harassment');
    expect(lines[3]?.suggestions.map((x) => x.text)).toContain(
      '对不起,您的要求不在我们的服务范围内,请您挂机,再见!',
    );
  });

  it('an unknown brand exits 1 naming the known ones; no input, no output', () => {
    const r = huashu('我要投诉你们\n', '--brand', 'acme');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      "unknown brand 'acme' (--brand); known brands: chaoyue, generic, quanjiale, zhonghua",
    );
    expect(r.stdout).toBe('');
    const empty = huashu('', '--json');
    expect(empty).toMatchObject({ code: 0, stdout: '' });
  });
});
