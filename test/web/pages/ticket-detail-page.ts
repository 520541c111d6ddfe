// Page object: one ticket (/tickets/:id): clocks, actions, the action dialog, history.
import type { Page, Response } from 'playwright-core';

export type TicketAction =
  | 'accept'
  | 'start'
  | 'wait'
  | 'resolve'
  | 'follow-up'
  | 'close'
  | 'reopen'
  | 'reply'
  | 'escalate'
  | 'assign';

export class TicketDetailPage {
  constructor(
    private readonly page: Page,
    private readonly base: string,
  ) {}

  async open(id: string): Promise<this> {
    await this.page.goto(`${this.base}/tickets/${id}`);
    await this.root().waitFor();
    return this;
  }

  root() {
    return this.page.getByTestId('ticket-detail');
  }

  async version(): Promise<number> {
    return Number(await this.root().getAttribute('data-version'));
  }

  async status(): Promise<string> {
    return ((await this.page.getByTestId('ticket-status').textContent()) ?? '').trim();
  }

  /** A field of what the ticket's type records (`subtype`, `about`, `department`, `outcome`…), '' when not shown. */
  async field(key: string): Promise<string> {
    const f = this.page.getByTestId(`ticket-${key}`);
    return (await f.count()) > 0 ? ((await f.textContent()) ?? '').trim() : '';
  }

  /** Follows the customer's number to their calls and tickets (the customers screen). */
  async openCustomer(): Promise<void> {
    await this.page.getByTestId('ticket-customer').click();
    await this.page.getByTestId('customer-history').waitFor();
  }

  /** The description as the page renders it (innerText: a line break shown is a newline). */
  async description(): Promise<string> {
    // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is what is tested
    return this.page.getByTestId('ticket-description').innerText();
  }

  async level(): Promise<string> {
    return ((await this.page.getByTestId('ticket-level').textContent()) ?? '').trim();
  }

  /** The state of a deadline clock (open, overdue, met…) and its text. */
  async deadline(kind: 'first-response' | 'reply' | 'resolution'): Promise<{ state: string; text: string }> {
    const card = this.page.getByTestId(`deadline-${kind}`);
    return {
      state: (await card.getAttribute('data-state')) ?? '',
      text: ((await card.textContent()) ?? '').trim(),
    };
  }

  button(action: TicketAction) {
    return this.page.getByTestId(`action-${action}`);
  }

  /** Whether the action's button is enabled; when disabled, the reason its tooltip gives. */
  async availability(action: TicketAction): Promise<{ enabled: boolean; reason: string | null }> {
    const reason = this.page.getByTestId(`action-${action}-reason`);
    if ((await reason.count()) > 0)
      return { enabled: false, reason: await reason.getAttribute('data-reason') };
    return { enabled: await this.button(action).isEnabled(), reason: null };
  }

  /** Presses an action; fills its dialog when it has one, and waits for the new version. */
  async perform(
    action: TicketAction,
    fields: { text?: string; reason?: string; satisfaction?: number; comment?: string } = {},
  ): Promise<void> {
    const before = await this.version();
    // What the server answered to this action, so a failure says whether the request went out.
    const answers: string[] = [];
    const record = (r: Response) => {
      if (r.request().method() === 'POST' && r.url().includes('/api/tickets/'))
        answers.push(`${r.status()} ${new URL(r.url()).pathname}`);
    };
    this.page.on('response', record);
    try {
      await this.button(action).click();
      const dialog = this.page.locator('.ant-modal:visible');
      if (await dialog.isVisible().catch(() => false)) await this.fill(fields);
      else if (Object.keys(fields).length > 0) {
        await dialog.waitFor();
        await this.fill(fields);
      }
      // The page shows the next version (a selector: the page's CSP forbids evaluated predicates).
      await this.page
        .locator(`[data-testid=ticket-detail]:not([data-version="${before}"])`)
        .waitFor()
        .catch(async (error: Error) => {
          throw new Error(
            `${action}: the ticket stayed at version ${before}; ${await this.diagnose(answers)}`,
            {
              cause: error,
            },
          );
        });
    } finally {
      this.page.off('response', record);
    }
  }

  /** What the screen shows after an action that did not go through: the requests' answers, toasts, field errors. */
  private async diagnose(answers: string[]): Promise<string> {
    const texts = (selector: string) =>
      this.page.locator(selector).evaluateAll((els) => els.map((e) => (e.textContent ?? '').trim()));
    const dialogOpen = await this.page.locator('.ant-modal:visible').count();
    return [
      `requests: ${answers.join(', ') || 'none'}`,
      `dialog open: ${dialogOpen > 0}`,
      `toasts: ${(await texts('.ant-message-notice')).join(' | ') || 'none'}`,
      `field errors: ${(await texts('.ant-form-item-explain-error')).join(' | ') || 'none'}`,
      `conflict banner: ${(await this.conflict().count()) > 0}`,
    ].join('; ');
  }

  /** Presses an action and types into its dialog, without sending it (the user is still typing). */
  async startTyping(action: TicketAction, fields: { text?: string; reason?: string }): Promise<void> {
    await this.button(action).click();
    const dialog = this.page.locator('.ant-modal:visible');
    await dialog.waitFor();
    if (fields.text !== undefined) await dialog.locator('#text').fill(fields.text);
    if (fields.reason !== undefined) await dialog.locator('#reason').fill(fields.reason);
  }

  /** The text in the open action dialog's field (`text`, `reason`), '' when the dialog is gone. */
  async typed(field: 'text' | 'reason'): Promise<string> {
    // Read at once (the dialog may be closing): no waiting for an element that went.
    const values = await this.page
      .locator(`.ant-modal:visible #${field}`)
      .evaluateAll((els) => els.map((e) => (e as unknown as { value: string }).value));
    return values[0] ?? '';
  }

  /** Presses the open action dialog's send button. */
  async send(): Promise<void> {
    await this.page
      .locator('.ant-modal:visible')
      .filter({ has: this.page.locator('form') })
      .locator('.ant-modal-footer .ant-btn-primary')
      .click();
  }

  private async fill(fields: { text?: string; reason?: string; satisfaction?: number; comment?: string }) {
    const dialog = this.page.locator('.ant-modal:visible');
    if (fields.text !== undefined) await dialog.locator('#text').fill(fields.text);
    if (fields.reason !== undefined) await dialog.locator('#reason').fill(fields.reason);
    if (fields.comment !== undefined) await dialog.locator('#comment').fill(fields.comment);
    if (fields.satisfaction !== undefined)
      await dialog
        .locator('.ant-rate-star')
        .nth(fields.satisfaction - 1)
        .locator('div')
        .first()
        .click();
    await dialog.locator('.ant-modal-footer .ant-btn-primary').click();
  }

  /** Each history entry as shown: its type, its text and who did it (a name, or 系统). */
  async history(): Promise<{ type: string; text: string; by: string }[]> {
    const items = this.page.getByTestId('history-item');
    const out: { type: string; text: string; by: string }[] = [];
    for (let i = 0; i < (await items.count()); i++) {
      const item = items.nth(i);
      out.push({
        type: (await item.getAttribute('data-type')) ?? '',
        text: ((await item.textContent()) ?? '').trim(),
        // An entry a person's action wrote without naming them (a deadline met) names nobody.
        by:
          (await item.getByTestId('history-by').count()) === 0
            ? ''
            : ((await item.getByTestId('history-by').textContent()) ?? '').replace('·', '').trim(),
      });
    }
    return out;
  }

  async historyTypes(): Promise<string[]> {
    return this.page
      .getByTestId('history-item')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-type') ?? ''));
  }

  conflict() {
    return this.page.getByTestId('ticket-conflict');
  }

  /** The open dialog's "someone changed this ticket" notice (after a refused, stale send). */
  dialogConflict() {
    return this.page.locator('.ant-modal:visible').getByTestId('dialog-conflict');
  }

  async dialogSendEnabled(): Promise<boolean> {
    return this.page.locator('.ant-modal:visible .ant-modal-footer .ant-btn-primary').isEnabled();
  }

  /** Reloads the ticket from the open dialog's notice; the dialog stays with what was typed. */
  async reloadInDialog(): Promise<void> {
    await this.page.locator('.ant-modal:visible').getByTestId('dialog-reload').click();
    await this.dialogConflict().waitFor({ state: 'detached' });
  }

  /** The open dialog's refusal: why it will not send on the ticket as it is now. */
  async dialogRefusal(): Promise<string> {
    const refused = this.page.locator('.ant-modal:visible').getByTestId('dialog-refused');
    await refused.waitFor();
    return ((await refused.textContent()) ?? '').trim();
  }

  /** Chooses a suggestion's outcome in the open resolve dialog (by its label: 已采纳, 未采纳). */
  async chooseOutcome(label: string): Promise<void> {
    await this.page.locator('.ant-modal:visible #outcome').click();
    await this.page
      .locator('.ant-select-dropdown:visible .ant-select-item-option')
      .filter({ hasText: label })
      .click();
  }

  /** The reply to the customer in the open resolve dialog of a suggestion. */
  async typedReply(): Promise<string> {
    return this.page.locator('.ant-modal:visible #replyText').inputValue();
  }

  /** The replies card's text (every reply to the customer, with its time and channel). */
  async replies(): Promise<string> {
    return ((await this.page.getByTestId('ticket-replies').textContent()) ?? '').trim();
  }

  /** Chooses whom to assign to in the open assign dialog (by the shown label's text). */
  async chooseAssignee(text: string): Promise<void> {
    const dialog = this.page.locator('.ant-modal:visible');
    await dialog.locator('#assignee').fill(text);
    await this.page.locator('.ant-select-dropdown:visible .ant-select-item-option').first().click();
  }

  async reloadAfterConflict(): Promise<void> {
    await this.page.getByTestId('ticket-reload').click();
    await this.conflict().waitFor({ state: 'detached' });
  }
}
