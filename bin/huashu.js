#!/usr/bin/env node
// Runs the compiled CLI (dist/, built by `npm run build`, which `npm install` and `npm ci` run
// through `prepare`) when it is current, else the TypeScript sources through tsx (about 1 s
// more per start). Current means built after the last change to every source file: a
// developer who edits src/ and runs `npx huashu` (or a test that spawns it) gets the edited
// code, never a stale build, without having to remember `npm run build`.
import { distIsCurrent } from './dist-current.js';

if (distIsCurrent()) {
  await import('../dist/cli/run.js');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/run.ts');
}
