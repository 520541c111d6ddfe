// The customer (客户) as the hotline knows them: one per phone number, with how to address
// them (surname and title, 王先生 / 李女士) and free notes for the next agent.
import { searchKey } from '../text/index.ts';
import type { Phone } from './phone.ts';

/** 称谓: how the customer is addressed, with `surname`. */
export const TITLES = ['先生', '女士'] as const;
export type Title = (typeof TITLES)[number];

export interface Customer {
  id: string;
  phone: Phone;
  surname: string | null;
  title: Title | null;
  notes: string;
  createdAt: string;
  updatedAt: string;
  /** 1 when created, +1 per change: send it back with an update (optimistic locking). */
  version: number;
}

/**
 * What the surname is searched by (stored as `customers.surname_key`): the surname as search
 * boxes read it (`searchKey` of src/text: Simplified, full width and stray spaces folded, Latin
 * letters in lower case: 陳 → 陈, 歐陽 → 欧阳, Smith → smith), so the same customer is found
 * whichever script or case the surname was typed or searched in. The surname itself is kept
 * and shown as typed. Keys stored before lower case was part of it: migration 2026120521.
 */
export function surnameKey(surname: string | null): string | null {
  return surname === null ? null : searchKey(surname);
}

/** A ticket of the customer, as their history shows it. */
export interface CustomerTicket {
  id: string;
  /** The short number read out to the caller (ZH-20261129-0042); null on tickets opened before numbers. */
  number: string | null;
  brand: string;
  type: string;
  status: string;
  subject: string;
  callId: string | null;
  createdAt: string;
  nextDeadlineAt: string | null;
}

/**
 * The title a call file or a CTI system gives, as one of ours: 先生; 女士 (小姐 and the
 * Traditional forms too); anything else (老师, 师傅) is not a title we keep.
 */
export function titleOf(value: string | undefined | null): Title | null {
  const t = value?.trim();
  if (!t) return null;
  if (t === '先生') return '先生';
  if (t === '女士' || t === '小姐' || t === '小姐姐') return '女士';
  return null;
}
