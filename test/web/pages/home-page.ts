// Page object: the home page (/).
import type { Page } from 'playwright-core';

export class HomePage {
  constructor(
    private readonly page: Page,
    private readonly base: string,
  ) {}

  async open(): Promise<this> {
    await this.page.goto(`${this.base}/`);
    await this.root().waitFor();
    return this;
  }

  root() {
    return this.page.getByTestId('home-page');
  }

  async heading(): Promise<string> {
    return ((await this.root().locator('h3').textContent()) ?? '').trim();
  }
}
