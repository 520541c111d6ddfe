// Row types of the store, as the migrations create them (snake_case). Only repositories see
// these; services map them to domain types.
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

export interface UsersTable {
  id: string;
  username: string;
  display_name: string;
  role: string;
  agent_number: string | null;
  password_hash: string;
  created_at: string;
  disabled_at: string | null;
  /** 2026112902: lower-case username, unique (NULL only for old names that differ by case). */
  username_key: string | null;
  /** 2026112902: the brand whose hotline the agent works; NULL: every brand. */
  brand: string | null;
  /** 2026120101: the team (班组) as typed; NULL: none. */
  team: string | null;
  /** 2026120101: the team's matching form (Simplified, lower case): 一組 and 一组 are one team. */
  team_key: string | null;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
  ip: string | null;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
  /** Space-separated TokenScope values. */
  scopes: string;
  expires_at: string | null;
}

export interface AuditLogTable {
  id: string;
  at: string;
  actor_id: string | null;
  actor_ip: string | null;
  entity_type: string;
  entity_id: string;
  action: string;
  changes: string;
}

export interface CustomersTable {
  id: string;
  phone: string;
  surname: string | null;
  /** The surname as searched (customers/model.ts surnameKey: Simplified, lower case); null with no surname. */
  surname_key: string | null;
  title: string | null;
  notes: string;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface CallsTable {
  id: string;
  brand: string;
  direction: string;
  agent_id: string | null;
  agent_name: string | null;
  customer_phone: string | null;
  started_at: string;
  ended_at: string | null;
  subject: string | null;
  events: string;
  turns: string;
  transcript: string;
  qa_score: number | null;
  qa_fatal: number | null;
  qa_failed_rules: string;
  qa_result: string | null;
  created_at: string;
  /** 2026112203: 1 when the call was answered (an answer event or any words), 0 for a missed call. */
  answered: number | null;
  /** 2026120102: phone, chat or email (calls/model.ts CHANNELS); 'phone' for older calls. */
  channel: Generated<string>;
  /** 2026120110: the scorecard version of the qa_* result; null for results before versions. */
  qa_scorecard_version: number | null;
  /** 2026120531: 1 when some rule applied (qa/result.ts isScored), 0 when all were n/a; null without a result. */
  qa_scored: number | null;
}

export interface TicketsTable {
  id: string;
  brand: string;
  type: string;
  status: string;
  priority: string;
  subject: string;
  customer_phone: string | null;
  call_id: string | null;
  assignee_id: string | null;
  escalation_level: string;
  next_deadline_at: string | null;
  /** 2026112202: when the deadline checker must look at the ticket next (see tickets/schedule.ts). */
  breach_check_at: string | null;
  /** 2026112903: a complaint's subject: the 工号 and user it is about (they never own it). */
  about_agent_number: string | null;
  about_user_id: string | null;
  data: string;
  version: number;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  /** 2026120211: the short number read out to callers (ZH-20261129-0042); null before then. */
  number: string | null;
  /** 2026120301: the deadline kinds ever breached, `|first-response|reply|`; null when none. */
  breached_deadlines: string | null;
  /**
   * 2026120520: what the search box finds the ticket by (tickets/search.ts ticketSearchText:
   * subject, description, replies, follow-up comments, customer number, read by searchKey).
   */
  search_text: string | null;
}

/** 2026120211: per brand and local day, the last ticket number given out. */
export interface TicketNumberCountersTable {
  brand: string;
  day: string;
  last: number;
}

export interface TicketEventsTable {
  id: string;
  ticket_id: string;
  at: string;
  type: string;
  data: string;
  /** 2026112202: 1, 2, 3… per ticket, in the order recorded. */
  seq: number | null;
}

export interface NotificationsTable {
  id: string;
  at: string;
  role: string | null;
  user_id: string | null;
  ticket_id: string | null;
  message: string;
  read_at: string | null;
  /** 2026112202: routed / assigned / breach / manual. */
  reason: string | null;
  /**
   * 2026120701: the brand of the ticket or call it is about; a brand-limited account reads only
   * its brand's. null (older rows whose brand was not found): accounts without a brand only.
   */
  brand: string | null;
}

export interface BlacklistTable {
  id: string;
  phone: string;
  reason: string;
  added_by: string | null;
  created_at: string;
  expires_at: string | null;
  removed_at: string | null;
  removed_by: string | null;
  removal_reason: string | null;
  /** 2026112203: the call the number was blacklisted from (one-step harassment). */
  call_id: string | null;
}

export interface PlaybookVersionsTable {
  brand: string;
  version: number;
  content: string;
  created_at: string;
  created_by: string | null;
}

/** 2026120110: scorecard versions (src/scorecards): drafts and published versions. */
export interface ScorecardVersionsTable {
  scorecard: string;
  version: number;
  content: string;
  status: string;
  created_at: string;
  created_by: string | null;
  published_at: string | null;
  published_by: string | null;
}

/** 2026120110: a call's machine result per scorecard version (src/calls). */
export interface CallInspectionsTable {
  call_id: string;
  scorecard_version: number;
  score: number;
  fatal: number;
  failed_rules: string;
  result: string;
  inspected_at: string;
}

/** 2026120110: re-inspection runs of a period with their progress (src/scorecards). */
export interface ReinspectionsTable {
  id: string;
  scorecard_version: number;
  brand: string | null;
  from_at: string | null;
  to_at: string | null;
  status: string;
  total: number;
  done: number;
  skipped: number;
  changed: number;
  errors: string;
  job_id: string | null;
  created_at: string;
  created_by: string | null;
  finished_at: string | null;
}

/** 2026113001: domain events written with their change, delivered after commit (src/events). */
export interface EventOutboxTable {
  /** Write order: SQLite rowid / PostgreSQL bigserial; generated. */
  position: Generated<number>;
  id: string;
  type: string;
  aggregate_type: string;
  aggregate_id: string;
  occurred_at: string;
  /** JSON. */
  payload: string;
  delivered_at: string | null;
}

/** 2026120107: a brand's sampling plan and review settings (src/review). */
export interface ReviewPlansTable {
  brand: string;
  all_fatal: number;
  all_complaints: number;
  mode: string;
  amount: number;
  seed: number;
  due_days: number;
  appeal_window_days: number;
  assign: string;
  updated_at: string;
  updated_by: string | null;
}

/** 2026120107: a review (人工复核) of one call by one inspector, sampled or for calibration. */
export interface ReviewsTable {
  id: string;
  call_id: string;
  brand: string;
  agent_id: string | null;
  agent_name: string | null;
  inspector_id: string;
  reason: string;
  week: string | null;
  session_id: string | null;
  slot: string;
  status: string;
  due_at: string;
  created_at: string;
  completed_at: string | null;
  machine_score: number | null;
  machine_fatal: number | null;
  /** JSON: the machine's findings as they were when assigned. */
  findings: string;
  /** JSON: {index: 'correct' | 'wrong'}. */
  verdicts: string;
  /** JSON: the findings the inspector added. */
  missed: string;
  comment: string;
  computed_score: number | null;
  final_score: number | null;
  final_fatal: number | null;
  override_reason: string | null;
  version: number;
}

/** 2026120107: an agent's appeal (申诉) of one finding of a review, and its final judgement. */
export interface ReviewAppealsTable {
  id: string;
  review_id: string;
  call_id: string;
  brand: string;
  agent_user_id: string;
  finding: string;
  rule: string;
  reason: string;
  status: string;
  filed_at: string;
  judged_by: string | null;
  judged_at: string | null;
  judgement_note: string | null;
}

/** 2026120107: a calibration session (校准): the same calls reviewed blind by several inspectors. */
export interface CalibrationSessionsTable {
  id: string;
  brand: string;
  title: string;
  call_ids: string;
  inspector_ids: string;
  created_by: string | null;
  created_at: string;
}

/** 2026120120: one row per stored call, the facts the dashboards count (src/dashboard). */
export interface DashCallsTable {
  call_id: string;
  brand: string;
  /** The local date (brand's time zone) the call started, YYYY-MM-DD. */
  day: string;
  started_at: string;
  /** The agent's team key at the time the call was recorded; '' when none. */
  team: string;
  /** The 工号; '' when none. */
  agent: string;
  phone: string | null;
  offered: number;
  answered: number;
  wait_ms: number | null;
  handle_ms: number | null;
  hold_ms: number;
  holds: number;
  holds_over: number;
  repeated: number;
  qa_score: number | null;
  qa_fatal: number;
  /** 2026120410: inspected with every rule n/a (no score; qa_score null). */
  qa_unscored: number;
}

/** 2026120120: the rules a stored call failed, one row each. */
export interface DashCallRulesTable {
  call_id: string;
  rule: string;
  brand: string;
  day: string;
  team: string;
  agent: string;
}

/**
 * 2026120120: the sums of dash_calls per brand and day at three grains: 'agent' (a team and
 * agent), 'team' (agent '*'), 'brand' (team and agent '*').
 */
export interface DashCallDayTable {
  brand: string;
  day: string;
  team: string;
  agent: string;
  grain: string;
  calls: number;
  offered: number;
  answered: number;
  abandoned: number;
  in_threshold: number;
  offered_answered: number;
  wait_ms: number;
  handled: number;
  handle_ms: number;
  hold_ms: number;
  holds: number;
  holds_over: number;
  with_phone: number;
  repeats: number;
  inspected: number;
  score_sum: number;
  fatal: number;
  score_lt60: number;
  score_60: number;
  score_70: number;
  score_80: number;
  score_90: number;
  /** 2026120410: inspected calls with no score (every rule n/a), not in inspected. */
  unscored: number;
}

/** 2026120120: dash_call_day's agent grain per month (a long period by agent). */
export interface DashCallMonthTable {
  brand: string;
  /** YYYY-MM. */
  month: string;
  team: string;
  agent: string;
  calls: number;
  offered: number;
  answered: number;
  abandoned: number;
  in_threshold: number;
  offered_answered: number;
  wait_ms: number;
  handled: number;
  handle_ms: number;
  hold_ms: number;
  holds: number;
  holds_over: number;
  with_phone: number;
  repeats: number;
  inspected: number;
  score_sum: number;
  fatal: number;
  score_lt60: number;
  score_60: number;
  score_70: number;
  score_80: number;
  score_90: number;
  /** 2026120410: inspected calls with no score (every rule n/a), not in inspected. */
  unscored: number;
}

/** 2026120120: failed rules per brand and day at the grains of dash_call_day. */
export interface DashRuleDayTable {
  brand: string;
  day: string;
  team: string;
  agent: string;
  grain: string;
  rule: string;
  failed: number;
}

/** 2026120120: one row per ticket, the facts the ticket dashboard counts. */
export interface DashTicketsTable {
  ticket_id: string;
  brand: string;
  type: string;
  level: string;
  status: string;
  open: number;
  created_at: string;
  created_day: string;
  reply_ms: number | null;
  close_ms: number | null;
  breached: number;
  overdue: number;
  satisfaction: number | null;
}

/** 2026120120: dash_tickets summed per brand, day opened and type. */
export interface DashTicketDayTable {
  brand: string;
  day: string;
  type: string;
  opened: number;
  breached: number;
  replied: number;
  reply_ms: number;
  closed: number;
  close_ms: number;
  visited: number;
  satisfaction_sum: number;
  satisfied: number;
}

/** 2026120230: one row per appeal, in the bucket of the appealed call. */
export interface DashAppealsTable {
  appeal_id: string;
  call_id: string;
  brand: string;
  day: string;
  team: string;
  agent: string;
  rule: string;
  /** open, upheld or overturned. */
  status: string;
}

/** 2026120230: dash_appeals counted per brand, day, rule at the grains of dash_call_day. */
export interface DashAppealDayTable {
  brand: string;
  day: string;
  team: string;
  agent: string;
  grain: string;
  rule: string;
  filed: number;
  pending: number;
  upheld: number;
  overturned: number;
}

/** 2026120401: the CTI's state of a call in progress (src/cti/repository.ts). */
export interface LiveCallsTable {
  call_id: string;
  /** The compare-and-set token (LiveCall.revision). */
  revision: number;
  /** ISO 8601 UTC: past it the call counts as gone (HUASHU_LIVE_CALL_HOURS after its last write). */
  expires_at: string;
  /** JSON of the LiveCall. */
  data: string;
}

/** 2026120401: live assist's journal, one input of a live call a row (src/live/repository.ts). */
export interface LiveInputsTable {
  call_id: string;
  /** 0: the ring (with the flow's setup), then 1, 2, 3… in the order applied. */
  n: number;
  /** JSON of the JournalEntry. */
  data: string;
}

/** 2026120402: a live call's journal rows that could not be read back at a start, kept for inspection. */
export interface LiveInputsRejectedTable {
  call_id: string;
  n: number;
  /** The row's data as it was stored (JSON of a JournalEntry, or what stood there instead). */
  data: string;
  /** What is wrong with this row; null for a sound row of the same call (moved with it). */
  problem: string | null;
  /** ISO 8601 UTC. */
  rejected_at: string;
}

/** 2026120402: the one process keeping the live journal (no Redis), one row (id 1). */
export interface LiveJournalHolderTable {
  id: number;
  /** host:pid:random of the process. */
  holder: string;
  host: string;
  pid: number;
  /** boot id/pid namespace/start time of its process, from /proc; null where unreadable. */
  identity: string | null;
  /** ISO 8601 UTC of its last heartbeat. */
  seen_at: string;
}

export interface DB {
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  audit_log: AuditLogTable;
  customers: CustomersTable;
  calls: CallsTable;
  tickets: TicketsTable;
  ticket_number_counters: TicketNumberCountersTable;
  ticket_events: TicketEventsTable;
  notifications: NotificationsTable;
  blacklist: BlacklistTable;
  playbook_versions: PlaybookVersionsTable;
  event_outbox: EventOutboxTable;
  review_plans: ReviewPlansTable;
  reviews: ReviewsTable;
  review_appeals: ReviewAppealsTable;
  calibration_sessions: CalibrationSessionsTable;
  scorecard_versions: ScorecardVersionsTable;
  call_inspections: CallInspectionsTable;
  reinspections: ReinspectionsTable;
  dash_calls: DashCallsTable;
  dash_call_rules: DashCallRulesTable;
  dash_call_day: DashCallDayTable;
  dash_call_month: DashCallMonthTable;
  dash_rule_day: DashRuleDayTable;
  dash_tickets: DashTicketsTable;
  dash_ticket_day: DashTicketDayTable;
  dash_appeals: DashAppealsTable;
  dash_appeal_day: DashAppealDayTable;
  live_calls: LiveCallsTable;
  live_inputs: LiveInputsTable;
  live_inputs_rejected: LiveInputsRejectedTable;
  live_journal_holder: LiveJournalHolderTable;
}

export type UserRow = Selectable<UsersTable>;
export type NewUserRow = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
