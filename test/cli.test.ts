// The CLI as a user runs it: the real bin, a real process, real exit codes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = resolve(import.meta.dirname, '../bin/huashu.js');

function huashu(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('huashu playbook', () => {
  it('list shows the brands with scenario counts, as text and JSON', () => {
    const text = huashu('playbook', 'list');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/zhonghua\s+中华保险 95585\s+\d+ scenarios/);
    expect(text.stdout).not.toContain('\x1b['); // no colour when not on a terminal
    const json = JSON.parse(huashu('playbook', 'list', '--json').stdout) as {
      brand: { id: string };
      scenarioCount: number;
    }[];
    expect(json.map((b) => b.brand.id).sort()).toEqual(['chaoyue', 'generic', 'quanjiale', 'zhonghua']);
    expect(json.every((b) => b.scenarioCount > 5)).toBe(true);
  });

  it('show renders a scenario with variables filled and placeholders for the rest', () => {
    const r = huashu('playbook', 'show', 'zhonghua', 'opening.greeting', '--var', 'agentNumber=1024');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('中华保险');
    expect(r.stdout).toContain('1024号为您服务');
    const missing = huashu('playbook', 'show', 'zhonghua', 'opening.greeting');
    expect(missing.stdout).toContain('〔工号〕号为您服务');
    const alias = huashu(
      'playbook',
      'show',
      'zhonghua',
      'opening.greeting',
      '--var',
      'agentId=2048',
      '--json',
    );
    const json = JSON.parse(alias.stdout) as {
      scenarios: { lines: { text: string; missing: string[] }[] }[];
    };
    expect(json.scenarios[0]?.lines[0]?.text).toContain('2048号为您服务');
    expect(json.scenarios[0]?.lines[0]?.missing).toEqual([]);
  });

  it('show renders a Traditional-script brand in Traditional', () => {
    const r = huashu('playbook', 'show', 'quanjiale', 'opening.greeting', '--var', 'agentNumber=018');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('全家樂電器服務中心018為您服務');
  });

  it('show without a scenario lists every scenario grouped by stage', () => {
    const r = huashu('playbook', 'show', 'chaoyue');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('【开头语】');
    expect(r.stdout).toContain('exception.silent-line');
  });

  it('gives clear errors for an unknown brand, scenario or variable', () => {
    const brand = huashu('playbook', 'show', 'acme');
    expect(brand.code).toBe(1);
    expect(brand.stderr).toContain("no brand 'acme'; known brands: ");
    const sc = huashu('playbook', 'show', 'zhonghua', 'exception.silent');
    expect(sc.code).toBe(1);
    expect(sc.stderr).toContain('did you mean: exception.silent-line');
    const v = huashu('playbook', 'show', 'zhonghua', '--var', 'agentNo=1');
    expect(v.code).toBe(2);
    expect(v.stderr).toContain("unknown variable 'agentNo'");
    const form = huashu('playbook', 'show', 'zhonghua', '--var', 'agentNumber');
    expect(form.code).toBe(2);
    expect(form.stderr).toContain('expected key=value');
  });

  it('search ts lists complaint scenarios from every brand', () => {
    const r = huashu('playbook', 'search', 'ts', '--json');
    expect(r.code).toBe(0);
    const hits = JSON.parse(r.stdout) as { brand: string; stage: string }[];
    const brands = new Set(hits.filter((h) => h.stage === 'complaint').map((h) => h.brand));
    for (const b of ['chaoyue', 'zhonghua', 'quanjiale']) expect(brands.has(b), b).toBe(true);
    const text = huashu('playbook', 'search', '投訴', '--brand', 'zhonghua', '--limit', '3');
    expect(text.stdout.trim().split('\n')).toHaveLength(3);
    expect(huashu('playbook', 'search', 'ts', '--limit', '0').code).toBe(2);
  });

  it('lint exits 0 for a valid file and 1 with file:line and field for a broken one', () => {
    expect(huashu('playbook', 'lint', resolve(import.meta.dirname, '../playbooks/zhonghua.yaml')).code).toBe(
      0,
    );
    const dir = mkdtempSync(join(tmpdir(), 'huashu-cli-'));
    const bad = join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      'version: 1\nbrand:\n  id: x\n  name: X\n  agentNumber: { pattern: "^1$", example: "1" }\n',
    );
    const r = huashu('playbook', 'lint', bad);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${bad}:1:1 settings: required field is missing`);
    const json = JSON.parse(huashu('playbook', 'lint', bad, '--json').stdout) as { valid: boolean }[];
    expect(json[0]?.valid).toBe(false);
  });
});

describe('huashu playbook lint catches content that used to fail only later', () => {
  const shipped = readFileSync(resolve(import.meta.dirname, '../playbooks/zhonghua.yaml'), 'utf8');

  it('an unknown time zone, extends, seed section and a line with an inherited forbidden phrase', () => {
    const dir = mkdtempSync(join(tmpdir(), 'huashu-cli-'));
    const file = join(dir, 'zhonghua.yaml');
    writeFileSync(
      file,
      shipped
        .replace('timezone: Asia/Shanghai', 'timezone: Asia/Beijing')
        .replace('extends: generic', 'extends: genric')
        .replace('section: "一.(一)"', 'section: "一.(十)"'),
    );
    const r = huashu('playbook', 'lint', file);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `${file}:22:29 settings.workingHours.timezone: unknown time zone "Asia/Beijing"; expected an IANA name such as "Asia/Shanghai"`,
    );
    expect(r.stderr).toContain(
      `${file}:4:10 extends: no playbook with brand id 'genric' to extend; expected one of: `,
    );
    expect(r.stderr).toMatch(
      /zhonghua\.yaml:34:\d+ scenarios\[0\]\.sources\[0\]\.section: seed 002 has no section '一\.\(十\)'/,
    );

    // 不晓得 is forbidden by generic, which zhonghua extends; Traditional spelling too.
    writeFileSync(file, shipped.replace('您好!{company}{agentNumber}号为您服务。', '您好!这个我不曉得。'));
    const line = huashu('playbook', 'lint', file);
    expect(line.code).toBe(1);
    expect(line.stderr).toMatch(
      /zhonghua\.yaml:32:15 scenarios\[0\]\.lines\[0\]\.text: the script line says '不曉得', a forbidden phrase .*inherited from 'generic'/,
    );
    // A harmless use the forbidden-phrase rules exclude is not flagged.
    writeFileSync(file, shipped.replace('您好,请问有什么可以帮您?', '您好,不知道您有没有保单号?'));
    expect(huashu('playbook', 'lint', file).code).toBe(0);
  });

  it('accepts round-the-clock hours, close "24:00"', () => {
    const dir = mkdtempSync(join(tmpdir(), 'huashu-cli-'));
    const file = join(dir, 'zhonghua.yaml');
    writeFileSync(file, shipped.replace('open: "08:00", close: "20:00"', 'open: "00:00", close: "24:00"'));
    const r = huashu('playbook', 'lint', file);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('every shipped playbook passes the new checks', () => {
    const dir = resolve(import.meta.dirname, '../playbooks');
    const r = huashu(
      'playbook',
      'lint',
      ...['chaoyue', 'generic', 'quanjiale', 'zhonghua'].map((b) => join(dir, `${b}.yaml`)),
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});

describe('usage errors', () => {
  it('exit 2 with a helpful message for unknown commands and options', () => {
    const cmd = huashu('playbok', 'list');
    expect(cmd.code).toBe(2);
    expect(cmd.stderr).toContain("unknown command 'playbok'");
    expect(cmd.stderr).toContain('playbook');
    const opt = huashu('playbook', 'list', '--jsn');
    expect(opt.code).toBe(2);
    expect(opt.stderr).toContain("unknown option '--jsn'");
    expect(huashu().code).toBe(2);
    expect(huashu('playbook').code).toBe(2);
    expect(huashu('--help').code).toBe(0);
  });
});
