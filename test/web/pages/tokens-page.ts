// Page object: admin → API tokens (/admin/tokens).
import type { Page } from 'playwright-core';
import { confirmDialog } from './confirm-dialog.ts';
import { ExpiryField } from './expiry-field.ts';

export class TokensPage {
  /** The dialog's expiry field. */
  readonly expiry: ExpiryField;

  constructor(
    private readonly page: Page,
    private readonly base: string,
  ) {
    this.expiry = new ExpiryField(page, () => this.dialog());
  }

  async open(): Promise<this> {
    await this.page.goto(`${this.base}/admin/tokens`);
    await this.page.getByTestId('tokens-page').waitFor();
    return this;
  }

  row(name: string) {
    return this.page.locator('.ant-table-tbody tr.ant-table-row').filter({ hasText: name });
  }

  /** Creates a token for the owner (their display name); returns the secret shown once. */
  async create(name: string, owner: string): Promise<string> {
    await this.page.getByTestId('token-create').click();
    const d = this.page.locator('.ant-modal:visible');
    await d.locator('#name').fill(name);
    // A searchable select: type, then take the first match.
    await d.locator('#userId').fill(owner);
    await this.page
      .locator('.ant-select-dropdown:visible .ant-select-item-option')
      .filter({ hasText: owner })
      .first()
      .waitFor();
    await d.locator('#userId').press('Enter');
    await d.locator('.ant-modal-footer .ant-btn-primary').click();
    return this.takeSecret();
  }

  private dialog() {
    return this.page.locator('.ant-modal:visible');
  }

  /** Opens the create dialog with the name filled in (the owner left as the admin). */
  async startCreate(name: string): Promise<void> {
    await this.page.getByTestId('token-create').click();
    await this.dialog().locator('#name').fill(name);
  }

  /** Presses the dialog's save button. */
  async save(): Promise<void> {
    await this.dialog().locator('.ant-modal-footer .ant-btn-primary').click();
  }

  /** The secret shown once after a save, its dialog then closed. */
  async takeSecret(): Promise<string> {
    const secret = this.page.getByTestId('token-secret');
    await secret.waitFor();
    const text = ((await secret.textContent()) ?? '').trim();
    await this.page.getByTestId('token-secret-ok').click();
    // Both dialogs (the form, then the secret) close with an animation; until the last
    // is gone its wrap takes the clicks meant for the table behind it (seen on a loaded CI).
    await this.page.locator('.ant-modal-wrap:visible').first().waitFor({ state: 'hidden' });
    return text;
  }

  /** The row's cells as shown. */
  async cells(name: string): Promise<string[]> {
    return this.row(name).locator('td').allTextContents();
  }

  async status(name: string): Promise<string> {
    return ((await this.row(name).getByTestId('token-status').textContent()) ?? '').trim();
  }

  async revoke(name: string): Promise<void> {
    await this.row(name).getByTestId('token-revoke').click();
    await confirmDialog(this.page);
  }
}
