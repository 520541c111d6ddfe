// Page object: the follow-up queue (/follow-ups).
import type { Page } from 'playwright-core';

export class FollowUpsPage {
  constructor(
    private readonly page: Page,
    private readonly base: string,
  ) {}

  async open(): Promise<this> {
    await this.page.goto(`${this.base}/follow-ups`);
    await this.page.getByTestId('follow-ups-page').waitFor();
    return this;
  }

  row(subject: string) {
    return this.page.locator(`tr[data-subject="${subject}"]`);
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

  async attempts(subject: string): Promise<string> {
    return ((await this.row(subject).getByTestId('follow-up-attempts').textContent()) ?? '').trim();
  }

  /** The short ticket number under the row's subject ('' when none). */
  async number(subject: string): Promise<string> {
    const n = this.row(subject).getByTestId('ticket-number');
    return (await n.count()) > 0 ? ((await n.textContent()) ?? '').trim() : '';
  }

  async due(subject: string): Promise<string> {
    return ((await this.row(subject).getByTestId('follow-up-due').textContent()) ?? '').trim();
  }

  /** Opens the row's visit dialog and fills it (reached, stars, comment) without saving. */
  async startRecording(subject: string, visit: { stars: number; comment: string }) {
    await this.row(subject).getByTestId('follow-up-record').click();
    const dialog = this.dialog();
    await dialog.getByTestId('follow-up-reached').waitFor();
    await dialog.getByText('已联系上', { exact: true }).click();
    await dialog
      .getByTestId('follow-up-satisfaction')
      .locator('.ant-rate-star')
      .nth(visit.stars - 1)
      .click();
    await dialog.getByTestId('follow-up-comment').fill(visit.comment);
  }

  dialog() {
    return this.page.locator('.ant-modal:visible');
  }

  /** Presses the dialog's save button (it stays open when the save is refused). */
  async save() {
    await this.dialog().getByTestId('follow-up-save').click();
  }

  async saveEnabled(): Promise<boolean> {
    return this.dialog().getByTestId('follow-up-save').isEnabled();
  }

  /** The comment typed in the open dialog. */
  async typedComment(): Promise<string> {
    return this.dialog().getByTestId('follow-up-comment').inputValue();
  }

  /** The dialog's stars (how many are full). */
  async typedStars(): Promise<number> {
    return this.dialog().getByTestId('follow-up-satisfaction').locator('.ant-rate-star-full').count();
  }

  /** The dialog's "someone changed this ticket" notice (after a refused, stale save). */
  conflict() {
    return this.dialog().getByTestId('dialog-conflict');
  }

  async reloadInDialog() {
    await this.dialog().getByTestId('dialog-reload').click();
    await this.conflict().waitFor({ state: 'detached' });
  }

  /** Why the reloaded ticket takes no visit ('' when it does). */
  async refusal(): Promise<string> {
    const r = this.dialog().getByTestId('dialog-refused');
    return (await r.count()) > 0 ? ((await r.textContent()) ?? '').trim() : '';
  }

  /** Records a visit: not reached (an attempt), or reached with 1–5 stars and a comment. */
  async record(
    subject: string,
    visit: { reached: false } | { reached: true; stars: number; comment?: string },
  ) {
    await this.row(subject).getByTestId('follow-up-record').click();
    const dialog = this.page.locator('.ant-modal:visible');
    await dialog.getByTestId('follow-up-reached').waitFor();
    if (!visit.reached) await dialog.getByText('未联系上', { exact: false }).click();
    else {
      await dialog.getByText('已联系上', { exact: true }).click();
      await dialog
        .getByTestId('follow-up-satisfaction')
        .locator('.ant-rate-star')
        .nth(visit.stars - 1)
        .click();
      if (visit.comment) await dialog.getByTestId('follow-up-comment').fill(visit.comment);
    }
    await dialog.locator('.ant-modal-footer .ant-btn-primary').click();
    await dialog.waitFor({ state: 'detached' });
  }
}
