// Page object: admin → users (/admin/users).
import type { Page } from 'playwright-core';

export interface UserFields {
  username?: string;
  displayName?: string;
  role?: string;
  agentNumber?: string;
  password?: string;
}

export class UsersPage {
  constructor(
    private readonly page: Page,
    private readonly base: string,
  ) {}

  async open(): Promise<this> {
    await this.page.goto(`${this.base}/admin/users`);
    await this.page.getByTestId('users-page').waitFor();
    return this;
  }

  row(username: string) {
    return this.page.locator(`tr[data-username="${username}"]`);
  }

  private dialog() {
    return this.page.locator('.ant-modal:visible');
  }

  /** Fills the open dialog's fields and saves. */
  private async fillAndSave(f: UserFields): Promise<void> {
    const d = this.dialog();
    if (f.username !== undefined) await d.locator('#username').fill(f.username);
    if (f.displayName !== undefined) await d.locator('#displayName').fill(f.displayName);
    if (f.role !== undefined) {
      await d.getByTestId('user-role').click();
      await this.page
        .locator('.ant-select-dropdown:visible .ant-select-item-option')
        .getByText(f.role, { exact: true })
        .click();
    }
    if (f.agentNumber !== undefined) await d.locator('#agentNumber').fill(f.agentNumber);
    if (f.password !== undefined) await d.locator('#password').fill(f.password);
    await d.locator('.ant-modal-footer .ant-btn-primary').click();
  }

  async create(f: UserFields): Promise<void> {
    await this.page.getByTestId('user-create').click();
    await this.dialog().waitFor();
    await this.fillAndSave(f);
  }

  async edit(username: string, f: UserFields): Promise<void> {
    await this.row(username).getByTestId('user-edit').click();
    await this.dialog().waitFor();
    await this.fillAndSave(f);
  }

  async resetPassword(username: string, password: string): Promise<void> {
    await this.row(username).getByTestId('user-password').click();
    await this.dialog().waitFor();
    await this.fillAndSave({ password });
  }

  async toggle(username: string, confirm = true): Promise<void> {
    await this.row(username).getByTestId('user-toggle').click();
    if (confirm) await this.page.locator('.ant-modal-confirm .ant-btn-primary').click();
  }

  /** The error shown under a field of the open dialog. */
  async fieldError(): Promise<string> {
    const e = this.dialog().locator('.ant-form-item-explain-error').first();
    await e.waitFor();
    return ((await e.textContent()) ?? '').trim();
  }

  async cancelDialog(): Promise<void> {
    await this.dialog().locator('.ant-modal-footer .ant-btn:not(.ant-btn-primary)').click();
    await this.dialog()
      .waitFor({ state: 'detached' })
      .catch(() => undefined);
  }

  async cells(username: string): Promise<string[]> {
    await this.row(username).waitFor();
    return (await this.row(username).locator('td').allTextContents()).map((s) => s.trim());
  }
}
