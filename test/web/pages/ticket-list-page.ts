// Page object: the ticket list (/tickets) and its filters.
import type { Page } from 'playwright-core';

export class TicketListPage {
  constructor(
    private readonly page: Page,
    private readonly base: string,
  ) {}

  async open(query = ''): Promise<this> {
    await this.page.goto(`${this.base}/tickets${query}`);
    await this.page.getByTestId('ticket-list').waitFor();
    return this;
  }

  /** The subjects of the rows shown, once the list has loaded. */
  async subjects(): Promise<string[]> {
    await this.page.locator('.ant-table-tbody').waitFor();
    await this.page
      .locator('.ant-spin-spinning')
      .waitFor({ state: 'detached' })
      .catch(() => undefined);
    return (
      await this.page.locator('.ant-table-tbody tr.ant-table-row td:first-child a').allTextContents()
    ).map((s) => s.trim());
  }

  /** "Overdue now": a running deadline past due. */
  async toggleOverdue(): Promise<void> {
    await this.page.getByTestId('filter-overdue').click();
  }

  async toggleMine(): Promise<void> {
    await this.page.getByTestId('filter-mine').click();
  }

  /** Picks an option of a filter select (type, status, level, brand, breached deadline) by its label. */
  async choose(filter: 'type' | 'status' | 'level' | 'brand' | 'breached', label: string): Promise<void> {
    await this.page.getByTestId(`filter-${filter}`).click();
    await this.page
      .locator('.ant-select-dropdown:visible .ant-select-item-option')
      .getByText(label, { exact: true })
      .click();
  }

  /** Types a ticket number in the search box and searches (Enter); '' clears it. */
  async searchNumber(text: string): Promise<void> {
    const box = this.page.getByTestId('filter-number').locator('input');
    await box.fill(text);
    await box.press('Enter');
  }

  /** Types words in the search box (subject, notes, the customer's name or number) and searches (Enter); '' clears it. */
  async search(text: string): Promise<void> {
    const box = this.page.getByTestId('filter-search').locator('input');
    await box.fill(text);
    await box.press('Enter');
  }

  /** The error the list shows instead of rows (a number the server refuses), if any. */
  async error(): Promise<string | null> {
    const alert = this.page.getByTestId('ticket-list-error');
    return (await alert.count()) ? ((await alert.textContent())?.trim() ?? null) : null;
  }

  async openTicket(subject: string): Promise<void> {
    await this.page.locator('.ant-table-tbody').getByRole('link', { name: subject }).first().click();
    await this.page.getByTestId('ticket-detail').waitFor();
  }

  /** The short ticket numbers (ZH-20261130-0001) shown under the subjects, in list order. */
  async numbers(): Promise<string[]> {
    await this.page.locator('.ant-table-tbody').waitFor();
    return (await this.page.getByTestId('ticket-number').allTextContents()).map((s) => s.trim());
  }
}
