// Page object: the sign-in page (/login).
import type { Page } from 'playwright-core';
import { PASSWORD } from '../harness.ts';

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
