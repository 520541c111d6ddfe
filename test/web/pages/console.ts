// Page object: the agent console (/console). What an agent sees and does: the call's status and
// clocks, the customer card, the transcript with its flagged phrases and lines, the script
// lines, the stage checklist, the softphone's controls (by button or key), tickets, the
// inspection after the hang-up, and the connection.
import type { Locator, Page } from 'playwright-core';

export class ConsolePage {
  /** The API answers this page got that were errors (method, path, status, body): said when a step fails. */
  private readonly refusals: string[] = [];

  constructor(
    readonly page: Page,
    private readonly base: string,
  ) {
    page.on('response', (res) => {
      const path = new URL(res.url()).pathname;
      if (res.status() < 400 || !path.startsWith('/api/')) return;
      const said = `${res.request().method()} ${path} ${res.status()}`;
      res.text().then(
        (body) => this.refusals.push(`${said} ${body.slice(0, 300)}`),
        () => this.refusals.push(said),
      );
    });
    page.on('requestfailed', (req) => {
      const path = new URL(req.url()).pathname;
      if (path.startsWith('/api/'))
        this.refusals.push(`${req.method()} ${path} failed: ${req.failure()?.errorText}`);
    });
  }

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

  /** The agent's own state in the header: ready, not-ready, talking, wrap-up, offline. */
  agentState(): Promise<string | null> {
    return this.page.getByTestId('agent-state').getAttribute('data-state');
  }

  agentStateText(): Promise<string | null> {
    return this.page.getByTestId('agent-state').textContent();
  }

  /** 示忙 by the keyboard: N opens the reasons, Tab moves from the first, Enter picks. */
  async notReadyByKeys(tabs: number): Promise<void> {
    await this.key('n');
    await this.page.getByTestId('agent-reasons').waitFor();
    for (let i = 0; i < tabs; i++) await this.page.keyboard.press('Tab');
    await this.page.keyboard.press('Enter');
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

  private lastBareKey = 0;

  /**
   * A key press outside any text field: the console's shortcut. A bare printable key goes a
   * little over a second after the previous one, as a person's would: sooner, the console
   * reads it as typing, not as a shortcut (web/src/console/shortcuts.ts KeyReader).
   */
  async key(key: string): Promise<void> {
    // In the page (its DOM): the test's own tsconfig has no DOM types, hence the string.
    await this.page.evaluate('document.activeElement && document.activeElement.blur()');
    if (key.length === 1) {
      const wait = this.lastBareKey + 1100 - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      this.lastBareKey = Date.now();
    }
    await this.page.keyboard.press(key);
  }

  input(): Locator {
    return this.page.getByTestId('turn-input');
  }

  /** How far the transcript's end is below what it shows, in pixels (0: the end is in view). */
  async transcriptHiddenBelow(): Promise<number> {
    return this.page
      .getByTestId('transcript')
      .evaluate((el) => Math.max(0, el.scrollHeight - el.scrollTop - el.clientHeight));
  }

  /** Scrolls the transcript to its top, as an agent reading an earlier turn does. */
  async scrollTranscriptUp(): Promise<void> {
    await this.page.getByTestId('transcript').evaluate((el) => {
      el.scrollTop = 0;
      el.dispatchEvent(new Event('scroll'));
    });
  }

  async say(text: string, speaker: 'agent' | 'customer' = 'agent'): Promise<void> {
    await this.page
      .getByTestId('turn-speaker')
      .getByText(speaker === 'agent' ? /坐席|Agent/ : /客户|Customer/)
      .click();
    await this.input().fill(text);
    await this.input().press('Enter');
  }

  /**
   * Says an agent turn (typed, Enter) and measures in the page (performance.now()) the time
   * from its Enter key to the frame after a new alert enters the transcript: what the agent
   * waits for. Reported by the test, never asserted (bench/web.ts measures it over many turns).
   */
  async sayTimingAlert(text: string): Promise<number> {
    await this.page
      .getByTestId('turn-speaker')
      .getByText(/坐席|Agent/)
      .click();
    await this.input().fill(text);
    // In the page (its DOM; strings: the test's tsconfig has no DOM types). A MutationObserver
    // sees the alert's element the moment React puts it in the page.
    await this.page.evaluate(`(() => {
      const alerts = () => document.querySelectorAll('[data-testid="alert"]').length;
      const timing = { before: alerts() };
      window.__alertTiming = timing;
      document.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' && timing.start === undefined) timing.start = e.timeStamp;
      }, { capture: true, once: true });
      const seen = new MutationObserver(() => {
        if (timing.start === undefined || alerts() <= timing.before) return;
        seen.disconnect();
        requestAnimationFrame(() => { timing.shown = performance.now(); });
      });
      seen.observe(document.body, { subtree: true, childList: true });
    })()`);
    await this.input().press('Enter');
    // A function, not a string: the page's CSP refuses eval.
    await this.page.waitForFunction(
      () => (globalThis as { __alertTiming?: { shown?: number } }).__alertTiming?.shown !== undefined,
      undefined,
      { timeout: 10_000 },
    );
    const t = (await this.page.evaluate('window.__alertTiming')) as { start: number; shown: number };
    return t.shown - t.start;
  }

  turns(): Locator {
    return this.page.getByTestId('turn');
  }

  flagged(): Locator {
    return this.page.getByTestId('flagged');
  }

  /** The alerts under the turns, each naming its rule, the words and the line to say. */
  alerts(): Locator {
    return this.page.getByTestId('alert');
  }

  alertLines(): Locator {
    return this.page.getByTestId('alert-line');
  }

  /** The scenarios of the lines the suggestions panel shows, best first. */
  async suggestionScenarios(): Promise<string[]> {
    return this.page
      .locator('[data-testid^="suggestion"][data-scenario]')
      .evaluateAll((lines) => lines.map((l) => l.getAttribute('data-scenario') ?? ''));
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

  /** The chosen "complaint about" of the ticket form (its label), or null when none is chosen. */
  async ticketAbout(): Promise<string | null> {
    const checked = this.page.getByTestId('ticket-about').locator('.ant-radio-wrapper-checked');
    return (await checked.count()) > 0 ? ((await checked.textContent()) ?? '').trim() : null;
  }

  /** Chooses whom the complaint is about, by the start of its label (不针对坐席, 本人, 其他坐席). */
  async chooseTicketAbout(label: string): Promise<void> {
    await this.page.getByTestId('ticket-about').getByText(label, { exact: false }).click();
  }

  /** The ticket form's contact number, as shown. */
  async ticketContact(): Promise<string> {
    return this.page.getByTestId('ticket-contact').inputValue();
  }

  async fillTicketContact(value: string): Promise<void> {
    await this.page.getByTestId('ticket-contact').fill(value);
  }

  /** What the complaint form says to tell the caller (the reply's due time), or '' when none. */
  async ticketPromise(): Promise<string> {
    const line = this.page.getByTestId('ticket-promise');
    return (await line.count()) > 0 ? ((await line.textContent()) ?? '').trim() : '';
  }

  /** Chooses the complaint's reply deadline by the start of its label (紧急, 一般). */
  async chooseTicketPriority(label: string): Promise<void> {
    await this.page.getByTestId('ticket-priority').getByText(label, { exact: false }).click();
  }

  /** Sends the ticket form and waits for it to close; when it stays open, says what the screen and the API said. */
  async submitTicket(): Promise<void> {
    const before = this.refusals.length;
    await this.page.getByTestId('ticket-submit').click();
    try {
      await this.page.getByTestId('ticket-form').waitFor({ state: 'detached' });
    } catch (err) {
      const shown = await this.page
        .locator('.ant-message-notice, .ant-form-item-explain-error')
        .allTextContents();
      throw new Error(
        `the ticket form stayed open; on screen: ${shown.join(' | ') || 'nothing'}; API errors since the click: ${
          this.refusals.slice(before).join(' | ') || 'none'
        }`,
        { cause: err },
      );
    }
  }

  /** The card's repeat-caller notice (which call of the day this is), or '' when none. */
  async repeatNotice(): Promise<string> {
    const notice = this.card().getByTestId('card-repeat');
    return (await notice.count()) > 0 ? ((await notice.textContent()) ?? '').trim() : '';
  }

  /** How many earlier calls the card's history lists (null until it has loaded). */
  async historyCalls(): Promise<number | null> {
    const count = this.card().getByTestId('card-history-calls');
    return (await count.count()) > 0 ? Number(await count.getAttribute('data-count')) : null;
  }

  /** Whether the whole stage checklist is on the screen, the page not scrolled (its bottom edge in the viewport). */
  async stagesOnScreen(): Promise<boolean> {
    const box = await this.page.getByTestId('stages').boundingBox();
    const view = this.page.viewportSize();
    return box !== null && view !== null && box.y + box.height <= view.height;
  }

  /** The ticket form's field labels, in order. */
  async ticketLabels(): Promise<string[]> {
    const labels = this.page.getByTestId('ticket-form').locator('.ant-form-item-label');
    return (await labels.allTextContents()).map((s) => s.trim());
  }

  /** The message that says the ticket was created (what the agent reads out to the caller). */
  async ticketCreatedMessage(): Promise<string> {
    const m = this.page.locator('.ant-message-notice').filter({ hasText: /工单|Ticket/ });
    await m.first().waitFor();
    return ((await m.first().textContent()) ?? '').trim();
  }

  inspection(): Locator {
    return this.page.getByTestId('inspection');
  }

  findings(): Locator {
    return this.page.getByTestId('finding');
  }

  async startPracticeCall(caller?: string, direction: 'inbound' | 'outbound' = 'inbound'): Promise<void> {
    await this.page.getByTestId('practice-open').click();
    const label = direction === 'outbound' ? '外呼' : '呼入';
    const segmented = this.page.getByTestId('practice-direction');
    // The popover is still opening on a loaded machine: a click during its animation can be
    // lost (CI once rang an inbound call for 外呼). Ring only once the direction shows chosen.
    const chosen = segmented.locator('.ant-segmented-item-selected', { hasText: label });
    for (let attempt = 0; attempt < 3; attempt++) {
      await segmented.getByText(label, { exact: true }).click();
      try {
        await chosen.waitFor({ timeout: 5000 });
        break;
      } catch (e) {
        if (attempt === 2) throw e;
      }
    }
    if (caller) await this.page.getByTestId('practice-caller').fill(caller);
    await this.page.getByTestId('practice-ring').click();
  }

  /** The test id of the element the keyboard types into now ('' for none: the page itself). */
  async focused(): Promise<string> {
    // In the page (its DOM): the test's own tsconfig has no DOM types, hence the string.
    return (await this.page.evaluate(
      "(document.activeElement && document.activeElement.getAttribute('data-testid')) || ''",
    )) as string;
  }

  /** The shortcut sheet's rows as "key what-it-does". */
  async shortcutRows(): Promise<string[]> {
    const rows = this.page.getByTestId('shortcut-row');
    return (await rows.allInnerTexts()).map((r) => r.replace(/\s+/g, ' ').trim());
  }

  shortcutSheet(): Locator {
    return this.page.locator('.ant-modal').filter({ has: this.page.locator('table') });
  }
}
