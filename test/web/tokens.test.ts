// The API token's expiry in Chromium, by an admin: a future time in the centre's zone (the
// browser is in London, the centre in Shanghai), never a past one saved, nor one dropped into
// "never expires".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, missingForBrowserTests, startServer, type WebServer } from './harness.ts';
import { signedInBrowser } from './pages/login-page.ts';
import { TokensPage } from './pages/tokens-page.ts';

const missing = missingForBrowserTests();

describe.skipIf(missing !== undefined)('an API token’s expiry in Chromium', () => {
  let server: WebServer;
  beforeAll(async () => {
    server = await startServer();
    await createUser(server, 'admin', 'boss');
  });
  afterAll(async () => {
    await server?.close();
  });

  const listed = async () =>
    (await server.t.app.services.accounts.listApiTokens(null)).map((t) => ({
      name: t.name,
      expiresAt: t.expiresAt,
    }));
  // The centre's wall time of an instant, as typed into the picker (`2026-12-03 15:30:00`).
  const wall = (at: number) =>
    new Intl.DateTimeFormat('sv-SE', {
      timeZone: 'Asia/Shanghai',
      dateStyle: 'short',
      timeStyle: 'medium',
    }).format(at);

  it('offers no past day and no 此刻; a past time typed or gone by is refused in the centre’s time, never saved as 永不', async () => {
    const b = await signedInBrowser(server.base, 'boss');
    const tokens = await new TokensPage(b.page, server.base).open();
    await tokens.startCreate('报表同步');
    // Today is the centre's (Asia/Shanghai), not the browser's (Europe/London).
    const today = wall(Date.now()).slice(0, 10);
    const days = await tokens.expiry.days();
    expect(days.filter((d) => d.date < today && !d.disabled)).toEqual([]);
    expect(days.filter((d) => d.date >= today && d.disabled)).toEqual([]);
    expect(days.some((d) => d.date > today)).toBe(true);
    // No "now" button: it would give the browser's now, read as the centre's time.
    expect(await tokens.expiry.nowButton().count()).toBe(0);

    // A past time typed stays refused in the field: not saved as a token that never expires.
    await tokens.expiry.type('2020-01-01 00:00:00');
    await tokens.save();
    expect(await tokens.expiry.error()).toBe(
      '请选或输入以后的时间（按 Asia/Shanghai，如 2030-01-31 18:00:00），或留空表示永不过期',
    );
    expect(await listed()).toEqual([]);

    // A time gone by when saved (the dialog stayed open): the server's refusal, in the centre's
    // time as the screen shows times, not in UTC.
    const soon = Date.now() + 5 * 60_000;
    const later = Date.now() + 10 * 60_000;
    await tokens.expiry.type(wall(soon));
    server.t.clock.set(new Date(later));
    try {
      await tokens.save();
      await expect
        .poll(() => tokens.expiry.error())
        .toBe(
          `${wall(soon)}（Asia/Shanghai）已过（现在 ${wall(later)}）：请选以后的时间，或留空表示永不过期`,
        );
    } finally {
      server.t.clock.set(new Date(Math.floor(Date.now() / 1000) * 1000));
    }
    expect(await listed()).toEqual([]);

    // A later time is taken, read in the centre's zone, and listed in it.
    const hour = Math.floor((Date.now() + 60 * 60_000) / 1000) * 1000;
    await tokens.expiry.type(wall(hour));
    await tokens.save();
    expect((await tokens.takeSecret()).length).toBeGreaterThan(20);
    expect(await listed()).toEqual([{ name: '报表同步', expiresAt: new Date(hour).toISOString() }]);
    expect((await tokens.cells('报表同步')).join(' ')).toContain(
      wall(hour).slice(0, 16).replaceAll('-', '/'),
    );
  });
});
