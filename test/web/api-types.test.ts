// The web UI's API types are generated from the server's OpenAPI document (`npm run gen:api`):
// this fails when a route changed and the committed files were not regenerated.
import { readFileSync } from 'node:fs';
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
