// The review module's stored values: a review (人工复核) of one call by one inspector, an
// appeal (申诉) of one of its findings, a calibration session (校准). Plain data, no I/O.
import type { AppealStatus, MachineFinding, MissedFinding, SampleReason, Verdict } from './domain.ts';

export const REVIEW_STATUSES = ['assigned', 'done'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

export interface Review {
  id: string;
  callId: string;
  brand: string;
  agent: { id: string | null; name: string | null };
  /** The QA inspector it is assigned to (user id). */
  inspectorId: string;
  reason: SampleReason;
  /** The sampled week (its local Monday); null for calibration. */
  week: string | null;
  /** The calibration session; null for a sampled review. */
  sessionId: string | null;
  status: ReviewStatus;
  dueAt: string;
  createdAt: string;
  completedAt: string | null;
  /** The machine's result as it was when assigned (kept beside the human one). */
  machine: { score: number | null; fatal: boolean };
  findings: MachineFinding[];
  /** The inspector's verdict per machine finding (by its index). */
  verdicts: Record<string, Verdict>;
  /** Findings the machine missed; `overturned` when an appeal struck one out. */
  missed: (MissedFinding & { overturned?: boolean })[];
  comment: string;
  /** The score the scorecard gives with the corrections. */
  computedScore: number | null;
  /** The human result: the computed score, or the inspector's override. */
  finalScore: number | null;
  finalFatal: boolean | null;
  overrideReason: string | null;
  version: number;
}

export interface Appeal {
  id: string;
  reviewId: string;
  callId: string;
  brand: string;
  agentUserId: string;
  /** `f:<index>` a machine finding the inspector confirmed; `m:<index>` one the inspector added. */
  finding: string;
  rule: string;
  reason: string;
  status: AppealStatus;
  filedAt: string;
  judgedBy: string | null;
  judgedAt: string | null;
  judgementNote: string | null;
}

export interface CalibrationSession {
  id: string;
  brand: string;
  title: string;
  callIds: string[];
  inspectorIds: string[];
  createdBy: string | null;
  createdAt: string;
}
