// Page object: the sign-in page (/login).
import type { Page } from 'playwright-core';
import { type Browser, openBrowser, PASSWORD } from '../harness.ts';

export class LoginPage {
  constructor(
    private readonly page: Page,
    private readonly base: string,
  ) {}

  async open(): Promise<this> {
    await this.page.goto(`${this.base}/login`);
    await this.page.getByTestId('login-page').waitFor();
    return this;
  }

  async signIn(username: string, password = PASSWORD): Promise<void> {
    await this.page.locator('#username').fill(username);
    await this.page.locator('#password').fill(password);
    await this.page.locator('button[type=submit]').click();
  }

  /** The server's refusal shown above the form. */
  error() {
    return this.page.getByTestId('login-error');
  }
}

/** A fresh browser signed in as `username`, on the home page (closed when the test ends). */
export async function signedInBrowser(
  base: string,
  username: string,
  options: Parameters<typeof openBrowser>[0] = {},
): Promise<Browser> {
  const b = await openBrowser(options);
  await (await new LoginPage(b.page, base).open()).signIn(username);
  await b.page.getByTestId('home-page').waitFor();
  return b;
}
