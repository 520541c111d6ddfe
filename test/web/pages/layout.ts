// Page object: the frame of every signed-in page (menu, user, language, notifications, sign-out).
import type { Page } from 'playwright-core';

export class Layout {
  constructor(private readonly page: Page) {}

  async menuLabels(): Promise<string[]> {
    const menu = this.page.getByTestId('main-menu');
    await menu.waitFor();
    return (await menu.locator('.ant-menu-item').allInnerTexts()).map((s) => s.trim());
  }

  async openFromMenu(label: string): Promise<void> {
    await this.page.getByTestId('main-menu').getByText(label, { exact: true }).click();
  }

  async switchLanguage(): Promise<void> {
    await this.page.getByTestId('language-switch').click();
  }

  currentUser() {
    return this.page.getByTestId('current-user');
  }

  async signOut(): Promise<void> {
    await this.page.getByTestId('sign-out').click();
  }

  /** The unread count on the bell (0 when no badge number is shown). */
  async unreadCount(): Promise<number> {
    const count = this.page.getByTestId('notification-badge').locator('.ant-scroll-number');
    if ((await count.count()) === 0) return 0;
    return Number((await count.first().getAttribute('title')) ?? '0');
  }

  /** The texts of the notifications in the bell's list, newest first (opens the list). */
  async notificationTexts(): Promise<string[]> {
    const items = this.page.getByTestId('notification-item');
    if (!(await items.first().isVisible())) await this.page.getByTestId('notification-badge').click();
    await items.first().waitFor();
    return (await items.allInnerTexts()).map((s) => s.trim());
  }

  noAccess() {
    return this.page.getByTestId('no-access');
  }

  notFound() {
    return this.page.getByTestId('not-found');
  }
}
