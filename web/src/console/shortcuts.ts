// The console's keyboard: one key per control, shown on its button and in the sheet `?` opens.
// While the agent types in the turn input (or any text field) a bare key is a letter, so a
// shortcut there needs Alt; elsewhere the bare key works (Alt too). Everything an agent does
// during a call has one: the softphone, the line buttons, the best script line, each ticket.
import type { MessageKey } from '../i18n/zh';
import type { TicketKind } from './tickets';

export type Action =
  | 'answer'
  | 'hold'
  | 'transfer'
  | 'hangup'
  | 'silent-line'
  | 'noisy-line'
  | 'dialect'
  | 'transfer-failed'
  | 'harassment'
  | 'wrong-number'
  | 'not-the-customer'
  | 'focus-input'
  | 'switch-speaker'
  | 'use-line'
  | `ticket-${TicketKind}`
  | 'ready'
  | 'not-ready'
  | 'help';

export interface Shortcut {
  action: Action;
  /** KeyboardEvent.key, lower case. */
  key: string;
  label: MessageKey;
  /** Listed under this heading in the sheet (a ticket: 一键工单：投诉). */
  group?: MessageKey;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { action: 'answer', key: 'a', label: 'console.answer' },
  { action: 'hold', key: 'h', label: 'console.holdToggle' },
  { action: 'transfer', key: 't', label: 'console.transfer' },
  { action: 'hangup', key: 'e', label: 'console.hangup' },
  { action: 'silent-line', key: '1', label: 'console.button.silent-line' },
  { action: 'noisy-line', key: '2', label: 'console.button.noisy-line' },
  { action: 'dialect', key: '3', label: 'console.button.dialect' },
  { action: 'transfer-failed', key: '4', label: 'console.button.transfer-failed' },
  { action: 'harassment', key: '5', label: 'console.button.harassment' },
  { action: 'wrong-number', key: '6', label: 'console.button.wrong-number' },
  { action: 'not-the-customer', key: '7', label: 'console.button.not-the-customer' },
  { action: 'focus-input', key: '/', label: 'console.focusInput' },
  // Who the typed turn is from (a practice call, a call the ASR does not transcribe): typing both
  // sides is Enter, Alt+W, the other side's words, Enter.
  { action: 'switch-speaker', key: 'w', label: 'console.switchSpeaker' },
  { action: 'use-line', key: 'f', label: 'console.useBestLine' },
  // The one-click tickets (a form filled from the call; during the call or after the hang-up).
  { action: 'ticket-complaint', key: 'c', label: 'console.ticket.complaint', group: 'console.tickets' },
  { action: 'ticket-repair', key: 'b', label: 'console.ticket.repair', group: 'console.tickets' },
  { action: 'ticket-technical', key: 'q', label: 'console.ticket.technical', group: 'console.tickets' },
  { action: 'ticket-callback', key: 'k', label: 'console.ticket.callback', group: 'console.tickets' },
  { action: 'ticket-suggestion', key: 's', label: 'console.ticket.suggestion', group: 'console.tickets' },
  { action: 'ticket-message', key: 'm', label: 'console.ticket.message', group: 'console.tickets' },
  { action: 'ticket-harassment', key: 'x', label: 'console.ticket.harassment', group: 'console.tickets' },
  { action: 'ready', key: 'r', label: 'console.agent.ready' },
  { action: 'not-ready', key: 'n', label: 'console.agent.notReady' },
  { action: 'help', key: '?', label: 'console.shortcuts' },
];

/** What Alt+key still does while a dialog is open (a ticket form during the call): the softphone. */
export const SOFTPHONE_IN_DIALOG: ReadonlySet<Action> = new Set<Action>(['answer', 'hold', 'hangup']);

/** The key of an action as written on its button ("A"). */
export function keyOf(action: Action): string {
  return keyLabel(SHORTCUTS.find((s) => s.action === action)?.key ?? '');
}

/** How a key is written on a button: "A", and "Alt+A" is also accepted while typing. */
export function keyLabel(key: string): string {
  return key.length === 1 ? key.toUpperCase() : key;
}

function typingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  const tag = target.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || target.isContentEditable;
}

function inDialog(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && target.closest('.ant-modal') !== null;
}

/**
 * The action of a key press, or null. Alt+key always; a bare key only outside text fields;
 * Ctrl/Meta never (the browser's own shortcuts). Alt+digit and Alt+letter are read from
 * `code`, since Alt changes `key` on some layouts.
 */
type Key = Pick<
  KeyboardEvent,
  'key' | 'code' | 'altKey' | 'ctrlKey' | 'metaKey' | 'target' | 'isComposing' | 'keyCode'
>;

/** A key of an input method's composition (pinyin being turned into 汉字): never a shortcut. */
function composing(e: Key): boolean {
  return e.isComposing || e.keyCode === 229 || e.key === 'Process';
}

export function actionOf(e: Key): Action | null {
  if (e.ctrlKey || e.metaKey || composing(e)) return null;
  if (!e.altKey && typingIn(e.target)) return null;
  let key = e.key.toLowerCase();
  if (e.altKey) {
    if (/^Key[A-Z]$/.test(e.code)) key = e.code.slice(3).toLowerCase();
    else if (/^Digit\d$/.test(e.code)) key = e.code.slice(5);
    else if (e.code === 'Slash') key = e.key === '?' ? '?' : '/';
  }
  return SHORTCUTS.find((s) => s.key === key)?.action ?? null;
}

/** A bare letter this soon after another letter typed outside a field is typing, not a shortcut. */
export const TYPING_PAUSE_MS = 1000;
/** Keys this close together are one burst of typing (people type 3 to 8 keys a second). */
export const BURST_GAP_MS = 300;

/**
 * The keyboard read as shortcuts with typing told apart: an agent who types pinyin with the
 * focus off the input (its 'shi') must not hold the call at 'h' or find 'hi' written into the
 * form 's' opened. A bare key outside a field is a shortcut only after a pause of
 * TYPING_PAUSE_MS since the last other letter typed there (the second of two quick different
 * letters is dropped: press it again, or use Alt, which always acts; digits and a key pressed
 * again always act); the keys of the burst that
 * follows a bare shortcut (each within BURST_GAP_MS of the one before) are swallowed when
 * they land in a dialog's field, not typed into the form it opened. `now` in ms (injected, for the page's clock).
 */
export class KeyReader {
  private lastOutside = Number.NEGATIVE_INFINITY;
  private lastLetter = '';
  private burst = Number.NEGATIVE_INFINITY;

  read(e: Key, now: number): { action: Action | null; swallow: boolean } {
    const none = { action: null, swallow: false };
    if (composing(e)) return none;
    const bare = !e.altKey && !e.ctrlKey && !e.metaKey && e.key.length === 1;
    if (!bare) return { action: actionOf(e), swallow: false };
    const inBurst = now - this.burst < BURST_GAP_MS;
    if (inBurst) this.burst = now;
    // Only a field of a dialog (the form the shortcut opened): the turn input takes every key.
    if (typingIn(e.target)) return inBurst && inDialog(e.target) ? { action: null, swallow: true } : none;
    // Typing is letters (pinyin), and different ones: a digit (a line button) or the same key
    // pressed again (an agent pressing E until the call ends) is meant, never dropped — else
    // each press of a mashed key would restart the pause and none would act.
    const letter = /^[a-z]$/i.test(e.key) ? e.key.toLowerCase() : '';
    const typing = letter !== '' && letter !== this.lastLetter && now - this.lastOutside < TYPING_PAUSE_MS;
    if (letter !== '') {
      this.lastOutside = now;
      this.lastLetter = letter;
    }
    if (typing) return { action: null, swallow: inBurst };
    const action = actionOf(e);
    if (action) this.burst = now;
    return { action, swallow: false };
  }
}
