// Whether an export shows customers' full numbers, decided in one place for every export: a
// person asks (`?fullNumbers=true`) and their role must allow it (FULL_NUMBER_ROLES). Every
// export is written to the audit log — who, from where, which file, with which filters, masked
// or not — before a byte of it is sent.
import type { Kysely } from 'kysely';
import { USER_ROLES, type UserRole } from '../accounts/roles.ts';
import { type Actor, AuditWriter, exportAuditEvent } from '../audit/audit.ts';
import type { DB } from '../db/schema.ts';
import type { Clock, IdGenerator } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import { FULL_NUMBER_ROLES, mayExportFullNumbers } from './numbers.ts';

export interface ExportRequest {
  /** The file asked for: `tickets.csv`, `calls.xlsx`… */
  file: string;
  role: UserRole;
  actor: Actor;
  /** The request asked for full numbers. */
  fullNumbers: boolean;
  /** The export's filters, as the request gave them, for the audit entry. */
  filters: Record<string, unknown>;
}

export class ExportsService {
  private readonly audit: AuditWriter;

  constructor(
    private readonly db: Kysely<DB>,
    clock: Clock,
    ids: IdGenerator,
  ) {
    this.audit = new AuditWriter(ids, clock);
  }

  /**
   * True when this export shows full numbers. Asking without the right is refused (403)
   * rather than silently masked, so that no one believes they hold full numbers.
   */
  async fullNumbers(request: ExportRequest): Promise<boolean> {
    if (request.fullNumbers && !mayExportFullNumbers(request.role)) {
      const allowed = FULL_NUMBER_ROLES.map((r) => USER_ROLES[r].en).join(', ');
      throw new AppError(
        'forbidden',
        {
          zh: `导出完整电话号码仅限：${FULL_NUMBER_ROLES.map((r) => USER_ROLES[r].zh).join('、')}；您是${USER_ROLES[request.role].zh}。不带 fullNumbers 导出即可得到掩码号码（138****8000）`,
          en: `full phone numbers in exports are for: ${allowed}; you are ${USER_ROLES[request.role].en}. Export without fullNumbers to get masked numbers (138****8000)`,
        },
        [
          {
            path: 'querystring.fullNumbers',
            message: `not allowed for the role ${request.role}`,
            zh: `角色 ${USER_ROLES[request.role].zh} 不允许`,
          },
        ],
      );
    }
    await this.audit.record(
      this.db,
      exportAuditEvent({
        actor: request.actor,
        file: request.file,
        role: request.role,
        fullNumbers: request.fullNumbers,
        filters: request.filters,
      }),
    );
    return request.fullNumbers;
  }
}
