// Page object: the dialog that asks for the password again when the session ends under an open
// page (any screen), which keeps what was typed on it.
import type { Page } from 'playwright-core';

export class SessionDialog {
  constructor(private readonly page: Page) {}

  root() {
    return this.page.locator('.ant-modal:visible').filter({ has: this.page.getByTestId('session-password') });
  }

  async waitOpen(): Promise<void> {
    await this.root().waitFor();
  }

  async text(): Promise<string> {
    return ((await this.root().textContent()) ?? '').trim();
  }

  /** Types the password and signs in (the dialog stays on a wrong one, with the server's reason). */
  async signIn(password: string): Promise<void> {
    await this.page.getByTestId('session-password').fill(password);
    await this.page.getByTestId('session-sign-in').click();
  }

  async error(): Promise<string> {
    const e = this.page.getByTestId('session-error');
    await e.waitFor();
    return ((await e.textContent()) ?? '').trim();
  }

  async waitClosed(): Promise<void> {
    await this.page.getByTestId('session-password').waitFor({ state: 'detached' });
  }
}
