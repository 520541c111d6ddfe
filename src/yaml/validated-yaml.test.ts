import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DataFileError, parseValidatedYaml } from './validated-yaml.ts';

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
