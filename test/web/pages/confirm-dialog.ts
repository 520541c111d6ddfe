// The confirmation (Modal.confirm) shown before a destructive action: disable a user, revoke a token.
import type { Page } from 'playwright-core';

/**
 * Presses the open confirmation's OK and waits for it to close. On a loaded machine a click while
 * the box is still zooming in can be lost (CI once waited 15 s for a row that never changed), so
 * it clicks again, up to three times, while the box stays open. A click while the first is being
 * saved does nothing: the button is loading.
 */
export async function confirmDialog(page: Page): Promise<void> {
  const box = page.locator('.ant-modal-confirm:visible');
  await box.waitFor();
  for (let attempt = 1; ; attempt++) {
    try {
      await box.locator('.ant-btn-primary').click({ timeout: 5_000 });
      await box.waitFor({ state: 'hidden', timeout: 5_000 });
      return;
    } catch (err) {
      if (!(await box.isVisible())) return;
      if (attempt >= 3) throw err;
    }
  }
}
