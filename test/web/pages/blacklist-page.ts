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
    await this.page.getByTestId('blacklist-add').click();
    const d = this.page.locator('.ant-modal:visible');
    await d.locator('#phone').fill(phone);
    await d.locator('#reason').fill(reason);
    if (expiry) {
      await d.locator('#expiresAt').fill(expiry);
      await d.locator('#expiresAt').press('Enter');
    }
    await d.locator('.ant-modal-footer .ant-btn-primary').click();
    await d.waitFor({ state: 'detached' }).catch(() => undefined);
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
