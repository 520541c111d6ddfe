// The application core: every service of one Huashu instance, built from the store, the
// clock and the id generator, with no transport. The HTTP server (src/http), the command line
// (src/cli), tests and a future WebSocket adapter all start from createApplication; none of
// them constructs a service itself. No Fastify here (depcheck: app-core-no-transport).
import type { Principal } from '../accounts/principal.ts';
import { AccountsService } from '../accounts/service.ts';
import type { ThrottleStore } from '../accounts/throttle.ts';
import { AuditWriter, systemActor } from '../audit/audit.ts';
import { BlacklistService } from '../blacklist/service.ts';
import { CallsService } from '../calls/service.ts';
import type { Config } from '../config/config.ts';
import type { LiveCallStore } from '../cti/live.ts';
import { SqlLiveCallStore } from '../cti/repository.ts';
import { CtiService, ENDING_STUCK_AFTER_MS } from '../cti/service.ts';
import { SoftphoneService } from '../cti/softphone.ts';
import { CustomersService } from '../customers/service.ts';
import { DashboardService } from '../dashboard/service.ts';
import type { Store } from '../db/database.ts';
import { Events } from '../events/events.ts';
import { ExportsService } from '../exports/service.ts';
import { defineAppJobs } from '../jobs/app-jobs.ts';
import { MemoryJobRunner } from '../jobs/memory-runner.ts';
import type { JobRunner } from '../jobs/runner.ts';
import { AgentStateService } from '../live/agent-service.ts';
import { DEFAULT_AGENT_STATE_RULES } from '../live/agent-state.ts';
import { type AgentStateStore, MemoryAgentStateStore } from '../live/agent-store.ts';
import { LiveRules } from '../live/alerts.ts';
import { createFlowFactory } from '../live/flow.ts';
import { type LiveHub, MemoryLiveHub } from '../live/hub.ts';
import type { JournalClaim, LiveJournal } from '../live/journal.ts';
import type { CallFlowFactory } from '../live/model.ts';
import { SqlLiveJournal } from '../live/repository.ts';
import { type LiveScope, liveScopeOf, needsTeam, type ScopeHolder } from '../live/scope.ts';
import { ScorecardFlows } from '../live/scorecard-flows.ts';
import { LiveAssistService } from '../live/service.ts';
import { Metrics } from '../observability/metrics.ts';
import { Catalog } from '../playbook/catalog.ts';
import { PlaybookService } from '../playbook/store.ts';
import { Inspector } from '../qa/engine.ts';
import { loadScorecard } from '../qa/scorecard.ts';
import { ReviewService } from '../review/service.ts';
import { ReinspectionStore, ScorecardService } from '../scorecards/store.ts';
import type { Clock, IdGenerator } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import { TicketsService } from '../tickets/service.ts';

export interface ApplicationDeps {
  config: Config;
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  /** The playbooks; default the shipped ones (Catalog.load(), which takes a while). */
  catalog?: Catalog;
  /** The calls ringing or talking now; default in the database (kept across a restart). */
  liveCalls?: LiveCallStore;
  /** Default: a registry of its own without Node's process metrics. */
  metrics?: Metrics;
  /** Default: built from the config (REDIS_URL, HUASHU_REDIS_PREFIX, HUASHU_EVENT_RELAY); not started. */
  events?: Events;
  /** Where failed sign-ins are counted; default this process's memory (Redis: shared). */
  throttleStore?: ThrottleStore;
  /** Background jobs; default in this process (BullMQ on Redis: once across processes). Not started. */
  jobs?: JobRunner;
  /** Makes each live call's flow. Default: the engine of live/flow.ts with the rules of the scorecard version in force at the ring. */
  liveFlows?: CallFlowFactory;
  /** Where live assist keeps and carries call events; default this process (Redis: every process). */
  liveHub?: LiveHub;
  /**
   * Where live assist records each live call's inputs, replayed at start-up after a restart.
   * Default: the database when the hub is this process's own (no REDIS_URL); none otherwise.
   */
  liveJournal?: LiveJournal | null;
  /** The claim of `liveJournal`, when taken before the application is made (server.ts). */
  liveJournalClaim?: JournalClaim;
  /** Where agents' states are kept; default this process (Redis: every process). */
  agentStates?: AgentStateStore;
}

/** The services, and what they were built from. */
export interface Services {
  config: Config;
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  metrics: Metrics;
  catalog: Catalog;
  accounts: AccountsService;
  playbooks: PlaybookService;
  /** Scorecard versions: drafts, publishing, the version the inspector uses. */
  scorecards: ScorecardService;
  /** Re-inspection runs of a period, with their progress. */
  reinspections: ReinspectionStore;
  tickets: TicketsService;
  customers: CustomersService;
  calls: CallsService;
  blacklist: BlacklistService;
  cti: CtiService;
  /** Who gets full numbers in an export, and the audit entry of those exports. */
  exports: ExportsService;
  /** Domain events: subscribe here. The server starts them (relay, Redis fan-out); tests that need delivery do too. */
  events: Events;
  /** The deadline check, the stale-call sweep and batch work; the server starts them. */
  jobs: JobRunner;
  /** Live assist: each live call's flow, its numbered events, the consoles' subscriptions. */
  live: LiveAssistService;
  /** Agents' states (ready, not ready, talking, wrap-up, offline): live/agent-service.ts. */
  agents: AgentStateService;
  /** Practice calls from the console without a telephone system (HUASHU_SOFTPHONE). */
  softphone: SoftphoneService;
  /** Review, appeal and calibration (人工复核 / 申诉 / 校准). */
  review: ReviewService;
  /** The dashboards and the wallboard; their facts follow the call and ticket events. */
  dashboard: DashboardService;
}

export interface Application extends Services {
  /** The caller of a session cookie, or null (unknown, expired, or the user disabled). */
  principalFromSession(sessionToken: string, ip: string | null): Promise<Principal | null>;
  /** The caller of an API token's secret, or null (unknown, revoked or expired). */
  principalFromToken(secret: string, ip: string | null): Promise<Principal | null>;
  /**
   * Which live calls the principal sees (live/scope.ts), for the live-assist socket (at
   * subscribe) and GET /api/cti/live (per request): a team lead's team members are read now.
   */
  liveScopeOf(principal: ScopeHolder): Promise<LiveScope>;
  /**
   * Stops what the application runs (jobs, then events); once. The store stays open: whoever
   * opened it closes it (after this).
   */
  close(): Promise<void>;
}

export function createApplication(deps: ApplicationDeps): Application {
  const { config, store, clock, ids } = deps;
  const catalog = deps.catalog ?? Catalog.load();
  const metrics = deps.metrics ?? new Metrics();
  const accounts = new AccountsService(store.db, clock, ids, config.sessionHours, deps.throttleStore);
  const playbooks = new PlaybookService(store.db, catalog, clock, ids);
  // In the database, so that a restart of the one process keeps the calls in progress.
  const liveCalls =
    deps.liveCalls ?? new SqlLiveCallStore(store.db, clock, { staleAfterMs: config.liveCallTtlMs });
  // A ticket may link the call in progress (the console's), not stored yet: its brand from here.
  const tickets = new TicketsService(
    store.db,
    clock,
    ids,
    catalog,
    metrics,
    async (callId) => (await liveCalls.get(callId))?.brand,
  );
  const customers = new CustomersService(store.db, clock, ids);
  const inspector = new Inspector(loadScorecard(), catalog);
  // A hang-up is judged by the version in force at the ring, which another process may have
  // published before this one heard of the next.
  const calls = new CallsService(store.db, clock, ids, catalog, inspector, customers, metrics, (version) =>
    scorecards.inspectorOf(version),
  );
  // Live assist's rules per scorecard version: each call those of the version in force at its ring.
  const scorecardFlows = new ScorecardFlows(
    (judge) =>
      createFlowFactory({
        catalog,
        detector: judge.detector,
        rules: new LiveRules(judge),
        phraseSets: judge.scorecard.phraseSets,
      }),
    inspector,
  );
  const scorecards = new ScorecardService(
    store.db,
    catalog,
    clock,
    ids,
    (next, version) => {
      // Together, so that the CTI's ring (calls.inspectingWith) and live assist name the same version.
      calls.useInspector(next, version);
      scorecardFlows.use(next, version);
    },
    inspector.detector,
  );
  const reinspections = new ReinspectionStore(store.db, clock, ids);
  const blacklist = new BlacklistService(store.db, clock, ids, calls);
  const events =
    deps.events ??
    new Events({
      db: store.db,
      clock,
      redisUrl: config.redisUrl,
      redisPrefix: config.redisPrefix,
      relay: config.eventRelay,
    });
  // A playbook put in force by another process is put in force here too. The process that took
  // the PUT has that version already: no second read of the stored versions there.
  events.subscribe('playbook.changed', async ({ payload }) => {
    if ((catalog.find(payload.brand)?.version ?? 0) >= payload.version) return;
    await playbooks.loadStored();
  });
  // A scorecard version published by another process is put in force here too.
  events.subscribe('scorecard.changed', async ({ payload }) => {
    if (payload.scorecard !== 'default' || (scorecards.versionInForce ?? 0) >= payload.version) return;
    await scorecards.loadPublished();
  });
  const liveHub = deps.liveHub ?? new MemoryLiveHub(() => clock.now().getTime());
  const agents = new AgentStateService({
    clock,
    store: deps.agentStates ?? new MemoryAgentStateStore(),
    hub: liveHub,
    db: store.db,
    audit: new AuditWriter(ids, clock),
    // An agent of every brand gets the defaults (no one brand's list is theirs).
    rulesOf: (brand) => {
      const s = brand === null ? undefined : catalog.find(brand)?.settings.agentStates;
      return {
        reasons: s?.notReadyReasons ?? DEFAULT_AGENT_STATE_RULES.reasons,
        limitMinutes: s?.notReadyLimitMinutes ?? DEFAULT_AGENT_STATE_RULES.limitMinutes,
      };
    },
  });
  const live = new LiveAssistService({
    clock,
    factory: deps.liveFlows ?? scorecardFlows.factory,
    hub: liveHub,
    liveCalls,
    agents,
    liveTtlMs: config.liveCallTtlMs,
    journal:
      deps.liveJournal !== undefined
        ? deps.liveJournal
        : deps.liveHub
          ? null
          : new SqlLiveJournal(store.db, clock),
    ...(deps.liveJournalClaim ? { claim: deps.liveJournalClaim } : {}),
    // A call that rang under a version no longer in force is replayed with that version's rules.
    prepare: async (setups) => {
      for (const v of new Set(setups.map((x) => x.scorecardVersion))) {
        if (typeof v !== 'number' || scorecardFlows.has(v)) continue;
        try {
          scorecardFlows.keep(await scorecards.inspectorOf(v), v);
        } catch {
          // Not in the store (or no longer valid): the call gets the rules in force, as at a ring.
        }
      }
    },
    // Alone (the journal's holder) every call still ending is an interrupted hang-up; with other
    // processes, only one ending for longer than a hang-up can take.
    settleCti: async (alone, log) => {
      await cti.settleInterruptedHangups(alone ? 0 : ENDING_STUCK_AFTER_MS, log);
    },
    // The console's transfer-failed button is the call's event, recorded by the CTI as the
    // telephone system's would be (by the agent whose call it is).
    transferFailed: async (callId, at, sender) => {
      await cti.transferFailed(
        callId,
        at,
        sender.kind === 'integration'
          ? { kind: 'integration' }
          : { kind: 'person', agentNumber: sender.agentNumber, brand: sender.brand },
      );
    },
    // Typed or ASR turns reach the stored call: at the CTI's hang-up (transcriptOf, below), else here.
    onTranscript: async (callId, turns) => {
      try {
        await calls.addTranscript(callId, turns, systemActor('server'));
      } catch (err) {
        // Words already stored with the hang-up (or by the ASR route) are the call's: kept.
        if (!(err instanceof AppError && err.code === 'conflict')) throw err;
      }
    },
  });
  const cti = new CtiService(
    liveCalls,
    clock,
    catalog,
    calls,
    customers,
    blacklist,
    tickets,
    events,
    (e, o) => live.onCti(e, o),
    (callId) => live.transcriptOf(callId),
    config.liveAsr,
  );
  const softphone = new SoftphoneService({
    setting: config.softphone,
    cti,
    integrationConfigured: () => accounts.integrationConfigured(),
    brandId: (brand, path) => calls.brandId(brand, path),
    store,
    audit: new AuditWriter(ids, clock),
    ids,
  });
  const review = new ReviewService(store.db, clock, ids, calls, () => calls.scorecardInForce);
  const dashboard = new DashboardService({
    db: store.db,
    clock,
    catalog,
    calls,
    tickets,
    accounts,
    cti,
    review,
    agents,
    ruleTitle: (id) => calls.scorecardInForce.rules.find((r) => r.id === id)?.title ?? null,
  });
  // The dashboards' facts follow the calls and tickets (src/dashboard/README.md).
  events.subscribe('call.inspected', ({ payload }) => dashboard.recordCall(payload.callId));
  for (const type of ['ticket.opened', 'ticket.changed', 'ticket.breached', 'ticket.escalated'] as const)
    events.subscribe(type, ({ payload }) => dashboard.recordTicket(payload.ticketId));
  for (const type of ['appeal.filed', 'appeal.judged'] as const)
    events.subscribe(type, ({ payload }) => dashboard.recordAppeal(payload.appealId));
  const jobs = deps.jobs ?? new MemoryJobRunner(clock);
  defineAppJobs(
    jobs,
    {
      tickets,
      live: liveCalls,
      calls,
      reinspections: { runs: reinspections, scorecards },
      review,
      dashboard,
    },
    config.checkIntervalMs,
  );
  let closing: Promise<void> | undefined;
  return {
    config,
    store,
    clock,
    ids,
    metrics,
    catalog,
    accounts,
    playbooks,
    scorecards,
    reinspections,
    tickets,
    customers,
    calls,
    blacklist,
    cti,
    exports: new ExportsService(store.db, clock, ids),
    events,
    jobs,
    live,
    agents,
    softphone,
    review,
    dashboard,
    principalFromSession: (sessionToken, ip) => accounts.authenticateSession(sessionToken, ip),
    principalFromToken: (secret, ip) => accounts.authenticateToken(secret, ip),
    liveScopeOf: async (p) =>
      needsTeam(p) ? liveScopeOf(p, await accounts.teamMembers(p.team, p.brand)) : liveScopeOf(p),
    close() {
      closing ??= (async () => {
        // Jobs first: a job still running may publish an event.
        await jobs.close();
        agents.close();
        await live.close();
        await events.stop();
      })();
      return closing;
    },
  };
}
