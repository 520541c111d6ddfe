// Page object: the scorecards screen (/scorecards): versions, the YAML editor, re-inspection.
import type { Page } from 'playwright-core';

export class ScorecardsPage {
  constructor(
    private readonly page: Page,
    private readonly base: string,
  ) {}

  async open(): Promise<this> {
    await this.page.goto(`${this.base}/scorecards`);
    await this.page.getByTestId('scorecards-page').waitFor();
    return this;
  }

  async published(): Promise<string> {
    return ((await this.page.getByTestId('scorecard-published').textContent()) ?? '').trim();
  }

  async draft(): Promise<string | null> {
    const d = this.page.getByTestId('scorecard-draft');
    return (await d.count()) > 0 ? ((await d.textContent()) ?? '').trim() : null;
  }

  /** The YAML once loaded. */
  async yaml(): Promise<string> {
    const area = this.page.getByTestId('scorecard-yaml');
    await this.page.waitForFunction(
      (el) => (el as { value: string }).value.length > 0,
      await area.elementHandle(),
    );
    return area.inputValue();
  }

  async setYaml(text: string): Promise<void> {
    await this.page.getByTestId('scorecard-yaml').fill(text);
  }

  async lint(): Promise<void> {
    await this.page.getByTestId('scorecard-lint').click();
  }

  async saveDraft(): Promise<void> {
    await this.page.getByTestId('scorecard-save').click();
  }

  async publish(): Promise<void> {
    await this.page.getByTestId('scorecard-publish').click();
  }

  async lintFindings(): Promise<string[]> {
    await this.page.getByTestId('lint-finding').first().waitFor();
    return (await this.page.getByTestId('lint-finding').allTextContents()).map((s) => s.trim());
  }

  async lintOk(): Promise<void> {
    await this.page.getByTestId('lint-ok').waitFor();
  }

  /** Clicks a finding; returns where the cursor went (line and column, from 1). */
  async jumpTo(index: number): Promise<{ line: number; col: number }> {
    await this.page.getByTestId('lint-finding').nth(index).click();
    return this.page.getByTestId('scorecard-yaml').evaluate((el) => {
      const a = el as unknown as { value: string; selectionStart: number };
      const before = a.value.slice(0, a.selectionStart).split('\n');
      return { line: before.length, col: (before.at(-1)?.length ?? 0) + 1 };
    });
  }

  async startReinspection(): Promise<void> {
    await this.page.getByTestId('reinspect-start').click();
  }

  /** The newest run's progress text and status. */
  async latestRun(): Promise<{ text: string; status: string | null }> {
    const el = this.page.getByTestId('reinspect-progress').first();
    await el.waitFor();
    return { text: ((await el.textContent()) ?? '').trim(), status: await el.getAttribute('data-status') };
  }
}
