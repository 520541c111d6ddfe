// Page object: customers (/customers) and a customer's history drawer.
import type { Page } from 'playwright-core';

export class CustomersPage {
  constructor(
    private readonly page: Page,
    private readonly base: string,
  ) {}

  async open(): Promise<this> {
    await this.page.goto(`${this.base}/customers`);
    await this.page.getByTestId('customers-page').waitFor();
    return this;
  }

  async search(text: string): Promise<void> {
    const box = this.page.getByTestId('customer-search').locator('input');
    await box.fill(text);
    await box.press('Enter');
  }

  async phones(): Promise<string[]> {
    await this.page
      .locator('.ant-spin-spinning')
      .waitFor({ state: 'detached' })
      .catch(() => undefined);
    return this.page
      .locator('tr[data-phone]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-phone') ?? ''));
  }

  /** Opens the history of a searched whole number nobody recorded as a customer. */
  async numberHistory(): Promise<void> {
    await this.page.getByTestId('customer-number-history').click();
    await this.page.getByTestId('customer-history').waitFor();
  }

  /** The subjects of the tickets the open history drawer lists (waits for the first). */
  async historyTickets(): Promise<string[]> {
    const drawer = this.page.getByTestId('customer-history');
    await drawer.getByTestId('history-ticket').first().waitFor();
    return (await drawer.getByTestId('history-ticket').locator('a').allTextContents()).map((s) => s.trim());
  }

  /** The open history drawer's tickets as listed: number, type and subject (waits for the first). */
  async historyTicketRows(): Promise<{ number: string; type: string; subject: string }[]> {
    const drawer = this.page.getByTestId('customer-history');
    await drawer.getByTestId('history-ticket').first().waitFor();
    const rows = drawer.getByTestId('history-ticket');
    const out: { number: string; type: string; subject: string }[] = [];
    for (let i = 0; i < (await rows.count()); i++) {
      const row = rows.nth(i);
      const text = async (id: string) => ((await row.getByTestId(id).textContent()) ?? '').trim();
      out.push({
        number: await text('history-ticket-number'),
        type: await text('history-ticket-type'),
        subject: ((await row.locator('a').textContent()) ?? '').trim(),
      });
    }
    return out;
  }

  /** Opens the customer's calls and tickets; returns the drawer's text once its calls are listed. */
  async history(phone: string): Promise<string> {
    await this.page.locator(`tr[data-phone="${phone}"]`).click();
    const drawer = this.page.getByTestId('customer-history');
    await drawer.getByTestId('history-call').first().waitFor();
    return (await drawer.textContent()) ?? '';
  }
}
