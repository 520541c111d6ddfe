// The session ending under an open page (it expired, the user signed out in another tab, an
// admin reset the password): the page stays as it is, with whatever was typed in its forms, and
// a dialog (layout/session-dialog.tsx) asks for the password again; sending the form again then
// works. Signing in again starts a new epoch: what was cut off (the console's socket, the
// notification stream, the queries that failed) starts again.
import { useSyncExternalStore } from 'react';

let ended = false;
let epoch = 0;
/** The user the browser's session now belongs to, when another user signed in in another tab. */
let otherUser: string | null = null;
const listeners = new Set<() => void>();

function emit(): void {
  for (const l of listeners) l();
}

function subscribe(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

/**
 * A request was refused for want of a session while someone was signed in; `other`: the
 * browser's cookie is now that user's (signed in in another tab), and this page is not theirs.
 */
export function markSessionEnded(other?: string): void {
  if (ended && (other === undefined || other === otherUser)) return;
  ended = true;
  if (other !== undefined) otherUser = other;
  emit();
}

/** Signed in again (the dialog, or the sign-in page after a sign-out). */
export function markSessionResumed(): void {
  if (!ended) return;
  ended = false;
  otherUser = null;
  epoch++;
  emit();
}

export function useSessionEnded(): boolean {
  return useSyncExternalStore(subscribe, () => ended);
}

/** 0, then one more at each sign-in after the session ended. */
export function useSessionEpoch(): number {
  return useSyncExternalStore(subscribe, () => epoch);
}

/** Who the browser is now signed in as, when another user signed in elsewhere; else null. */
export function useSessionOtherUser(): string | null {
  return useSyncExternalStore(subscribe, () => otherUser);
}
