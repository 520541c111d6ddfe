// Page objects: the call search (/calls) and one call (/calls/:id).
import type { Page } from 'playwright-core';

export class CallsPage {
  constructor(
    private readonly page: Page,
    private readonly base: string,
  ) {}

  async open(): Promise<this> {
    await this.page.goto(`${this.base}/calls`);
    await this.page.getByTestId('calls-page').waitFor();
    return this;
  }

  async search(fields: { phone?: string; q?: string; rule?: string }): Promise<void> {
    const form = this.page.getByTestId('call-search');
    if (fields.phone !== undefined) await form.locator('#phone').fill(fields.phone);
    if (fields.q !== undefined) await form.locator('#q').fill(fields.q);
    if (fields.rule !== undefined) await form.locator('#rule').fill(fields.rule);
    await this.page.getByTestId('call-search-submit').click();
  }

  async callIds(): Promise<string[]> {
    await this.page
      .locator('.ant-spin-spinning')
      .waitFor({ state: 'detached' })
      .catch(() => undefined);
    return this.page
      .locator('tr[data-call]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-call') ?? ''));
  }

  /** The score cell of a call's row: its text, and whether it says the call has no score. */
  async rowScore(id: string): Promise<{ text: string; unscored: boolean }> {
    const cell = this.page.locator(`tr[data-call="${id}"]`).getByTestId('call-row-score');
    return {
      text: ((await cell.textContent()) ?? '').trim(),
      unscored: (await cell.getAttribute('data-unscored')) === 'true',
    };
  }

  async openCall(id: string): Promise<CallDetailPage> {
    await this.page.locator(`tr[data-call="${id}"] a`).first().click();
    const detail = new CallDetailPage(this.page);
    await detail.root().waitFor();
    return detail;
  }
}

export class CallDetailPage {
  constructor(private readonly page: Page) {}

  root() {
    return this.page.getByTestId('call-detail');
  }

  async turns(): Promise<number> {
    return this.page.getByTestId('transcript-turn').count();
  }

  /** The call's id as shown in the header (what a calibration session asks for). */
  async callId(): Promise<string> {
    return ((await this.page.getByTestId('call-id').textContent()) ?? '').trim();
  }

  /** The score tag beside the findings: its text, and whether it says the call has no score. */
  async score(): Promise<{ text: string; unscored: boolean }> {
    const tag = this.page.getByTestId('call-score');
    return {
      text: ((await tag.textContent()) ?? '').trim(),
      unscored: (await tag.getAttribute('data-unscored')) === 'true',
    };
  }

  /** The tag naming the stored scorecard version that judged the call; null without one. */
  async scorecardVersion(): Promise<string | null> {
    const tag = this.page.getByTestId('call-scorecard-version');
    return (await tag.count()) > 0 ? tag.textContent() : null;
  }

  async findingRules(): Promise<string[]> {
    return this.page
      .getByTestId('finding')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-rule') ?? ''));
  }

  /** Each finding's rule as the screen names it (its title, not its id). */
  async findingTitles(): Promise<string[]> {
    return (await this.page.getByTestId('finding-title').allInnerTexts()).map((s) => s.trim());
  }

  async markedEvidence(): Promise<string[]> {
    return this.page.getByTestId('finding-evidence').allTextContents();
  }
}
