import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readSeedLines } from '../../scripts/situations-data.ts';
import {
  FEATURE_COUNT,
  type Features,
  featurize,
  lexiconHits,
  lexiconMasks,
  ngramBuckets,
  prepareText,
} from './features.ts';
import { DETECTED_SITUATION_IDS } from './ids.ts';
import { loadModel, SituationModelError, type StoredModel, WEIGHT_SCALE } from './model.ts';
import { trainModel } from './train.ts';

const shippedText = readFileSync(new URL('./model.json', import.meta.url), 'utf8');
const shipped = JSON.parse(shippedText) as StoredModel;

const tiny = [
  { text: '好的,谢谢你', situations: ['thanks' as const] },
  { text: '太感谢了', situations: ['thanks' as const] },
  { text: '我要投诉你们', situations: ['complaint' as const] },
  { text: '强烈抗议乱扣费', situations: ['complaint' as const] },
  { text: '路由器怎么设置', situations: ['tech-question' as const] },
  { text: '我想查一下话费', situations: [] },
  { text: '营业厅几点关门', situations: [] },
  { text: '再见', situations: ['goodbye' as const] },
];
const tinyOptions = { epochs: 2, folds: 2 };

describe('situation model file', () => {
  it('loads, with one class per situation', () => {
    expect(shipped.classes.map((c) => c.id)).toEqual(DETECTED_SITUATION_IDS);
    const m = loadModel(shipped);
    const t = prepareText('我要投诉');
    const p = m.probabilities(featurize(t, lexiconHits(t)));
    expect(p.length).toBe(DETECTED_SITUATION_IDS.length);
    for (const x of p) expect(x).toBeGreaterThanOrEqual(0);
  });

  it('holds no text: not a single Han character, only numbers besides the ids', () => {
    expect(shippedText).not.toMatch(/\p{Script=Han}/u);
    const strings = new Set<string>();
    JSON.parse(shippedText, (_key, value) => {
      if (typeof value === 'string') strings.add(value);
      return value;
    });
    expect([...strings].sort()).toEqual([shipped.format, ...DETECTED_SITUATION_IDS].sort());
  });

  it('scores as the dense weight table did, bit for bit, with or without a feature vector', () => {
    // The reference: the dense [feature × class] float32 table and sum the model used to hold.
    const C = DETECTED_SITUATION_IDS.length;
    const dense = new Float32Array(FEATURE_COUNT * C);
    shipped.classes.forEach((sc, c) => {
      let f = 0;
      sc.index.forEach((d, k) => {
        f += d;
        dense[f * C + c] = (sc.weight[k] as number) / WEIGHT_SCALE;
      });
    });
    const reference = (x: Features) => {
      const z = Float64Array.from(shipped.classes.map((sc) => sc.bias));
      for (let k = 0; k < x.index.length; k++) {
        const v = x.value[k] as number;
        if (v === 0) continue;
        for (let c = 0; c < C; c++)
          z[c] = (z[c] as number) + v * (dense[(x.index[k] as number) * C + c] as number);
      }
      return [...z].map((v) => 1 / (1 + Math.exp(-v)));
    };
    const m = loadModel(shipped);
    // Some situations only (what quality inspection reads), and all of them in another order.
    const some = [0, 2, 3, 4];
    const all = DETECTED_SITUATION_IDS.map((_, c) => C - 1 - c);
    const focusSome = m.focus(some);
    const focusAll = m.focus(all);
    const lines = readSeedLines();
    expect(lines.length).toBeGreaterThan(600);
    for (const { text } of lines) {
      const t = prepareText(text);
      const hits = lexiconHits(t);
      const want = reference(featurize(t, hits));
      expect([...m.probabilities(featurize(t, hits))], text).toEqual(want);
      expect([...m.probabilitiesOfText(t, hits)], text).toEqual(want);
      expect([...focusSome.probabilitiesOfText(t, hits)], text).toEqual(some.map((c) => want[c]));
      expect([...focusAll.probabilitiesOfText(t, hits)], text).toEqual(all.map((c) => want[c]));
    }
  });

  it('scores focused situations alike when a weight does not fit in thousandths of an Int16', () => {
    // The focused scorer keeps weights as stored (thousandths, Int16) when they fit, else as
    // floats: a model with weights past ±32.767 takes the second path, and must agree too.
    const heavy: StoredModel = {
      ...shipped,
      classes: shipped.classes.map((sc, c) =>
        c === 2 ? { ...sc, weight: sc.weight.map((w) => w * 20) } : sc,
      ),
    };
    expect(Math.max(...(heavy.classes[2]?.weight ?? []).map(Math.abs))).toBeGreaterThan(32767);
    const m = loadModel(heavy);
    const some = [0, 2, 3, 4];
    const focused = m.focus(some);
    let checked = 0;
    for (const { text } of readSeedLines().slice(0, 200)) {
      const t = prepareText(text);
      const hits = lexiconHits(t);
      const want = [...m.probabilitiesOfText(t, hits)];
      expect([...focused.probabilitiesOfText(t, hits)], text).toEqual(some.map((c) => want[c]));
      checked++;
    }
    expect(checked).toBe(200);
  });

  it('decides the threshold as the probability does, also for a text right at the threshold', () => {
    // exceeds() sums thousandths in integers and falls back to probabilitiesOfText within an
    // error bound of the threshold: a model whose thresholds are some lines' own
    // probabilities (the fallback's case) must decide exactly as the probabilities do.
    const some = [0, 2, 3, 4, 16];
    const lines = readSeedLines().slice(0, 300);
    const m0 = loadModel(shipped);
    const atThreshold = lines.slice(0, some.length).map(({ text }, k) => {
      const t = prepareText(text);
      return m0.probabilitiesOfText(t, lexiconHits(t))[some[k] as number] as number;
    });
    const edge: StoredModel = {
      ...shipped,
      classes: shipped.classes.map((sc, c) =>
        some.includes(c) ? { ...sc, threshold: atThreshold[some.indexOf(c)] as number } : sc,
      ),
    };
    // All twenty situations too: their weights are packed in four bytes, not two.
    const all = DETECTED_SITUATION_IDS.map((_, c) => c);
    // A model weighing every bucket of the words the first lines' n-grams fall in, for every
    // situation: a word's rows then hold more than 255 entries (row ends in two bytes, not one).
    const words = new Set<number>();
    for (const { text } of lines.slice(0, 20)) {
      const { buckets, count } = ngramBuckets(prepareText(text));
      for (let j = 0; j < count; j++) words.add((buckets[j] as number) >>> 5);
    }
    const dense: StoredModel = {
      ...shipped,
      classes: shipped.classes.map((sc, c) => {
        const w = new Map<number, number>();
        let f = 0;
        sc.index.forEach((d, k) => {
          f += d;
          w.set(f, sc.weight[k] as number);
        });
        for (const word of words)
          for (let b = word * 32; b < word * 32 + 32; b++)
            if (!w.has(b)) w.set(b, ((b * 7 + c) % 41) - 20 || 1);
        const fs = [...w.keys()].sort((a, b) => a - b);
        return {
          ...sc,
          index: fs.map((x, k) => x - (k > 0 ? (fs[k - 1] as number) : 0)),
          weight: fs.map((x) => w.get(x) as number),
        };
      }),
    };
    // A model whose heaviest weights (±32.000, in every situation, for the buckets of the first
    // lines) are split into many two-byte entries each: a bucket's row then holds hundreds of
    // entries, and all of them more than two-byte starts can say (the starts take four bytes).
    const heavyRows: StoredModel = {
      ...dense,
      classes: dense.classes.map((sc) => ({
        ...sc,
        weight: sc.weight.map((w, k) => (k % 3 === 0 ? (w < 0 ? -32000 : 32000) : w)),
      })),
    };
    // Quality inspection's situations (eleven: two-byte entries split weights over 2,047).
    const inspection = (
      [
        'thanks',
        'apology',
        'complaint',
        'angry',
        'abusive',
        'praise',
        'product-fault',
        'repeat-unresolved',
        'long-wait',
        'harassment',
        'goodbye',
      ] as const
    ).map((id) => DETECTED_SITUATION_IDS.indexOf(id));
    for (const [model, classes] of [
      [shipped, some],
      [shipped, inspection],
      [heavyRows, all],
      [edge, some],
      [edge, all],
      [dense, all],
      [dense, some],
    ] as const) {
      const m = loadModel(model);
      const focused = m.focus(classes);
      // Also the edges of the n-gram pass: no character, one, the same n-grams again and again.
      const edges = ['', '好', '好好好好好好好好', '谢谢谢谢,谢谢谢谢', 'ab', '😀😀😀'];
      for (const text of [...lines.map((l) => l.text), ...edges]) {
        const t = prepareText(text);
        const hits = lexiconHits(t);
        const p = [...m.probabilitiesOfText(t, hits)];
        const want = classes.reduce(
          (bits, c, k) => ((p[c] as number) >= (m.thresholds[c] as number) ? bits | (1 << k) : bits),
          0,
        );
        expect(focused.exceeds(t, hits), text).toBe(want);
        // The detector's path: the hits as bit masks, no lists.
        const { strong, cue, trap } = lexiconMasks(t);
        expect(focused.exceedsMasks(t, strong, cue, trap), text).toBe(want);
      }
    }
    // The lines whose probability is a threshold reach it; a hair above it they would not.
    const m = loadModel(edge).focus(some);
    lines.slice(0, some.length).forEach(({ text }, k) => {
      const t = prepareText(text);
      expect(m.exceeds(t, lexiconHits(t)) & (1 << k), text).not.toBe(0);
    });
  });

  it('reads the lexicon hits as bit masks exactly as the lists say them', () => {
    for (const { text } of readSeedLines()) {
      const t = prepareText(text);
      const { strong, cue, trap } = lexiconMasks(t);
      const hits = lexiconHits(t);
      const bits = (xs: boolean[]) => xs.reduce((m, x, i) => (x ? m | (1 << i) : m), 0);
      expect([strong, cue, trap], text).toEqual([bits(hits.strong), bits(hits.cue), bits(hits.trap)]);
    }
  });

  it('is refused, with a way out, when it does not fit the code', () => {
    expect(() => loadModel({ ...shipped, featureCount: 12 })).toThrow(SituationModelError);
    expect(() => loadModel({ ...shipped, featureCount: 12 })).toThrow(/train:situations/);
    expect(() => loadModel({ ...shipped, format: 'other' })).toThrow(SituationModelError);
  });
});

describe('situation model training', () => {
  it('is deterministic: the same examples give the same file, with no text in it', () => {
    const a = JSON.stringify(trainModel(tiny, tinyOptions));
    const b = JSON.stringify(trainModel(tiny, tinyOptions));
    expect(a).toBe(b);
    expect(a).not.toMatch(/\p{Script=Han}/u);
  });

  it('produces a model that loads and has learnt its examples', () => {
    const m = loadModel(trainModel(tiny, tinyOptions));
    const prob = (text: string, id: string) => {
      const t = prepareText(text);
      return m.probabilities(featurize(t, lexiconHits(t)))[
        DETECTED_SITUATION_IDS.indexOf(id as 'thanks')
      ] as number;
    };
    expect(prob('我要投诉你们', 'complaint')).toBeGreaterThan(prob('营业厅几点关门', 'complaint'));
  });

  const complaintOf = (stored: StoredModel, text: string) => {
    const t = prepareText(text);
    return loadModel(stored).probabilities(featurize(t, lexiconHits(t)))[
      DETECTED_SITUATION_IDS.indexOf('complaint')
    ] as number;
  };

  it('learns from a second labelling only where it differs from the first', () => {
    const agreeing = tiny.map((e) => ({ ...e, second: e.situations }));
    const plain = JSON.stringify(trainModel(tiny, tinyOptions));
    for (const second of ['soft', 'union'] as const) {
      expect(JSON.stringify(trainModel(agreeing, { ...tinyOptions, second }))).toBe(plain);
    }
    // A second labeller hears a complaint in a plain question: the model leans that way, the
    // soft target (half a complaint) less than the union (a whole one).
    const disputed = tiny.map((e) =>
      e.text === '营业厅几点关门' ? { ...e, second: ['complaint' as const] } : e,
    );
    const none = complaintOf(trainModel(disputed, tinyOptions), '营业厅几点关门');
    const soft = complaintOf(trainModel(disputed, { ...tinyOptions, second: 'soft' }), '营业厅几点关门');
    const union = complaintOf(trainModel(disputed, { ...tinyOptions, second: 'union' }), '营业厅几点关门');
    expect(soft).toBeGreaterThan(none);
    expect(union).toBeGreaterThan(soft);
  });

  it('tunes thresholds on the listed sources only (written lines may train without setting them)', () => {
    const sourced = tiny.map((e) => ({ ...e, source: 'seed' }));
    const plain = JSON.stringify(trainModel(sourced, tinyOptions));
    // Every source listed: the same file as without the option.
    expect(JSON.stringify(trainModel(sourced, { ...tinyOptions, thresholdSources: ['seed'] }))).toBe(plain);
    // Lines of another source train the weights but leave the thresholds to the listed ones.
    const extra = [
      ...sourced,
      { text: '你们这办事效率,我也是服了', situations: ['complaint' as const], source: 'caller' },
      { text: '你们明天正常上班吗', situations: [], source: 'caller' },
    ];
    const onlySeed = trainModel(extra, { ...tinyOptions, thresholdSources: ['seed'] });
    const listedAll = trainModel(extra, { ...tinyOptions, thresholdSources: ['seed', 'caller'] });
    expect(JSON.stringify(trainModel(extra, tinyOptions))).toBe(JSON.stringify(listedAll));
    // None of the listed sources has an example of a situation: its threshold stays 0.5.
    const noneListed = trainModel(extra, { ...tinyOptions, thresholdSources: ['corpus'] });
    for (const c of noneListed.classes) expect(c.threshold).toBe(0.5);
    expect(onlySeed.classes.map((c) => c.id)).toEqual(DETECTED_SITUATION_IDS);
  });

  it('fits only the situations asked for, each as a training of all would, and refuses one it does not know', () => {
    const all = trainModel(tiny, tinyOptions);
    const some = trainModel(tiny, { ...tinyOptions, classes: ['complaint', 'thanks'] });
    for (const c of some.classes) {
      const full = all.classes.find((f) => f.id === c.id);
      if (c.id === 'complaint' || c.id === 'thanks') expect(c, c.id).toEqual(full);
      else {
        // Not fitted: no weights, the default threshold, for a shipped model to fill in.
        expect(c.index, c.id).toEqual([]);
        expect(c.threshold, c.id).toBe(0.5);
      }
    }
    expect(() => trainModel(tiny, { ...tinyOptions, classes: ['complain' as 'complaint'] })).toThrow(
      /classes: no situation "complain"; the situations are thanks, apology, complaint/,
    );
    expect(() =>
      trainModel(tiny, { ...tinyOptions, classes: ['complaint'], thresholdRule: 'micro' }),
    ).toThrow(/micro/);
  });

  const weightsOf = (m: StoredModel) => JSON.stringify(m.classes.map((c) => [c.bias, c.index, c.weight]));

  it('chooses thresholds for the micro average without touching the weights', () => {
    const plain = trainModel(tiny, tinyOptions);
    const micro = trainModel(tiny, { ...tinyOptions, thresholdRule: 'micro' });
    expect(weightsOf(micro)).toBe(weightsOf(plain));
    // One source scored by its situations' mean F1 is what the per-situation rule maximises
    // already: the coordinate ascent starts there and finds nothing better.
    const macro = trainModel(tiny, { ...tinyOptions, thresholdRule: 'micro', microSources: [] });
    expect(JSON.stringify(macro)).toBe(JSON.stringify(plain));
  });

  it('with a precision floor every line allows, takes the thresholds of full recall', () => {
    const plain = trainModel(tiny, tinyOptions);
    const floor = trainModel(tiny, { ...tinyOptions, minPrecision: 1e-9 });
    expect(weightsOf(floor)).toBe(weightsOf(plain));
    const labelled = new Set(tiny.flatMap((e) => e.situations as string[]));
    for (const c of floor.classes) expect(c.threshold).toBe(labelled.has(c.id) ? 0.05 : 0.5);
  });

  it('weighs the examples of a source by its weight', () => {
    const sourced = tiny.map((e) => ({
      ...e,
      source: (e.situations as readonly string[]).includes('complaint') ? 'loud' : 'seed',
    }));
    const plain = trainModel(sourced, tinyOptions);
    expect(JSON.stringify(trainModel(sourced, { ...tinyOptions, sourceWeight: { loud: 1 } }))).toBe(
      JSON.stringify(plain),
    );
    const loud = trainModel(sourced, { ...tinyOptions, sourceWeight: { loud: 3 } });
    expect(complaintOf(loud, '我要投诉你们')).toBeGreaterThan(complaintOf(plain, '我要投诉你们'));
  });

  it('with NB scaling stores weights the ordinary scorer reads', () => {
    const stored = trainModel(tiny, { ...tinyOptions, nb: 1 });
    expect(complaintOf(stored, '我要投诉你们')).toBeGreaterThan(complaintOf(stored, '营业厅几点关门'));
  });
});
