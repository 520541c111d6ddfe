// Customers: one per canonical phone number. Staff create and edit them with an optimistic
// version check; stored calls create them or fill in what staff had not recorded. Every change
// is audited in the same transaction. The history is their calls and their tickets.
import type { Kysely } from 'kysely';
import { type Actor, AuditWriter, diff } from '../audit/audit.ts';
import * as callsRepo from '../calls/repository.ts';
import type { CallScope, CallSummary, RepeatCaller } from '../calls/views.ts';
import type { DB } from '../db/schema.ts';
import type { Clock, IdGenerator } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import * as ticketsRepo from '../tickets/repository.ts';
import type { Customer, CustomerTicket, Title } from './model.ts';
import type { Phone } from './phone.ts';
import * as repo from './repository.ts';
import { callSeenBy, repeatCallerSeenBy, seesWhole } from './visibility.ts';

export interface NewCustomer {
  phone: Phone;
  surname?: string | null;
  title?: Title | null;
  notes?: string;
}

/** The fields to change; `version` is the one the editor saw. Absent fields stay as they are. */
export interface CustomerChanges {
  version: number;
  surname?: string | null;
  title?: Title | null;
  notes?: string;
}

export interface CustomerHistory {
  phone: Phone;
  customer: Customer | null;
  calls: CallSummary[];
  tickets: CustomerTicket[];
}

const audited = (c: Customer) => ({ surname: c.surname, title: c.title, notes: c.notes });

export class CustomersService {
  private readonly audit: AuditWriter;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {
    this.audit = new AuditWriter(ids, clock);
  }

  find(phone: Phone): Promise<Customer | undefined> {
    return repo.findByPhone(this.db, phone);
  }

  async get(phone: Phone): Promise<Customer> {
    const c = await repo.findByPhone(this.db, phone);
    if (!c)
      throw new AppError('not-found', {
        zh: `没有号码为 ${phone} 的客户`,
        en: `no customer with the number ${phone}`,
      });
    return c;
  }

  list(filter: repo.CustomerFilter): Promise<{ items: Customer[]; total: number }> {
    return repo.listCustomers(this.db, filter);
  }

  async create(input: NewCustomer, actor: Actor): Promise<Customer> {
    const now = this.clock.now().toISOString();
    const customer: Customer = {
      id: this.ids(),
      phone: input.phone,
      surname: input.surname ?? null,
      title: input.title ?? null,
      notes: input.notes ?? '',
      createdAt: now,
      updatedAt: now,
      version: 1,
    };
    await this.db.transaction().execute(async (trx) => {
      if (!(await repo.insertIfAbsent(trx, customer))) {
        const existing = await repo.findByPhone(trx, input.phone);
        throw new AppError(
          'conflict',
          {
            zh: `号码 ${input.phone} 已是客户（版本 ${existing?.version ?? '?'}），请改为修改该客户`,
            en: `the number ${input.phone} is already a customer (version ${existing?.version ?? '?'}); update it instead`,
          },
          [{ path: 'body.phone', message: 'already a customer', zh: '已是客户' }],
        );
      }
      await this.audit.record(
        trx,
        {
          actor,
          entityType: 'customer',
          entityId: customer.id,
          action: 'create',
          changes: { phone: customer.phone, ...audited(customer) },
        },
        now,
      );
    });
    return customer;
  }

  /** Applies the changes if nobody changed the customer since `changes.version`. */
  async update(phone: Phone, changes: CustomerChanges, actor: Actor): Promise<Customer> {
    return this.db.transaction().execute(async (trx) => {
      const current = await repo.findByPhone(trx, phone);
      if (!current)
        throw new AppError('not-found', {
          zh: `没有号码为 ${phone} 的客户`,
          en: `no customer with the number ${phone}`,
        });
      if (current.version !== changes.version) throw stale(current, changes.version);
      const next: Customer = {
        ...current,
        surname: changes.surname !== undefined ? changes.surname : current.surname,
        title: changes.title !== undefined ? changes.title : current.title,
        notes: changes.notes !== undefined ? changes.notes : current.notes,
      };
      const changed = diff(audited(current), audited(next));
      if (Object.keys(changed).length === 0) return current;
      next.updatedAt = this.clock.now().toISOString();
      next.version = current.version + 1;
      if (!(await repo.updateIfVersion(trx, next, current.version))) {
        const now = await repo.findByPhone(trx, phone);
        throw stale(now ?? current, changes.version);
      }
      await this.audit.record(
        trx,
        {
          actor,
          entityType: 'customer',
          entityId: current.id,
          action: 'update',
          changes: { ...changed, version: { from: current.version, to: next.version } },
        },
        next.updatedAt,
      );
      return next;
    });
  }

  /**
   * Called inside the transaction that stores a call: creates the customer, or fills in the
   * surname and title the call gives where staff have recorded none (never overwrites theirs).
   */
  async recordFromCall(
    db: repo.Db,
    input: { phone: Phone; surname: string | null; title: Title | null; callId: string },
    actor: Actor,
  ): Promise<void> {
    const now = this.clock.now().toISOString();
    const fresh: Customer = {
      id: this.ids(),
      phone: input.phone,
      surname: input.surname,
      title: input.title,
      notes: '',
      createdAt: now,
      updatedAt: now,
      version: 1,
    };
    if (await repo.insertIfAbsent(db, fresh)) {
      await this.audit.record(
        db,
        {
          actor,
          entityType: 'customer',
          entityId: fresh.id,
          action: 'create',
          changes: { phone: fresh.phone, ...audited(fresh), callId: input.callId },
        },
        now,
      );
      return;
    }
    const current = await repo.findByPhone(db, input.phone);
    if (!current) return;
    const next: Customer = {
      ...current,
      surname: current.surname ?? input.surname,
      title: current.title ?? input.title,
    };
    const changed = diff(audited(current), audited(next));
    if (Object.keys(changed).length === 0) return;
    next.updatedAt = now;
    next.version = current.version + 1;
    // Someone editing at this very moment wins; the call's values are only a fill-in.
    if (!(await repo.updateIfVersion(db, next, current.version))) return;
    await this.audit.record(
      db,
      {
        actor,
        entityType: 'customer',
        entityId: current.id,
        action: 'update',
        changes: { ...changed, version: { from: current.version, to: next.version }, callId: input.callId },
      },
      now,
    );
  }

  /**
   * The customer (if recorded), their latest calls and their tickets, newest first. An agent
   * sees their own calls whole and only the fact of a colleague's (see visibility.ts). A
   * brand-limited account (`brand`, and the scope's) sees only that brand's calls and tickets,
   * as in the call and ticket lists: another brand's are not there at all.
   */
  async history(
    phone: Phone,
    limit: number,
    scope: CallScope = { kind: 'all' },
    brand: string | null = null,
  ): Promise<CustomerHistory> {
    const [customer, calls, tickets] = await Promise.all([
      repo.findByPhone(this.db, phone),
      callsRepo.callsOfPhone(this.db, phone, limit, scope.brand ?? brand),
      ticketsRepo.ticketsOfPhone(this.db, phone, limit, brand),
    ]);
    const harassment = calls.every((c) => seesWhole(scope, c.agent.id, c.brand))
      ? new Set<string>()
      : await repo.harassmentCallIds(this.db, phone);
    return {
      phone,
      customer: customer ?? null,
      calls: calls.map((c) => callSeenBy(scope, c, harassment)),
      tickets,
    };
  }

  /** The same-day repeat-caller notice as the viewer may see it (see visibility.ts). */
  async repeatCallerFor(phone: Phone, rc: RepeatCaller, scope: CallScope): Promise<RepeatCaller> {
    if (!rc.previous || seesWhole(scope, rc.previous.agent.id)) return rc;
    return repeatCallerSeenBy(scope, rc, await repo.harassmentCallIds(this.db, phone));
  }
}

function stale(current: Customer, sent: number): AppError {
  return new AppError(
    'conflict',
    {
      zh: `该客户已被他人修改（您修改的是版本 ${sent}，现在是版本 ${current.version}）；请刷新后重新修改`,
      en: `the customer was changed by someone else (you edited version ${sent}, it is now version ${current.version}); reload and apply your change again`,
    },
    [
      {
        path: 'body.version',
        message: `stale: the current version is ${current.version}`,
        zh: `已过期：当前版本为 ${current.version}`,
      },
    ],
  );
}
