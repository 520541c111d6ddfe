import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { cleanYamlData, DataFileError, parseValidatedYaml } from './validated-yaml.ts';

const schema = z.strictObject({ name: z.string(), items: z.array(z.strictObject({ n: z.number() })) });
const opts = {
  file: 'x.yaml',
  schema,
  error: (issues: ConstructorParameters<typeof DataFileError>[1]) => new DataFileError('test file', issues),
  docsHint: 'see nowhere',
};

function issuesOf(text: string) {
  try {
    parseValidatedYaml(text, opts);
  } catch (err) {
    if (err instanceof DataFileError) return err.issues;
    throw err;
  }
  return [];
}

describe('parseValidatedYaml with the parse cache', () => {
  it('places an issue at the same line and column when the text was parsed before', () => {
    const text = 'name: a\nitems:\n  - n: 1\n  - n: two\n';
    const first = issuesOf(text);
    expect(first).toEqual([expect.objectContaining({ line: 4, column: 8, path: 'items[1].n' })]);
    expect(issuesOf(text)).toEqual(first);
  });

  it('gives every caller its own data: changing one result does not change the next', () => {
    const text = 'name: b\nitems:\n  - n: 1\n';
    const one = parseValidatedYaml(text, opts);
    one.items.push({ n: 2 });
    expect(parseValidatedYaml(text, opts)).toEqual({ name: 'b', items: [{ n: 1 }] });
  });
});

describe('a comma with no space after it inside a [ ] list', () => {
  const lists = z.strictObject({ phrases: z.array(z.union([z.string(), z.number()])) });
  const read = (text: string) => parseValidatedYaml(text, { ...opts, schema: lists });
  const refusal = (text: string) => {
    try {
      read(text);
    } catch (err) {
      if (err instanceof DataFileError) return err;
      throw err;
    }
    throw new Error('expected the file to be refused');
  };

  it('is refused with the place, the item as written, what YAML made of it and the fix', () => {
    const err = refusal('phrases: [再见, 您好,请问]\n');
    expect(err.issues).toEqual([
      {
        file: 'x.yaml',
        line: 1,
        column: 15,
        path: 'phrases[1]',
        message:
          '您好,请问 reads as 2 items ("您好", "请问"): in a [ ] list a comma with no space after it separates items. ' +
          'If it is one phrase, quote it: "您好,请问" (or write the full-width comma: 您好，请问, which matches the same, ' +
          'or put it on its own line of a - list); if 2 items are meant, put a space after each comma: 您好, 请问',
      },
    ]);
    expect(err.message).toContain('x.yaml:1:15 phrases[1]: 您好,请问 reads as 2 items');
  });

  it('is refused every time, also once the same text was read (the parse caches)', () => {
    const text = 'phrases: [稍等,请您稍等]\n';
    expect(refusal(text).issues).toHaveLength(1);
    expect(refusal(text).issues).toHaveLength(1);
    // Nor does the build store its data for a start to take without the check.
    expect(cleanYamlData(text)).toBeUndefined();
    expect(cleanYamlData('phrases: [稍等, 请您稍等]\n')).toEqual({ phrases: ['稍等', '请您稍等'] });
  });

  it('loads the phrase quoted, the two items spaced, a list over lines and a list of numbers', () => {
    expect(read('phrases: ["您好,请问", 再见]\n').phrases).toEqual(['您好,请问', '再见']);
    expect(read("phrases: ['您好,请问']\n").phrases).toEqual(['您好,请问']);
    expect(read('phrases: [您好, 请问]\n').phrases).toEqual(['您好', '请问']);
    expect(read('phrases: [您好,\n  请问]\n').phrases).toEqual(['您好', '请问']);
    expect(read('phrases:\n  - 您好,请问\n').phrases).toEqual(['您好,请问']);
    // The full-width comma the message offers is one item (and the matcher reads it as `,`).
    expect(read('phrases: [您好，请问, 再见]\n').phrases).toEqual(['您好，请问', '再见']);
    expect(read('phrases: [1,2]\n').phrases).toEqual([1, 2]);
  });

  it('loads lists of ASCII values written without spaces (days, channels, dates): the schema checks those', () => {
    expect(read('phrases: [mon,tue,wed]\n').phrases).toEqual(['mon', 'tue', 'wed']);
    expect(read('phrases: [phone,chat]\n').phrases).toEqual(['phone', 'chat']);
    expect(read('phrases: [2026-10-01,2026-10-02]\n').phrases).toEqual(['2026-10-01', '2026-10-02']);
    // One Chinese item in the run is enough to refuse it.
    expect(refusal('phrases: [ok,好的]\n').issues).toHaveLength(1);
  });
});

describe('a hint to fix a value of the wrong type', () => {
  const fields = z.strictObject({ aliases: z.array(z.string()), rings: z.int().min(1).optional() });
  const issues = (text: string) => {
    try {
      parseValidatedYaml(text, {
        ...opts,
        schema: fields,
        docsHint: 'see playbooks/README.md for the format',
      });
    } catch (err) {
      if (err instanceof DataFileError) return err.issues;
      throw err;
    }
    throw new Error('expected the file to be refused');
  };

  it('quotes a number as typed, not as YAML read it: a landline keeps its leading 0, a price its 0', () => {
    const found = issues('aliases: [01012345, 07558888123, 12.50, 123456789012345678901]\n');
    expect(found.map((i) => i.zh)).toEqual([
      '应为文字，实际是数字：请加引号写成文字："01012345"',
      '应为文字，实际是数字：请加引号写成文字："07558888123"',
      '应为文字，实际是数字：请加引号写成文字："12.50"',
      '应为文字，实际是数字：请加引号写成文字："123456789012345678901"',
    ]);
    expect(found[0]?.message).toBe('expected string, got number: put it in quotes: "01012345"');
  });

  it('asks for a whole number where the field takes only whole numbers, and says so in Chinese', () => {
    expect(issues('aliases: []\nrings: "3.5"\n')[0]).toMatchObject({
      path: 'rings',
      message:
        'expected number, got string: write a whole number without quotes in half-width digits (3.5 is not one)',
      zh: '应为数字，实际是文字：请写不带引号的半角整数（3.5 不是整数）',
    });
    expect(issues('aliases: []\nrings: "３"\n')[0]?.zh).toBe(
      '应为数字，实际是文字：请写不带引号的半角数字：3',
    );
    expect(issues('aliases: [a]\nrings: true\n')[0]?.zh).toBe('应为数字，实际是布尔值');
    expect(issues('aliases: [a]\nring: 3\n')[0]?.zh).toBe(
      "未知字段 'ring'（请检查拼写；参见 playbooks/README.md）",
    );
  });
});
