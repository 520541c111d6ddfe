// The data of YAML texts already parsed, by the SHA-256 of the text, so that each text is
// parsed once: the yaml parser takes 50–100 ms per playbook on a cold start, and a start reads
// each playbook several times (the catalog checks each file alone, then against the others;
// the store's copy once more). Two sources: what this process parsed, and what the build
// parsed (`parsed-yaml.json` beside the compiled module: the shipped playbooks and
// scorecards, written by scripts/build.js; absent when running the sources). Only texts that
// parsed without an error or a warning are kept; every use gets its own copy.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

export const BUILT_CACHE_FILE = new URL('../yaml/parsed-yaml.json', import.meta.url);

/** Bounds what a long-running server keeps of the playbook versions it was sent. */
const LIMIT = 64;
let known: Map<string, unknown> | undefined;

function entries(): Map<string, unknown> {
  if (!known) {
    known = new Map();
    try {
      const built = JSON.parse(readFileSync(BUILT_CACHE_FILE, 'utf8')) as Record<string, unknown>;
      for (const [key, data] of Object.entries(built)) known.set(key, data);
    } catch {
      // no build cache (running src/, or a build without it): parse everything
    }
  }
  return known;
}

export function textKey(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}

/** A copy of the data of the text with this key, or undefined when it has not been parsed. */
export function cachedData(key: string): unknown {
  const data = entries().get(key);
  return data === undefined ? undefined : structuredClone(data);
}

export function rememberData(key: string, data: unknown): void {
  const map = entries();
  if (map.size >= LIMIT) {
    const oldest = map.keys().next();
    if (!oldest.done) map.delete(oldest.value);
  }
  map.set(key, structuredClone(data));
}
