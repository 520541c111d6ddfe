// Test support: the shared seed documents and corpus live beside the repository (../shared)
// and are read, never copied (their text must not enter the repository).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// HUASHU_SHARED_DIR: where ../shared is when the checkout is not beside it (a git worktree).
export const SHARED =
  process.env.HUASHU_SHARED_DIR ?? fileURLToPath(new URL('../../../shared/', import.meta.url));

/** Seed documents by number prefix ('000' … '004'). */
export function seed(prefix: string): string {
  const dir = join(SHARED, 'seeds');
  const name = readdirSync(dir).find((f) => f.startsWith(`${prefix}_`) && f.endsWith('.txt'));
  if (!name) throw new Error(`seed ${prefix} not found in ${dir}`);
  return readFileSync(join(dir, name), 'utf8');
}

export interface CorpusTurn {
  speaker: 'agent' | 'customer';
  text: string;
}

/** The real help-desk dialogues (evaluation only). */
export function corpus(): { id: string; turns: CorpusTurn[] }[] {
  const raw = readFileSync(join(SHARED, 'corpus', 'stc3_weibo_helpdesk_zh.jsonl'), 'utf8');
  return raw
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { id: string; turns: CorpusTurn[] });
}
