// The blacklist: listing a number (by hand, or in one step from a harassment call), checking a
// number when it rings, removing an entry (kept, with who removed it and why). Every change is
// audited in the same transaction.
import { type Kysely, sql } from 'kysely';
import type { StaffActor } from '../accounts/principal.ts';
import { type Actor, AuditWriter } from '../audit/audit.ts';
import { type CallScope, type CallsService, scopeOf } from '../calls/service.ts';
import { normalizePhone, type Phone } from '../customers/phone.ts';
import { isPostgres } from '../db/batch.ts';
import type { DB } from '../db/schema.ts';
import { event, type NewEvent } from '../events/map.ts';
import { masked } from '../events/payloads.ts';
import { appendEvents } from '../events/repository.ts';
import type { Clock, IdGenerator } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import { localTime } from '../shared/time-zone.ts';
import { type BlacklistEntry, type BlacklistStatus, HARASSMENT_REASON, statusAt } from './model.ts';
import * as repo from './repository.ts';

/** Who acts, with what they may do: agents list numbers only from their own calls. */
export type { StaffActor };

export interface NewBlacklistEntry {
  /** The number; or give `callId` and the number is the call's caller. */
  phone?: Phone;
  callId?: string;
  /** Required without a call; a harassment call defaults to 骚扰电话. */
  reason?: string;
  expiresAt?: Date | null;
}

/** An entry with where it stands now. */
export type BlacklistView = BlacklistEntry & { status: BlacklistStatus };

export interface BlacklistFilter {
  phone?: { exact: Phone } | { suffix: string };
  status?: BlacklistStatus;
}

export class BlacklistService {
  private readonly audit: AuditWriter;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly calls: CallsService,
  ) {
    this.audit = new AuditWriter(ids, clock);
  }

  async add(input: NewBlacklistEntry, by: StaffActor): Promise<BlacklistEntry> {
    const now = this.clock.now();
    let phone = input.phone;
    if (by.role === 'agent' && input.callId === undefined)
      throw new AppError('forbidden', {
        zh: '坐席只能从骚扰电话拉黑号码：请发送 callId（组长及以上或管理员可拉黑任意号码）',
        en: 'agents list a number from a harassment call: send callId (a supervisor or admin can list any number)',
      });
    if (input.callId !== undefined) {
      const scope: CallScope = scopeOf(by);
      const fromCall = await this.callerOf(input.callId, scope);
      if (phone !== undefined && phone !== fromCall)
        throw new AppError(
          'validation',
          {
            zh: `该号码不是通话“${input.callId}”的来电号码`,
            en: `the number is not the caller of call '${input.callId}'`,
          },
          [
            {
              path: 'body.phone',
              message: 'differs from the call’s caller; leave it out or correct it',
              zh: '与该通话的来电号码不符；请不填或改正',
            },
          ],
        );
      phone = fromCall;
    }
    if (phone === undefined)
      throw new AppError(
        'validation',
        { zh: '请填写号码，或填写来电的通话编号', en: 'give the number or the call it came from' },
        [{ path: 'body.phone', message: 'required without callId', zh: '未填 callId 时必填' }],
      );
    const reason = input.reason?.trim() || (input.callId !== undefined ? HARASSMENT_REASON : '');
    if (reason === '')
      throw new AppError('validation', { zh: '请说明拉黑原因', en: 'say why the number is listed' }, [
        { path: 'body.reason', message: 'required without callId', zh: '未填 callId 时必填' },
      ]);
    if (input.expiresAt && input.expiresAt <= now) {
      // Said in the centre's time, as the screen shows times (the brand's zone, else China's).
      const zone = this.calls.timezoneOf(by.brand);
      const [when, then] = [localTime(input.expiresAt, zone), localTime(now, zone)];
      throw new AppError(
        'validation',
        {
          zh: `到期时间须晚于现在：${when}（${zone}）已过，现在是 ${then}；请选以后的时间，或留空表示永久`,
          en: `the expiry must be in the future: ${when} (${zone}) has passed, it is now ${then}; pick a later time, or leave it empty for no expiry`,
        },
        [
          {
            path: 'body.expiresAt',
            message: `${when} (${zone}) has passed (now ${then}): pick a later time, or leave it empty for no expiry`,
            zh: `${when}（${zone}）已过（现在 ${then}）：请选以后的时间，或留空表示永久`,
          },
        ],
      );
    }
    return this.insert(
      phone,
      reason,
      input.expiresAt ?? null,
      input.callId ?? null,
      by,
      this.calls.timezoneOf(by.brand),
    );
  }

  /**
   * Lists the caller of a stored call as harassment, without the agent's own-call check: for
   * the telephone system's hangup event, which speaks for the agent at the phone.
   */
  async listFromCall(callId: string, reason: string | null, actor: Actor): Promise<BlacklistEntry> {
    const phone = await this.callerOf(callId, { kind: 'all' });
    // The telephone system's hang-up has no screen: a conflict is said in China's time.
    return this.insert(
      phone,
      reason?.trim() || HARASSMENT_REASON,
      null,
      callId,
      actor,
      this.calls.timezoneOf(null),
    );
  }

  private async callerOf(callId: string, scope: CallScope): Promise<Phone> {
    const call = await this.calls.get(callId, scope);
    const fromCall = call.customerPhone ? normalizePhone(call.customerPhone) : null;
    if (!fromCall?.ok)
      throw new AppError(
        'rule-violation',
        {
          zh: `通话“${call.id}”没有完整的来电号码（${call.customerPhone ?? '无'}）；请手动填写号码拉黑`,
          en: `call '${call.id}' has no whole caller number (${call.customerPhone ?? 'none'}); list the number by hand`,
        },
        [
          {
            path: 'body.callId',
            message: 'the call has no whole caller number',
            zh: '该通话没有完整的来电号码',
          },
        ],
      );
    return fromCall.phone;
  }

  private async insert(
    phone: Phone,
    reason: string,
    expiresAt: Date | null,
    callId: string | null,
    actor: Actor,
    /** The centre's zone, in which a conflict says since when the number is listed. */
    zone: string,
  ): Promise<BlacklistEntry> {
    const entry: BlacklistEntry = {
      id: this.ids(),
      phone,
      reason,
      addedBy: actor.userId,
      addedAt: this.clock.now().toISOString(),
      expiresAt: expiresAt ? expiresAt.toISOString() : null,
      callId,
      removedAt: null,
      removedBy: null,
      removalReason: null,
    };
    await this.db.transaction().execute(async (trx) => {
      // One active entry per number: SQLite writes one transaction at a time; PostgreSQL lets
      // two adds both find none, so they queue on a lock on the number until the first commits
      // (each statement then sees what committed). Keyed by the schema, as events/repository.ts.
      if (isPostgres(trx))
        await sql`select pg_advisory_xact_lock(hashtextextended(current_schema() || ':blacklist:' || ${phone}, 0))`.execute(
          trx,
        );
      const active = await repo.findActive(trx, phone, entry.addedAt);
      if (active) {
        // Since when, in the centre's time, as the screen shows it (not a UTC instant).
        const since = localTime(new Date(active.addedAt), zone);
        throw new AppError(
          'conflict',
          {
            zh: `该号码自 ${since}（${zone}）起已在黑名单中（${active.reason}）；记录 ${active.id}`,
            en: `the number is already on the blacklist since ${since} (${zone}) (${active.reason}); entry ${active.id}`,
          },
          [
            {
              path: 'body.phone',
              message: `already listed: entry ${active.id}`,
              zh: `已在黑名单中：记录 ${active.id}`,
            },
          ],
        );
      }
      await repo.insertEntry(trx, entry);
      await this.audit.record(
        trx,
        {
          actor: { userId: actor.userId, ip: actor.ip },
          entityType: 'blacklist',
          entityId: entry.id,
          action: 'create',
          changes: { phone, reason, expiresAt: entry.expiresAt, callId },
        },
        entry.addedAt,
      );
      await appendEvents(trx, [blacklistChanged(entry, 'added', entry.addedAt)]);
    });
    return entry;
  }

  /** The entry with its status now. */
  view(entry: BlacklistEntry): BlacklistView {
    return { ...entry, status: statusAt(entry, this.clock.now()) };
  }

  /** The entry refusing the number now (or at `at`), if any. */
  async check(phone: Phone, at: Date = this.clock.now()): Promise<BlacklistEntry | null> {
    return (await repo.findActive(this.db, phone, at.toISOString())) ?? null;
  }

  async get(id: string): Promise<BlacklistEntry> {
    const e = await repo.findEntry(this.db, id);
    if (!e)
      throw new AppError('not-found', { zh: `没有黑名单记录“${id}”`, en: `no blacklist entry '${id}'` });
    return e;
  }

  /** Takes a number off the blacklist; the entry stays, with who removed it and why. */
  async remove(id: string, reason: string, actor: Actor): Promise<BlacklistEntry> {
    const at = this.clock.now().toISOString();
    return this.db.transaction().execute(async (trx) => {
      const entry = await repo.findEntry(trx, id);
      if (!entry)
        throw new AppError('not-found', { zh: `没有黑名单记录“${id}”`, en: `no blacklist entry '${id}'` });
      const removal = { at, by: actor.userId, reason };
      if (!(await repo.markRemoved(trx, id, removal)))
        throw new AppError('conflict', {
          zh: `记录 ${id} 已被移出黑名单（${entry.removedAt ?? '刚刚'}，${entry.removalReason ?? ''}）`,
          en: `entry ${id} was already removed (${entry.removedAt ?? 'just now'}, ${entry.removalReason ?? ''})`,
        });
      await this.audit.record(
        trx,
        {
          actor,
          entityType: 'blacklist',
          entityId: id,
          action: 'remove',
          changes: { phone: entry.phone, reason },
        },
        at,
      );
      await appendEvents(trx, [blacklistChanged(entry, 'removed', at)]);
      return { ...entry, removedAt: at, removedBy: actor.userId, removalReason: reason };
    });
  }

  list(
    filter: BlacklistFilter,
    page: { limit: number; offset: number },
  ): Promise<{ items: BlacklistEntry[]; total: number }> {
    const q: repo.BlacklistQuery = { now: this.clock.now().toISOString(), ...page };
    if (filter.phone && 'exact' in filter.phone) q.phone = filter.phone.exact;
    if (filter.phone && 'suffix' in filter.phone) q.phoneSuffix = filter.phone.suffix;
    if (filter.status) q.status = filter.status;
    return repo.listEntries(this.db, q);
  }
}

function blacklistChanged(entry: BlacklistEntry, action: 'added' | 'removed', at: string): NewEvent {
  return event('blacklist.changed', { type: 'blacklist', id: entry.id }, at, {
    entryId: entry.id,
    action,
    phone: masked(entry.phone),
    callId: entry.callId,
    expiresAt: entry.expiresAt,
  });
}
