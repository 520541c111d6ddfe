// Page object: admin → users (/admin/users).
import type { Page } from 'playwright-core';
import { confirmDialog } from './confirm-dialog.ts';

export interface UserFields {
  username?: string;
  displayName?: string;
  role?: string;
  agentNumber?: string;
  /** The team (班组); '' empties the field. */
  team?: string;
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

  /**
   * Picks a role in the dialog's select. On a busy machine a click can land while the list is
   * still opening and not be taken, leaving the list open over the dialog's buttons: pick again
   * until the list has closed on the choice.
   */
  private async chooseRole(role: string): Promise<void> {
    const list = this.page.locator('.ant-select-dropdown:visible');
    for (let attempt = 1; ; attempt++) {
      if (!(await list.isVisible())) await this.dialog().getByTestId('user-role').click();
      await list.locator('.ant-select-item-option').getByText(role, { exact: true }).click();
      try {
        await list.waitFor({ state: 'hidden', timeout: 5_000 });
        return;
      } catch (err) {
        if (attempt >= 3) throw err;
      }
    }
  }

  /** Fills the open dialog's fields and saves. */
  private async fillAndSave(f: UserFields): Promise<void> {
    const d = this.dialog();
    if (f.username !== undefined) await d.locator('#username').fill(f.username);
    if (f.displayName !== undefined) await d.locator('#displayName').fill(f.displayName);
    if (f.role !== undefined) await this.chooseRole(f.role);
    if (f.agentNumber !== undefined) await d.locator('#agentNumber').fill(f.agentNumber);
    if (f.team !== undefined) await d.locator('#team').fill(f.team);
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

  /** Disables (after the confirmation) or enables a user. */
  async toggle(username: string, confirm = true): Promise<void> {
    await this.row(username).getByTestId('user-toggle').click();
    if (confirm) await confirmDialog(this.page);
  }

  /** The error shown under a field of the open dialog. */
  async fieldError(): Promise<string> {
    const e = this.dialog().locator('.ant-form-item-explain-error').first();
    await e.waitFor();
    return ((await e.textContent()) ?? '').trim();
  }

  /** The error shown under one field (its id: agentNumber, password…) of the open dialog. */
  async fieldErrorUnder(field: string): Promise<string> {
    const item = this.dialog().locator('.ant-form-item', { has: this.page.locator(`#${field}`) });
    const e = item.locator('.ant-form-item-explain-error').first();
    await e.waitFor();
    return ((await e.textContent()) ?? '').trim();
  }

  async cancelDialog(): Promise<void> {
    await this.dialog().locator('.ant-modal-footer .ant-btn:not(.ant-btn-primary)').click();
    await this.dialog()
      .waitFor({ state: 'detached' })
      .catch(() => undefined);
  }

  /** The team column of a user's row ('—': none). */
  async team(username: string): Promise<string> {
    return ((await this.row(username).getByTestId('user-team').textContent()) ?? '').trim();
  }

  async cells(username: string): Promise<string[]> {
    await this.row(username).waitFor();
    return (await this.row(username).locator('td').allTextContents()).map((s) => s.trim());
  }
}
