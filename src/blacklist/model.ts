// The blacklist (黑名单): numbers refused service, with why, who listed them and until when.
// Entries are never deleted: removal is recorded (who, when, why) and the entry kept.
import type { Phone } from '../customers/phone.ts';

export const BLACKLIST_STATUSES = ['active', 'expired', 'removed'] as const;
export type BlacklistStatus = (typeof BLACKLIST_STATUSES)[number];

export interface BlacklistEntry {
  id: string;
  phone: Phone;
  reason: string;
  /** User id of whoever listed the number. */
  addedBy: string | null;
  addedAt: string;
  /** After this instant the entry no longer refuses the number; null = until removed. */
  expiresAt: string | null;
  /** The call the number was listed from (one-step harassment). */
  callId: string | null;
  removedAt: string | null;
  removedBy: string | null;
  removalReason: string | null;
}

/** Where an entry stands at an instant. */
export function statusAt(e: BlacklistEntry, at: Date): BlacklistStatus {
  if (e.removedAt !== null) return 'removed';
  if (e.expiresAt !== null && e.expiresAt <= at.toISOString()) return 'expired';
  return 'active';
}

/** The reason given when an agent lists a harassment call's number without saying more. */
export const HARASSMENT_REASON = '骚扰电话';
