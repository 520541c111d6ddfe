import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Generous: tests bound their work, not the clock, and must pass on a loaded 2-core
    // machine; a hung test still fails.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // expect.poll waits for what a user would see, not for a deadline: its default of 1 s failed a
    // browser test (an appeal judged, the list's rows recounted) at load 5+ on 2 cores.
    expect: { poll: { timeout: 15_000 } },
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
