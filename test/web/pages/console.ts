// Page object: the agent console (/console). What an agent sees and does: the call's status and
// clocks, the customer card, the transcript with its flagged phrases and lines, the script
// lines, the stage checklist, the softphone's controls (by button or key), tickets, the
// inspection after the hang-up, and the connection.
import type { Locator, Page } from 'playwright-core';

export class ConsolePage {
  constructor(
    readonly page: Page,
    private readonly base: string,
  ) {}

  async open(): Promise<this> {
    await this.page.goto(`${this.base}/console`);
    await this.page.getByTestId('console').waitFor();
    return this;
  }

  connection(): Locator {
    return this.page.getByTestId('connection');
  }

  async waitOnline(timeout = 30_000): Promise<void> {
    await this.page.locator('[data-testid="connection"][data-connection="online"]').waitFor({ timeout });
  }

  status(): Locator {
    return this.page.getByTestId('call-status');
  }

  async waitStatus(status: 'ringing' | 'talking' | 'on-hold' | 'ended', timeout = 15_000): Promise<void> {
    await this.page.locator(`[data-testid="call-status"][data-status="${status}"]`).waitFor({ timeout });
  }

  callId(): Locator {
    return this.page.getByTestId('call-id');
  }

  card(): Locator {
    return this.page.getByTestId('customer-card');
  }

  /** A control (answer, hold, transfer, hangup, silent-line, …) by its button. */
  control(action: string): Locator {
    return this.page.getByTestId(`control-${action}`);
  }

  /** A key press outside any text field: the console's shortcut. */
  async key(key: string): Promise<void> {
    // In the page (its DOM): the test's own tsconfig has no DOM types, hence the string.
    await this.page.evaluate('document.activeElement && document.activeElement.blur()');
    await this.page.keyboard.press(key);
  }

  input(): Locator {
    return this.page.getByTestId('turn-input');
  }

  async say(text: string, speaker: 'agent' | 'customer' = 'agent'): Promise<void> {
    await this.page
      .getByTestId('turn-speaker')
      .getByText(speaker === 'agent' ? /坐席|Agent/ : /客户|Customer/)
      .click();
    await this.input().fill(text);
    await this.input().press('Enter');
  }

  turns(): Locator {
    return this.page.getByTestId('turn');
  }

  flagged(): Locator {
    return this.page.getByTestId('flagged');
  }

  alertLines(): Locator {
    return this.page.getByTestId('alert-line');
  }

  bestSuggestion(): Locator {
    return this.page.getByTestId('suggestion-best');
  }

  async useBestSuggestion(): Promise<void> {
    await this.bestSuggestion().getByTestId('suggestion-insert').click();
  }

  stage(id: string): Locator {
    return this.page.getByTestId(`stage-${id}`);
  }

  clock(timer: 'hold' | 'silent-line' | 'ring'): Locator {
    return this.page.getByTestId(`clock-${timer}`);
  }

  async clockSeverity(timer: 'hold' | 'silent-line' | 'ring'): Promise<string | null> {
    const c = this.clock(timer);
    if ((await c.count()) === 0) return null;
    return c.getAttribute('data-severity');
  }

  async openTicket(kind: string): Promise<void> {
    await this.page.getByTestId(`ticket-${kind}`).click();
    await this.page.getByTestId('ticket-form').waitFor();
  }

  async submitTicket(): Promise<void> {
    await this.page.getByTestId('ticket-submit').click();
    await this.page.getByTestId('ticket-form').waitFor({ state: 'detached' });
  }

  inspection(): Locator {
    return this.page.getByTestId('inspection');
  }

  findings(): Locator {
    return this.page.getByTestId('finding');
  }

  async startPracticeCall(caller?: string): Promise<void> {
    await this.page.getByTestId('practice-open').click();
    if (caller) await this.page.getByTestId('practice-caller').fill(caller);
    await this.page.getByTestId('practice-ring').click();
  }

  shortcutSheet(): Locator {
    return this.page.locator('.ant-modal').filter({ has: this.page.locator('table') });
  }
}
