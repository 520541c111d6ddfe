// Finds scenarios by Chinese text, by full pinyin (tousu) and by pinyin initials (ts).
// Each scenario is indexed once: its title, keywords, stage and situation labels and its
// lines, each field with a weight, in characters, syllables and initials. A query term
// written in letters matches syllables only from a syllable boundary, so "ts" finds 投诉
// but not the middle of another word.
import { createRequire } from 'node:module';
import type * as PinyinPro from 'pinyin-pro';
import { normalizeText } from '../text/normalize.ts';
import type { Catalog } from './catalog.ts';
import type { Playbook, Scenario } from './load.ts';
import { SITUATIONS, STAGES } from './vocabulary.ts';

type FieldName = 'title' | 'keywords' | 'stage' | 'situations' | 'lines' | 'steps';

const WEIGHTS: Record<FieldName, number> = {
  title: 10,
  keywords: 8,
  stage: 6,
  situations: 5,
  lines: 2,
  steps: 1,
};

interface IndexedText {
  text: string;
  /** Toneless syllable per character (non-Han characters: the lower-cased character). */
  syllables: string[];
}

interface IndexedScenario {
  brand: string;
  scenario: Scenario;
  fields: { name: FieldName; texts: IndexedText[] }[];
}

export interface SearchHit {
  brand: string;
  scenarioId: string;
  title: string;
  stage: string;
  score: number;
  /** The fields that matched, best first. */
  matched: FieldName[];
}

// pinyin-pro and its dictionary take ~80 ms to load: loaded by the first search, not by every
// start of the server and of the CLI.
let pinyinPro: typeof PinyinPro | undefined;

function indexText(text: string): IndexedText {
  pinyinPro ??= createRequire(import.meta.url)('pinyin-pro') as typeof PinyinPro;
  const syllables = pinyinPro
    .pinyin(text, { toneType: 'none', type: 'array', v: true })
    .map((s) => s.toLowerCase());
  // pinyin-pro returns one entry per character for Han text; fall back to characters if not.
  return {
    text,
    syllables: syllables.length === [...text].length ? syllables : [...text].map((c) => c.toLowerCase()),
  };
}

function indexScenario(pb: Playbook, sc: Scenario): IndexedScenario {
  const t = (xs: string[]) => xs.map(indexText);
  return {
    brand: pb.brand.id,
    scenario: sc,
    fields: [
      { name: 'title', texts: t([sc.title]) },
      { name: 'keywords', texts: t(sc.keywords) },
      { name: 'stage', texts: t([STAGES[sc.stage].zh]) },
      { name: 'situations', texts: t(sc.situations.map((s) => SITUATIONS[s].zh)) },
      { name: 'lines', texts: t(sc.lines.map((l) => l.text)) },
      { name: 'steps', texts: t(sc.steps.map((s) => s.text)) },
    ],
  };
}

/** How well a letters-only term matches syllables: 0 none, 1 inside, 1.5 from the start. */
function pinyinMatch(term: string, syl: string[]): number {
  let best = 0;
  for (let i = 0; i < syl.length; i++) {
    if (initialsFrom(term, syl, i) || fullFrom(term, syl, i)) {
      best = Math.max(best, i === 0 ? 1.5 : 1);
      if (i === 0) break;
    }
  }
  return best;
}

/** term = initials of syl[i..]; "ts" ↔ tou su. Also accepts zh/ch/sh spelled out. */
function initialsFrom(term: string, syl: string[], i: number): boolean {
  let pos = 0;
  for (let k = i; pos < term.length; k++) {
    const s = syl[k];
    if (s === undefined || !/^[a-zü]+$/.test(s)) return false;
    const two = s.slice(0, 2);
    if ((two === 'zh' || two === 'ch' || two === 'sh') && term.startsWith(two, pos)) pos += 2;
    else if (term[pos] === s[0]) pos += 1;
    else return false;
  }
  return true;
}

/** term = syllables of syl[i..] written out, the last one possibly cut short: "tousu", "tous". */
function fullFrom(term: string, syl: string[], i: number): boolean {
  let pos = 0;
  for (let k = i; pos < term.length; k++) {
    const s = syl[k];
    if (s === undefined || !/^[a-zü]+$/.test(s)) return false;
    const rest = term.slice(pos);
    if (rest.startsWith(s)) pos += s.length;
    else return s.startsWith(rest) && rest.length >= 1 && k > i;
  }
  return true;
}

function textMatch(term: string, text: string): number {
  const at = text.indexOf(term);
  if (at < 0) return 0;
  if (text === term) return 2;
  return at === 0 ? 1.5 : 1;
}

export class PlaybookSearch {
  private index: IndexedScenario[] = [];
  private indexed = -1;

  constructor(private readonly catalog: Catalog) {}

  /** Built by the first search (not at start), and again after the catalog changes. */
  private current(): IndexedScenario[] {
    if (this.indexed !== this.catalog.revision) {
      this.index = this.catalog.playbooks.flatMap((pb) => pb.scenarios.map((sc) => indexScenario(pb, sc)));
      this.indexed = this.catalog.revision;
    }
    return this.index;
  }

  search(query: string, options: { brand?: string; limit?: number } = {}): SearchHit[] {
    // Split before normalizing: normalization joins words written with a space between them.
    const terms = query
      .split(/[\s,，、]+/)
      .map((t) => normalizeText(t).toLowerCase())
      .filter(Boolean);
    if (terms.length === 0) return [];
    const hits: SearchHit[] = [];
    for (const entry of this.current()) {
      if (options.brand && entry.brand !== options.brand) continue;
      let score = 0;
      const matched = new Map<FieldName, number>();
      let allTermsFound = true;
      for (const term of terms) {
        const letters = /^[a-zü]+$/.test(term);
        let termScore = 0;
        for (const field of entry.fields) {
          let best = 0;
          for (const t of field.texts) {
            best = Math.max(
              best,
              letters
                ? Math.max(pinyinMatch(term, t.syllables), textMatch(term, t.text) ? 1 : 0)
                : textMatch(term, t.text),
            );
          }
          if (best > 0) {
            const s = best * WEIGHTS[field.name];
            termScore += s;
            matched.set(field.name, (matched.get(field.name) ?? 0) + s);
          }
        }
        if (termScore === 0) allTermsFound = false;
        score += termScore;
      }
      if (!allTermsFound) continue;
      hits.push({
        brand: entry.brand,
        scenarioId: entry.scenario.id,
        title: entry.scenario.title,
        stage: entry.scenario.stage,
        score: Math.round(score * 10) / 10,
        matched: [...matched.entries()].sort((a, b) => b[1] - a[1]).map(([name]) => name),
      });
    }
    hits.sort(
      (a, b) =>
        b.score - a.score || a.brand.localeCompare(b.brand) || a.scenarioId.localeCompare(b.scenarioId),
    );
    return options.limit ? hits.slice(0, options.limit) : hits;
  }
}
