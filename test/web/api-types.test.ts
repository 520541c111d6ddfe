// The web UI's API types are generated from the server's OpenAPI document (`npm run gen:api`):
// this fails when a route changed and the committed files were not regenerated.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { API_DIR, generatedApiFiles } from '../../scripts/gen-api.ts';

describe('the generated API client types', () => {
  it('match the server as it is now (run `npm run gen:api` if not)', async () => {
    const files = await generatedApiFiles();
    expect(Object.keys(files).sort()).toEqual(['access.gen.ts', 'enums.gen.ts', 'schema.d.ts']);
    for (const [name, text] of Object.entries(files)) {
      const committed = readFileSync(join(API_DIR, name), 'utf8');
      expect(committed === text, `web/src/api/${name} is stale: run npm run gen:api`).toBe(true);
    }
    // The document the types come from is complete: the schemas its $refs name are in it.
    expect(files['schema.d.ts']).toMatch(/\bUser: \{/);
    expect(files['access.gen.ts']).toContain('"/api/users"');
    // The live socket's messages and the named value lists are in it too.
    expect(files['schema.d.ts']).toMatch(/\bLiveServerMessage: \{/);
    expect(files['schema.d.ts']).toMatch(/\bLiveClientMessage: \{/);
    expect(files['enums.gen.ts']).toContain('export const TicketType = ["complaint",');
    expect(files['enums.gen.ts']).toContain('export const LiveButton = [');
  });
});

describe('the web UI', () => {
  it('copies no value list the API names: it imports the generated one (web/src/api/enums.gen.ts)', () => {
    const generated = readFileSync(join(API_DIR, 'enums.gen.ts'), 'utf8');
    const enums = new Map<string, string>();
    for (const m of generated.matchAll(/^export const (\w+) = (\[.*\]) as const/gm))
      enums.set([...new Set(JSON.parse(m[2] as string) as string[])].sort().join('|'), m[1] as string);
    expect(enums.size).toBeGreaterThan(10);
    const webSrc = join(API_DIR, '..');
    const copies: string[] = [];
    for (const file of readdirSync(webSrc, { recursive: true, encoding: 'utf8' })) {
      if (!/\.tsx?$/.test(file) || file.startsWith('api/') || file.startsWith('i18n/')) continue;
      const text = readFileSync(join(webSrc, file), 'utf8');
      // ['a', 'b', …] and 'a' | 'b' | …: a list of quoted words whose set is a whole API enum.
      const lists = [
        ...[...text.matchAll(/\[\s*((?:'[^'\n]*'\s*,\s*)+'[^'\n]*'),?\s*\]/g)].map((m) => m[1] as string),
        ...[...text.matchAll(/(?:\|\s*)?((?:'[^'\n]*'\s*\|\s*)+'[^'\n]*')/g)].map((m) => m[1] as string),
      ];
      for (const list of lists) {
        const words = [...new Set([...list.matchAll(/'([^'\n]*)'/g)].map((w) => w[1] as string))].sort();
        const name = enums.get(words.join('|'));
        if (name) copies.push(`web/src/${file}: ${name} copied (${words.join(', ')})`);
      }
    }
    expect(copies).toEqual([]);
  });
});
