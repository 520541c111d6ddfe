// The console's softphone (软电话): with no telephone system connected, an agent starts a
// practice call to their own 工号 — a ring the server posts for them, with a number they type or
// one made up — and drives it with the same answer/hold/unhold/transfer/hang-up events as a real
// call (POST /api/cti/events from their session), so the console works alone for training and
// demos. A practice call runs live assist as any call does, but leaves no trace in the
// hotline's records (cti/service.ts: never stored, no callback, no blacklist, no domain event);
// its start is audited. HUASHU_SOFTPHONE: `auto` (default) allows it while no integration
// exists (an admin's API token with the scope cti, the only credential that posts rings), `on`
// always, `off` never.
import { createHash } from 'node:crypto';
import type { Principal } from '../accounts/principal.ts';
import type { AuditWriter } from '../audit/audit.ts';
import type { Phone } from '../customers/phone.ts';
import type { Store } from '../db/database.ts';
import { masked } from '../events/payloads.ts';
import type { IdGenerator } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import type { CtiService, EventOutcome } from './service.ts';

export type SoftphoneSetting = 'auto' | 'on' | 'off';

export interface SoftphoneState {
  /** Practice calls may be started now. */
  available: boolean;
  setting: SoftphoneSetting;
  /** Why not, when not (shown by the console). */
  reason: 'off' | 'integration-configured' | null;
}

export interface PracticeCallInput {
  /** The number the agent typed (canonical when mainland); absent: one is made up. */
  caller?: { phone: Phone | null; asGiven: string } | null;
  brand?: string;
  direction?: 'inbound' | 'outbound';
}

export interface SoftphoneDeps {
  setting: SoftphoneSetting;
  cti: CtiService;
  /** Whether a telephone-system integration exists (AccountsService.integrationConfigured). */
  integrationConfigured: () => Promise<boolean>;
  /** The brand's id from an id, name or alias (CallsService.brandId: a 400 naming the field). */
  brandId: (brand: string, path: string) => string;
  store: Store;
  audit: AuditWriter;
  ids: IdGenerator;
}

/** Numbers made up for practice calls: 170 (a virtual operators' range) and 8 digits from the call id. */
export function practiceNumber(callId: string): string {
  const digest = createHash('sha256').update(callId).digest();
  return `170${String(digest.readUInt32BE(0) % 100_000_000).padStart(8, '0')}`;
}

export class SoftphoneService {
  constructor(private readonly deps: SoftphoneDeps) {}

  async state(): Promise<SoftphoneState> {
    const { setting } = this.deps;
    if (setting === 'off') return { available: false, setting, reason: 'off' };
    if (setting === 'on') return { available: true, setting, reason: null };
    const integrated = await this.deps.integrationConfigured();
    return { available: !integrated, setting, reason: integrated ? 'integration-configured' : null };
  }

  /** Rings a practice call to the agent's own 工号; the ring's outcome (customer card and all). */
  async startPracticeCall(
    principal: Pick<Principal, 'userId' | 'ip' | 'agentNumber' | 'brand' | 'displayName' | 'role'>,
    input: PracticeCallInput,
  ): Promise<EventOutcome> {
    const state = await this.state();
    if (!state.available)
      throw new AppError(
        'forbidden',
        state.reason === 'off'
          ? {
              zh: '练习通话已关闭（HUASHU_SOFTPHONE=off）；通话由电话系统发起。要用于培训或演示，请管理员设置 HUASHU_SOFTPHONE=on 或 auto',
              en: 'practice calls are off (HUASHU_SOFTPHONE=off); calls come from the telephone system. For training or demos, ask an admin to set HUASHU_SOFTPHONE=on or auto',
            }
          : {
              zh: '已接入电话系统（存在权限为 cti 的管理员 API 令牌），练习通话不可用（HUASHU_SOFTPHONE=auto）；培训室可设置 HUASHU_SOFTPHONE=on',
              en: 'a telephone system is connected (an admin’s API token with the scope cti exists), so practice calls are unavailable (HUASHU_SOFTPHONE=auto); a training room can set HUASHU_SOFTPHONE=on',
            },
      );
    const agentNumber = principal.agentNumber;
    if (agentNumber === null)
      throw new AppError('forbidden', {
        zh: '您没有工号，不能拨练习通话：练习通话振铃到您自己的工号。请管理员为您的账号设置工号',
        en: 'you have no 工号 (agent number), and a practice call rings to your own 工号; ask an admin to give your account one',
      });
    const asked = input.brand ?? principal.brand;
    if (asked === undefined || asked === null)
      throw new AppError(
        'validation',
        {
          zh: '请注明品牌（brand）：您的账号不属于某个品牌',
          en: 'name the brand (brand): your account belongs to no brand',
        },
        [{ path: 'body.brand', message: 'required', zh: '必填' }],
      );
    const brand = this.deps.brandId(asked, 'body.brand');
    if (principal.brand !== null && brand !== principal.brand)
      throw new AppError('forbidden', {
        zh: `您属于品牌“${principal.brand}”，只能拨本品牌的练习通话（请求的是“${brand}”）`,
        en: `you belong to brand '${principal.brand}' and may practise only its calls (asked for '${brand}')`,
      });
    const callId = `practice-${this.deps.ids()}`;
    const caller =
      input.caller === undefined
        ? // A made-up number is a mainland one in form but nobody's: kept as given (no
          // customer, blacklist or history looked up for it).
          { phone: null, asGiven: practiceNumber(callId) }
        : input.caller;
    const outcome = await this.deps.cti.handle(
      {
        callId,
        type: 'ring',
        brand,
        direction: input.direction ?? 'inbound',
        caller,
        agent: { id: agentNumber, name: principal.displayName },
        practice: true,
      },
      principal,
      { kind: 'integration' },
    );
    await this.deps.audit.record(this.deps.store.db, {
      actor: { userId: principal.userId, ip: principal.ip },
      entityType: 'call',
      entityId: callId,
      action: 'practice-call',
      changes: {
        brand,
        agentNumber,
        direction: input.direction ?? 'inbound',
        caller: masked(caller?.asGiven ?? null),
        callerTyped: input.caller !== undefined,
      },
    });
    return outcome;
  }
}
