// Page object: the blacklist (/blacklist).
import type { Page } from 'playwright-core';
import { ExpiryField } from './expiry-field.ts';

export class BlacklistPage {
  /** The dialog's expiry field. */
  readonly expiry: ExpiryField;

  constructor(
    private readonly page: Page,
    private readonly base: string,
  ) {
    this.expiry = new ExpiryField(page, () => this.dialog());
  }

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
    if (expiry) await this.expiry.type(expiry);
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

  async save(): Promise<void> {
    await this.dialog().locator('.ant-modal-footer .ant-btn-primary').click();
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
