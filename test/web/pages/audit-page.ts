// Page object: admin → the audit log (/audit).
import type { Page } from 'playwright-core';

/** A row as a user reads it. */
export interface AuditRow {
  at: string;
  actor: string;
  action: string;
  entity: string;
  entityId: string;
  ip: string;
  changes: string;
}

export class AuditPage {
  constructor(
    private readonly page: Page,
    private readonly base: string,
  ) {}

  async open(query = ''): Promise<this> {
    await this.page.goto(`${this.base}/audit${query ? `?${query}` : ''}`);
    await this.page.getByTestId('audit-page').waitFor();
    return this;
  }

  /** Waits for the table to settle (no request in flight). */
  async settled(): Promise<void> {
    await this.page.locator('[data-testid="audit-page"] .ant-spin-spinning').waitFor({ state: 'detached' });
  }

  private rows() {
    return this.page.locator('[data-testid="audit-page"] .ant-table-tbody tr.ant-table-row');
  }

  /** The rows shown, top first. */
  async table(): Promise<AuditRow[]> {
    await this.settled();
    const cell = async (row: ReturnType<AuditPage['rows']>, col: string) =>
      ((await row.locator(`[data-col="${col}"]`).first().textContent()) ?? '').trim();
    const out: AuditRow[] = [];
    for (const row of await this.rows().all()) {
      out.push({
        at: await cell(row, 'at'),
        actor: await cell(row, 'actor'),
        action: await cell(row, 'action'),
        entity: await cell(row, 'entity'),
        entityId: await cell(row, 'entity-id'),
        ip: await cell(row, 'ip'),
        changes: (await row.locator('[data-change]').allTextContents()).join(' | '),
      });
    }
    return out;
  }

  /** The link a row's record id opens (null when it has none). */
  async entityLink(entityId: string): Promise<string | null> {
    const link = this.page.locator('[data-col="entity-id"] a').filter({ hasText: entityId }).first();
    if ((await link.count()) === 0) return null;
    return link.getAttribute('href');
  }

  /** The table's empty text ('' when it has rows). */
  async emptyText(): Promise<string> {
    await this.settled();
    const empty = this.page.locator('[data-testid="audit-page"] .ant-table-placeholder');
    if ((await empty.count()) === 0) return '';
    return ((await empty.textContent()) ?? '').trim();
  }

  /** Picks an option (by its text) of one of the filter selects: actor, entity, action. */
  async choose(filter: 'actor' | 'entity' | 'action', option: string): Promise<void> {
    const select = this.page.getByTestId(`audit-filter-${filter}`);
    await select.click();
    await select.locator('input').fill(option);
    const list = this.page.locator('.ant-select-dropdown:visible');
    await list.locator('.ant-select-item-option').filter({ hasText: option }).first().click();
    await list.waitFor({ state: 'hidden' });
    await this.settled();
  }

  async entityId(id: string): Promise<void> {
    const input = this.page.getByTestId('audit-filter-entity-id').locator('input');
    await input.fill(id);
    await input.press('Enter');
    await this.settled();
  }

  /** The time range's two fields as shown ('' when empty). */
  async range(): Promise<string[]> {
    const inputs = this.page.locator('[data-testid="audit-page"] .ant-picker input');
    await inputs.first().waitFor();
    return Promise.all((await inputs.all()).map((i) => i.inputValue()));
  }

  async clear(): Promise<void> {
    await this.page.getByTestId('audit-clear').click();
    await this.settled();
  }

  /** Unfolds the first folded value; returns the row's changes as then shown. */
  async unfoldFirst(): Promise<string> {
    const fold = this.page.getByTestId('audit-fold').first();
    const row = this.page.locator('[data-col="changes"]', { has: fold });
    await fold.click();
    return ((await row.textContent()) ?? '').trim();
  }

  error() {
    return this.page.getByTestId('audit-error');
  }
}
