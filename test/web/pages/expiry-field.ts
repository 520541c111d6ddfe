// Page-object part: the future-expiry date-time field of a dialog (the blacklist's and an API
// token's: one picker in the UI, web/src/backoffice/future-expiry.ts), as a user works it.
import type { Locator, Page } from 'playwright-core';

export class ExpiryField {
  constructor(
    private readonly page: Page,
    private readonly dialog: () => Locator,
  ) {}

  /** Types the expiry as a user would (`2099-01-01 00:00:00`) and presses Enter. */
  async type(text: string): Promise<void> {
    await this.dialog().locator('#expiresAt').fill(text);
    await this.dialog().locator('#expiresAt').press('Enter');
  }

  /** The picker's days as shown (`YYYY-MM-DD`), and whether each can be picked. */
  async days(): Promise<{ date: string; disabled: boolean }[]> {
    await this.dialog().locator('#expiresAt').click();
    const cells = this.page.locator('.ant-picker-dropdown:visible .ant-picker-cell');
    // The month's panel drawn whole: the browser's today among its cells (a read of the cells
    // while the dropdown still opened, on a loaded machine, once found no day after today).
    await this.page.locator('.ant-picker-dropdown:visible .ant-picker-cell-today').waitFor();
    return cells.evaluateAll((es) =>
      es.map((e) => ({
        date: e.getAttribute('title') ?? '',
        disabled: e.classList.contains('ant-picker-cell-disabled'),
      })),
    );
  }

  /** The picker's "now" button (此刻), if it offers one. */
  nowButton(): Locator {
    return this.page.locator('.ant-picker-dropdown:visible .ant-picker-now');
  }

  /** The error under the field, once shown. */
  async error(): Promise<string> {
    const e = this.dialog().locator('.ant-form-item:has(#expiresAt) .ant-form-item-explain-error');
    await e.waitFor();
    return (await e.textContent()) ?? '';
  }
}
