// The phrases of one compiled scorecard: every literal, $set and @playbook reference of its
// rules gets one id (normalized, shared), so that one Aho–Corasick pass per turn finds them all.
import type { Playbook } from '../playbook/load.ts';
import { normalizeText } from '../text/normalize.ts';
import type { Evidence, Hit } from './evaluation.ts';
import type { Scorecard } from './scorecard.ts';

export class PhraseTable {
  private readonly phraseIds = new Map<string, number>();
  /** The normalized phrases, by id. */
  readonly phraseTexts: string[] = [];

  constructor(
    private readonly scorecard: Scorecard,
    private readonly playbook: Playbook,
  ) {}

  private phraseId(text: string): number | undefined {
    const norm = normalizeText(text);
    if (!norm) return undefined;
    let id = this.phraseIds.get(norm);
    if (id === undefined) {
      id = this.phraseTexts.length;
      this.phraseIds.set(norm, id);
      this.phraseTexts.push(norm);
    }
    return id;
  }

  /** The phrase ids of one list item: a literal, a $set or an @playbook reference. */
  private itemIds(item: string): number[] {
    let phrases: string[];
    if (item.startsWith('$')) phrases = this.scorecard.phraseSets[item.slice(1)] ?? [];
    else if (item === '@brand') {
      // A brand is named by its name, its aliases and its hotline (中国移动 / 10086).
      const b = this.playbook.brand;
      phrases = [b.name, ...b.aliases, ...(b.hotline ? [b.hotline] : [])];
    } else if (item === '@rewrites.habitual') phrases = this.playbook.rewrites.map((r) => r.habitual);
    else if (item.startsWith('@forbidden.')) {
      const group = item.slice('@forbidden.'.length);
      // A phrase the standards write with 你 is as forbidden said with 您 (你到底想怎么样 /
      // 您到底想怎么样): a polite pronoun does not make a rebuke polite.
      phrases = this.playbook.forbidden
        .filter((f) => f.group === group)
        .flatMap((f) => f.phrases)
        .flatMap((p) => (p.includes('你') ? [p, p.replaceAll('你', '您')] : [p]));
    } else phrases = [item];
    return phrases.map((p) => this.phraseId(p)).filter((id): id is number => id !== undefined);
  }

  /** The phrase ids of a list, each once. */
  ids(items: readonly string[] | undefined): number[] {
    return [...new Set((items ?? []).flatMap((i) => this.itemIds(i)))];
  }

  hitEvidence(hits: readonly Hit[]): Evidence[] {
    return hits.map((h) => ({
      turn: h.turn,
      start: h.start,
      end: h.end,
      phrase: this.phraseTexts[h.phrase],
    }));
  }

  /** A phrase list as a person reads it: sets and references shown by their first phrases. */
  private readonly described = new Map<string, string>();

  describe(items: readonly string[]): string {
    const key = items.join('\u0000');
    const known = this.described.get(key);
    if (known !== undefined) return known;
    const shown = items.flatMap((item) => {
      const ids = this.itemIds(item);
      const words = ids.slice(0, 3).map((id) => this.phraseTexts[id] ?? '');
      return ids.length > 3 ? [...words, '…'] : words;
    });
    const text = shown.join(' / ');
    this.described.set(key, text);
    return text;
  }
}
