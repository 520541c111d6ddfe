// Page objects: reviews (/reviews, /reviews/:id), appeals (/appeals), calibration (/calibration).
import type { Page } from 'playwright-core';

/** In the page (no DOM types here): the review form's placeholders wider than their box's room. */
const CUT_PLACEHOLDERS = `(() => {
  const form = document.querySelector('[data-testid="review-form"]');
  const ctx = document.createElement('canvas').getContext('2d');
  const boxes = [
    ...[...form.querySelectorAll('input[placeholder]')].map((i) => [i, i.placeholder]),
    ...[...form.querySelectorAll('.ant-select-placeholder')].map((p) => [p, p.textContent || '']),
  ];
  return boxes
    .filter(([el, text]) => {
      const css = getComputedStyle(el);
      ctx.font = css.font;
      const room = el.clientWidth - parseFloat(css.paddingLeft) - parseFloat(css.paddingRight);
      // clientWidth is whole pixels: a box sized to its text may be a fraction narrower.
      return text !== '' && ctx.measureText(text).width > room + 1;
    })
    .map(([, text]) => text);
})()`;

/** The messages antd shows under the form field whose control has this test id. */
async function errorsUnder(page: Page, testId: string): Promise<string[]> {
  const item = page.locator('.ant-form-item', { has: page.getByTestId(testId) });
  return (await item.locator('.ant-form-item-explain-error').allInnerTexts()).map((s) => s.trim());
}

/** A Segmented switch's option labels, in order. */
async function statusTabs(page: Page, testId: string): Promise<string[]> {
  const labels = page.getByTestId(testId).locator('.ant-segmented-item-label');
  return (await labels.allInnerTexts()).map((s) => s.trim());
}

export class ReviewListPage {
  constructor(
    private readonly page: Page,
    private readonly base: string,
  ) {}

  async open(): Promise<this> {
    await this.page.goto(`${this.base}/reviews`);
    await this.page.getByTestId('reviews-page').waitFor();
    return this;
  }

  async calls(): Promise<string[]> {
    return (await this.page.getByTestId('review-open').allInnerTexts()).map((s) => s.trim());
  }

  /** The status switch's labels with their counts (待复核（1）, 已复核（0）, 全部). */
  async statusTabs(): Promise<string[]> {
    return statusTabs(this.page, 'reviews-status');
  }

  async openCall(callId: string): Promise<ReviewDetailPage> {
    await this.page.locator(`tr[data-call="${callId}"]`).getByTestId('review-open').click();
    await this.page.getByTestId('review-detail').waitFor();
    return new ReviewDetailPage(this.page);
  }
}

/** The sampling plan on the reviews page (QA leads, room directors). */
export class PlanCard {
  constructor(private readonly page: Page) {}

  private async input(testId: string) {
    const el = this.page.getByTestId(testId);
    await el.waitFor();
    return (await el.evaluate((e) => e.tagName)) === 'INPUT' ? el : el.locator('input');
  }

  /** The brand the plan is of (the picker's selection) and the brands the picker offers. */
  async brands(): Promise<{ selected: string; offered: string[] }> {
    // The test id lands on the select's root or on its search box, depending on the antd version.
    const picker = this.page
      .locator('.ant-select', { has: this.page.getByTestId('plan-brand') })
      .or(this.page.locator('.ant-select[data-testid="plan-brand"]'))
      .first();
    await picker.waitFor();
    await this.page.getByTestId('plan-form').waitFor();
    const selected = (await picker.innerText()).trim();
    const options = this.page.locator('.ant-select-dropdown:visible .ant-select-item-option');
    // A re-render while the plan loads can close the dropdown between seeing its first option and
    // reading them all (CI read none once): open it again, a few times at most, until it holds.
    let offered: string[] = [];
    for (let attempt = 0; attempt < 4 && offered.length === 0; attempt++) {
      await picker.click();
      await options.first().waitFor();
      offered = (await options.evaluateAll((els) => els.map((e) => e.getAttribute('title') ?? ''))).sort();
      await this.page.keyboard.press('Escape');
      await this.page.locator('.ant-select-dropdown:visible').waitFor({ state: 'hidden' });
    }
    return { selected, offered };
  }

  /** Sets `count` calls per agent per week with the seed, saves, samples the week and assigns. */
  async sampleCount(amount: number, seed: number, week: string): Promise<void> {
    await this.page.getByTestId('plan-mode').click();
    await this.page.locator('.ant-select-dropdown:visible .ant-select-item-option[title="按条数"]').click();
    await (await this.input('plan-amount')).fill(String(amount));
    await (await this.input('plan-seed')).fill(String(seed));
    await this.page.getByTestId('plan-save').click();
    await this.page.locator('.ant-message-success', { hasText: '抽检方案已保存' }).waitFor();
    await this.page.getByTestId('plan-week').fill(week);
    await this.page.getByTestId('plan-run').click();
    await this.page.locator('.ant-message-success', { hasText: '已分配' }).waitFor();
  }
}

export class ReviewDetailPage {
  constructor(private readonly page: Page) {}

  rows() {
    return this.page.getByTestId('finding-row');
  }

  /** The evidence of each finding row (the words, the engine's note), in the language shown. */
  async evidence(): Promise<string[]> {
    return (await this.page.getByTestId('finding-evidence').allInnerTexts()).map((s) => s.trim());
  }

  /** The rule title of each finding row, as the screen words it in the language shown. */
  async ruleTitles(): Promise<string[]> {
    return (await this.page.getByTestId('finding-rule').allInnerTexts()).map((s) => s.trim());
  }

  /** Marks the machine finding of the row (0-based) 正确 or 误判. */
  async mark(row: number, verdict: '正确' | '误判' | 'Correct' | 'Wrong'): Promise<void> {
    await this.rows().nth(row).getByText(verdict, { exact: true }).click();
  }

  /** How many machine findings say in their row that they are not marked yet. */
  async unmarkedCount(): Promise<number> {
    return this.page.getByTestId('verdict-missing').count();
  }

  /** The error message the page shows at the top (a toast). */
  async errorToast(): Promise<string> {
    const toast = this.page.locator('.ant-message-notice .ant-message-error').last();
    await toast.waitFor();
    return ((await toast.textContent()) ?? '').trim();
  }

  /** Adds an empty missed-finding row. */
  async addMissedRow(): Promise<void> {
    await this.page.getByTestId('missed-add').click();
    await this.page.getByTestId('missed-turn').last().scrollIntoViewIfNeeded();
  }

  /** Types into the last row's rule select; the options it then offers (title · id). */
  async searchRules(text: string): Promise<string[]> {
    const select = this.page.getByTestId('missed-rule').last();
    await select.click();
    await select.locator('input').fill(text);
    await this.page.locator('.ant-select-dropdown:visible').waitFor();
    const options = this.page.locator('.ant-select-dropdown:visible .ant-select-item-option');
    // The list filters as typed, in the next render.
    await this.page.waitForTimeout(300);
    const titles = await options.evaluateAll((els) => els.map((e) => e.getAttribute('title') ?? ''));
    await this.page.keyboard.press('Escape');
    return titles;
  }

  /** Picks the rule by its id in the last row's select (searching for it). */
  async pickRule(rule: string): Promise<void> {
    const select = this.page.getByTestId('missed-rule').last();
    await select.click();
    await select.locator('input').fill(rule);
    await this.page
      .locator(`.ant-select-dropdown:visible .ant-select-item-option-active[title$=" · ${rule}"]`)
      .waitFor();
    await this.page.keyboard.press('Enter');
    // The list closes in a later frame; the next row's select must not find this one still open
    // (two visible lists would both offer the rule).
    const open = this.page.locator('.ant-select-dropdown:visible');
    for (let waited = 0; (await open.count()) > 0; waited += 50) {
      if (waited > 5_000) throw new Error('the rule list stayed open after Enter');
      await this.page.waitForTimeout(50);
    }
  }

  async addMissed(rule: string, turn: number, note: string): Promise<void> {
    await this.page.getByTestId('missed-add').click();
    await this.pickRule(rule);
    await this.page.getByTestId('missed-turn').last().fill(String(turn));
    await this.page.getByTestId('missed-note').last().fill(note);
  }

  /** Types the evidence turn of the last added missed finding, as the transcript numbers it. */
  async setMissedTurn(turn: number): Promise<void> {
    await this.page.getByTestId('missed-turn').last().fill(String(turn));
  }

  /**
   * The placeholders of the missed-finding row that do not fit their box (drawn wider than the
   * room inside it, measured in the box's own font): what the user sees cut off.
   */
  async cutPlaceholders(): Promise<string[]> {
    await this.page.getByTestId('missed-turn').last().waitFor();
    return (await this.page.evaluate(CUT_PLACEHOLDERS)) as string[];
  }

  /** The messages shown under the fields of the added missed findings. */
  async missedErrors(): Promise<string[]> {
    return (
      await this.page.getByTestId('review-form').locator('.ant-form-item-explain-error').allInnerTexts()
    ).map((s) => s.trim());
  }

  /** Per added missed finding (in order), the messages under its fields. */
  async missedRowErrors(): Promise<string[][]> {
    const rows = await this.page.getByTestId('missed-row').all();
    return Promise.all(
      rows.map(async (row) =>
        (await row.locator('.ant-form-item-explain-error').allInnerTexts()).map((s) => s.trim()),
      ),
    );
  }

  /** Sets the override score (empty: none) and its reason. */
  async override(score: number | null, reason: string): Promise<void> {
    await this.page.getByTestId('override-score').fill(score === null ? '' : String(score));
    await this.page.getByTestId('override-reason').fill(reason);
  }

  /** The messages under the override reason. */
  async overrideReasonErrors(): Promise<string[]> {
    return errorsUnder(this.page, 'override-reason');
  }

  /** The transcript's numbers and the turn column of the finding rows of `ref` (m:0…). */
  async findingTurn(ref: string): Promise<string> {
    const cells = await this.page.locator(`tr[data-ref="${ref}"] td`).allInnerTexts();
    return (cells[1] ?? '').trim();
  }

  /** The number the transcript shows before the turn with this text. */
  async transcriptNumber(text: string): Promise<string> {
    const item = this.page.locator('.ant-list-item', { hasText: text });
    return ((await item.locator('.ant-typography').first().textContent()) ?? '').replace('.', '').trim();
  }

  async submit(comment: string): Promise<void> {
    await this.page.getByTestId('review-comment').fill(comment);
    await this.page.getByTestId('review-submit').click();
  }

  async status(): Promise<string> {
    return ((await this.page.getByTestId('review-status').textContent()) ?? '').trim();
  }

  async humanScore(): Promise<string> {
    return ((await this.page.getByTestId('human-score').textContent()) ?? '').trim();
  }

  async machineScore(): Promise<string> {
    return ((await this.page.getByTestId('machine-score').textContent()) ?? '').trim();
  }

  /** Appeals the first finding that offers it, with the reason. */
  async appealFirst(reason: string): Promise<void> {
    await this.page.getByTestId('appeal-open').first().click();
    await this.page.getByTestId('appeal-reason').fill(reason);
    await this.page.getByTestId('appeal-submit').click();
    await this.page
      .locator('.ant-modal:visible')
      .waitFor({ state: 'detached' })
      .catch(() => undefined);
  }

  async appealStatuses(): Promise<string[]> {
    return (await this.page.getByTestId('appeal-status').allInnerTexts()).map((s) => s.trim());
  }
}

export class AppealsPage {
  constructor(
    private readonly page: Page,
    private readonly base: string,
  ) {}

  async open(): Promise<this> {
    await this.page.goto(`${this.base}/appeals`);
    await this.page.getByTestId('appeals-page').waitFor();
    return this;
  }

  async calls(): Promise<string[]> {
    return this.page
      .locator('tr[data-call]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-call') ?? ''));
  }

  /** The status switch's labels with their counts (待终审（1）…, 全部). */
  async statusTabs(): Promise<string[]> {
    return statusTabs(this.page, 'appeals-status');
  }

  /** The rule column of each row, as the screen words it in the language shown. */
  async ruleTitles(): Promise<string[]> {
    return (await this.page.getByTestId('appeal-rule').allInnerTexts()).map((s) => s.trim());
  }

  /** The agent column of each row: name and 工号 (李娜 1024). */
  async agents(): Promise<string[]> {
    return (await this.page.getByTestId('appeal-agent').allInnerTexts()).map((s) => s.trim());
  }

  /** Keeps the list to one 工号 (Enter); '' shows every agent's again. */
  async filterAgent(number: string): Promise<void> {
    const box = this.page.getByTestId('appeals-agent').locator('input');
    await box.fill(number);
    await box.press('Enter');
  }

  /** The error shown instead of the rows (a 工号 the server refuses), if any. */
  async error(): Promise<string | null> {
    const alert = this.page.getByTestId('appeals-error');
    return (await alert.count()) ? ((await alert.textContent())?.trim() ?? null) : null;
  }

  /** How many rows the page shows now. */
  async rowCount(): Promise<number> {
    return this.page.locator('tr[data-call]').count();
  }

  /** The pager's total (共 54 条), or null when the list has no pager. */
  async total(): Promise<string | null> {
    const total = this.page.locator('.ant-pagination-total-text');
    return (await total.count()) ? ((await total.textContent())?.trim() ?? null) : null;
  }

  /** Goes to page n of the list. */
  async goToPage(n: number): Promise<void> {
    await this.page.locator(`.ant-pagination-item-${n}`).click();
  }

  /** Judges the call's appeal (its first, when the call has several: one per finding). */
  async judge(callId: string, outcome: 'uphold' | 'overturn', note: string): Promise<void> {
    await this.page.locator(`tr[data-call="${callId}"]`).getByTestId(`appeal-${outcome}`).first().click();
    const field = this.page.getByTestId('judgement-note');
    await field.waitFor({ state: 'visible' });
    await field.fill(note);
    await this.page.getByTestId('judgement-submit').click();
    // The dialog closes once the judgement is stored: the next judgement starts from the list as
    // the reviewer sees it then, not inside a dialog still closing (CI caught one lost on a loaded
    // machine: the last row of a page judged twice over while the list refreshed).
    await field.waitFor({ state: 'hidden' });
  }
}

export class CalibrationPage {
  constructor(
    private readonly page: Page,
    private readonly base: string,
  ) {}

  async open(): Promise<this> {
    await this.page.goto(`${this.base}/calibration`);
    await this.page.getByTestId('calibration-page').waitFor();
    return this;
  }

  async create(brand: string, title: string, calls: string, inspectors: string[]): Promise<void> {
    await this.page.getByTestId('calibration-brand').locator('input').fill(brand);
    await this.page.locator(`.ant-select-item-option-active[title="${brand}"]`).waitFor();
    await this.page.keyboard.press('Enter');
    await this.page.getByTestId('calibration-title').fill(title);
    await this.page.getByTestId('calibration-calls').fill(calls);
    const select = this.page.getByTestId('calibration-inspectors');
    for (const name of inspectors) {
      await select.locator('input').fill(name);
      await this.page.locator(`.ant-select-item-option-active[title="${name}"]`).waitFor();
      await this.page.keyboard.press('Enter');
    }
    await this.page.keyboard.press('Escape');
    await this.page.getByTestId('calibration-create').click();
  }

  /** The cells of a rule's row in the agreement table. */
  async ruleRow(rule: string): Promise<string[]> {
    const row = this.page.locator(`tr[data-rule="${rule}"]`);
    await row.waitFor();
    return (await row.locator('td').allInnerTexts()).map((s) => s.trim());
  }

  /** The messages under the call ids field of the new-session form. */
  async callsErrors(): Promise<string[]> {
    return errorsUnder(this.page, 'calibration-calls');
  }

  /** The texts of the toasts of errors shown now. */
  async errorToasts(): Promise<string[]> {
    return (await this.page.locator('.ant-message-error').allInnerTexts()).map((s) => s.trim());
  }

  async completeCalls(): Promise<string> {
    return ((await this.page.getByTestId('calibration-complete').textContent()) ?? '').trim();
  }
}
