// Page objects: the dashboards (/dashboards) and the wallboard (/wallboard).
import type { Page } from 'playwright-core';

export class DashboardsPage {
  constructor(
    private readonly page: Page,
    private readonly base: string,
  ) {}

  async open(query = ''): Promise<this> {
    await this.page.goto(`${this.base}/dashboards${query ? `?${query}` : ''}`);
    await this.page.getByTestId('dashboards-page').waitFor();
    return this;
  }

  /** The text of a statistic (service level, abandonment…) by its test id. */
  async statistic(testId: string): Promise<string> {
    return (await this.page.getByTestId(testId).locator('.ant-statistic-content').textContent()) ?? '';
  }

  /** What the call figures count, as the page says under them. */
  async countedNote(): Promise<string> {
    return ((await this.page.getByTestId('dash-calls-counted').textContent()) ?? '').trim();
  }

  /** The cells of the calls table's row of a key (agent, team, day). */
  async callRow(key: string): Promise<string[]> {
    return this.page
      .locator(`[data-testid="dash-calls-table"] tr[data-row-key="${key}"] td`)
      .allTextContents();
  }

  /** The cells of the quality table's row of a key (its appeal columns last). */
  async qualityRow(key: string): Promise<string[]> {
    return this.page
      .locator(`[data-testid="dash-quality-table"] tr[data-row-key="${key}"] td`)
      .allTextContents();
  }

  /** The appeal totals: filed, pending, upheld, overturned, overturn rate. */
  async appealTotals(): Promise<string[]> {
    return this.page.getByTestId('dash-appeal-totals').locator('.ant-statistic-content').allTextContents();
  }

  /** The cells of each row of the appeals-per-rule table. */
  async appealRuleRows(): Promise<string[][]> {
    const rows = this.page.locator('[data-testid="dash-appeal-rules-table"] tbody tr[data-row-key]');
    const out: string[][] = [];
    for (let i = 0; i < (await rows.count()); i++)
      out.push(await rows.nth(i).locator('td').allTextContents());
    return out;
  }

  /** The rule column of the top failed rules' table (title and id), once it has rows. */
  async topRuleTitles(): Promise<string[]> {
    return this.page
      .locator('[data-testid="dash-rules-table"] tbody tr[data-row-key] td:first-child')
      .allTextContents();
  }

  async totalRow(): Promise<string[]> {
    return this.page.getByTestId('dash-calls-total').locator('td').allTextContents();
  }

  /** Whether ECharts drew the chart (a canvas inside its box). */
  async chartDrawn(testId: string): Promise<boolean> {
    return (await this.page.getByTestId(testId).locator('canvas').count()) > 0;
  }

  async tab(name: string): Promise<void> {
    await this.page.getByRole('tab', { name }).click();
  }

  async by(label: string): Promise<void> {
    await this.page.getByTestId('dash-by').getByText(label, { exact: true }).click();
  }

  /** Clicks an export and takes the file the browser saves: its name and (CSV) its text. */
  async download(format: 'csv' | 'xlsx'): Promise<{ name: string; text: string }> {
    const [file] = await Promise.all([
      this.page.waitForEvent('download'),
      this.page.getByTestId(`dash-export-${format}`).click(),
    ]);
    const stream = await file.createReadStream();
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(c as Buffer);
    return { name: file.suggestedFilename(), text: Buffer.concat(chunks).toString('utf8') };
  }

  /** Clicks an export the server refuses: the message the page shows, and whether a file came. */
  async refusedExport(format: 'csv' | 'xlsx'): Promise<{ message: string; downloaded: boolean }> {
    let downloaded = false;
    const saw = () => {
      downloaded = true;
    };
    this.page.on('download', saw);
    await this.page.getByTestId(`dash-export-${format}`).click();
    const toast = this.page.locator('.ant-message-notice').filter({ hasText: /导出失败|Export failed/ });
    await toast.waitFor();
    this.page.off('download', saw);
    return { message: ((await toast.textContent()) ?? '').trim(), downloaded };
  }

  async exportHref(format: 'csv' | 'xlsx'): Promise<string> {
    return (await this.page.getByTestId(`dash-export-${format}`).getAttribute('href')) ?? '';
  }
}

export class WallboardPage {
  constructor(
    private readonly page: Page,
    private readonly base: string,
  ) {}

  async open(query = ''): Promise<this> {
    await this.page.goto(`${this.base}/wallboard${query ? `?${query}` : ''}`);
    await this.page.getByTestId('wallboard-page').waitFor();
    return this;
  }

  connection(): Promise<string | null> {
    return this.page.getByTestId('wall-connection').getAttribute('data-state');
  }

  /** The brand the address names (`?brand=`), null when none. */
  brandInUrl(): string | null {
    return new URL(this.page.url()).searchParams.get('brand');
  }

  /** The error toasts shown now (their text). */
  async errors(): Promise<string[]> {
    return this.page.locator('.ant-message-notice .ant-message-error').allTextContents();
  }

  async count(what: 'ringing' | 'talking' | 'on-hold' | 'sl'): Promise<string> {
    return (
      (await this.page.getByTestId(`wall-${what}`).locator('.ant-statistic-content').textContent()) ?? ''
    );
  }

  agentState(agentNumber: string): Promise<string | null> {
    return this.page
      .locator(`[data-testid="wall-agents"] [data-agent="${agentNumber}"]`)
      .getAttribute('data-state');
  }

  /** How many agents the wallboard counts in a state (ready, not-ready, talking, wrap-up, offline). */
  async agentCount(state: string): Promise<string> {
    return (
      (await this.page.getByTestId(`wall-agents-${state}`).locator('.ant-statistic-content').textContent()) ??
      ''
    );
  }

  private agentRow(agentNumber: string) {
    return this.page.locator(`[data-testid="wall-agents"] [data-agent="${agentNumber}"]`);
  }

  /** The agent's state as the wallboard writes it (示忙 · 小休…). */
  async agentLabel(agentNumber: string): Promise<string> {
    return ((await this.agentRow(agentNumber).getByTestId('wall-agent-state').textContent()) ?? '').trim();
  }

  /** The agent's time in state, as shown (m:ss / the limit for a not-ready). */
  async agentTime(agentNumber: string): Promise<string> {
    return ((await this.agentRow(agentNumber).getByTestId('wall-agent-time').textContent()) ?? '').trim();
  }

  /** Whether the agent's row shows a not-ready past the brand's limit (red). */
  agentOver(agentNumber: string): Promise<string | null> {
    return this.agentRow(agentNumber).getAttribute('data-over');
  }

  /** The agent a live call is with, as its row shows it (工号 and name). */
  async callAgent(callId: string): Promise<string> {
    const cell = this.page.locator(`[data-testid="wall-calls"] tr[data-row-key="${callId}"] td`).nth(1);
    return ((await cell.textContent()) ?? '').trim();
  }

  /** The agents table's column headers. */
  async agentHeaders(): Promise<string[]> {
    const headers = this.page.locator('[data-testid="wall-agents"] thead th');
    return (await headers.allTextContents()).map((s) => s.trim());
  }

  /** Whether the call's row shows its hold over the limit (red). */
  overLimit(callId: string): Promise<string | null> {
    return this.page
      .locator(`[data-testid="wall-calls"] tr[data-row-key="${callId}"]`)
      .getAttribute('data-over');
  }

  async holdClockColor(callId: string): Promise<string> {
    return this.page
      .locator(`[data-testid="wall-calls"] tr[data-row-key="${callId}"] [data-testid="wall-hold-clock"]`)
      .evaluate(
        (el) =>
          (globalThis as unknown as { getComputedStyle(e: unknown): { color: string } }).getComputedStyle(el)
            .color,
      );
  }
}
