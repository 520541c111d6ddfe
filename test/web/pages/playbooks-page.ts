// Page object: the playbook browser (/playbooks) and the admin's YAML editor.
import type { Page } from 'playwright-core';

export class PlaybooksPage {
  constructor(
    private readonly page: Page,
    private readonly base: string,
  ) {}

  async open(brand: string): Promise<this> {
    await this.page.goto(`${this.base}/playbooks?brand=${brand}`);
    await this.page.getByTestId('playbooks-page').waitFor();
    return this;
  }

  async search(q: string): Promise<void> {
    const box = this.page.getByTestId('playbook-search').locator('input');
    await box.fill(q);
    await box.press('Enter');
  }

  /** The scenario ids found, best first, once the list has loaded. */
  async hits(): Promise<string[]> {
    await this.page.getByTestId('playbook-hit').first().waitFor();
    return this.page
      .getByTestId('playbook-hit')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-scenario') ?? ''));
  }

  async openScenario(id: string): Promise<string[]> {
    await this.page.locator(`[data-testid=playbook-hit][data-scenario="${id}"]`).click();
    await this.page.getByTestId('scenario-line').first().waitFor();
    return (await this.page.getByTestId('scenario-line').allTextContents()).map((s) => s.trim());
  }

  async version(): Promise<string> {
    return ((await this.page.getByTestId('playbook-version').textContent()) ?? '').trim();
  }

  editButton() {
    return this.page.getByTestId('playbook-edit');
  }

  async editReason(): Promise<string | null> {
    const r = this.page.getByTestId('playbook-edit-reason');
    return (await r.count()) > 0 ? r.getAttribute('data-reason') : null;
  }

  /** Opens the editor and waits for the YAML in force; returns it. */
  async openEditor(): Promise<string> {
    await this.editButton().click();
    const area = this.page.getByTestId('playbook-yaml');
    await area.waitFor();
    await this.page.waitForFunction(
      (el) => (el as { value: string }).value.length > 0,
      await area.elementHandle(),
    );
    return area.inputValue();
  }

  async setYaml(text: string): Promise<void> {
    await this.page.getByTestId('playbook-yaml').fill(text);
  }

  async publish(): Promise<void> {
    await this.page.getByTestId('playbook-publish').click();
  }

  async lintFindings(): Promise<string[]> {
    await this.page.getByTestId('lint-finding').first().waitFor();
    return (await this.page.getByTestId('lint-finding').allTextContents()).map((s) => s.trim());
  }

  /** Clicks a finding; returns where the cursor went (line and column, from 1). */
  async jumpTo(index: number): Promise<{ line: number; col: number }> {
    await this.page.getByTestId('lint-finding').nth(index).click();
    return this.page.getByTestId('playbook-yaml').evaluate((el) => {
      const a = el as unknown as { value: string; selectionStart: number };
      const before = a.value.slice(0, a.selectionStart).split('\n');
      return { line: before.length, col: (before.at(-1)?.length ?? 0) + 1 };
    });
  }
}
