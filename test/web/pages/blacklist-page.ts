// Page object: the blacklist (/blacklist).
import type { Page } from 'playwright-core';

export class BlacklistPage {
  constructor(
    private readonly page: Page,
    private readonly base: string,
  ) {}

  async open(): Promise<this> {
    await this.page.goto(`${this.base}/blacklist`);
    await this.page.getByTestId('blacklist-page').waitFor();
    return this;
  }

  row(phone: string) {
    return this.page.locator(`tr[data-phone="${phone}"]`);
  }

  async add(phone: string, reason: string, expiry?: string): Promise<void> {
    await this.startAdd(phone, reason);
    if (expiry) await this.typeExpiry(expiry);
    await this.save();
    await this.dialog()
      .waitFor({ state: 'detached' })
      .catch(() => undefined);
  }

  private dialog() {
    return this.page.locator('.ant-modal:visible');
  }

  /** Opens the add dialog with the number and reason filled in. */
  async startAdd(phone: string, reason: string): Promise<void> {
    await this.page.getByTestId('blacklist-add').click();
    await this.dialog().locator('#phone').fill(phone);
    await this.dialog().locator('#reason').fill(reason);
  }

  /** Types the expiry as a user would (`2099-01-01 00:00:00`) and presses Enter. */
  async typeExpiry(text: string): Promise<void> {
    await this.dialog().locator('#expiresAt').fill(text);
    await this.dialog().locator('#expiresAt').press('Enter');
  }

  /** The expiry picker's days as shown (`YYYY-MM-DD`), and whether each can be picked. */
  async expiryDays(): Promise<{ date: string; disabled: boolean }[]> {
    await this.dialog().locator('#expiresAt').click();
    const cells = this.page.locator('.ant-picker-dropdown:visible .ant-picker-cell');
    await cells.first().waitFor();
    return cells.evaluateAll((es) =>
      es.map((e) => ({
        date: e.getAttribute('title') ?? '',
        disabled: e.classList.contains('ant-picker-cell-disabled'),
      })),
    );
  }

  /** The expiry picker's "now" button (此刻), if it offers one. */
  nowButton() {
    return this.page.locator('.ant-picker-dropdown:visible .ant-picker-now');
  }

  async save(): Promise<void> {
    await this.dialog().locator('.ant-modal-footer .ant-btn-primary').click();
  }

  /** The error under the expiry field, once shown. */
  async expiryError(): Promise<string> {
    const e = this.dialog().locator('.ant-form-item:has(#expiresAt) .ant-form-item-explain-error');
    await e.waitFor();
    return (await e.textContent()) ?? '';
  }

  async remove(phone: string, reason: string): Promise<void> {
    await this.row(phone).getByTestId('blacklist-remove').click();
    const d = this.page.locator('.ant-modal:visible');
    await d.locator('#reason').fill(reason);
    await d.locator('.ant-modal-footer .ant-btn-primary').click();
  }

  async show(status: '生效中' | '已到期' | '已移除' | '全部'): Promise<void> {
    await this.page.getByTestId('blacklist-status').getByText(status, { exact: true }).click();
  }

  async cells(phone: string): Promise<string[]> {
    await this.row(phone).waitFor();
    return (await this.row(phone).locator('td').allTextContents()).map((s) => s.trim());
  }
}
