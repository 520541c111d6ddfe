// Page object: the callback queue (/callbacks).
import type { Page } from 'playwright-core';

export class CallbacksPage {
  constructor(
    private readonly page: Page,
    private readonly base: string,
  ) {}

  async open(): Promise<this> {
    await this.page.goto(`${this.base}/callbacks`);
    await this.page.getByTestId('callbacks-page').waitFor();
    return this;
  }

  row(subject: string) {
    return this.page.locator(`tr[data-subject="${subject}"]`);
  }

  /** Which queue: not taken (the default), taken, or all. */
  async show(which: '待领取' | '已领取' | '全部'): Promise<void> {
    await this.page.getByTestId('callbacks-taken').getByText(which, { exact: true }).click();
  }

  async subjects(): Promise<string[]> {
    await this.page
      .locator('.ant-spin-spinning')
      .waitFor({ state: 'detached' })
      .catch(() => undefined);
    return this.page
      .locator('tr[data-subject]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-subject') ?? ''));
  }

  async press(subject: string, what: 'take' | 'call' | 'done'): Promise<void> {
    await this.row(subject).getByTestId(`callback-${what}`).click();
  }

  /** The short ticket number under the row's subject ('' when none). */
  async number(subject: string): Promise<string> {
    const n = this.row(subject).getByTestId('ticket-number');
    return (await n.count()) > 0 ? ((await n.textContent()) ?? '').trim() : '';
  }

  async status(subject: string): Promise<string> {
    return ((await this.row(subject).locator('td').nth(5).textContent()) ?? '').trim();
  }

  /** The reason a button of the row is disabled, or null when it is enabled. */
  async disabledReason(subject: string, what: 'take' | 'call' | 'done'): Promise<string | null> {
    const r = this.row(subject).getByTestId(`callback-${what}-reason`);
    return (await r.count()) > 0 ? r.getAttribute('data-reason') : null;
  }
}
